#!/usr/bin/python3
"""API tests of ordertrail-serve (RULES "The order service"; issue 16).

    api_test.py ORDERTRAIL_SERVE ORDERTRAIL [--keep]

Starts the service on 127.0.0.1 on a free port with a temporary --db, a
manual clock at 2025-03-04T12:00:00Z and no scheduler loop, and checks every
endpoint and every error of the contract. Expected values are worked out by
hand (in the comments) or come from the `ordertrail` CLI on the same document
at the same instant, which must give byte-identical JSON: the CLI is the
oracle of every evaluation, decision and metrics document.

Every check runs even when an earlier one failed; the failures are listed at
the end and the exit status is 1 when there is one.
"""

import calendar
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import CLOCK, Oracle, Service, arg_paths, dumps, free_port, sample  # noqa: E402

FAILURES = []
CHECKS = [0]


def check(cond, what, got=None):
    CHECKS[0] += 1
    if not cond:
        msg = what if got is None else "%s\n      got: %s" % (what, got if isinstance(got, str) else repr(got)[:1500])
        FAILURES.append("%s: %s" % (CURRENT[0], msg))
        print("  FAIL", msg)
    return cond


def check_error(r, status, code, what, path=None):
    """An `ordertrail.error/1` answer with this status and code (and pointer)."""
    ok = check(r.status == status, "%s: status %d" % (what, status), r)
    try:
        doc = r.json()
    except ValueError:
        check(False, "%s: body is JSON" % what, r)
        return None
    check(doc.get("schema") == "ordertrail.error/1", "%s: schema ordertrail.error/1" % what, doc)
    ok = check(doc.get("code") == code, "%s: code %s" % (what, code), doc) and ok
    if path is not None:
        check(doc.get("path") == path, "%s: path %r" % (what, path), doc)
    return doc


CURRENT = ["setup"]
STEPS = []


def step(fn):
    STEPS.append(fn)
    return fn


def order_copy(name, order_id, **changes):
    doc = sample(name)
    doc["order_id"] = order_id
    doc.update(changes)
    return doc


class Ctx:
    pass


C = Ctx()


def get_doc(order_id):
    r = C.svc.request("GET", "/v1/orders/" + order_id, token=C.agent)
    assert r.status == 200, r
    return r.body


def version_of(order_id):
    r = C.svc.request("GET", "/v1/orders/" + order_id, token=C.agent)
    assert r.status == 200, r
    return r.header("ETag")


# --- the orders of the run ---------------------------------------------------

# US-DLV: us_delivered.json with its history moved before the clock, so it is
# DELIVERED at 2025-03-04T12:00:00Z (paid 2025-03-03T18:04:00Z).
def delivered_order():
    doc = order_copy("us_delivered.json", "US-DLV")
    at = ["2025-03-03T18:04:00Z", "2025-03-03T20:00:00Z", "2025-03-03T22:00:00Z", "2025-03-04T10:00:00Z"]
    for e, t in zip(doc["events"], at):
        e["at"] = t
    return doc


def all_orders():
    unpaid = lambda oid: order_copy("us_unpaid.json", oid)  # noqa: E731  (S-mugs, UNPAID)
    orders = {
        "US-1001": sample("us_unpaid.json"),  # the scheduler's auto-cancel
        "US-1001-cx": unpaid("US-1001-cx"),  # a buyer cancel, 201
        "US-1001-v": unpaid("US-1001-v"),  # If-Match
        "US-1001-idem": unpaid("US-1001-idem"),  # Idempotency-Key
        "US-1001-rep": unpaid("US-1001-rep"),  # replacement
        "US-DLV": delivered_order(),  # S-lamps, refusals
    }
    for i in range(6):
        orders["US-RACE-%d" % i] = unpaid("US-RACE-%d" % i)  # two cancels at once
    return orders


# --- steps -----------------------------------------------------------------------


@step
def fresh_database_is_closed():
    # No default token: a new database answers 401 to everything but health.
    r = C.svc.request("GET", "/v1/health")
    check(r.status == 200 and r.json() == {"status": "ok"}, "health 200 {status: ok}", r)
    r = C.svc.request("GET", "/v1/clock", token="otk_" + "A" * 43)
    check_error(r, 401, "unauthorized", "fresh db, any token")
    r = C.svc.request("GET", "/v1/due")
    check_error(r, 401, "unauthorized", "fresh db, no token")


@step
def tokens():
    C.agent = C.svc.token("--agent", "--label", "api test agent")
    C.agent2 = C.svc.token("--agent")
    C.s_mugs = C.svc.token("--seller", "S-mugs")
    C.s_lamps = C.svc.token("--seller", "S-lamps")
    C.b_1001 = C.svc.token("--buyer", "US-1001")
    C.b_cx = C.svc.token("--buyer", "US-1001-cx")
    C.b_v = C.svc.token("--buyer", "US-1001-v")
    C.b_idem = C.svc.token("--buyer", "US-1001-idem")
    C.b_dlv = C.svc.token("--buyer", "US-DLV")
    C.b_race = [C.svc.token("--buyer", "US-RACE-%d" % i) for i in range(6)]
    C.all_tokens = [C.agent, C.agent2, C.s_mugs, C.s_lamps, C.b_1001, C.b_cx, C.b_v, C.b_idem, C.b_dlv] + C.b_race
    for t in C.all_tokens:
        check(re.fullmatch(r"otk_[A-Za-z0-9_-]{43}", t) is not None, "token is otk_ and 43 base64url characters", t)
    check(len(set(C.all_tokens)) == len(C.all_tokens), "every token differs")


@step
def unauthorized():
    for name, headers in [("no token", {}), ("unknown token", {"Authorization": "Bearer otk_" + "B" * 43}),
                          ("not a bearer", {"Authorization": "Basic " + C.agent}),
                          ("token with a typo", {"Authorization": "Bearer " + C.agent[:-1] + ("A" if C.agent[-1] != "A" else "B")})]:
        for method, path in [("GET", "/v1/orders/US-1001"), ("GET", "/v1/due"), ("POST", "/v1/sweep"),
                             ("GET", "/v1/clock")]:
            r = C.svc.request(method, path, headers=headers)
            check_error(r, 401, "unauthorized", "%s %s with %s" % (method, path, name))
            check((r.header("WWW-Authenticate") or "").startswith("Bearer"),
                  "%s %s with %s: WWW-Authenticate: Bearer" % (method, path, name), r.headers)
    r = C.svc.request("GET", "/v1/clock?access_token=otk_" + "C" * 43)
    check_error(r, 401, "unauthorized", "unknown access_token in the URL")


@step
def put_orders():
    C.stored = {}
    for oid, doc in all_orders().items():
        body = json.dumps(doc, indent=2, ensure_ascii=False).encode()
        r = C.svc.request("PUT", "/v1/orders/" + oid, body=body, token=C.agent)
        if not check(r.status == 201, "PUT %s (new) by an agent: 201" % oid, r):
            continue
        st = r.json()
        ev = json.loads(C.oracle.evaluation(body, CLOCK))
        nca = ev["due"][0]["at"] if ev["due"] else ev["next_check_at"]
        check(st == {"schema": "ordertrail.stored/1", "order_id": oid, "version": 1, "next_check_at": nca},
              "PUT %s: ordertrail.stored/1 version 1, next_check_at %s" % (oid, nca), st)
        check(r.header("ETag") == '"1"', "PUT %s: ETag \"1\"" % oid, r.headers)
        C.stored[oid] = body
    # By hand: US-1001 was placed 2025-03-03T18:00:00Z and is unpaid; US
    # payment_window_hours 48, so its next check is 2025-03-05T18:00:00Z.
    r = C.svc.request("GET", "/v1/orders/US-1001", token=C.agent)
    r2 = C.svc.request("PUT", "/v1/orders/US-1001", body=C.stored["US-1001"], token=C.agent)
    check(r2.status == 200 and r2.json().get("next_check_at") == "2025-03-05T18:00:00Z",
          "US-1001 next_check_at is 2025-03-05T18:00:00Z (48 h after placement)", r2)


@step
def get_order_byte_for_byte():
    for oid, body in C.stored.items():
        r = C.svc.request("GET", "/v1/orders/" + oid, token=C.agent)
        check(r.status == 200, "GET %s: 200" % oid, r)
        check(r.body == body, "GET %s: the stored document byte for byte" % oid, r.body[:300])
        check(r.header("ETag") == '"1"', "GET %s: ETag \"1\"" % oid, r.headers)
        check((r.header("Content-Type") or "").startswith("application/json"), "GET %s: Content-Type json" % oid,
              r.headers)


@step
def seller_puts():
    # A seller puts its own orders (US-1005 is S-lamps'), not another's.
    doc = sample("us_late_ship.json")
    body = dumps(doc)
    r = C.svc.request("PUT", "/v1/orders/US-1005", body=body, token=C.s_lamps)
    check(r.status == 201 and r.json().get("version") == 1, "seller S-lamps PUTs its own US-1005: 201", r)
    C.stored["US-1005"] = body
    other = order_copy("us_late_ship.json", "US-1005-x", seller_id="S-mugs")
    r = C.svc.request("PUT", "/v1/orders/US-1005-x", body=dumps(other), token=C.s_lamps)
    check_error(r, 403, "seller_mismatch", "seller S-lamps PUTs a new order naming S-mugs")
    # US-1001 is S-mugs': for S-lamps it does not exist, whatever the body says.
    d = sample("us_unpaid.json")
    d["seller_id"] = "S-lamps"
    r = C.svc.request("PUT", "/v1/orders/US-1001", body=dumps(d), token=C.s_lamps)
    check_error(r, 404, "order_not_found", "seller S-lamps PUTs S-mugs' US-1001 (body naming S-lamps)")
    # With a body naming S-mugs, a missing order would be 403 seller_mismatch:
    # either answer is one a missing order could get, but never a write.
    r = C.svc.request("PUT", "/v1/orders/US-1001", body=C.stored["US-1001"], token=C.s_lamps)
    check(r.status in (403, 404) and r.json().get("code") in ("order_not_found", "seller_mismatch"),
          "seller S-lamps PUTs S-mugs' US-1001 (body naming S-mugs): 404 or 403 seller_mismatch", r)
    # S-mugs may not move its order to S-lamps.
    d = sample("us_unpaid.json")
    d["seller_id"] = "S-lamps"
    r = C.svc.request("PUT", "/v1/orders/US-1001", body=dumps(d), token=C.s_mugs)
    check_error(r, 403, "seller_mismatch", "seller S-mugs moves US-1001 to S-lamps")
    check(get_doc("US-1001") == C.stored["US-1001"], "US-1001 unchanged after the refused puts")
    r = C.svc.request("GET", "/v1/orders/US-1005-x", token=C.agent)
    check_error(r, 404, "order_not_found", "US-1005-x was not stored")
    # A buyer puts nothing, not even its own order.
    r = C.svc.request("PUT", "/v1/orders/US-1001", body=C.stored["US-1001"], token=C.b_1001)
    check(r.status in (403, 404), "buyer PUTs its own order: 403 or 404", r)
    check(version_of("US-1001") == '"1"', "US-1001 still version 1")


@step
def scoping():
    def same_as_missing(token, oid, what):
        r = C.svc.request("GET", "/v1/orders/" + oid, token=token)
        check_error(r, 404, "order_not_found", what)
        missing = C.svc.request("GET", "/v1/orders/NO-SUCH-ORDER", token=token)
        check_error(missing, 404, "order_not_found", what + " (a missing order)")
        check(r.body.replace(oid.encode(), b"X") == missing.body.replace(b"NO-SUCH-ORDER", b"X"),
              what + ": the answer is the one of a missing order", (r.body, missing.body))
        for sub in ("/evaluation", "/events"):
            method = "GET" if sub == "/evaluation" else "POST"
            body = None if method == "GET" else {"type": "cancelled", "reason": "changed_mind"}
            r = C.svc.request(method, "/v1/orders/" + oid + sub, body=body, token=token)
            check_error(r, 404, "order_not_found", what + " (%s %s)" % (method, sub))

    same_as_missing(C.b_1001, "US-1001-cx", "buyer of US-1001 GETs US-1001-cx")
    same_as_missing(C.b_1001, "US-1005", "buyer of US-1001 GETs US-1005")
    same_as_missing(C.s_mugs, "US-1005", "seller S-mugs GETs S-lamps' US-1005")
    same_as_missing(C.s_lamps, "US-1001", "seller S-lamps GETs S-mugs' US-1001")
    for token, oid, what in [(C.b_1001, "US-1001", "buyer of US-1001"), (C.s_mugs, "US-1001", "seller S-mugs"),
                             (C.s_lamps, "US-1005", "seller S-lamps"), (C.agent2, "US-1005", "an agent")]:
        r = C.svc.request("GET", "/v1/orders/" + oid, token=token)
        check(r.status == 200 and r.body == C.stored[oid], "%s GETs %s: 200" % (what, oid), r)
    check(version_of("US-1001-cx") == '"1"', "the out-of-scope POST recorded nothing")


@step
def evaluation():
    for oid, token in [("US-1001", C.b_1001), ("US-1001", C.s_mugs), ("US-DLV", C.b_dlv), ("US-1005", C.s_lamps),
                       ("US-1001-cx", C.agent)]:
        r = C.svc.request("GET", "/v1/orders/%s/evaluation" % oid, token=token)
        want = C.oracle.evaluation(C.stored[oid], CLOCK)
        check(r.status == 200, "GET %s/evaluation: 200" % oid, r)
        check(r.body.rstrip(b"\n") == want, "GET %s/evaluation: the CLI's `status --json --now %s`" % (oid, CLOCK),
              r.body[:400])
        check(r.header("ETag") == '"1"', "GET %s/evaluation: ETag \"1\"" % oid, r.headers)
    # By hand: US-DLV is DELIVERED, US-1001 UNPAID at the clock.
    check(C.svc.request("GET", "/v1/orders/US-DLV/evaluation", token=C.b_dlv).json().get("status") == "DELIVERED",
          "US-DLV is DELIVERED")
    ev = C.svc.request("GET", "/v1/orders/US-1001/evaluation", token=C.b_1001).json()
    check(ev.get("now") == CLOCK and ev.get("status") == "UNPAID", "US-1001 evaluated at the manual clock: UNPAID",
          ev.get("now"))
    # Time travel: agents only.
    later = "2025-03-06T00:00:00Z"
    r = C.svc.request("GET", "/v1/orders/US-1001/evaluation?now=" + later, token=C.agent)
    check(r.status == 200 and r.body.rstrip(b"\n") == C.oracle.evaluation(C.stored["US-1001"], later),
          "agent ?now=%s: the CLI's evaluation at that instant" % later, r.body[:300])
    # By hand: at 2025-03-06 the payment window (until 2025-03-05T18:00:00Z) has passed.
    check(r.status == 200 and r.json().get("effective_status") == "CANCELLED", "agent ?now= later: CANCELLED effectively",
          r.body[:200])
    for token, what in [(C.b_1001, "buyer"), (C.s_mugs, "seller")]:
        r = C.svc.request("GET", "/v1/orders/US-1001/evaluation?now=" + later, token=token)
        check_error(r, 403, "time_travel_not_allowed", "%s asks for ?now=" % what)
        r = C.svc.request("GET", "/v1/orders/US-1001/evaluation?now=" + CLOCK, token=token)
        check_error(r, 403, "time_travel_not_allowed", "%s asks for ?now= even at the clock" % what)


@step
def party_of_token():
    oid = "US-1001-cx"
    cases = [
        (C.b_cx, {"type": "cancelled", "by": "seller", "reason": "out_of_stock"}, "buyer token sends by: seller"),
        (C.b_cx, {"type": "cancelled", "by": "platform", "reason": "payment_timeout"}, "buyer token sends by: platform"),
        (C.s_mugs, {"type": "cancelled", "by": "buyer", "reason": "changed_mind"}, "seller token sends by: buyer"),
        (C.agent, {"type": "cancelled", "by": "buyer", "reason": "changed_mind"}, "agent token sends by: buyer"),
        (C.agent, {"type": "cancelled", "by": "seller", "reason": "out_of_stock"}, "agent token sends by: seller"),
    ]
    for token, cmd, what in cases:
        r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=token)
        check_error(r, 403, "party_not_allowed_for_token", what)
    check(get_doc(oid) == C.stored[oid] and version_of(oid) == '"1"', "nothing recorded by the refused parties")
    # An agent must say which party: without `by` the command is refused
    # (decide: party_not_allowed), never recorded.
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body={"type": "cancelled", "reason": "payment_timeout"},
                      token=C.agent)
    check(r.status in (409, 422) and r.status != 201, "agent command without by: not recorded (409 or 422)", r)
    if r.status == 409:
        check(r.json()["refusal"]["code"] == "party_not_allowed", "agent command without by: party_not_allowed", r)
    check(version_of(oid) == '"1"', "agent command without by recorded nothing")


@step
def buyer_cancel_201():
    # By hand: US-1001-cx is UNPAID at the clock (placed 2025-03-03T18:00:00Z,
    # payment failed); the buyer may cancel at once until the payment is due
    # (48 h: 2025-03-05T18:00:00Z), so a cancel without `by` (the token's
    # party, buyer) is appended at the manual clock.
    oid = "US-1001-cx"
    cmd = {"type": "cancelled", "reason": "changed_mind", "id": "cx-1"}
    before = get_doc(oid)
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.b_cx)
    check(r.status == 201, "buyer cancels an unpaid order: 201", r)
    d = r.json()
    check(d.get("schema") == "ordertrail.decision/1" and d.get("allowed") is True and d.get("already_recorded") is False,
          "the body is an allowed ordertrail.decision/1", d)
    check(d.get("event") == {"type": "cancelled", "at": CLOCK, "id": "cx-1", "by": "buyer", "reason": "changed_mind"},
          "the event is recorded at the manual clock, by buyer", d.get("event"))
    want = C.oracle.decision(before, dict(cmd, by="buyer"), CLOCK)
    check(r.body.rstrip(b"\n") == want, "the decision is the CLI's `decide --json` byte for byte", r.body[:300])
    check(r.header("ETag") == '"2"', "ETag of the version after it: \"2\"", r.headers)
    after = json.loads(get_doc(oid))
    check(after["events"] == json.loads(before)["events"] + [d.get("event")],
          "the stored document has the event appended, once", after["events"])
    r = C.svc.request("GET", "/v1/orders/%s/evaluation" % oid, token=C.b_cx)
    check(r.body.rstrip(b"\n") == C.oracle.evaluation(get_doc(oid), CLOCK) and r.json()["status"] == "CANCELLED",
          "the evaluation after it: CANCELLED, the CLI's on the stored document", r.body[:200])
    check(r.header("ETag") == '"2"', "evaluation ETag \"2\"", r.headers)
    # The same command again (same id, same content) is already recorded: 200.
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.b_cx)
    check(r.status == 200 and r.json().get("already_recorded") is True, "the same id again: 200 already_recorded", r)
    check(version_of(oid) == '"2"' and len(json.loads(get_doc(oid))["events"]) == 2, "the retry appended nothing")


@step
def refusals_409():
    # By hand: US-DLV was paid at 2025-03-03T18:04:00Z; the US remorse window
    # is 1 hour, so the buyer's free cancellation closed at 19:04:00Z, and a
    # buyer may not cancel a delivered order: window_closed (RULES
    # "Refusals" 7, free_cancellation for the buyer's cancelled after UNPAID).
    oid = "US-DLV"
    doc = C.stored[oid]
    cmd = {"type": "cancelled", "by": "buyer", "reason": "changed_mind"}
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.b_dlv)
    check(r.status == 409, "buyer cancels a delivered order: 409", r)
    d = r.json()
    check(d.get("schema") == "ordertrail.decision/1" and d.get("allowed") is False, "a refused decision/1", d)
    check(d.get("refusal", {}).get("code") == "window_closed", "refusal window_closed", d.get("refusal"))
    check(d.get("refusal", {}).get("message") == "The free_cancellation window closed at 2025-03-03T19:04:00Z.",
          "message names the window and 2025-03-03T19:04:00Z", d.get("refusal"))
    check(r.body.rstrip(b"\n") == C.oracle.decision(doc, cmd, CLOCK), "the refusal is the CLI's decision",
          r.body[:300])
    check(r.header("ETag") == '"1"', "a refusal keeps the version: ETag \"1\"", r.headers)
    # By hand: the seller may not cancel once delivered (US seller_statuses
    # end at PARTIALLY_SHIPPING): not_allowed_in_status, template 6.
    cmd = {"type": "cancelled", "reason": "out_of_stock"}
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.s_lamps)
    check(r.status == 409, "seller cancels a delivered order: 409", r)
    ref = r.json().get("refusal") or {}
    check(ref.get("code") == "not_allowed_in_status" and
          ref.get("message") == "seller may not record cancelled while the order is DELIVERED.",
          "refusal not_allowed_in_status, 'seller may not record cancelled while the order is DELIVERED.'", ref)
    check(r.body.rstrip(b"\n") == C.oracle.decision(doc, dict(cmd, by="seller"), CLOCK),
          "the seller's refusal is the CLI's decision", r.body[:300])
    # A carrier may not record cancelled at all: party_not_allowed (5).
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body={"type": "cancelled", "by": "carrier"},
                      token=C.agent)
    check(r.status == 409 and (r.json().get("refusal") or {}).get("code") == "party_not_allowed",
          "carrier cancels: 409 party_not_allowed", r)
    check(get_doc(oid) == doc and version_of(oid) == '"1"', "no refusal recorded anything")


@step
def if_match_412():
    oid = "US-1001-v"
    cmd = {"type": "cancelled", "reason": "changed_mind", "id": "v-1"}
    for bad in ('"7"', '"0"', '"2"'):
        r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.b_v, headers={"If-Match": bad})
        doc = check_error(r, 412, "version_mismatch", "POST with If-Match %s on version 1" % bad)
        if doc:
            check(doc.get("version") == 1, "412 names the current version 1", doc)
            check(dumps(doc.get("evaluation")) == C.oracle.evaluation(C.stored[oid], CLOCK),
                  "412's evaluation is the current one at now (the CLI's)", doc.get("evaluation"))
    r = C.svc.request("PUT", "/v1/orders/" + oid, body=C.stored[oid], token=C.agent, headers={"If-Match": '"5"'})
    doc = check_error(r, 412, "version_mismatch", "PUT with If-Match \"5\" on version 1")
    if doc:
        check(doc.get("version") == 1 and "evaluation" in doc, "PUT 412: version and evaluation", doc)
    check(get_doc(oid) == C.stored[oid] and version_of(oid) == '"1"', "nothing recorded by a stale client")
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.b_v, headers={"If-Match": '"1"'})
    check(r.status == 201 and r.header("ETag") == '"2"', "POST with the right If-Match: 201, ETag \"2\"", r)
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body={"type": "cancelled", "reason": "changed_mind"},
                      token=C.b_v, headers={"If-Match": '"1"'})
    doc = check_error(r, 412, "version_mismatch", "the now stale client posts again")
    if doc:
        check(doc.get("version") == 2, "412 names version 2", doc)
        check(dumps(doc.get("evaluation")) == C.oracle.evaluation(get_doc(oid), CLOCK),
              "412's evaluation is the CANCELLED order's", doc.get("evaluation"))


@step
def idempotency():
    oid = "US-1001-idem"
    url = "/v1/orders/%s/events" % oid
    cmd = dumps({"type": "cancelled", "reason": "changed_mind", "id": "idem-1"})
    key = {"Idempotency-Key": "K-idem.1:a_b"}
    r1 = C.svc.request("POST", url, body=cmd, token=C.b_idem, headers=key)
    check(r1.status == 201, "first POST with a key: 201", r1)
    check(r1.header("Idempotent-Replayed") in (None, "false"), "the first answer is not a replay", r1.headers)
    for i in range(3):
        r = C.svc.request("POST", url, body=cmd, token=C.b_idem, headers=key)
        check(r.status == r1.status and r.body == r1.body, "replay %d: same status and body" % i, r)
        check(r.header("Idempotent-Replayed") == "true", "replay %d: Idempotent-Replayed: true" % i, r.headers)
    doc = json.loads(get_doc(oid))
    check(len(doc["events"]) == 2 and version_of(oid) == '"2"', "the replays recorded nothing", doc["events"])
    other = dumps({"type": "cancelled", "reason": "duplicate_order", "id": "idem-2"})
    r = C.svc.request("POST", url, body=other, token=C.b_idem, headers=key)
    check_error(r, 422, "idempotency_key_reused", "the same key with another body")
    # An empty header is as if absent (RULES: cpp-httplib drops empty header values).
    for bad in ("has space", "é", "a/b", "x" * 129, "k?q"):
        r = C.svc.request("POST", url, body=other, token=C.b_idem, headers={"Idempotency-Key": bad})
        check_error(r, 400, "invalid_idempotency_key", "Idempotency-Key %r" % bad[:20])
    check(version_of(oid) == '"2"', "no bad key recorded anything")
    # A refusal is stored with its key too: 128 bytes, the longest key.
    long_key = {"Idempotency-Key": "R" * 128}
    refused = dumps({"type": "cancelled", "reason": "changed_mind", "id": "idem-3"})
    r2 = C.svc.request("POST", url, body=refused, token=C.b_idem, headers=long_key)
    check(r2.status == 409 and r2.body.rstrip(b"\n") == C.oracle.decision(get_doc(oid), dict(json.loads(refused),
                                                                                           by="buyer"), CLOCK),
          "cancel of a cancelled order (128-byte key): 409, the CLI's refusal", r2)
    check((r2.json().get("refusal") or {}).get("code") == "window_closed",
          "cancel of a cancelled order: window_closed (the free cancellation is used)", r2)
    r = C.svc.request("POST", url, body=refused, token=C.b_idem, headers=long_key)
    check(r.status == 409 and r.body == r2.body and r.header("Idempotent-Replayed") == "true",
          "the refusal is replayed with its key", r)
    # Keys are per order: the same key on another order is a new request.
    r = C.svc.request("POST", "/v1/orders/US-1001-rep/events", body=cmd, token=C.agent,
                      headers=dict(key, **{"If-Match": '"99"'}))
    check(r.status == 412 and r.header("Idempotent-Replayed") is None, "the key of another order is not replayed", r)


def race_once(i):
    oid = "US-RACE-%d" % i
    barrier = threading.Barrier(2)
    out = [None, None]

    def go(j):
        conn = C.svc.connect()
        conn.connect()
        body = dumps({"type": "cancelled", "reason": "changed_mind", "id": "race-%d-%d" % (i, j)})
        barrier.wait()
        try:
            out[j] = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=body, token=C.b_race[i],
                                   headers={"Idempotency-Key": "race-%d-%d" % (i, j)}, conn=conn)
        except OSError as e:
            print("  race %d/%d: %r" % (i, j, e))
        conn.close()

    ts = [threading.Thread(target=go, args=(j,)) for j in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return oid, out


@step
def concurrent_cancels():
    # Two buyer cancels of one unpaid order at once: decided one after the
    # other, so exactly one 201 and one 409 not_allowed_in_status.
    for i in range(6):
        oid, (a, b) = race_once(i)
        got = sorted([x.status if x is not None else -1 for x in (a, b)])
        check(got == [201, 409], "%s: two cancels at once give one 201 and one 409" % oid, (a, b))
        j = 0 if a is not None and a.status == 409 else 1
        refused = (a, b)[j]
        if refused is not None and refused.status == 409:
            # Decided on the order as the first left it: the CLI's decision on
            # the stored document. By hand: the first cancel used the buyer's
            # free cancellation, so the core answers window_closed ("is used");
            # RULES' example says not_allowed_in_status (see /work/serve-bugs.md).
            cmd = {"type": "cancelled", "reason": "changed_mind", "id": "race-%d-%d" % (i, j), "by": "buyer"}
            check(refused.body.rstrip(b"\n") == C.oracle.decision(get_doc(oid), cmd, CLOCK),
                  "%s: the second is the CLI's refusal on the order the first left" % oid, refused)
            check((refused.json().get("refusal") or {}).get("code") == "window_closed",
                  "%s: the second is refused window_closed" % oid, refused)
        doc = json.loads(get_doc(oid))
        check([e["type"] for e in doc["events"]] == ["payment_failed", "cancelled"],
              "%s: exactly one cancelled stored" % oid, doc["events"])
        check(version_of(oid) == '"2"', "%s: version 2" % oid)


@step
def bodies():
    url = "/v1/orders/US-BIG"
    # 1 MiB + 1 byte, valid JSON: too large, whatever it is.
    big = b'{"pad":"' + b"x" * (1048576 + 1 - 10) + b'"}'
    assert len(big) == 1048577
    r = C.svc.request("PUT", url, body=big, token=C.agent)
    check_error(r, 413, "too_large", "PUT of 1 MiB + 1 byte")
    r = C.svc.request("POST", "/v1/orders/US-1001/events", body=big, token=C.agent)
    check_error(r, 413, "too_large", "POST events of 1 MiB + 1 byte")
    # An order of exactly 1 MiB is accepted as a body (the padding is in a
    # note, an order field): whatever the answer, it is not 413.
    doc = order_copy("us_unpaid.json", "US-BIG")
    doc["events"][0]["note"] = ""
    base = len(dumps(doc))
    doc["events"][0]["note"] = "n" * (1048576 - base)
    exact = dumps(doc)
    assert len(exact) == 1048576
    r = C.svc.request("PUT", url, body=exact, token=C.agent)
    check(r.status != 413, "a body of exactly 1 MiB is not too large", r)
    # Not JSON: 400 invalid_json with the parser's pointer (the CLI's).
    for body in [b'{"order_id":', b"not json", b'{"a":1}{', b"\xff\xfe"]:
        r = C.svc.request("PUT", "/v1/orders/US-BAD", body=body, token=C.agent)
        want = json.loads(C.oracle._run(["status", "-", "--json", "--now", CLOCK], body)[1])
        doc = check_error(r, 400, "invalid_json", "PUT %r" % body[:20], path=want["path"])
        r = C.svc.request("POST", "/v1/orders/US-1001/events", body=body, token=C.b_1001)
        check_error(r, 400, "invalid_json", "POST events %r" % body[:20])
    # Valid JSON, not a valid order: 422 with the core's code and pointer.
    bad_orders = []
    d = sample("us_unpaid.json")
    del d["seller_id"]
    bad_orders.append(("missing seller_id", d))
    d = sample("us_unpaid.json")
    d["market"] = "ZZ"
    bad_orders.append(("market ZZ", d))
    d = sample("us_unpaid.json")
    d["events"][0]["at"] = "yesterday"
    bad_orders.append(("bad event instant", d))
    d = sample("us_unpaid.json")
    d["items"][0]["qty"] = -1
    bad_orders.append(("negative qty", d))
    for what, d in bad_orders:
        body = dumps(d)
        want = json.loads(C.oracle._run(["status", "-", "--json", "--now", CLOCK], body)[1])
        r = C.svc.request("PUT", "/v1/orders/US-1001", body=body, token=C.agent)
        check_error(r, 422, want["code"], "PUT an invalid order (%s)" % what, path=want["path"])
    check(get_doc("US-1001") == C.stored["US-1001"], "US-1001 unchanged by invalid puts")
    # The order_id must be the path's.
    r = C.svc.request("PUT", "/v1/orders/US-OTHER", body=C.stored["US-1001"], token=C.agent)
    check_error(r, 400, "invalid_value", "PUT of US-1001's document at US-OTHER", path="/order_id")
    # Valid JSON, not a valid command: 422 with the core's code and pointer.
    for what, cmd in [("a command with at", {"type": "cancelled", "by": "seller", "reason": "out_of_stock",
                                              "at": CLOCK}),
                      ("unknown type", {"type": "teleported", "by": "seller"}),
                      ("not an object", [1, 2])]:
        body = dumps(cmd)
        rc, out = C.oracle._run(["decide", C.stored_path("US-1001"), "--command", "-", "--now", CLOCK, "--json"], body)
        want = json.loads(out)
        r = C.svc.request("POST", "/v1/orders/US-1001/events", body=body, token=C.s_mugs)
        check_error(r, 422, want["code"], "POST %s" % what, path=want.get("path"))
    check(version_of("US-1001") == '"1"', "US-1001 unchanged by invalid commands")


@step
def ids():
    ok64 = "A" + "b" * 63
    r = C.svc.request("GET", "/v1/orders/" + ok64, token=C.agent)
    check_error(r, 404, "order_not_found", "a 64-byte id is valid (missing: 404)")
    r = C.svc.request("GET", "/v1/orders/a.b_c:d-9", token=C.agent)
    check_error(r, 404, "order_not_found", "an id of every allowed character is valid")
    for bad in ["A" + "b" * 64, "-abc", "_abc", ".abc", ":abc", "a!b", "a%20b", "%C3%A9t%C3%A9", "a*b",
                "a~b"]:
        r = C.svc.request("GET", "/v1/orders/" + bad, token=C.agent)
        check_error(r, 400, "invalid_id", "GET /v1/orders/%s" % bad[:20])
        r = C.svc.request("PUT", "/v1/orders/" + bad, body=C.stored["US-1001"], token=C.agent)
        check_error(r, 400, "invalid_id", "PUT /v1/orders/%s" % bad[:20])
        r = C.svc.request("GET", "/v1/orders/%s/evaluation" % bad, token=C.agent)
        check_error(r, 400, "invalid_id", "GET /v1/orders/%s/evaluation" % bad[:20])
        r = C.svc.request("GET", "/v1/sellers/%s/metrics?from=2025-03-01&to=2025-03-31" % bad, token=C.agent)
        check_error(r, 400, "invalid_id", "GET /v1/sellers/%s/metrics" % bad[:20])


@step
def paths_and_methods():
    for path in ["/v1/nope", "/v1/orders", "/v1/orders/US-1001/nope", "/v1/orders/US-1001/events/x", "/v2/health",
                 "/", "/v1/sellers/S-mugs"]:
        r = C.svc.request("GET", path, token=C.agent)
        check_error(r, 404, "not_found", "GET %s" % path)
    for method, path, allow in [("DELETE", "/v1/orders/US-1001", {"GET", "PUT"}),
                                ("POST", "/v1/orders/US-1001", {"GET", "PUT"}),
                                ("POST", "/v1/health", {"GET"}),
                                ("GET", "/v1/sweep", {"POST"}),
                                ("GET", "/v1/orders/US-1001/events", {"POST"}),
                                ("PUT", "/v1/orders/US-1001/evaluation", {"GET"}),
                                ("DELETE", "/v1/clock", {"GET", "PUT"}),
                                ("POST", "/v1/due", {"GET"}),
                                ("PATCH", "/v1/sellers/S-mugs/metrics", {"GET"})]:
        r = C.svc.request(method, path, token=C.agent, body=b"{}" if method in ("POST", "PUT", "PATCH") else None)
        check_error(r, 405, "method_not_allowed", "%s %s" % (method, path))
        got = {m.strip() for m in (r.header("Allow") or "").split(",") if m.strip()}
        check(allow <= got and not ({"DELETE", "PATCH"} & got), "%s %s: Allow %s" % (method, path, sorted(allow)),
              r.header("Allow"))
    check(version_of("US-1001") == '"1"', "nothing recorded by a wrong method")


@step
def replacement():
    oid = "US-1001-rep"
    url = "/v1/orders/" + oid
    body = C.stored[oid]
    r = C.svc.request("PUT", url, body=body, token=C.agent)
    check(r.status == 200 and r.json().get("version") == 1 and r.header("ETag") == '"1"',
          "the same document again: 200, version 1", r)
    # Adding an event after the stored ones: 200, version 2.
    doc = json.loads(body)
    paid = {"id": "e2", "type": "payment_succeeded", "at": "2025-03-04T10:00:00Z", "amount_minor": 2598}
    doc["events"].append(paid)
    body2 = dumps(doc)
    r = C.svc.request("PUT", url, body=body2, token=C.agent, headers={"If-Match": '"1"'})
    check(r.status == 200 and r.json().get("version") == 2 and r.header("ETag") == '"2"',
          "a replacement adding an event: 200, version 2", r)
    check(get_doc(oid) == body2, "the replacement is stored")
    # By hand: paid 2025-03-04T10:00:00Z -> dispatch by 2 US working days
    # after Tue 2025-03-04 (local), i.e. Thu 2025-03-06 ends at 2025-03-07T08:00:00Z;
    # the CLI gives the same.
    ev = json.loads(C.oracle.evaluation(body2, CLOCK))
    check(r.json().get("next_check_at") == (ev["due"][0]["at"] if ev["due"] else ev["next_check_at"]),
          "next_check_at after the replacement is the CLI's", r.json())
    r = C.svc.request("PUT", url, body=body2, token=C.s_mugs)
    check(r.status == 200 and r.json().get("version") == 2, "the same document again (a seller): 200, version 2", r)
    # Dropping the acknowledged event: 409 events_rewritten at /events/1.
    r = C.svc.request("PUT", url, body=body, token=C.agent)
    check_error(r, 409, "events_rewritten", "a replacement dropping event 1", path="/events/1")
    # Changing an event: 409 at its pointer.
    d = json.loads(body2)
    d["events"][0]["at"] = "2025-03-03T18:02:11Z"
    r = C.svc.request("PUT", url, body=dumps(d), token=C.agent)
    check_error(r, 409, "events_rewritten", "a replacement changing event 0", path="/events/0")
    d = json.loads(body2)
    d["events"][1]["at"] = "2025-03-04T10:00:01Z"
    r = C.svc.request("PUT", url, body=dumps(d), token=C.agent)
    check_error(r, 409, "events_rewritten", "a replacement moving event 1", path="/events/1")
    d = json.loads(body2)
    d["events"] = [d["events"][1], d["events"][0]]
    r = C.svc.request("PUT", url, body=dumps(d), token=C.agent)
    check_error(r, 409, "events_rewritten", "a replacement swapping the events", path="/events/0")
    # An event inserted before a stored one: the first that differs is /events/1.
    d = json.loads(body2)
    d["events"].insert(1, {"id": "ins", "type": "payment_failed", "at": "2025-03-04T09:00:00Z",
                           "reason": "card_declined"})
    r = C.svc.request("PUT", url, body=dumps(d), token=C.agent)
    check_error(r, 409, "events_rewritten", "a replacement inserting an event before event 1", path="/events/1")
    check(get_doc(oid) == body2 and version_of(oid) == '"2"', "no rewrite was stored")
    # An event appended by a command is acknowledged too: a put without it is refused.
    r = C.svc.request("POST", url + "/events", body={"type": "ready_to_ship", "id": "rts-1"}, token=C.s_mugs)
    check(r.status == 201 and r.header("ETag") == '"3"', "seller marks US-1001-rep ready to ship: 201", r)
    r = C.svc.request("PUT", url, body=body2, token=C.agent)
    check_error(r, 409, "events_rewritten", "a replacement without the commanded event", path="/events/2")
    C.stored[oid] = get_doc(oid)


@step
def due_list():
    # Every stored order's next_check_at, worked out with the CLI on its
    # stored document at the clock: the first due event's instant, else the
    # evaluation's next_check_at.
    ids = sorted(set(list(C.stored) + ["US-RACE-%d" % i for i in range(6)] + ["US-BIG"]))
    docs = {}
    for oid in ids:
        r = C.svc.request("GET", "/v1/orders/" + oid, token=C.agent)
        if r.status == 200:
            docs[oid] = r.body
    C.docs = docs
    nca = {}
    for oid, body in docs.items():
        ev = json.loads(C.oracle.evaluation(body, CLOCK))
        nca[oid] = ev["due"][0]["at"] if ev["due"] else ev["next_check_at"]

    def expect(before, seller=None):
        rows = [(t, oid) for oid, t in nca.items() if t is not None and t <= before and
                (seller is None or json.loads(docs[oid])["seller_id"] == seller)]
        return [{"order_id": oid, "next_check_at": t} for t, oid in sorted(rows)]

    before = "2025-03-06T00:00:00Z"
    r = C.svc.request("GET", "/v1/due?before=" + before, token=C.agent)
    check(r.status == 200, "agent due list: 200", r)
    got = r.json()
    check(got == {"schema": "ordertrail.due/1", "before": before, "orders": expect(before)},
          "agent due list before %s: every order due, by next_check_at then id" % before,
          (got, expect(before)))
    # By hand: US-1001 (unpaid, payment due 2025-03-05T18:00:00Z) is on it.
    check({"order_id": "US-1001", "next_check_at": "2025-03-05T18:00:00Z"} in got.get("orders", []),
          "US-1001 is due at 2025-03-05T18:00:00Z")
    r = C.svc.request("GET", "/v1/due?before=%s&limit=1" % before, token=C.agent)
    check(r.status == 200 and r.json().get("orders") == expect(before)[:1], "limit=1: the first only", r)
    r = C.svc.request("GET", "/v1/due?before=" + before, token=C.s_mugs)
    check(r.status == 200 and r.json().get("orders") == expect(before, "S-mugs"),
          "seller S-mugs' due list: its orders only", (r.body[:400], expect(before, "S-mugs")))
    r = C.svc.request("GET", "/v1/due?before=" + before, token=C.s_lamps)
    check(r.status == 200 and r.json().get("orders") == expect(before, "S-lamps"),
          "seller S-lamps' due list: its orders only", r)
    r = C.svc.request("GET", "/v1/due", token=C.agent)
    check(r.status == 200 and r.json().get("before") == CLOCK and r.json().get("orders") == expect(CLOCK),
          "before defaults to now", r)
    r = C.svc.request("GET", "/v1/due", token=C.b_1001)
    check(r.status in (403, 404) and r.json().get("schema") == "ordertrail.error/1", "a buyer has no due list", r)
    for q in ["limit=0", "limit=10001", "limit=x", "before=tomorrow"]:
        r = C.svc.request("GET", "/v1/due?" + q, token=C.agent)
        check(r.status == 400 and r.json().get("schema") == "ordertrail.error/1", "due?%s: 400" % q, r)
    r = C.svc.request("GET", "/v1/due?limit=10000", token=C.agent)
    check(r.status == 200, "due?limit=10000: 200", r)


@step
def metrics():
    frm, to = "2025-03-01", "2025-03-31"
    q = "?from=%s&to=%s" % (frm, to)
    for seller, token in [("S-mugs", C.s_mugs), ("S-lamps", C.s_lamps), ("S-mugs", C.agent), ("S-lamps", C.agent)]:
        docs = [b for b in C.docs.values() if json.loads(b)["seller_id"] == seller]
        docs = [get_doc(json.loads(b)["order_id"]) for b in docs]
        want = C.oracle.metrics(docs, frm, to, CLOCK)
        r = C.svc.request("GET", "/v1/sellers/%s/metrics%s" % (seller, q), token=token)
        check(r.status == 200, "metrics of %s: 200" % seller, r)
        check(r.body.rstrip(b"\n") == want, "metrics of %s: the CLI's on its stored orders at now" % seller,
              (r.body[:400], want[:400]))
    for token, seller, what in [(C.s_mugs, "S-lamps", "S-mugs asks S-lamps'"), (C.b_1001, "S-mugs", "a buyer asks")]:
        r = C.svc.request("GET", "/v1/sellers/%s/metrics%s" % (seller, q), token=token)
        check(r.status in (403, 404) and r.json().get("schema") == "ordertrail.error/1",
              "metrics: %s: 403 or 404" % what, r)
    for bad in ["", "?from=2025-03-01", "?to=2025-03-31", "?from=March&to=2025-03-31"]:
        r = C.svc.request("GET", "/v1/sellers/S-mugs/metrics" + bad, token=C.agent)
        check(r.status == 400 and r.json().get("schema") == "ordertrail.error/1", "metrics%s: 400" % bad, r)


@step
def clock_and_sweep():
    r = C.svc.request("GET", "/v1/clock", token=C.agent)
    check(r.status == 200 and r.json() == {"now": CLOCK, "manual": True}, "GET /v1/clock: the manual clock", r)
    for token in (C.b_1001, C.s_mugs):
        r = C.svc.request("GET", "/v1/clock", token=token)
        check(r.status in (403, 404), "the clock is for agents (GET)", r)
        r = C.svc.request("PUT", "/v1/clock", body={"now": "2025-03-07T00:00:00Z"}, token=token)
        check(r.status in (403, 404), "the clock is for agents (PUT)", r)
        r = C.svc.request("POST", "/v1/sweep", token=token)
        check(r.status in (403, 404), "the sweep is for agents", r)
    r = C.svc.request("PUT", "/v1/clock", body={"now": "2025-03-04T11:59:59Z"}, token=C.agent)
    check_error(r, 409, "clock_backwards", "the clock one second back")
    r = C.svc.request("PUT", "/v1/clock", body={"now": "soon"}, token=C.agent)
    check(r.status in (400, 422) and r.json().get("schema") == "ordertrail.error/1", "PUT clock 'soon': an error", r)
    r = C.svc.request("GET", "/v1/clock", token=C.agent)
    check(r.json().get("now") == CLOCK, "the clock did not move", r)
    # Nothing is due at the clock yet (US-1001's payment is due tomorrow).
    r = C.svc.request("POST", "/v1/sweep", token=C.agent)
    check(r.status == 200 and r.json() == {"schema": "ordertrail.sweep/1", "now": CLOCK, "orders": 0, "events": 0},
          "a sweep at the clock appends nothing", r)
    later = "2025-03-06T00:00:00Z"
    r = C.svc.request("PUT", "/v1/clock", body={"now": later}, token=C.agent)
    check(r.status == 200 and r.json() == {"now": later, "manual": True}, "PUT /v1/clock forward", r)
    check(C.svc.request("GET", "/v1/orders/US-1001", token=C.agent).body == C.stored["US-1001"],
          "moving the clock appends nothing by itself (--sweep-every 0)")
    # What the sweep must append, from the CLI at the new now.
    expect_events = {}
    for oid in C.docs:
        body = get_doc(oid)
        ev = json.loads(C.oracle.evaluation(body, later))
        if ev["due"]:
            expect_events[oid] = [d["event"] for d in ev["due"]]
    before = {oid: json.loads(get_doc(oid))["events"] for oid in C.docs}
    versions = {oid: version_of(oid) for oid in C.docs}
    r = C.svc.request("POST", "/v1/sweep", token=C.agent)
    check(r.status == 200, "POST /v1/sweep: 200", r)
    want = {"schema": "ordertrail.sweep/1", "now": later, "orders": len(expect_events),
            "events": sum(len(v) for v in expect_events.values())}
    check(r.json() == want, "the sweep's counts are the CLI's due lists", (r.body, want))
    # By hand: US-1001 was placed 2025-03-03T18:00:00Z, its payment failed and
    # nothing else came; US payment_window_hours is 48, so at
    # 2025-03-05T18:00:00Z the platform auto-cancels it (payment_timeout), and
    # that event, dated at the deadline and not at the sweep, is appended.
    doc = json.loads(get_doc("US-1001"))
    check(doc["events"][-1:] == [{"type": "cancelled", "at": "2025-03-05T18:00:00Z", "by": "platform",
                                  "reason": "payment_timeout"}] and len(doc["events"]) == 2,
          "US-1001: the automatic cancellation of 2025-03-05T18:00:00Z appended", doc["events"])
    check(version_of("US-1001") == '"2"', "US-1001 version 2 after the sweep")
    for oid in C.docs:
        now_events = json.loads(get_doc(oid))["events"]
        check(now_events == before[oid] + expect_events.get(oid, []), "%s: the sweep appended its due events" % oid,
              now_events[len(before[oid]):])
        if oid not in expect_events:
            check(version_of(oid) == versions[oid], "%s: untouched orders keep their version" % oid)
    r = C.svc.request("GET", "/v1/orders/US-1001/evaluation", token=C.b_1001)
    check(r.body.rstrip(b"\n") == C.oracle.evaluation(get_doc("US-1001"), later) and r.json()["status"] == "CANCELLED",
          "US-1001 is CANCELLED now (recorded), the CLI's evaluation", r.body[:200])
    r = C.svc.request("POST", "/v1/sweep", token=C.agent)
    check(r.status == 200 and r.json() == {"schema": "ordertrail.sweep/1", "now": later, "orders": 0, "events": 0},
          "a second sweep appends nothing", r)
    r = C.svc.request("GET", "/v1/due", token=C.agent)
    check(r.status == 200 and all(o["next_check_at"] > later for o in r.json().get("orders", [])) and
          r.json().get("orders") == [], "nothing is due after the sweep", r)
    r = C.svc.request("PUT", "/v1/clock", body={"now": CLOCK}, token=C.agent)
    check_error(r, 409, "clock_backwards", "the clock back to the start")


@step
def command_at_moved_clock():
    # US-1005 (S-lamps, paid 2025-03-03T18:03:00Z): at 2025-03-06 it is
    # AWAITING_SHIPMENT; the seller's ready_to_ship goes through decide at
    # the service's now (2025-03-06T00:00:00Z).
    oid = "US-1005"
    before = get_doc(oid)
    cmd = {"type": "ready_to_ship", "id": "rts-1005"}
    now = "2025-03-06T00:00:00Z"
    r = C.svc.request("POST", "/v1/orders/%s/events" % oid, body=cmd, token=C.s_lamps)
    check(r.status == 201, "seller ready_to_ship at the moved clock: 201", r)
    check(r.json().get("event", {}).get("at") == now, "recorded at the moved clock", r.json().get("event"))
    check(r.body.rstrip(b"\n") == C.oracle.decision(before, dict(cmd, by="seller"), now),
          "the CLI's decision at the moved clock", r.body[:300])


@step
def access_log():
    # A token in the URL works, the header wins, and no token is ever logged.
    url = "/v1/orders/US-1001/evaluation"
    r = C.svc.request("GET", url + "?access_token=" + C.b_1001)
    check(r.status == 200, "?access_token= authenticates", r)
    r = C.svc.request("GET", url + "?x=1&access_token=" + C.b_1001 + "&y=2")
    check(r.status == 200, "?access_token= among other parameters", r)
    r = C.svc.request("GET", url + "?access_token=" + C.b_1001, headers={"Authorization": "Bearer otk_" + "D" * 43})
    check_error(r, 401, "unauthorized", "a bad header and a good access_token: the header wins")
    r = C.svc.request("GET", url + "?access_token=otk_" + "E" * 43, token=C.b_1001)
    check(r.status == 200, "a good header and a bad access_token: the header wins", r)
    r = C.svc.request("GET", "/v1/orders/US-1005?access_token=" + C.b_1001)
    check_error(r, 404, "order_not_found", "a URL token is scoped as a header token")
    # Paths with control characters (decoded from %0A, %0D, %1B) must not
    # forge access-log lines nor put terminal escapes in it.
    for p in ["/v1/orders/x%0AGET%20/v1/forged%20200%200.1ms", "/v1/orders/x%1B%5B31mred", "/v1/nope%0Aforged2",
              "/v1/orders/x%0D%0Aforged3"]:
        r = C.svc.request("GET", p, token=C.agent)
        check(r.status in (400, 404), "GET %s: 400 or 404" % p, r)
    marker = "/v1/orders/US-1001/evaluation"
    r = C.svc.request("GET", marker + "?access_token=" + C.agent + "&now=2025-03-07T00:00:00Z")
    check(r.status == 200, "agent URL token with ?now=", r)


@step
def real_clock_and_wrapper():
    # A second service on its own database with the real clock (the
    # default), started through `ordertrail serve` (which runs the
    # ordertrail-serve next to it with the same arguments), and a token made
    # by `ordertrail serve token create`.
    db2 = os.path.join(os.path.dirname(C.svc.db), "real.db")
    real = Service(C.cli, db2, clock=None)
    real.port = free_port()
    stderr = open(db2 + ".stderr.log", "ab")
    proc = subprocess.Popen([C.cli, "serve", "--db", db2, "--host", "127.0.0.1", "--port", str(real.port),
                             "--sweep-every", "0"], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        for _ in range(400):
            try:
                if real.request("GET", "/v1/health").status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        out = subprocess.run([C.cli, "serve", "token", "create", "--agent", "--db", db2], capture_output=True,
                             check=True, timeout=60)
        t = out.stdout.decode().strip()
        check(re.fullmatch(r"otk_[A-Za-z0-9_-]{43}", t) is not None, "ordertrail serve token create prints a token", t)
        r = real.request("GET", "/v1/clock", token=t)
        check(r.status == 200 and r.json().get("manual") is False, "the real clock: manual false", r)
        if r.status == 200:
            got = r.json()["now"]
            ok = re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", got) is not None
            check(ok and abs(calendar.timegm(time.strptime(got, "%Y-%m-%dT%H:%M:%SZ")) - time.time()) <= 5,
                  "the real clock is the system's, to the second", got)
        r = real.request("PUT", "/v1/clock", body={"now": "2030-01-01T00:00:00Z"}, token=t)
        check_error(r, 409, "clock_not_settable", "PUT /v1/clock on the real clock")
        r = real.request("GET", "/v1/clock", token=C.agent)
        check_error(r, 401, "unauthorized", "a token of another database")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        stderr.close()


def final_checks(svc, db):
    CURRENT[0] = "after stop"
    log = svc.stderr_text()
    for t in C.all_tokens:
        check(t not in log, "token %s... is not in the access log" % t[:8])
        check(t[4:] not in log, "token body %s... is not in the access log" % t[4:10])
    check(not svc.sanitizer_reports(), "no sanitizer report in the service's stderr", svc.sanitizer_reports()[:5])
    check("access_token" not in log, "the query string is not logged")
    check("\x1b" not in log and "\r" not in log and "forged" not in "\n".join(
        l for l in log.split("\n") if not re.fullmatch(r"[A-Z]+ /.* \d{3} \d+(\.\d+)?ms", l)),
        "no control character of a path reaches the access log raw (no forged line, no escape)",
        [l for l in log.split("\n") if "forged" in l or "\x1b" in l or "\r" in l])
    lines = log.splitlines()
    logged = [l for l in lines if re.fullmatch(r"[A-Z]+ /.* \d{3} \d+(\.\d+)?ms", l)]
    check(len(logged) == len(lines) == svc.requests_sent, "one access log line per request (method, path, status, ms): "
          "%d requests sent" % svc.requests_sent, "%d lines, e.g. %r" % (len(logged), lines[:3]))
    import collections
    from urllib.parse import unquote
    want = collections.Counter(unquote(x) for x in svc.sent if not re.search("%(0A|0D|1B)", x))
    got = collections.Counter(" ".join(l.split(" ")[:-2]) for l in lines
                              if re.fullmatch(r"[A-Z]+ /.* \d{3} \d+(\.\d+)?ms", l) and "forged" not in l
                              and "\x1b" not in l and "x\r" not in l and not re.search("%(0A|0D|1B)", l))
    check(want == got, "the access log names each request's method and path",
          "not logged: %r; logged, not sent: %r" % (list((want - got).elements())[:10],
                                                    list((got - want).elements())[:10]))
    check(re.search(r"GET /v1/orders/US-1001/evaluation\b.*\b200\b", log) is not None,
          "the access log has 'GET /v1/orders/US-1001/evaluation ... 200'", log[-800:])
    check(re.search(r"POST /v1/orders/US-DLV/events\b.*\b409\b", log) is not None,
          "the access log has 'POST /v1/orders/US-DLV/events ... 409'")
    check(re.search(r"^.*\bPUT /v1/orders/US-1001-rep\b.*\b409\b.*\d", log, re.M) is not None,
          "the access log has the PUT 409 with its milliseconds")
    # The database keeps only hashes of the tokens.
    raw = b""
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                raw += f.read()
    for t in C.all_tokens:
        check(t.encode() not in raw and t[4:].encode() not in raw, "token %s... is not stored in clear" % t[:8])
    con = sqlite3.connect(db)
    check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "PRAGMA integrity_check ok")
    check(con.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "the database is in WAL mode")
    con.close()


def main():
    serve_bin, cli_bin, rest = arg_paths(sys.argv)
    keep = "--keep" in rest
    tmp = tempfile.mkdtemp(prefix="ordertrail-api-")
    db = os.path.join(tmp, "api.db")
    C.oracle = Oracle(cli_bin)
    C.cli = cli_bin
    C.svc = Service(serve_bin, db).start()

    def stored_path(oid):
        p = os.path.join(tmp, oid + ".json")
        with open(p, "wb") as f:
            f.write(C.stored[oid])
        return p

    C.stored_path = stored_path
    C.stored = {}
    try:
        for fn in STEPS:
            CURRENT[0] = fn.__name__
            print("--", fn.__name__)
            try:
                fn()
            except Exception:  # a step that crashed is a failure; the others still run
                FAILURES.append("%s: exception\n%s" % (fn.__name__, traceback.format_exc()))
                print(traceback.format_exc())
        alive = C.svc.proc.poll() is None
        check(alive, "the service is still running after the tests")
    finally:
        C.svc.stop()
    try:
        final_checks(C.svc, db)
    except Exception:
        FAILURES.append("final checks: exception\n%s" % traceback.format_exc())
    print("\n%d checks, %d failed" % (CHECKS[0], len(FAILURES)))
    for f in FAILURES:
        print("FAILED", f)
    if keep or FAILURES:
        print("files kept in", tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

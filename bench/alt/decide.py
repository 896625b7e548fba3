#!/usr/bin/python3
"""What a competent Python user writes instead of ordertrail: plain `json`,
`zoneinfo` for the market's day boundaries and `numpy.busday_offset` (with the
policy's weekend and holidays) for the ship-by deadline.

    /usr/bin/python3 bench/alt/decide.py ORDERS.ndjson NOW POLICY_DIR > decisions.tsv

Writes one line per order, tab-separated:
    line order_id status effective_status auto_cancel_reason auto_cancel_at refund_due_minor
(`-` when there is no automatic cancellation due). These are the decisions
bench/run checks against `ordertrail sweep`, computed with the rules of
docs/RULES.md that they depend on: status from the recorded events; the
payment, ship-by, delivery and lost-parcel auto-cancellations and the
auto-approval of an unanswered cancellation request, applied in time order
(an action due at the instant of an event comes first); auto-completion after
the return window; the automatic refund of a cancelled order.

Lines are processed in chunks so that busday_offset runs on arrays.
(Run with Debian's /usr/bin/python3: numpy comes from python3-numpy.)
"""
import datetime as dt
import functools
import json
import os
import sys
from zoneinfo import ZoneInfo

import numpy as np

UTC = dt.timezone.utc
HOUR = 3600
DAY = 86400
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
CHUNK = 50_000
OPEN_RETURN = {"requested", "approved", "shipped", "received"}


def instant(text):
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def fmt(t):
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Policy:
    def __init__(self, doc):
        self.zone = ZoneInfo(doc["time_zone"])
        self.weekmask = [0 if d in doc["weekend"] else 1 for d in WEEKDAYS]
        days = [h["date"] if isinstance(h, dict) else h for h in doc["holidays"]]
        self.calendar = np.busdaycalendar(weekmask=self.weekmask, holidays=np.array(days, dtype="datetime64[D]"))
        self.cutoff = dt.time.fromisoformat(doc["cutoff"]) if doc.get("cutoff") else None
        self.payment = doc["payment_window_hours"] * HOUR
        self.remorse = doc["remorse_window_hours"] * HOUR
        self.ship_days = doc["ship_by"]["working_days"]
        self.ship_from_paid = doc["ship_by"]["from"] == "paid"
        self.grace = doc["delivery_grace_days"]
        self.request = doc["cancel_request_response_hours"] * HOUR
        self.auto_approve = doc["no_response_outcome"] == "approve"
        self.return_days = doc["return_window_days"]

    def local_date(self, t):
        return dt.datetime.fromtimestamp(t, self.zone).date()

    def day0(self, t):
        local = dt.datetime.fromtimestamp(t, self.zone)
        d = local.date()
        if self.cutoff is not None and local.time() >= self.cutoff:
            d += dt.timedelta(days=1)
        return d

    @functools.lru_cache(maxsize=None)
    def end_of_day(self, d):
        """The first instant of the next local date."""
        nxt = d + dt.timedelta(days=1)
        return int(dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=self.zone).timestamp())


def facts(o, now):
    """One pass over the order's events in time order: what happened, and when."""
    f = {
        "market": o["market"], "placed": instant(o["placed_at"]), "cod": o.get("payment_method") == "cod",
        "total": o["total_minor"], "est": dt.date.fromisoformat(o["promise"]["est_delivery"]),
        "paid_at": None, "paid": 0, "refunded": 0, "packed": None, "shipped": None, "delivered": None,
        "lost": None, "cancelled": None, "completed": None, "request": None, "request_closed": None,
        "returns": [],
    }
    events = sorted(((instant(e["at"]), e) for e in o.get("events", [])), key=lambda p: p[0])
    ret = None
    for at, e in events:
        if at > now:
            break
        kind = e["type"]
        if kind == "payment_succeeded":
            f["paid"] += e.get("amount_minor", f["total"])
            if f["paid_at"] is None:
                f["paid_at"] = at
        elif kind == "refunded":
            f["refunded"] = min(f["paid"], f["refunded"] + e["amount_minor"])
            if ret in ("approved", "shipped", "received"):
                ret = "refunded"
                f["returns"].append((at, ret))
        elif kind == "ready_to_ship":
            f["packed"] = f["packed"] or at
        elif kind in ("shipped", "delivered"):
            f[kind] = f[kind] or at
            if f["request"] is not None and f["request_closed"] is None:
                f["request_closed"] = at
        elif kind == "lost":
            f["lost"] = f["lost"] or at
        elif kind in ("cancelled", "cancel_request_approved"):
            if f["cancelled"] is None:
                f["cancelled"] = (at, e.get("reason") if kind == "cancelled" else "buyer_request_approved")
            if f["request"] is not None and f["request_closed"] is None:
                f["request_closed"] = at
        elif kind == "cancel_requested":
            f["request"], f["request_closed"] = at, None
        elif kind in ("cancel_request_rejected", "cancel_request_withdrawn"):
            if f["request"] is not None and f["request_closed"] is None:
                f["request_closed"] = at
        elif kind == "completed":
            f["completed"] = f["completed"] or at
        elif kind == "return_requested":
            ret = "requested"
            f["returns"].append((at, ret))
        elif kind in ("return_approved", "return_rejected") and ret == "requested":
            ret = kind[7:]
            f["returns"].append((at, ret))
        elif kind == "return_shipped" and ret == "approved":
            ret = "shipped"
            f["returns"].append((at, ret))
        elif kind == "return_received" and ret in ("approved", "shipped"):
            ret = "received"
            f["returns"].append((at, ret))
    return f


def return_open_before(returns, t):
    stage = None
    for at, s in returns:
        if at >= t:
            break
        stage = s
    return stage in OPEN_RETURN


def decide(f, ship_due, pol, now):
    confirmed = f["placed"] if f["cod"] else f["paid_at"]
    # Candidate cancellations: (at, rank, reason, automatic). Rank orders actions due at
    # the same instant: auto-cancels first (in the policy's order), then an
    # auto-approval, then a recorded cancellation.
    cands = []
    if not f["cod"]:
        due = f["placed"] + pol.payment
        if due <= now and (f["paid_at"] is None or f["paid_at"] >= due):
            cands.append((due, 0, "payment_timeout", True))
    if confirmed is not None and ship_due <= now:
        out = min(t for t in (f["shipped"], f["delivered"], float("inf")) if t is not None)
        if out >= ship_due:
            cands.append((ship_due, 1, "seller_late_ship", True))
    if f["shipped"] is not None:
        due = pol.end_of_day(f["est"] + dt.timedelta(days=pol.grace))
        if (due <= now and f["shipped"] < due and (f["delivered"] is None or f["delivered"] >= due)
                and (f["lost"] is None or f["lost"] >= due)):
            cands.append((due, 2, "seller_late_delivery", True))
    if f["lost"] is not None and (f["delivered"] is None or f["delivered"] >= f["lost"]):
        cands.append((f["lost"], 3, "lost_in_transit", True))
    if f["request"] is not None and pol.auto_approve:
        due = f["request"] + pol.request
        if due <= now and (f["request_closed"] is None or f["request_closed"] >= due):
            cands.append((due, 4, "buyer_request_approved", False))
    if f["cancelled"] is not None:
        cands.append((f["cancelled"][0], 5, f["cancelled"][1], False))
    if f["completed"] is not None:  # nothing cancels a completed order
        cands = [c for c in cands if c[0] <= f["completed"]]
    cancel = min(cands) if cands else None

    if f["cancelled"] is not None:
        status = "CANCELLED"
    elif f["completed"] is not None:
        status = "COMPLETED"
    elif f["delivered"] is not None:
        status = "DELIVERED"
    elif f["shipped"] is not None:
        status = "IN_TRANSIT"
    elif f["packed"] is not None:
        status = "AWAITING_COLLECTION"
    elif confirmed is not None:
        status = "ON_HOLD" if now < confirmed + pol.remorse else "AWAITING_SHIPMENT"
    else:
        status = "UNPAID"

    effective = status
    if cancel is not None:
        effective = "CANCELLED"
    elif status == "DELIVERED":
        window = pol.end_of_day(pol.local_date(f["delivered"]) + dt.timedelta(days=pol.return_days))
        if window <= now and not (return_open_before(f["returns"], window) and return_open_before(f["returns"], now + 1)):
            effective = "COMPLETED"

    refund = 0
    if cancel is not None:
        refund = max(0, f["paid"] - f["refunded"])
    if cancel is not None and cancel[1] <= 3:
        return status, effective, cancel[2], fmt(cancel[0]), refund
    return status, effective, "-", "-", refund


def main():
    path, now_text, policy_dir = sys.argv[1:4]
    now = instant(now_text)
    policies = {}
    for name in os.listdir(policy_dir):
        if name.endswith(".json"):
            with open(os.path.join(policy_dir, name), encoding="utf-8") as fh:
                doc = json.load(fh)
            policies[doc["market"]] = Policy(doc)
    out = sys.stdout
    with open(path, "rb") as fh:
        line_no = 0
        while True:
            chunk = []
            for raw in fh:
                chunk.append(raw)
                if len(chunk) == CHUNK:
                    break
            if not chunk:
                break
            orders = [json.loads(raw) for raw in chunk]
            fs = [facts(o, now) for o in orders]
            # Ship-by: N working days after day 0, on arrays, per market.
            ship = [0] * len(fs)
            for market, pol in policies.items():
                idx = [i for i, f in enumerate(fs) if f["market"] == market]
                if not idx:
                    continue
                day0 = np.array(
                    [pol.day0(fs[i]["paid_at"] if pol.ship_from_paid and fs[i]["paid_at"] else fs[i]["placed"]) for i in idx],
                    dtype="datetime64[D]")
                last = np.busday_offset(day0, pol.ship_days, roll="backward", busdaycal=pol.calendar)
                for i, d in zip(idx, last.tolist()):
                    ship[i] = pol.end_of_day(d)
            rows = []
            for o, f, s in zip(orders, fs, ship):
                line_no += 1
                st, eff, reason, at, refund = decide(f, s, policies[f["market"]], now)
                rows.append(f"{line_no}\t{o['order_id']}\t{st}\t{eff}\t{reason}\t{at}\t{refund}\n")
            out.write("".join(rows))


if __name__ == "__main__":
    main()

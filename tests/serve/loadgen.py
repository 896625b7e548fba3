"""The load of tests/serve/load_test.py and crash_test.py.

K orders (copies of two sample orders with new ids, over ten sellers), then
M commands from N client threads, each command with a unique `id` and a
unique Idempotency-Key, mixing commands the state allows and ones it refuses;
some are retried with the same key (the answer must be the stored one,
`Idempotent-Replayed: true`), some with a new key (the same `id`: an allowed
one is then 200 "already recorded"). A few "ticks" move the manual clock one
two hours forward and sweep, concurrently with the commands.

What every command got is kept by its `id`, so the checks afterwards can
tell, for each stored event, whether it was acknowledged (2xx), refused
(409 only) or unknown (the connection broke before an answer: only the crash
test has those).
"""

import calendar
import http.client
import json
import random
import re
import subprocess
import threading
import time

from servelib import CLOCK, dumps, sample

SELLERS = ["S-%02d" % i for i in range(10)]
BUYER_TOKENS = 40  # buyer tokens for the first orders (token create is a process each)


def add_hours(instant, hours):
    t = time.strptime(instant, "%Y-%m-%dT%H:%M:%SZ")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(t) + 3600 * hours))


def make_orders(k, prefix="LD"):
    """K order documents (compact JSON bytes) by id, and each one's kind."""
    paid = sample("us_late_ship.json")  # AWAITING_SHIPMENT at the clock
    unpaid = sample("us_unpaid.json")  # UNPAID at the clock
    orders, kinds = {}, {}
    for i in range(k):
        kind = "paid" if i % 3 else "unpaid"
        doc = json.loads(json.dumps(paid if kind == "paid" else unpaid))
        oid = "%s-%05d" % (prefix, i)
        doc["order_id"] = oid
        doc["seller_id"] = SELLERS[i % len(SELLERS)]
        doc["buyer_id"] = "B-%05d" % i
        orders[oid] = dumps(doc)
        kinds[oid] = kind
    return orders, kinds


# (party, command) templates; the party picks the token. Some are allowed in
# some states only, some never (a buyer's cancel after the remorse hour, a
# return before delivery), so the run mixes 201, 200 and 409.
PAID_COMMANDS = [
    ("seller", {"type": "ready_to_ship"}),
    ("seller", {"type": "shipped", "carrier": "UPS", "tracking_number": "1Z999AA10123456784"}),
    ("carrier", {"type": "delivered"}),
    ("carrier", {"type": "shipped", "carrier": "UPS", "tracking_number": "1Z999AA10123456785"}),
    ("seller", {"type": "cancelled", "reason": "out_of_stock"}),
    ("seller", {"type": "cancel_request_approved"}),
    ("seller", {"type": "cancel_request_rejected"}),
    ("buyer", {"type": "cancel_requested", "reason": "changed_mind"}),
    ("buyer", {"type": "cancelled", "reason": "changed_mind"}),
    ("buyer", {"type": "return_requested", "reason": "changed_mind"}),
    ("platform", {"type": "completed"}),
    ("operator", {"type": "cancelled", "reason": "risk_control"}),
]
UNPAID_COMMANDS = [
    ("platform", {"type": "payment_succeeded", "amount_minor": 2598}),
    ("buyer", {"type": "cancelled", "reason": "changed_mind"}),
    ("seller", {"type": "cancelled", "reason": "out_of_stock"}),
    ("seller", {"type": "ready_to_ship"}),
    ("platform", {"type": "payment_failed", "reason": "card_declined"}),
]


class Outcome:
    __slots__ = ("oid", "body", "token", "answers", "unknown")

    def __init__(self, oid, body, token):
        self.oid = oid
        self.body = body
        self.token = token
        self.answers = []  # (status, replayed, body)
        self.unknown = []  # the keys of the attempts that got no answer


class Load:
    def __init__(self, svc, orders, kinds, tokens, run="r0", seed=16):
        self.svc = svc
        self.orders = orders
        self.kinds = kinds
        self.tokens = tokens  # {"agent": t, "seller": {S: t}, "buyer": {oid: t}}
        self.run = run
        self.rng = random.Random(seed)
        self.outcomes = {}  # command id -> Outcome
        self.errors = []  # contract violations seen during the run
        self.latencies = []
        self.lock = threading.Lock()
        self.clock_lock = threading.Lock()
        self.clock = CLOCK
        self.clock_attempted = CLOCK
        # Two hours a tick: 24 ticks run past the unpaid orders' payment
        # deadline (2025-03-05T18:00:00Z) and the 24 h of a cancel request.
        self.clock_step_hours = 2
        self.stop = threading.Event()
        # A new connection per request instead of kept-alive ones.
        self.fresh_connections = False
        self.counts = {}

    # -- building the commands --

    def plan(self, m, ticks):
        oids = sorted(self.orders)
        items = []
        for n in range(m):
            oid = self.rng.choice(oids)
            pool = PAID_COMMANDS if self.kinds[oid] == "paid" else UNPAID_COMMANDS
            if oid not in self.tokens["buyer"]:
                pool = [p for p in pool if p[0] != "buyer"]
            party, cmd = self.rng.choice(pool)
            cmd = dict(cmd)
            cid = "%s-c%06d" % (self.run, n)
            cmd["id"] = cid
            if party in ("buyer", "seller"):
                token = self.tokens[party] if party == "buyer" else self.tokens["seller"]
                token = token[oid] if party == "buyer" else token[json.loads(self.orders[oid])["seller_id"]]
                if self.rng.random() < 0.5:
                    cmd["by"] = party  # else the token's party
            else:
                token = self.tokens["agent"]
                cmd["by"] = party
            r = self.rng.random()
            retry = "same_key" if r < 0.08 else ("new_key" if r < 0.12 else None)
            items.append(("cmd", oid, cid, dumps(cmd), token, "%s-k%06d" % (self.run, n), retry))
        if ticks:
            step = max(1, m // (ticks + 1))
            for t in range(ticks, 0, -1):
                items.insert(t * step, ("tick",))
        return items

    # -- running --

    def _send(self, conn_box, method, path, body, headers):
        """One request, reconnecting once when a kept-alive connection was
        closed. Returns a Response, or None when there is no answer."""
        for attempt in range(3):
            if self.stop.is_set() and attempt > 0:
                return None
            if conn_box[0] is None or self.fresh_connections:
                if conn_box[0] is not None:
                    conn_box[0].close()
                conn_box[0] = self.svc.connect(timeout=120)
            t0 = time.monotonic()
            try:
                r = self.svc.request(method, path, body=body, headers=headers, conn=conn_box[0])
                r.latency = time.monotonic() - t0
                if r.header("Connection") == "close":
                    conn_box[0].close()
                    conn_box[0] = None
                return r
            except (OSError, http.client.HTTPException):
                conn_box[0].close()
                conn_box[0] = None
                if self.stop.is_set():
                    return None
                time.sleep(0.05 * (attempt + 1))
        return None

    def post(self, conn_box, oid, cid, body, token, key):
        """POST a command; records what it got under its id."""
        with self.lock:
            oc = self.outcomes.get(cid)
            if oc is None:
                oc = self.outcomes[cid] = Outcome(oid, body, token)
        headers = {"Authorization": "Bearer " + token, "Idempotency-Key": key}
        r = self._send(conn_box, "POST", "/v1/orders/%s/events" % oid, body, headers)
        if r is None:
            with self.lock:
                oc.unknown.append(key)
            return None
        replayed = r.header("Idempotent-Replayed") == "true"
        dec = None
        if r.status in (200, 201, 409):
            try:
                dec = json.loads(r.body)
            except ValueError:
                self.error("POST %s %s: not JSON: %r" % (oid, cid, r.body[:200]))
            if dec is not None and dec.get("schema") != "ordertrail.decision/1":
                self.error("POST %s %s: %d not a decision: %r" % (oid, cid, r.status, r.body[:300]))
                dec = None
            if dec is not None:
                if r.status == 201 and not (dec.get("allowed") and not dec.get("already_recorded")):
                    self.error("POST %s %s: 201 with %r" % (oid, cid, r.body[:300]))
                if r.status == 200 and not (dec.get("allowed") and dec.get("already_recorded")):
                    self.error("POST %s %s: 200 with %r" % (oid, cid, r.body[:300]))
                if r.status == 409 and dec.get("allowed") is not False:
                    self.error("POST %s %s: 409 with %r" % (oid, cid, r.body[:300]))
                if r.status == 201 and dec.get("event", {}).get("id") != cid:
                    self.error("POST %s %s: the event's id is %r" % (oid, cid, dec.get("event")))
        else:
            self.error("POST %s %s: unexpected HTTP %d: %r" % (oid, cid, r.status, r.body[:300]))
        with self.lock:
            oc.answers.append((r.status, replayed, r.body))
            self.latencies.append(r.latency)
            k = "%d%s" % (r.status, " replayed" if replayed else "")
            self.counts[k] = self.counts.get(k, 0) + 1
        return r

    def error(self, msg):
        with self.lock:
            self.errors.append(msg)
            if len(self.errors) <= 20:
                print("  LOAD ERROR", msg)

    def tick(self, conn_box):
        with self.clock_lock:
            nxt = add_hours(self.clock, self.clock_step_hours)
            self.clock_attempted = nxt
            h = {"Authorization": "Bearer " + self.tokens["agent"]}
            r = self._send(conn_box, "PUT", "/v1/clock", dumps({"now": nxt}), h)
            if r is None:
                return
            if r.status != 200:
                self.error("PUT /v1/clock %s: %d %r" % (nxt, r.status, r.body[:300]))
                return
            self.clock = nxt
            r = self._send(conn_box, "POST", "/v1/sweep", None, h)
            if r is not None and (r.status != 200 or json.loads(r.body).get("now") != nxt):
                self.error("POST /v1/sweep at %s: %d %r" % (nxt, r.status, r.body[:300]))

    def run_items(self, items, clients):
        it = iter(items)
        it_lock = threading.Lock()
        later = []  # new-key retries, sent after a while

        def client():
            conn_box = [None]
            while not self.stop.is_set():
                with it_lock:
                    item = next(it, None)
                    if item is None and later:
                        item = later.pop(0)
                if item is None:
                    break
                if item[0] == "tick":
                    self.tick(conn_box)
                    continue
                if item[0] == "again":
                    _, oid, cid, body, token, key, first = item
                    r = self.post(conn_box, oid, cid, body, token, key)
                    if r is not None and first == 201 and r.status != 200:
                        self.error("%s: allowed, then the same id with a new key gave %d, not 200 already "
                                   "recorded: %r" % (cid, r.status, r.body[:300]))
                    continue
                _, oid, cid, body, token, key, retry = item
                r = self.post(conn_box, oid, cid, body, token, key)
                if r is None or retry is None:
                    continue
                if retry == "same_key":
                    r2 = self.post(conn_box, oid, cid, body, token, key)
                    if r2 is not None and (r2.status != r.status or r2.body != r.body or
                                           r2.header("Idempotent-Replayed") != "true"):
                        self.error("%s: the retry with the same key got %d %r (replayed %r), the first %d %r" %
                                   (cid, r2.status, r2.body[:200], r2.header("Idempotent-Replayed"), r.status,
                                    r.body[:200]))
                else:
                    with it_lock:
                        later.append(("again", oid, cid, body, token, key + "-again", r.status))
            if conn_box[0] is not None:
                conn_box[0].close()

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        return threads, t0

    # -- putting the orders --

    def put_orders(self, clients):
        oids = sorted(self.orders)
        it = iter(oids)
        lock = threading.Lock()

        def client():
            conn_box = [None]
            while True:
                with lock:
                    oid = next(it, None)
                if oid is None:
                    break
                h = {"Authorization": "Bearer " + self.tokens["agent"]}
                r = self._send(conn_box, "PUT", "/v1/orders/" + oid, self.orders[oid], h)
                if r is None or r.status not in (200, 201):
                    self.error("PUT %s: %r" % (oid, r))
            if conn_box[0] is not None:
                conn_box[0].close()

        ts = [threading.Thread(target=client) for _ in range(clients)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()


def make_tokens(svc, orders):
    tokens = {"agent": svc.token("--agent"), "seller": {}, "buyer": {}}
    for s in SELLERS:
        tokens["seller"][s] = svc.token("--seller", s)
    for oid in sorted(orders)[:BUYER_TOKENS]:
        tokens["buyer"][oid] = svc.token("--buyer", oid)
    return tokens


def percentile(xs, p):
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def resolve_unknown(load, stored_ids):
    """After a restart: send every command that got no answer again, with
    its key. Stored (by id) -> the answer must be the replay of a 2xx; not
    stored -> anything but the replay of a 2xx. Returns the problems."""
    problems = []
    conn_box = [None]
    for cid, oc in sorted(load.outcomes.items()):
        keys, oc.unknown = oc.unknown, []
        for key in keys:
            h = {"Authorization": "Bearer " + oc.token, "Idempotency-Key": key}
            r = load._send(conn_box, "POST", "/v1/orders/%s/events" % oc.oid, oc.body, h)
            if r is None:
                problems.append("%s: no answer after the restart" % cid)
                oc.unknown.append(key)
                continue
            replayed = r.header("Idempotent-Replayed") == "true"
            stored = stored_ids.get(cid, 0)
            if stored and not oc.answers and not (replayed and r.status in (200, 201)):
                problems.append("%s: stored before the kill, but not its key: the retry got %d (replayed %s) %r" %
                                (cid, r.status, replayed, r.body[:200]))
            if not stored and replayed and r.status in (200, 201):
                problems.append("%s: its key replays %d but the event is not stored" % (cid, r.status))
            oc.answers.append((r.status, replayed, r.body))
            if r.status not in (200, 201, 409):
                problems.append("%s: %d after the restart: %r" % (cid, r.status, r.body[:200]))
                oc.unknown.append(key)
    if conn_box[0] is not None:
        conn_box[0].close()
    return problems


EVAL_PREFIX = re.compile(rb'\{"line":\d+,"evaluation":')


def cli_evaluations(cli, docs, now):
    """The CLI's evaluation of every document at `now`, by `ordertrail sweep
    --full` (one process for all): {order_id: bytes}, each the exact
    `status --json` output (checked on the first)."""
    lines = []
    for d in docs:
        if b"\n" in d:
            d = dumps(json.loads(d))
        lines.append(d)
    p = subprocess.run([cli, "sweep", "-", "--now", now, "--full", "--threads", "2", "--no-progress"],
                       input=b"\n".join(lines) + b"\n", capture_output=True, timeout=1200)
    assert p.returncode == 0, "ordertrail sweep: exit %d: %s" % (p.returncode, p.stderr[-1000:])
    out = {}
    for line in p.stdout.splitlines():
        m = EVAL_PREFIX.match(line)
        assert m and line.endswith(b"}"), line[:200]
        ev = line[m.end():-1]
        out[json.loads(ev)["order_id"]] = ev
    if docs:
        first = subprocess.run([cli, "status", "-", "--now", now, "--json"], input=docs[0], capture_output=True)
        oid = json.loads(docs[0])["order_id"]
        assert first.stdout.rstrip(b"\n") == out[oid], "sweep --full and status --json differ"
    return out


def verify(load, cli, crashed=False):
    """The checks after a run: each acknowledged command stored exactly once,
    no refused one stored, no event stored twice, every stored evaluation the
    CLI's. Returns (problems, stored_ids)."""
    svc = load.svc
    problems = list(load.errors)
    h = {"Authorization": "Bearer " + load.tokens["agent"]}
    r = svc.request("GET", "/v1/clock", headers=h)
    if r.status != 200:
        return problems + ["GET /v1/clock: %r" % r], {}
    now = json.loads(r.body)["now"]
    docs, stored_ids = {}, {}
    conn_box = [None]
    # The checks open a connection per request: on a kept-alive connection
    # each answer of the service waits about 40 ms (bench/RESULTS.md).
    keep, load.fresh_connections = load.fresh_connections, True
    for oid in sorted(load.orders):
        r = load._send(conn_box, "GET", "/v1/orders/" + oid, None, h)
        if r is None or r.status != 200:
            problems.append("GET %s: %r" % (oid, r))
            continue
        docs[oid] = r.body
        for e in json.loads(r.body)["events"]:
            if "id" in e:
                stored_ids[e["id"]] = stored_ids.get(e["id"], 0) + 1
        ids = [e.get("id") for e in json.loads(r.body)["events"] if e.get("id")]
        if len(ids) != len(set(ids)):
            problems.append("%s: an event id stored twice: %r" % (oid, ids))
    acked = refused = unknown = 0
    for cid, oc in load.outcomes.items():
        statuses = {a[0] for a in oc.answers}
        n = stored_ids.get(cid, 0)
        if statuses & {200, 201}:
            acked += 1
            if n != 1:
                problems.append("%s on %s: acknowledged (%s) but stored %d times" % (cid, oc.oid, sorted(statuses), n))
        elif oc.unknown:
            unknown += 1
            if n > 1:
                problems.append("%s: stored %d times" % (cid, n))
        elif statuses == {409}:
            refused += 1
            if n != 0:
                problems.append("%s on %s: refused (409) but stored" % (cid, oc.oid))
        elif n:
            problems.append("%s: answered %s but stored" % (cid, sorted(statuses)))
    phantom = [cid for cid in stored_ids if cid not in load.outcomes and re.match(r"r\d+-c\d+$", cid)]
    if phantom:
        problems.append("stored events no command sent: %r" % phantom[:10])
    # Every stored evaluation (GET evaluation?now=clock) is the CLI's.
    want = cli_evaluations(cli, list(docs.values()), now)
    bad = 0
    for oid in sorted(docs):
        r = load._send(conn_box, "GET", "/v1/orders/%s/evaluation?now=%s" % (oid, now), None, h)
        if r is None or r.status != 200 or r.body.rstrip(b"\n") != want.get(oid):
            bad += 1
            if bad <= 5:
                problems.append("%s: the stored evaluation at %s differs from the CLI's: %r" %
                                (oid, now, r.body[:300] if r else None))
    if bad > 5:
        problems.append("... %d orders' evaluations differ in all" % bad)
    if conn_box[0] is not None:
        conn_box[0].close()
    load.fresh_connections = keep
    print("verify: %d orders, %d commands: %d acknowledged, %d refused, %d unknown; %d events with ids stored; "
          "clock %s" % (len(docs), len(load.outcomes), acked, refused, unknown, len(stored_ids), now))
    return problems, stored_ids


def report(name, problems, tmp, keep):
    """Prints the problems (at most 50), keeps the files when asked or failed; the exit status."""
    import shutil
    for pr in problems[:50]:
        print("FAILED", pr)
    if len(problems) > 50:
        print("... %d problems in all" % len(problems))
    if keep or problems:
        print("files kept in", tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s: %s" % (name, "FAILED" if problems else "ok"))
    return 1 if problems else 0

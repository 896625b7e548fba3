#!/usr/bin/python3
"""Crash run of ordertrail-serve (issue 16): SIGKILL under load, restart.

    crash_test.py ORDERTRAIL_SERVE ORDERTRAIL [--clients 8] [--orders 100]
                  [--kills 3] [--commands 12000] [--seed 16] [--keep]

Puts the orders, then, KILLS times: runs load (loadgen.py, with clock ticks
and sweeps) and SIGKILLs the service in the middle of it (0.5 to 2 s in),
checks the database with PRAGMA integrity_check while nothing runs,
restarts the service on the same database, sends every command that got no
answer again with its Idempotency-Key (a command whose event was stored
must replay its 2xx; one not stored must not), and checks that every
acknowledged command is stored exactly once, no refused one is stored, and
every stored evaluation is the CLI's. A last clean stop and integrity check
end the run.
"""

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loadgen import Load, make_orders, make_tokens, report, resolve_unknown, verify  # noqa: E402
from servelib import Service, arg_paths  # noqa: E402


def integrity(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def main():
    serve_bin, cli_bin, rest = arg_paths(sys.argv)
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--orders", type=int, default=100)
    ap.add_argument("--commands", type=int, default=12000,
                    help="per round: enough that even a fast build is still sending at the kill (at most 2 s in)")
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(rest)
    rng = random.Random(args.seed)

    tmp = tempfile.mkdtemp(prefix="ordertrail-crash-")
    db = os.path.join(tmp, "crash.db")
    svc = Service(serve_bin, db).start()
    problems = []
    orders, kinds = make_orders(args.orders, prefix="CR")
    tokens = make_tokens(svc, orders)
    load = Load(svc, orders, kinds, tokens, run="r0", seed=args.seed)
    load.put_orders(args.clients)
    try:
        for round_ in range(args.kills):
            load.run = "r%d" % round_
            load.stop.clear()
            items = load.plan(args.commands, args.commands // 50)  # a tick every 50 commands
            threads, t0 = load.run_items(items, args.clients)
            delay = rng.uniform(0.5, 2.0)
            while time.monotonic() - t0 < delay and any(t.is_alive() for t in threads):
                time.sleep(0.01)
            finished = not any(t.is_alive() for t in threads)
            load.stop.set()
            svc.kill9()
            for t in threads:
                t.join(timeout=120)
            answered = sum(len(o.answers) for o in load.outcomes.values())
            unknown = sum(len(o.unknown) for o in load.outcomes.values())
            print("round %d: SIGKILL after %.2f s%s: %d answers so far, %d requests without one" %
                  (round_, time.monotonic() - t0, " (the load had ended: raise --commands)" if finished else "",
                   answered, unknown))
            if finished:
                problems.append("round %d: the load ended before the kill" % round_)
            ic = integrity(db)
            if ic != "ok":
                problems.append("round %d: PRAGMA integrity_check after SIGKILL: %s" % (round_, ic))
            # Restart at the latest instant the clock was (or was being) set to.
            svc.clock = load.clock_attempted
            svc.start()
            load.clock = load.clock_attempted
            p, stored = verify(load, cli_bin, crashed=True)
            problems += ["round %d: %s" % (round_, x) for x in p]
            load.errors = []
            p = resolve_unknown(load, stored)
            problems += ["round %d, resending: %s" % (round_, x) for x in p]
            p, _ = verify(load, cli_bin, crashed=True)
            problems += ["round %d, after resending: %s" % (round_, x) for x in p]
            load.errors = []
    finally:
        svc.stop()
    ic = integrity(db)
    if ic != "ok":
        problems.append("PRAGMA integrity_check at the end: %s" % ic)
    if svc.sanitizer_reports():
        problems.append("sanitizer reports in the service's stderr: %r" % svc.sanitizer_reports()[:5])
    return report("crash test", problems, tmp, args.keep)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Bounded load run of ordertrail-serve (issue 16).

    load_test.py ORDERTRAIL_SERVE ORDERTRAIL [--clients 32] [--commands 20000]
                 [--orders 2000] [--ticks 24] [--seed 16] [--keep]

Starts the service (manual clock 2025-03-04T12:00:00Z, no scheduler loop)
on a temporary database, puts K orders, then sends M commands from N client
threads (see loadgen.py: allowed and refused ones, unique ids and
Idempotency-Keys, some retried with the same key or the same id; a few
clock ticks with a sweep in between). Then checks that every acknowledged
(2xx) command is stored exactly once, no refused one is stored, and every
order's stored evaluation (GET evaluation?now=clock) is the CLI's on the
stored document, and prints throughput and p50/p99 latency.

The defaults are the benchmark of bench/RESULTS.md; ctest runs it small.
"""

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loadgen import Load, make_orders, make_tokens, report, percentile, verify  # noqa: E402
from servelib import Service, arg_paths  # noqa: E402


def main():
    serve_bin, cli_bin, rest = arg_paths(sys.argv)
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--commands", type=int, default=20000)
    ap.add_argument("--orders", type=int, default=2000)
    ap.add_argument("--ticks", type=int, default=24)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--fresh-connections", action="store_true",
                    help="a new connection per request (default: each client keeps its connection alive)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(rest)

    tmp = tempfile.mkdtemp(prefix="ordertrail-load-")
    db = os.path.join(tmp, "load.db")
    svc = Service(serve_bin, db).start()
    problems = []
    try:
        orders, kinds = make_orders(args.orders)
        t0 = time.monotonic()
        tokens = make_tokens(svc, orders)
        print("tokens: %d in %.1f s" % (1 + len(tokens["seller"]) + len(tokens["buyer"]), time.monotonic() - t0))
        load = Load(svc, orders, kinds, tokens, run="r0", seed=args.seed)
        load.fresh_connections = args.fresh_connections
        t0 = time.monotonic()
        load.put_orders(args.clients)
        print("put %d orders in %.2f s" % (len(orders), time.monotonic() - t0))
        items = load.plan(args.commands, args.ticks)
        threads, t0 = load.run_items(items, args.clients)
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        lat = load.latencies
        n = len(lat)
        print("load (%s): %d clients, %d commands (%d requests with retries) on %d orders, %d clock ticks: %.2f s, "
              "%.0f requests/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" %
              ("a connection per request" if args.fresh_connections else "kept-alive connections",
               args.clients, args.commands, n, args.orders, args.ticks, wall, n / wall,
               1000 * percentile(lat, 50), 1000 * percentile(lat, 99), 1000 * max(lat) if lat else 0))
        print("answers:", ", ".join("%s: %d" % kv for kv in sorted(load.counts.items())))
        if not any(k.startswith("201") for k in load.counts) or not any(k.startswith("409") for k in load.counts):
            problems.append("the run did not mix allowed (201) and refused (409) commands: %r" % load.counts)
        if not any(k.endswith("replayed") for k in load.counts):
            problems.append("no answer was replayed: %r" % load.counts)
        t1 = time.monotonic()
        p, _ = verify(load, cli_bin)
        problems += p
        print("verify: %.1f s" % (time.monotonic() - t1))
        if svc.proc.poll() is not None:
            problems.append("the service exited with %d" % svc.proc.returncode)
    finally:
        svc.stop()
    if svc.sanitizer_reports():
        problems.append("sanitizer reports in the service's stderr: %r" % svc.sanitizer_reports()[:5])
    con = sqlite3.connect(db)
    ic = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    if ic != "ok":
        problems.append("PRAGMA integrity_check: %s" % ic)
    return report("load test", problems, tmp, args.keep)


if __name__ == "__main__":
    sys.exit(main())

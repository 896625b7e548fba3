#!/usr/bin/python3
"""Checks the core's calendar against independent oracles (SPEC section 2).

    /usr/bin/python3 busday_oracle.py PROBE POLICIES_DIR [--seed N] [--cases N]

For every market policy file in POLICIES_DIR (the shipped, embedded ones):

- add:      seeded-random (day0, N) cases; the core's add_working_days must
            equal numpy.busday_offset(day0, N, roll='backward', weekmask,
            holidays), with weekmask and holidays read from the JSON file.
            Plus a sweep of every date with N = 1 and N = 7.
- start:    every date of 2020..2030; the core's start_of_day (from the POSIX
            rule) must equal local midnight in zoneinfo's IANA zone, or, when
            that midnight does not exist, the first instant that does.
- day0:     random instants and instants around every DST transition; the
            core's day0 must equal the zoneinfo local date (next date at or
            after the policy's cutoff, when it has one).
- holidays: the embedded holiday dates must equal the file's.

All questions go to one probe process through stdin. Exit 0 when everything
agrees, 1 on any mismatch (the first 20 are listed), 2 on a setup error.
Needs Debian's python3-numpy and tzdata (run with /usr/bin/python3).
"""

import argparse
import datetime as dt
import json
import pathlib
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

try:
    import numpy as np
except ImportError:
    print("busday oracle: numpy is missing; run with /usr/bin/python3 (Debian python3-numpy)", file=sys.stderr)
    sys.exit(2)

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # numpy weekmask order
FIRST_DAY0 = dt.date(2020, 1, 1)
LAST_DAY0 = dt.date(2030, 10, 31)
START_YEARS = range(2020, 2031)  # the years the shipped holidays cover (SPEC 2, 3)
MAX_N = 30
SHOWN_MISMATCHES = 20
UTC = dt.timezone.utc


def load_policy(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    holidays = [h if isinstance(h, str) else h["date"] for h in doc["holidays"]]
    weekmask = "".join("0" if d in doc["weekend"] else "1" for d in WEEKDAYS)
    cutoff = None
    if doc.get("cutoff"):
        hh, mm = doc["cutoff"].split(":")
        cutoff = dt.time(int(hh), int(mm))
    return {
        "market": doc["market"],
        "zone": ZoneInfo(doc["time_zone"]),
        "weekmask": weekmask,
        "holidays": holidays,
        "np_holidays": np.array(holidays, dtype="datetime64[D]"),
        "cutoff": cutoff,
    }


def rfc3339(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def start_of_day(date, zone):
    """First instant of local `date`: local midnight, the earlier one when it
    occurs twice, the first existing instant when it does not exist."""
    candidates = []
    for fold in (0, 1):
        t = dt.datetime(date.year, date.month, date.day, tzinfo=zone, fold=fold).astimezone(UTC)
        local = t.astimezone(zone)
        if (local.date(), local.time()) == (date, dt.time(0)):
            candidates.append(t)
    if candidates:
        return min(candidates)
    # Midnight falls in a gap. With fold=0 zoneinfo maps a gap time with the
    # offset in force before the transition, which lands on the transition.
    t = dt.datetime(date.year, date.month, date.day, tzinfo=zone).astimezone(UTC)
    before = (t - dt.timedelta(seconds=1)).astimezone(zone).date()
    if t.astimezone(zone).date() != date or before >= date:
        raise RuntimeError(f"cannot find the start of {date} in {zone}")
    return t


def expected_day0(t, pol):
    local = t.astimezone(pol["zone"])
    day = local.date()
    if pol["cutoff"] is not None and local.time() >= pol["cutoff"]:
        day += dt.timedelta(days=1)
    return day


def transitions(zone, years):
    """UTC instants where the zone's offset changes, found hour by hour and
    refined to the second."""
    found = []
    t = dt.datetime(years.start, 1, 1, tzinfo=UTC)
    end = dt.datetime(years.stop, 1, 1, tzinfo=UTC)
    step = dt.timedelta(hours=1)
    prev = t.astimezone(zone).utcoffset()
    while t < end:
        nxt = t + step
        off = nxt.astimezone(zone).utcoffset()
        if off != prev:
            lo, hi = t, nxt
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(zone).utcoffset() == prev:
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
            prev = off
        t = nxt
    return found


def build_cases(policies, rng, cases_per_market):
    """(probe line, expected answer, label) triples."""
    cases = []
    span = (LAST_DAY0 - FIRST_DAY0).days
    for pol in policies:
        m = pol["market"]

        def add_case(day0, n):
            want = np.busday_offset(np.datetime64(day0.isoformat()), n, roll="backward",
                                    weekmask=pol["weekmask"], holidays=pol["np_holidays"])
            cases.append((f"add {m} {day0.isoformat()} {n}", str(want), "add"))

        for _ in range(cases_per_market):
            add_case(FIRST_DAY0 + dt.timedelta(days=rng.randint(0, span)), rng.randint(1, MAX_N))
        for i in range(span + 1):
            for n in (1, 7):
                add_case(FIRST_DAY0 + dt.timedelta(days=i), n)

        day = dt.date(START_YEARS.start, 1, 1)
        while day.year < START_YEARS.stop:
            cases.append((f"start {m} {day.isoformat()}",
                          rfc3339(start_of_day(day, pol["zone"])), "start"))
            day += dt.timedelta(days=1)

        instants = []
        lo = dt.datetime(START_YEARS.start, 1, 1, tzinfo=UTC).timestamp()
        hi = dt.datetime(START_YEARS.stop, 1, 1, tzinfo=UTC).timestamp()
        for _ in range(2000):
            instants.append(dt.datetime.fromtimestamp(rng.randint(int(lo), int(hi)), UTC))
        for tr in transitions(pol["zone"], START_YEARS):
            for delta in (-3601, -3600, -1, 0, 1, 3599, 3600):
                instants.append(tr + dt.timedelta(seconds=delta))
        for t in instants:
            cases.append((f"day0 {m} {rfc3339(t)}", expected_day0(t, pol).isoformat(), "day0"))

        cases.append((f"holidays {m}", " ".join(pol["holidays"]), "holidays"))
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("probe")
    ap.add_argument("policies_dir")
    ap.add_argument("--seed", type=int, default=20250303)
    ap.add_argument("--cases", type=int, default=10000, help="random add cases per market")
    args = ap.parse_args()

    files = sorted(pathlib.Path(args.policies_dir).glob("*.json"))
    if not files:
        print(f"busday oracle: no policy files in {args.policies_dir}", file=sys.stderr)
        return 2
    policies = [load_policy(f) for f in files]
    cases = build_cases(policies, random.Random(args.seed), args.cases)

    stdin = "".join(line + "\n" for line, _, _ in cases)
    proc = subprocess.run([args.probe], input=stdin, capture_output=True, text=True)
    answers = proc.stdout.splitlines()
    if proc.returncode != 0 or len(answers) != len(cases):
        print(f"busday oracle: probe exited {proc.returncode} after {len(answers)} of "
              f"{len(cases)} answers\n{proc.stderr}", file=sys.stderr)
        return 2

    mismatches = [(line, want, got) for (line, want, _), got in zip(cases, answers) if got != want]
    kinds = {}
    for _, _, kind in cases:
        kinds[kind] = kinds.get(kind, 0) + 1
    for line, want, got in mismatches[:SHOWN_MISMATCHES]:
        if line.startswith("holidays"):
            w, g = set(want.split()), set(got.split())
            print(f"MISMATCH {line}: only in file: {sorted(w - g)}; only in core: {sorted(g - w)}")
        else:
            print(f"MISMATCH {line}: core {got}, oracle {want}")
    if len(mismatches) > SHOWN_MISMATCHES:
        print(f"... and {len(mismatches) - SHOWN_MISMATCHES} more")
    breakdown = ", ".join(f"{k} {v}" for k, v in kinds.items())
    print(f"busday oracle: {len(cases)} cases, {len(mismatches)} mismatches "
          f"({breakdown}; markets {' '.join(p['market'] for p in policies)}; seed {args.seed})")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

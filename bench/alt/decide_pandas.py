#!/usr/bin/python3
"""What a competent pandas user writes instead of ordertrail: `read_json` in
chunks, the events exploded into one frame, first/last instants per type with
`groupby`, and every rule as a vectorised column expression
(`numpy.busday_offset` with the policy's weekend and holidays; time zones with
`tz_convert` / `tz_localize`).

    /usr/bin/python3 bench/alt/decide_pandas.py ORDERS.ndjson NOW POLICY_DIR > decisions.tsv

Same output and the same rules as decide.py (see there).
(Run with Debian's /usr/bin/python3: pandas comes from python3-pandas.)
"""
import json
import os
import sys

import numpy as np
import pandas as pd

CHUNK = 100_000
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
INF = np.inf
CLOSES_REQUEST = ["cancel_request_approved", "cancel_request_rejected", "cancel_request_withdrawn",
                  "shipped", "delivered", "cancelled"]
RETURN_STAGE = {"return_requested": "requested", "return_approved": "approved", "return_rejected": "rejected",
                "return_shipped": "shipped", "return_received": "received"}
OPEN = ["requested", "approved", "shipped", "received"]


def load_policies(folder):
    policies = {}
    for name in os.listdir(folder):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                doc = json.load(fh)
            days = [h["date"] if isinstance(h, dict) else h for h in doc["holidays"]]
            doc["calendar"] = np.busdaycalendar(weekmask=[0 if d in doc["weekend"] else 1 for d in WEEKDAYS],
                                                holidays=np.array(days, dtype="datetime64[D]"))
            policies[doc["market"]] = doc
    return policies


def seconds(series):
    """Datetimes (tz-aware, NaT allowed) as float seconds (NaN when missing)."""
    out = series.astype("int64").astype("float64") / 1e9
    out[series.isna().to_numpy()] = np.nan
    return out


def end_of_day(dates, zone):
    """First instant (seconds) of the local date after each date (datetime64[D])."""
    nxt = pd.DatetimeIndex(dates + np.timedelta64(1, "D"))
    return nxt.tz_localize(zone).tz_convert("UTC").asi8 / 1e9


def local_dates(secs, zone):
    return pd.to_datetime(secs, unit="s", utc=True).tz_convert(zone).tz_localize(None).normalize().values.astype(
        "datetime64[D]")


def decide(chunk, policies, now):
    n = len(chunk)
    idx = chunk.index
    placed = seconds(pd.to_datetime(chunk["placed_at"], utc=True)).to_numpy()
    cod = (chunk["payment_method"] == "cod").to_numpy()
    total = chunk["total_minor"].astype("int64")
    est = pd.to_datetime(chunk["promise"].str.get("est_delivery")).values.astype("datetime64[D]")

    ev = chunk["events"].explode().dropna()
    ev = pd.DataFrame(ev.tolist(), index=ev.index)
    ev["t"] = seconds(pd.to_datetime(ev["at"], utc=True)).to_numpy()
    ev = ev[ev["t"] <= now]
    ev["pos"] = np.arange(len(ev))
    ev = ev.rename_axis("o").sort_values(["o", "t", "pos"], kind="stable")
    if "amount_minor" not in ev:
        ev["amount_minor"] = np.nan
    if "reason" not in ev:
        ev["reason"] = None

    first = ev.groupby([ev.index, "type"])["t"].min().unstack().reindex(idx)

    def col(kind):
        return first[kind].to_numpy() if kind in first else np.full(n, np.nan)

    pay = ev[ev["type"] == "payment_succeeded"]
    paid = pay["amount_minor"].fillna(total.reindex(pay.index)).groupby(level=0).sum().reindex(idx, fill_value=0)
    refunded = ev.loc[ev["type"] == "refunded", "amount_minor"].groupby(level=0).sum().reindex(idx, fill_value=0)
    remaining = (paid - np.minimum(refunded, paid)).to_numpy().astype("int64")
    paid_at, packed, shipped = col("payment_succeeded"), col("ready_to_ship"), col("shipped")
    delivered, lost, completed = col("delivered"), col("lost"), col("completed")

    rec = ev[ev["type"].isin(["cancelled", "cancel_request_approved"])].groupby(level=0).first().reindex(idx)
    rec_at = rec["t"].to_numpy()
    rec_reason = np.where(rec["type"] == "cancel_request_approved", "buyer_request_approved", rec["reason"])

    request = ev.loc[ev["type"] == "cancel_requested", "t"].groupby(level=0).max().reindex(idx)
    closers = ev[ev["type"].isin(CLOSES_REQUEST)]
    closers = closers[closers["t"] >= request.reindex(closers.index).to_numpy()]
    closed = closers["t"].groupby(level=0).min().reindex(idx).to_numpy()
    request = request.to_numpy()

    # Return stage before an instant: the last return event (a refund after an approval closes it).
    ret = ev[ev["type"].isin(list(RETURN_STAGE))].copy()
    ret["stage"] = ret["type"].map(RETURN_STAGE)
    approved_at = ret.loc[ret["stage"] == "approved", "t"].groupby(level=0).min()
    ref = ev[ev["type"] == "refunded"]
    ref = ref[ref["t"] > approved_at.reindex(ref.index).fillna(INF).to_numpy()].assign(stage="refunded")
    ret = pd.concat([ret, ref]).sort_values(["o", "t", "pos"], kind="stable")

    def open_before(limit):
        before = ret[ret["t"].to_numpy() < pd.Series(limit, index=idx).reindex(ret.index).to_numpy()]
        last = before.groupby(level=0)["stage"].last().reindex(idx)
        return last.isin(OPEN).to_numpy()

    # Calendar: ship-by, delivery and return-window deadlines per market.
    ship_due = np.full(n, np.nan)
    delivery_due = np.full(n, np.nan)
    window = np.full(n, np.nan)
    remorse = np.zeros(n)
    payment_due = np.zeros(n)
    request_due = np.full(n, INF)
    markets = chunk["market"].to_numpy()
    for market, pol in policies.items():
        m = markets == market
        if not m.any():
            continue
        zone = pol["time_zone"]
        start = np.where(pol["ship_by"]["from"] == "paid", np.where(np.isnan(paid_at[m]), placed[m], paid_at[m]), placed[m])
        day0 = local_dates(start, zone)
        if pol.get("cutoff"):
            local = pd.to_datetime(start, unit="s", utc=True).tz_convert(zone)
            late = (local.strftime("%H:%M") >= pol["cutoff"]).to_numpy()
            day0 = day0 + late.astype("timedelta64[D]")
        last = np.busday_offset(day0, pol["ship_by"]["working_days"], roll="backward", busdaycal=pol["calendar"])
        ship_due[m] = end_of_day(last, zone)
        delivery_due[m] = end_of_day(est[m] + np.timedelta64(pol["delivery_grace_days"], "D"), zone)
        d = delivered[m]
        has = ~np.isnan(d)
        w = np.full(m.sum(), np.nan)
        if has.any():
            w[has] = end_of_day(local_dates(d[has], zone) + np.timedelta64(pol["return_window_days"], "D"), zone)
        window[m] = w
        remorse[m] = pol["remorse_window_hours"] * 3600
        payment_due[m] = placed[m] + pol["payment_window_hours"] * 3600
        if pol["no_response_outcome"] == "approve":
            request_due[m] = request[m] + pol["cancel_request_response_hours"] * 3600

    confirmed = np.where(cod, placed, paid_at)
    out = np.fmin(shipped, delivered)
    nan_inf = lambda a: np.where(np.isnan(a), INF, a)  # noqa: E731
    # Candidate cancellations, in rank order (same instant: the first column wins).
    cands = np.column_stack([
        np.where(~cod & (payment_due <= now) & (nan_inf(paid_at) >= payment_due), payment_due, INF),
        np.where(~np.isnan(confirmed) & (ship_due <= now) & (nan_inf(out) >= ship_due), ship_due, INF),
        np.where(~np.isnan(shipped) & (delivery_due <= now) & (shipped < delivery_due) & (nan_inf(delivered) >= delivery_due)
                 & (nan_inf(lost) >= delivery_due), delivery_due, INF),
        np.where(~np.isnan(lost) & (nan_inf(delivered) >= lost), lost, INF),
        np.where((request_due <= now) & (nan_inf(closed) >= request_due), request_due, INF),
        nan_inf(rec_at),
    ])
    cands[cands > nan_inf(completed)[:, None]] = INF  # nothing cancels a completed order
    which = cands.argmin(axis=1)
    cancel_at = cands[np.arange(n), which]
    cancelled = cancel_at < INF
    automatic = cancelled & (which <= 3)

    status = np.select(
        [~np.isnan(rec_at), ~np.isnan(completed), ~np.isnan(delivered), ~np.isnan(shipped), ~np.isnan(packed),
         ~np.isnan(confirmed) & (now < confirmed + remorse), ~np.isnan(confirmed)],
        ["CANCELLED", "COMPLETED", "DELIVERED", "IN_TRANSIT", "AWAITING_COLLECTION", "ON_HOLD", "AWAITING_SHIPMENT"],
        "UNPAID")
    completes = (status == "DELIVERED") & (window <= now) & ~(open_before(window) & open_before(np.full(n, now + 1)))
    effective = np.where(cancelled, "CANCELLED", np.where(completes, "COMPLETED", status))

    reasons = np.array(["payment_timeout", "seller_late_ship", "seller_late_delivery", "lost_in_transit"])
    reason = np.where(automatic, reasons[np.minimum(which, 3)], "-")
    at_text = pd.Series(pd.to_datetime(np.where(automatic, cancel_at, 0), unit="s").strftime("%Y-%m-%dT%H:%M:%SZ"))
    at_text[~automatic] = "-"
    return pd.DataFrame({
        "order_id": chunk["order_id"].to_numpy(), "status": status, "effective": effective, "reason": reason,
        "at": at_text.to_numpy(), "refund": np.where(cancelled, remaining, 0),
    }, index=idx + 1)


def main():
    path, now_text, policy_dir = sys.argv[1:4]
    now = pd.Timestamp(now_text).timestamp()
    policies = load_policies(policy_dir)
    with pd.read_json(path, lines=True, chunksize=CHUNK, dtype=False, convert_dates=False) as reader:
        for chunk in reader:
            decide(chunk, policies, now).to_csv(sys.stdout, sep="\t", header=False, lineterminator="\n")


if __name__ == "__main__":
    main()

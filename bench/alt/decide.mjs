// What a competent Node.js user writes instead of ordertrail: JSON.parse per
// line, and the calendar logic in JS (Intl for the market's time zone, a
// working-day loop over the policy's weekend and holidays).
//
//   node bench/alt/decide.mjs ORDERS.ndjson NOW POLICY_DIR > decisions.tsv
//
// Writes one line per order, tab-separated:
//   line order_id status effective_status auto_cancel_reason auto_cancel_at refund_due_minor
// with the same rules as decide.py (see there): status from the recorded
// events; payment, ship-by, delivery and lost-parcel auto-cancellations and
// the auto-approval of an unanswered cancellation request in time order;
// auto-completion after the return window; the automatic refund.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const HOUR = 3600_000;
const DAY = 86400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']; // Date#getUTCDay order
const OPEN_RETURN = new Set(['requested', 'approved', 'shipped', 'received']);

// Civil dates are day numbers (days since 1970-01-01).
const dayOf = (text) => Date.parse(`${text}T00:00:00Z`) / DAY;
const isoInstant = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

class Policy {
  constructor(doc) {
    this.zone = doc.time_zone;
    this.weekend = new Set(doc.weekend.map((d) => WEEKDAYS.indexOf(d)));
    this.holidays = new Set(doc.holidays.map((h) => dayOf(typeof h === 'string' ? h : h.date)));
    this.cutoff = doc.cutoff ? Number(doc.cutoff.slice(0, 2)) * 60 + Number(doc.cutoff.slice(3)) : null;
    this.payment = doc.payment_window_hours * HOUR;
    this.remorse = doc.remorse_window_hours * HOUR;
    this.shipDays = doc.ship_by.working_days;
    this.shipFromPaid = doc.ship_by.from === 'paid';
    this.grace = doc.delivery_grace_days;
    this.request = doc.cancel_request_response_hours * HOUR;
    this.autoApprove = doc.no_response_outcome === 'approve';
    this.returnDays = doc.return_window_days;
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: this.zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    this.offsets = new Map(); // UTC hour -> offset in ms (these zones change offset on whole hours)
    this.ends = new Map();
    this.shipBy = new Map();
  }

  offset(ms) {
    const hour = Math.floor(ms / HOUR);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const p = {};
      for (const { type, value } of this.fmt.formatToParts(new Date(hour * HOUR))) p[type] = Number(value);
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - hour * HOUR;
      this.offsets.set(hour, off);
    }
    return off;
  }

  localDay(ms) {
    return Math.floor((ms + this.offset(ms)) / DAY);
  }

  day0(ms) {
    const local = ms + this.offset(ms);
    const day = Math.floor(local / DAY);
    return this.cutoff !== null && (local - day * DAY) / 60_000 >= this.cutoff ? day + 1 : day;
  }

  // The first instant of the local date after `day`.
  endOfDay(day) {
    let end = this.ends.get(day);
    if (end === undefined) {
      const midnight = (day + 1) * DAY;
      end = midnight - this.offset(midnight - this.offset(midnight));
      this.ends.set(day, end);
    }
    return end;
  }

  working(day) {
    return !this.weekend.has((day + 4) % 7) && !this.holidays.has(day); // 1970-01-01 was a Thursday
  }

  // The Nth working day strictly after day 0 (numpy.busday_offset(day0, n, roll='backward')).
  shipByDue(day0) {
    let due = this.shipBy.get(day0);
    if (due === undefined) {
      let d = day0;
      for (let n = this.shipDays; n > 0;) if (this.working(++d)) --n;
      due = this.endOfDay(d);
      this.shipBy.set(day0, due);
    }
    return due;
  }
}

function facts(o, now) {
  const f = {
    placed: Date.parse(o.placed_at), cod: o.payment_method === 'cod', est: dayOf(o.promise.est_delivery),
    paidAt: null, paid: 0, refunded: 0, packed: null, shipped: null, delivered: null, lost: null,
    cancelled: null, completed: null, request: null, requestClosed: null, returns: [],
  };
  const events = (o.events ?? []).map((e) => ({ at: Date.parse(e.at), e })).sort((a, b) => a.at - b.at);
  let ret = null;
  const stage = (at, s) => {
    ret = s;
    f.returns.push([at, s]);
  };
  const closeRequest = (at) => {
    if (f.request !== null && f.requestClosed === null) f.requestClosed = at;
  };
  for (const { at, e } of events) {
    if (at > now) break;
    switch (e.type) {
      case 'payment_succeeded':
        f.paid += e.amount_minor ?? o.total_minor;
        if (f.paidAt === null) f.paidAt = at;
        break;
      case 'refunded':
        f.refunded = Math.min(f.paid, f.refunded + e.amount_minor);
        if (ret === 'approved' || ret === 'shipped' || ret === 'received') stage(at, 'refunded');
        break;
      case 'ready_to_ship': f.packed ??= at; break;
      case 'shipped': f.shipped ??= at; closeRequest(at); break;
      case 'delivered': f.delivered ??= at; closeRequest(at); break;
      case 'lost': f.lost ??= at; break;
      case 'cancelled':
      case 'cancel_request_approved':
        f.cancelled ??= { at, reason: e.type === 'cancelled' ? e.reason : 'buyer_request_approved' };
        closeRequest(at);
        break;
      case 'cancel_requested': f.request = at; f.requestClosed = null; break;
      case 'cancel_request_rejected':
      case 'cancel_request_withdrawn': closeRequest(at); break;
      case 'completed': f.completed ??= at; break;
      case 'return_requested': stage(at, 'requested'); break;
      case 'return_approved': if (ret === 'requested') stage(at, 'approved'); break;
      case 'return_rejected': if (ret === 'requested') stage(at, 'rejected'); break;
      case 'return_shipped': if (ret === 'approved') stage(at, 'shipped'); break;
      case 'return_received': if (ret === 'approved' || ret === 'shipped') stage(at, 'received'); break;
      default: break;
    }
  }
  return f;
}

function returnOpenBefore(returns, t) {
  let s = null;
  for (const [at, st] of returns) {
    if (at >= t) break;
    s = st;
  }
  return OPEN_RETURN.has(s);
}

function decide(f, pol, now) {
  const confirmed = f.cod ? f.placed : f.paidAt;
  const cands = []; // [at, rank, reason, automatic]: same rules and ranks as decide.py
  if (!f.cod) {
    const due = f.placed + pol.payment;
    if (due <= now && (f.paidAt === null || f.paidAt >= due)) cands.push([due, 0, 'payment_timeout', true]);
  }
  if (confirmed !== null) {
    const due = pol.shipByDue(pol.day0(pol.shipFromPaid && f.paidAt !== null ? f.paidAt : f.placed));
    const out = Math.min(f.shipped ?? Infinity, f.delivered ?? Infinity);
    if (due <= now && out >= due) cands.push([due, 1, 'seller_late_ship', true]);
  }
  if (f.shipped !== null) {
    const due = pol.endOfDay(f.est + pol.grace);
    if (due <= now && f.shipped < due && (f.delivered ?? Infinity) >= due && (f.lost ?? Infinity) >= due)
      cands.push([due, 2, 'seller_late_delivery', true]);
  }
  if (f.lost !== null && (f.delivered ?? Infinity) >= f.lost) cands.push([f.lost, 3, 'lost_in_transit', true]);
  if (f.request !== null && pol.autoApprove) {
    const due = f.request + pol.request;
    if (due <= now && (f.requestClosed ?? Infinity) >= due) cands.push([due, 4, 'buyer_request_approved', false]);
  }
  if (f.cancelled !== null) cands.push([f.cancelled.at, 5, f.cancelled.reason, false]);
  let cancel = null;
  for (const c of cands) {
    if (f.completed !== null && c[0] > f.completed) continue; // nothing cancels a completed order
    if (cancel === null || c[0] < cancel[0] || (c[0] === cancel[0] && c[1] < cancel[1])) cancel = c;
  }

  let status;
  if (f.cancelled !== null) status = 'CANCELLED';
  else if (f.completed !== null) status = 'COMPLETED';
  else if (f.delivered !== null) status = 'DELIVERED';
  else if (f.shipped !== null) status = 'IN_TRANSIT';
  else if (f.packed !== null) status = 'AWAITING_COLLECTION';
  else if (confirmed !== null) status = now < confirmed + pol.remorse ? 'ON_HOLD' : 'AWAITING_SHIPMENT';
  else status = 'UNPAID';

  let effective = status;
  if (cancel !== null) effective = 'CANCELLED';
  else if (status === 'DELIVERED') {
    const window = pol.endOfDay(pol.localDay(f.delivered) + pol.returnDays);
    if (window <= now && !(returnOpenBefore(f.returns, window) && returnOpenBefore(f.returns, now + 1))) effective = 'COMPLETED';
  }
  const refund = cancel !== null ? Math.max(0, f.paid - f.refunded) : 0;
  if (cancel !== null && cancel[3]) return [status, effective, cancel[2], isoInstant(cancel[0]), refund];
  return [status, effective, '-', '-', refund];
}

const [file, nowText, policyDir] = process.argv.slice(2);
const now = Date.parse(nowText);
const policies = new Map();
for (const name of fs.readdirSync(policyDir)) {
  if (!name.endsWith('.json')) continue;
  const doc = JSON.parse(fs.readFileSync(path.join(policyDir, name), 'utf8'));
  policies.set(doc.market, new Policy(doc));
}

const out = fs.createWriteStream(null, { fd: 1 });
let rows = [];
let line = 0;
for await (const text of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
  const o = JSON.parse(text);
  const pol = policies.get(o.market);
  const [status, effective, reason, at, refund] = decide(facts(o, now), pol, now);
  rows.push(`${++line}\t${o.order_id}\t${status}\t${effective}\t${reason}\t${at}\t${refund}\n`);
  if (rows.length === 4096) {
    if (!out.write(rows.join(''))) await new Promise((r) => out.once('drain', r));
    rows = [];
  }
}
out.end(rows.join(''));

// A seeded generator of realistic (and sometimes broken) order histories, for
// the native/WebAssembly parity check. The same seed gives the same cases.
//
// Each case is `{order, now, policy}`: the order document as JSON text, `now`
// as RFC 3339 text and the policy as JSON text ("" = the embedded policy of
// the order's market). The mix covers every status, payment failures,
// cash on delivery, direct and requested cancellations by every party,
// shipments late and on time, failed delivery attempts, lost parcels, revised
// estimates, returns in every state, refunds (partial, full, too large),
// completion, duplicates, shuffled and tied events, untrusted text, custom
// policies (other weekends, cutoffs, time zones) and malformed documents.

const DAY = 86400_000;
const HOUR = 3600_000;
const MINUTE = 60_000;

const MARKETS = { US: 'USD', GB: 'GBP', ID: 'IDR' };

// Instants near which the calendar is interesting: DST changes, holidays,
// year ends, local midnights.
const ANCHORS = [
  '2025-03-09T09:30:00Z', '2025-11-02T08:30:00Z', '2026-03-08T10:00:00Z', '2026-11-01T09:00:00Z',
  '2025-03-30T00:30:00Z', '2025-10-26T00:30:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z',
  '2025-07-03T22:00:00Z', '2025-12-24T16:59:59Z', '2025-12-31T23:59:59Z', '2026-12-31T16:00:00Z',
  '2025-11-26T20:00:00Z', '2025-03-28T16:59:59Z', '2025-03-31T17:00:00Z', '2026-05-25T07:00:00Z',
].map((s) => Date.parse(s));

const UNTRUSTED = [
  '<img src=x onerror=alert(1)>', 'Kaos Polos \u{1F455} ukuran XL', 'caf\u00e9 cr\u00e8me', '\u202eevil\u202c',
  'line\nbreak', 'tab\there', 'bell\u0007', 'sep\u2028arator\u2029', '"quoted" \\ back', '\u0000nul',
  '\u0645\u062a\u062c\u0631', '\u{1F600}\u{1F680}', 'del\u007f',
];

const BUYER_REASONS = ['changed_mind', 'wrong_item_selected', 'duplicate_order', 'better_price_elsewhere'];
const SELLER_REASONS = ['out_of_stock', 'pricing_error', 'cannot_ship_to_address', 'buyer_requested_off_platform'];
const PLATFORM_REASONS = ['payment_failed', 'account_issue', 'risk_control', 'address_undeliverable', 'delivery_restricted'];
const EVENT_TYPES = [
  'payment_succeeded', 'payment_failed', 'cancelled', 'cancel_requested', 'cancel_request_withdrawn',
  'cancel_request_approved', 'cancel_request_rejected', 'ready_to_ship', 'shipped', 'delivery_attempt_failed',
  'delivered', 'lost', 'edd_revised', 'return_requested', 'return_approved', 'return_rejected', 'return_shipped',
  'return_received', 'refunded', 'completed',
];

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  chance(p) {
    return this.next() < p;
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(a) {
    return a[Math.floor(this.next() * a.length)];
  }
  // A duration skewed toward short ones: most events follow soon, some late.
  span(typicalMs, maxMs) {
    const u = this.next();
    return Math.min(maxMs, Math.floor(-Math.log(1 - u * 0.999) * typicalMs));
  }
  shuffle(a) {
    for (let i = a.length - 1; i > 0; --i) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// RFC 3339 text of `ms`: usually `Z` to the second; sometimes with a
// fraction, or in another offset (the same instant).
function rfc3339(ms, r) {
  const style = r.next();
  if (style < 0.8) return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  if (style < 0.9) return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, f) => `.${f}${r.int(0, 9)}Z`);
  const offsetMin = r.pick([420, -300, 330, 0, -480, 60, 840, -720]);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMin * MINUTE);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local.toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

function makeItems(r) {
  const n = r.pick([0, 1, 1, 1, 2, 2, 3]);
  const items = [];
  for (let i = 0; i < n; ++i) {
    const item = {
      sku: `SKU-${r.int(100, 999)}-${i}`,
      name: r.chance(0.15) ? r.pick(UNTRUSTED) : `Item ${i + 1}`,
      qty: r.pick([1, 1, 1, 2, 3]),
      unit_price_minor: r.pick([0, 199, 999, 1500, 2599, 45000, 1250000]),
    };
    if (r.chance(0.15)) item.returnable = false;
    else if (r.chance(0.2)) item.returnable = true;
    items.push(item);
  }
  return items;
}

// Builds one coherent history, then lets noise break it.
function makeHistory(r, o, placed, items) {
  const events = [];
  const add = (type, at, extra = {}) => {
    const e = { type, at, ...extra };
    events.push(e);
    return e;
  };
  const cod = o.payment_method === 'cod';
  let t = placed;
  let paid = 0;

  if (!cod) {
    if (r.chance(0.15)) {
      t += r.span(20 * MINUTE, 30 * HOUR);
      add('payment_failed', t, { reason: r.pick(['card_declined', 'insufficient_funds', 'expired_card']) });
    }
    if (!r.chance(0.85)) {
      if (r.chance(0.3)) {
        t += r.span(3 * HOUR, 60 * HOUR);
        add('cancelled', t, { by: r.pick(['buyer', 'buyer', 'seller', 'platform']), reason: r.pick([...BUYER_REASONS, 'payment_failed']) });
      }
      return { events, paid, end: t };
    }
    t += r.chance(0.93) ? r.span(10 * MINUTE, 47 * HOUR) : r.int(47, 60) * HOUR;
    const e = add('payment_succeeded', t);
    paid = o.total_minor;
    if (r.chance(0.4)) e.amount_minor = o.total_minor;
    else if (r.chance(0.05)) paid = e.amount_minor = Math.floor(o.total_minor / 2);
  }

  const refund = (at, amount) => add('refunded', at, { amount_minor: amount, reason: r.pick(['order_cancelled', 'return', 'goodwill']) });
  const path = r.next();
  if (path < 0.08) {
    // The buyer cancels, usually during the remorse window.
    t += r.chance(0.8) ? r.span(15 * MINUTE, 59 * MINUTE) : r.span(5 * HOUR, 5 * DAY);
    add('cancelled', t, { by: 'buyer', reason: r.pick(BUYER_REASONS) });
    if (paid && r.chance(0.6)) refund(t + r.span(HOUR, 3 * DAY), r.chance(0.85) ? paid : Math.floor(paid / 3));
  } else if (path < 0.17) {
    // The seller or the platform cancels before shipping.
    t += r.span(20 * HOUR, 9 * DAY);
    const by = r.pick(['seller', 'seller', 'platform', 'operator']);
    add('cancelled', t, { by, reason: r.pick(by === 'seller' ? SELLER_REASONS : [...PLATFORM_REASONS, ...SELLER_REASONS]) });
    if (paid && r.chance(0.6)) refund(t + r.span(HOUR, 3 * DAY), r.chance(0.8) ? paid : paid + 100);
  } else if (path < 0.33) {
    // A cancellation request and what became of it.
    t += HOUR + r.span(12 * HOUR, 6 * DAY);
    add('cancel_requested', t, { by: 'buyer', reason: r.pick(BUYER_REASONS) });
    const outcome = r.pick(['approved', 'approved', 'rejected', 'withdrawn', 'pending', 'shipped', 'twice']);
    t += r.chance(0.85) ? r.span(10 * HOUR, 47 * HOUR) : r.int(48, 96) * HOUR;
    if (outcome === 'approved') {
      add('cancel_request_approved', t, { by: r.pick(['seller', 'seller', 'platform']) });
      if (paid && r.chance(0.5)) refund(t + r.span(HOUR, 2 * DAY), paid);
    } else if (outcome === 'rejected') {
      add('cancel_request_rejected', t, { by: 'seller', reason: r.pick(['already_packed', 'custom_item']) });
    } else if (outcome === 'withdrawn') {
      add('cancel_request_withdrawn', t, { by: 'buyer' });
    } else if (outcome === 'shipped') {
      add('shipped', t, { carrier: 'UPS', tracking_number: `1Z${r.int(100000, 999999)}` });
    } else if (outcome === 'twice') {
      add('cancel_requested', t, { by: 'buyer', reason: 'changed_mind' });
    }
  } else if (path < 0.93) {
    // Fulfilment.
    if (r.chance(0.5)) {
      t += r.span(18 * HOUR, 8 * DAY);
      add('ready_to_ship', t, { by: 'seller' });
    }
    if (r.chance(0.1)) return { events, paid, end: t };
    t += r.chance(0.85) ? r.span(30 * HOUR, 8 * DAY) : r.int(9, 14) * DAY;
    const shipped = { carrier: r.pick(['UPS', 'Royal Mail', 'JNE', 'SiCepat']) };
    if (r.chance(0.9)) shipped.tracking_number = `TRK${r.int(1e6, 9e6)}`;
    add('shipped', t, shipped);
    if (r.chance(0.12)) {
      t += r.span(2 * DAY, 8 * DAY);
      add('delivery_attempt_failed', t, { reason: r.pick(['no_one_home', 'address_incomplete']) });
    }
    if (r.chance(0.1)) add('edd_revised', t + HOUR, { est_delivery: isoDate(t + r.int(3, 20) * DAY) });
    const fate = r.next();
    if (fate < 0.05) {
      t += r.span(5 * DAY, 20 * DAY);
      add('lost', t, { by: 'carrier' });
      if (paid && r.chance(0.5)) refund(t + r.span(HOUR, 5 * DAY), paid);
      return { events, paid, end: t };
    }
    if (fate < 0.17) return { events, paid, end: t };
    t += r.chance(0.9) ? r.span(3 * DAY, 15 * DAY) : r.int(30, 50) * DAY;
    add('delivered', t, { by: 'carrier' });
    if (r.chance(0.3)) {
      t += r.chance(0.85) ? r.span(4 * DAY, 29 * DAY) : r.int(29, 40) * DAY;
      const req = { by: 'buyer', reason: r.pick(['damaged', 'not_as_described', 'changed_mind']) };
      if (items.length && r.chance(0.5)) {
        req.items = items.slice(0, r.int(1, items.length)).map((it) => (r.chance(0.5) ? it.sku : { sku: it.sku, qty: 1 }));
      }
      add('return_requested', t, req);
      const answer = r.pick(['approved', 'approved', 'rejected', 'none']);
      t += r.chance(0.85) ? r.span(10 * HOUR, 47 * HOUR) : r.int(48, 80) * HOUR;
      if (answer === 'rejected') {
        add('return_rejected', t, { by: 'seller', reason: 'used_item' });
      } else if (answer === 'approved') {
        add('return_approved', t, { by: 'seller' });
        if (r.chance(0.7)) {
          t += r.span(2 * DAY, 7 * DAY);
          add('return_shipped', t, { tracking_number: `RET${r.int(1e5, 9e5)}` });
          if (r.chance(0.7)) {
            t += r.span(2 * DAY, 7 * DAY);
            add('return_received', t, { by: 'seller' });
            if (paid && r.chance(0.7)) refund(t + r.span(HOUR, 3 * DAY), r.pick([paid, Math.floor(paid / 2), paid + 1]));
          }
        }
      }
    }
    if (r.chance(0.15)) {
      t += r.span(30 * DAY, 40 * DAY);
      add('completed', t, { by: 'platform' });
      if (r.chance(0.2)) add('return_requested', t + r.span(DAY, 3 * DAY), { by: 'buyer', reason: 'late' });
    }
  }
  return { events, paid, end: t };
}

// An event that makes no sense where it lands (the core must report it, not fail).
function strayEvent(r, placed, end) {
  const type = r.pick(EVENT_TYPES);
  const e = { type, at: placed + r.int(0, Math.max(1, end - placed + 10 * DAY)) };
  if (type === 'cancelled') Object.assign(e, { by: r.pick(['buyer', 'seller', 'carrier']), reason: r.pick([...BUYER_REASONS, ...SELLER_REASONS, 'lost_in_transit']) });
  if (type === 'refunded') e.amount_minor = r.pick([1, 500, 99999999]);
  if (type === 'edd_revised') e.est_delivery = isoDate(e.at + 5 * DAY);
  if (type === 'cancel_requested') e.by = 'buyer';
  return e;
}

// A custom policy derived from an embedded one.
function customPolicy(r, base) {
  const p = structuredClone(base);
  const knobs = r.int(1, 4);
  for (let k = 0; k < knobs; ++k) {
    switch (r.int(0, 9)) {
      case 0: p.weekend = r.pick([['Fri', 'Sat'], ['Sun'], ['Sat'], []]); break;
      case 1: p.cutoff = r.pick(['14:00', '00:30', '23:59', null]); break;
      case 2: p.ship_by = { working_days: r.int(1, 10), from: r.pick(['placed', 'paid']), satisfied_by: r.pick(['shipped', 'ready_to_ship']) }; break;
      case 3: p.no_response_outcome = 'reject'; break;
      case 4: p.buyer_can_request_cancel = false; break;
      case 5:
        Object.assign(p, r.pick([
          { time_zone: 'America/New_York', tz_rule: 'EST5EDT,M3.2.0,M11.1.0' },
          { time_zone: 'Australia/Sydney', tz_rule: 'AEST-10AEDT,M10.1.0,M4.1.0/3' },
          { time_zone: 'Asia/Kolkata', tz_rule: 'IST-5:30' },
          { time_zone: 'UTC', tz_rule: 'UTC0' },
        ]));
        break;
      case 6: {
        // A holiday on a DST day (and on days the market would not skip).
        const dates = new Set(p.holidays.map((h) => (typeof h === 'string' ? h : h.date)));
        for (const d of ['2025-03-09', '2025-03-30', '2026-03-08', '2025-11-02', '2025-10-26']) {
          if (!dates.has(d)) p.holidays.push(r.chance(0.5) ? d : { date: d, name: 'Synthetic' });
        }
        p.holidays.sort((a, b) => ((typeof a === 'string' ? a : a.date) < (typeof b === 'string' ? b : b.date) ? -1 : 1));
        break;
      }
      case 7:
        Object.assign(p, { payment_window_hours: r.pick([1, 24, 72]), remorse_window_hours: r.pick([0, 2, 24]), cancel_request_response_hours: r.pick([24, 72]) });
        break;
      case 8:
        Object.assign(p, { delivery_grace_days: r.pick([0, 10, 45]), not_received_claim_after_days: r.pick([0, 3, 14]), return_window_days: r.pick([0, 7, 14, 60]), return_response_hours: r.pick([24, 96]) });
        break;
      default: p.version = `test.${r.int(1, 99)}`; delete p.notes; break;
    }
  }
  return p;
}

// Breaks a valid order in one of the ways the core must reject.
function malform(r, o, placed) {
  o.events ??= [];
  const kind = r.int(0, 11);
  switch (kind) {
    case 0: delete o[r.pick(['order_id', 'market', 'seller_id', 'currency', 'total_minor', 'placed_at'])]; break;
    case 1: o.total_minor = r.pick(['100', -5, 1.5, null, 2 ** 60]); break;
    case 2: if (o.events.length) o.events[r.int(0, o.events.length - 1)].at = r.pick(['2025-02-30T00:00:00Z', 'yesterday', '2025-03-05T24:00:00Z', '2025-03-05T10:00:60Z', '2025-03-05 10:00:00Z', '2025-03-05T10:00:00+15:00']); else o.placed_at = 'soon'; break;
    case 3: o.events.push({ type: r.pick(['teleported', 'Shipped', '']), at: o.placed_at }); break;
    case 4: o.events.push({ type: 'cancelled', at: o.placed_at, by: 'buyer', reason: r.pick(['because', 'lost_in_transit ']) }); break;
    case 5: o.events.push({ type: 'cancelled', at: o.placed_at, reason: 'changed_mind' }); break;
    case 6: o.market = r.pick(['XX', 'us', '']); break;
    case 7: o.items = [{ sku: 'A', qty: 0, unit_price_minor: 1 }]; break;
    case 8: o.events.push({ type: 'refunded', at: o.placed_at }); break;
    case 9: o.order_id = r.pick(['', 'x'.repeat(65)]); break;
    case 10: o.promise = { est_delivery: r.pick(['2025-13-01', '03/05/2025']), transit_days: [5, 3] }; break;
    default: o.events.push({ type: 'shipped', at: `${isoDate(placed)}T10:00:00Z \u00f1\u00f1\u00f1\u00f1\u00f1\u00f1\u00f1\u00f1\u00f1\u00f1\u00f1` }); break;
  }
  return kind;
}

// Text-level breakage that no object can express.
function breakText(r, text) {
  switch (r.int(0, 3)) {
    case 0: return text.slice(0, r.int(0, text.length - 1));
    case 1: return text.replace('{"order_id":', '{"order_id":"dup","order_id":');
    case 2: return `${'['.repeat(40)}${text}${']'.repeat(40)}`;
    default: return `${text} trailing`;
  }
}

// `count` cases from `seed`; `policies` maps markets to their embedded policy
// documents (objects), used to derive custom policies.
export function generateCases(count, seed, policies) {
  const r = new Random(seed);
  const markets = Object.keys(MARKETS).filter((m) => policies[m]);
  const cases = [];
  for (let i = 0; i < count; ++i) {
    const market = r.pick(markets);
    const placed = r.chance(0.15)
      ? r.pick(ANCHORS) + r.int(-6 * HOUR, 6 * HOUR)
      : Date.parse('2025-01-01T00:00:00Z') + r.int(0, 1060) * DAY + r.int(0, DAY / 1000) * 1000;
    const items = makeItems(r);
    const total = items.length ? items.reduce((s, it) => s + it.qty * it.unit_price_minor, 0) : r.pick([0, 1999, 54900, 150000000]);
    const o = {
      order_id: `GEN-${seed}-${i}`,
      market,
      seller_id: `S${r.int(1, 50)}`,
      currency: MARKETS[market],
      total_minor: r.chance(0.05) ? total + 500 : total,
    };
    if (r.chance(0.8)) o.buyer_id = `B${r.int(1, 5000)}`;
    if (items.length) o.items = items;
    o.payment_method = r.pick(['card', 'card', 'card', 'cod', 'bank_transfer', 'wallet']);
    if (r.chance(0.05)) delete o.payment_method;
    if (r.chance(0.7)) {
      o.promise = { handling_days: r.int(0, 3), transit_days: [r.int(1, 3), r.int(3, 8)], est_delivery: isoDate(placed + r.int(2, 14) * DAY) };
    } else if (r.chance(0.5)) {
      o.promise = { handling_days: r.int(1, 3), transit_days: [2, r.int(2, 6)] };
    }
    if (r.chance(0.05)) o.x_channel = { live: true, score: 0.1 + r.int(0, 9) / 7, tags: ['a', null] };

    const history = makeHistory(r, o, placed, items);
    const { end } = history;
    if (r.chance(0.06)) history.events.push(strayEvent(r, placed, end));
    const events = history.events.map((e) => ({ ...e, at: rfc3339(e.at, r) }));
    if (r.chance(0.5)) events.forEach((e, k) => (e.id = `e${k + 1}`));
    if (events.length && r.chance(0.06)) events.push(structuredClone(r.pick(events)));
    if (events.length > 1 && r.chance(0.05)) events[r.int(0, events.length - 1)].at = r.pick(events).at;
    for (const e of events) {
      if (r.chance(0.04)) e.note = r.pick(UNTRUSTED);
      if (r.chance(0.02)) e.x_meta = { rate: 1.5, list: [true, null, 'x'] };
    }
    if (r.chance(0.25)) r.shuffle(events);
    else if (r.chance(0.05)) events.reverse();
    o.placed_at = rfc3339(placed, r);
    if (events.length || r.chance(0.9)) o.events = events;

    // `now`: usually somewhere along the history or after it; sometimes
    // exactly on an event or a deadline-like boundary, or far later.
    let now;
    const w = r.next();
    if (w < 0.6) now = placed + r.int(0, Math.floor((end - placed + 70 * DAY) / 1000)) * 1000;
    else if (w < 0.75 && events.length) now = Date.parse(r.pick(events).at) || placed;
    else if (w < 0.9) now = placed + r.pick([48 * HOUR, HOUR, 7 * DAY, 30 * DAY, 37 * DAY]) + r.pick([-1000, 0, 0, 1000]);
    else now = placed + r.int(60, 500) * DAY;
    if (r.chance(0.01)) now = placed - r.int(1, 100) * 1000;

    let policy = '';
    if (r.chance(0.25)) policy = JSON.stringify(customPolicy(r, policies[r.chance(0.8) ? market : r.pick(markets)]));

    let text;
    const broken = r.next();
    if (broken < 0.04) {
      malform(r, o, placed);
      text = JSON.stringify(o);
    } else if (broken < 0.05) {
      text = breakText(r, JSON.stringify(o));
    } else {
      text = JSON.stringify(o, null, r.chance(0.1) ? 2 : undefined);
    }
    const nowText = r.chance(0.005) ? r.pick(['', 'now', '2025-03-05', `${isoDate(placed)}T12:00:00Z \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9`]) : rfc3339(now, r);
    cases.push({ order: text, now: nowText, policy });
  }
  return cases;
}

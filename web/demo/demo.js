// The demo storefront's host code: what a shop does around the widgets. It
// keeps each order, and when the buyer (through a tracker) or the simulated
// seller, carrier or platform acts, it appends the event and sets the new
// order on the tracker. The widget never changes an order by itself.
import { ordertrail } from '../dist/ordertrail-widget.js';
import { CARTS, DEMO_NOW, SAMPLE_ORDERS } from './orders.js';

const $ = (selector) => document.querySelector(selector);
const HOUR_MS = 3_600_000;
const base = Date.parse(DEMO_NOW);
const orders = new Map();
let eventCount = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.flat());
  return node;
}

/** The instant the slider points at, RFC 3339 to the second. */
function currentNow() {
  return new Date(base + Number($('#clock').value) * HOUR_MS).toISOString().replace('.000Z', 'Z');
}

function log(text) {
  const at = new Date(currentNow()).toISOString().slice(0, 16).replace('T', ' ');
  $('#log').prepend(el('li', {}, `${at} UTC — ${text}`));
}

// ---- the time slider and the language

function showClock() {
  const hours = Number($('#clock').value);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  const when = new Intl.DateTimeFormat(document.documentElement.lang, {
    timeZone: 'America/Los_Angeles', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  }).format(new Date(currentNow()));
  const offset = hours === 0 ? 'today' : `+${days} d${rest ? ` ${rest} h` : ''}`;
  $('#clock-value').textContent = `${when} (${offset})`;
  $('#clock').setAttribute('aria-valuetext', `${when}, ${offset}`);
}

function setNow() {
  const now = currentNow();
  for (const w of document.querySelectorAll('ordertrail-tracker, ordertrail-checkout')) w.setAttribute('now', now);
  showClock();
}

$('#clock').addEventListener('input', setNow);
$('#language').addEventListener('change', () => {
  document.documentElement.lang = $('#language').value;
  showClock();
});

// ---- the cart and the checkout promise

// Minor units as money, exactly (a decimal string, no floats); the demo's
// carts are all in currencies with two decimals.
function money(minor, currency) {
  const digits = String(minor).padStart(3, '0');
  return new Intl.NumberFormat(document.documentElement.lang, { style: 'currency', currency }).format(`${digits.slice(0, -2)}.${digits.slice(-2)}`);
}

function showCart() {
  const market = $('#market').value;
  const cart = CARTS[market];
  $('#checkout').setAttribute('market', market);
  $('#cart-items').replaceChildren(...cart.items.map((i) => el('li', {}, `${i.qty} × ${i.name}`, el('span', {}, money(i.qty * i.unit_price_minor, cart.currency)))));
  $('#cart-total').textContent = money(cart.items.reduce((s, i) => s + i.qty * i.unit_price_minor, 0), cart.currency);
}
$('#market').addEventListener('change', showCart);

$('#place-order').addEventListener('click', () => {
  const market = $('#market').value;
  const cart = CARTS[market];
  const id = `${market}-${String(3000 + orders.size).padStart(4, '0')}`;
  const order = {
    order_id: id,
    market,
    seller_id: 'S-1001',
    buyer_id: 'B-2001',
    currency: cart.currency,
    total_minor: cart.items.reduce((s, i) => s + i.qty * i.unit_price_minor, 0),
    items: cart.items,
    payment_method: 'card',
    placed_at: currentNow(),
    events: [],
  };
  const card = addOrder({ key: id, title: 'Just placed', order }, true);
  log(`Order ${id} placed.`);
  // (Not the tracker itself: a negative tabindex on a shadow host takes its
  // buttons out of the Tab order.)
  card.querySelector('h3').focus();
});

// ---- the orders

// What the shop does for each buyer action: the event it records (a case's
// action names its case).
const BUYER_EVENTS = {
  pay_now: (o) => ({ type: 'payment_succeeded', amount_minor: o.total_minor }),
  cancel_now: (o, e, reason) => ({ type: 'cancelled', by: 'buyer', reason }),
  request_cancellation: (o, e, reason) => ({ type: 'cancel_requested', by: 'buyer', reason }),
  withdraw_cancellation_request: () => ({ type: 'cancel_request_withdrawn', by: 'buyer' }),
  return_item: () => ({ type: 'return_requested', by: 'buyer', reason: 'changed_mind' }),
  claim_refund_not_received: () => ({ type: 'return_requested', by: 'buyer', case_type: 'refund_only', reason: 'not_received' }),
  ship_return: (o, e, reason, caseId) => ({ type: 'return_shipped', by: 'buyer', case_id: caseId, tracking_number: '9400100000000000000099' }),
  appeal: (o, e, reason, caseId) => ({ type: 'appeal_opened', by: 'buyer', case_id: caseId }),
};

// What is due now, refunded: each case's part and the cancelled units' part
// (the core's refund.parts), else the refund as a whole.
function refundsDue(e) {
  const parts = (e?.refund.parts ?? []).filter((p) => p.reason !== 'case_open');
  if (parts.length) return parts.map((p) => ({ type: 'refunded', by: 'platform', amount_minor: p.amount_minor, reason: p.reason, ...(p.case_id ? { case_id: p.case_id } : {}) }));
  return e?.refund.eligible ? { type: 'refunded', by: 'platform', amount_minor: e.refund.amount_minor, reason: e.refund.reason } : null;
}

// The other side of the order, simulated: label -> event (or events).
const OTHER_SIDE = [
  ['Seller approves the cancellation', () => ({ type: 'cancel_request_approved', by: 'seller' })],
  ['Seller rejects the cancellation', () => ({ type: 'cancel_request_rejected', by: 'seller', reason: 'already_packed' })],
  ['Seller packs it', () => ({ type: 'ready_to_ship', by: 'seller' })],
  ['Seller ships it', () => ({ type: 'shipped', by: 'seller', carrier: 'UPS', tracking_number: '1Z999AA10123456784' })],
  ['Seller cancels: out of stock', () => ({ type: 'cancelled', by: 'seller', reason: 'out_of_stock' })],
  ['Carrier fails a delivery attempt', () => ({ type: 'delivery_attempt_failed', by: 'carrier', reason: 'nobody_home' })],
  ['Carrier delivers it', () => ({ type: 'delivered', by: 'carrier' })],
  ['Carrier loses it', () => ({ type: 'lost', by: 'carrier' })],
  ['Seller approves the return', () => ({ type: 'return_approved', by: 'seller' })],
  ['Seller rejects the return', () => ({ type: 'return_rejected', by: 'seller', reason: 'used_item' })],
  ['Seller receives the return', () => ({ type: 'return_received', by: 'seller' })],
  ['Platform decides the appeal for the buyer', () => ({ type: 'appeal_decided', by: 'platform', outcome: 'buyer' })],
  ['Platform refunds what is due', (o, e) => refundsDue(e)],
  ['Platform applies the automatic actions due', (o, e) => e?.due.map((d) => d.event) ?? []],
];

function append(key, events) {
  const entry = orders.get(key);
  const list = [events].flat().filter(Boolean);
  if (!list.length) return 0;
  const at = currentNow();
  const order = { ...entry.order, events: [...entry.order.events] };
  for (const ev of list) order.events.push({ id: `demo-${++eventCount}`, ...ev, at: ev.at ?? at });
  entry.order = order;
  entry.tracker.order = order;
  showHistory(entry);
  return list.length;
}

function showHistory(entry) {
  const items = entry.order.events.map((ev) => el('li', {}, `${ev.at.replace('T', ' ').replace('Z', ' UTC')} — ${ev.type}${ev.by ? ` by ${ev.by}` : ''}${ev.reason ? ` (${ev.reason})` : ''}`));
  entry.history.replaceChildren(...(items.length ? items : [el('li', {}, 'No events yet.')]));
  entry.historySummary.textContent = `History (${entry.order.events.length} events)`;
}

function addOrder(sample, first = false) {
  const tracker = el('ordertrail-tracker', { 'data-order': sample.key });
  tracker.setAttribute('now', currentNow());
  const history = el('ol', { class: 'history' });
  const historySummary = el('summary', {});
  const titleId = `title-${sample.key}`;
  const buttons = OTHER_SIDE.map(([label, make]) =>
    el('button', {
      type: 'button',
      onclick: () => {
        const n = append(sample.key, make(orders.get(sample.key).order, tracker.evaluation));
        log(n ? `${sample.order.order_id}: ${label.toLowerCase()}.` : `${sample.order.order_id}: nothing to do for "${label.toLowerCase()}".`);
      },
    }, label),
  );
  const card = el(
    'article',
    { class: 'order-card', 'aria-labelledby': titleId, 'data-order': sample.key },
    el('h3', { id: titleId, tabindex: '-1' }, sample.title),
    tracker,
    el('details', { class: 'simulate' }, el('summary', {}, 'Seller, carrier and platform (simulated)'), el('div', { class: 'sim-buttons' }, buttons)),
    el('details', { class: 'history-box' }, historySummary, history),
  );
  const entry = { order: sample.order, tracker, history, historySummary };
  orders.set(sample.key, entry);
  tracker.order = sample.order;
  showHistory(entry);
  if (first) $('#order-list').prepend(card);
  else $('#order-list').append(card);
  return card;
}

document.addEventListener('ordertrail-action', (event) => {
  const { action, order_id: orderId, reason, case_id: caseId } = event.detail;
  const key = event.target.dataset.order;
  const entry = orders.get(key);
  const make = BUYER_EVENTS[action];
  if (!entry || !make) {
    log(`${orderId}: the shop would now help with "${action}".`);
    return;
  }
  append(key, make(entry.order, event.target.evaluation, reason, caseId));
  log(`${orderId}: ${action}${reason ? ` (${reason})` : ''}${caseId ? ` for case ${caseId}` : ''} recorded.`);
});

for (const sample of SAMPLE_ORDERS) addOrder(structuredClone(sample));
showCart();
setNow();
document.documentElement.dataset.ready = String((await ordertrail()).version());

// The demo storefront's host code: what a shop does around the widgets.
//
// Two ways to run it:
// - on its own (scripts/serve-web): it keeps each order in the page, and when
//   the buyer (through a tracker) or the simulated seller, carrier or
//   platform acts, it appends the event and sets the new order on the
//   tracker. The widget never changes an order by itself. The shop holds no
//   rules either: a buyer's click arrives with the exact event the core
//   allowed (`event.detail.event`), recorded as it is, and every other
//   party's action is a command the core decides (`ot.decide`) before its
//   event is recorded.
// - on the order service (scripts/demo: `ordertrail-serve --web web`, the
//   page opened with `?session=session.json`, the tokens scripts/demo made):
//   every tracker reads its order from the service with its buyer's token and
//   records the buyer's actions there itself (`events-src`); the seller,
//   carrier and platform buttons POST their commands with the seller's and
//   the agent's tokens; the time slider moves the service's manual clock
//   (forward only: PUT /v1/clock) and runs the scheduler (POST /v1/sweep).
//   Nothing is simulated in the page.
import { ordertrail } from '../dist/ordertrail-widget.js';
import { CARTS, DEMO_NOW, SAMPLE_ORDERS, placedOrderId } from './orders.js';
import { api, loadSession } from './service.js';

const $ = (selector) => document.querySelector(selector);
const ot = await ordertrail();
const HOUR_MS = 3_600_000;
const base = Date.parse(DEMO_NOW);
const orders = new Map();
// The order service's session ({buyers, sellers, agent} tokens), or null: on its own.
const session = await loadSession();
// On the service: its clock, and how many orders were placed per market.
let serviceNow = null;
const placed = { US: 0, GB: 0, ID: 0 };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.flat());
  return node;
}

/** The instant the slider points at, RFC 3339 to the second (on the service: its clock). */
function currentNow() {
  if (session && serviceNow) return serviceNow;
  return sliderNow();
}

function sliderNow() {
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
  }).format(new Date(sliderNow()));
  const offset = hours === 0 ? 'today' : `+${days} d${rest ? ` ${rest} h` : ''}`;
  $('#clock-value').textContent = `${when} (${offset})`;
  $('#clock').setAttribute('aria-valuetext', `${when}, ${offset}`);
}

function setNow() {
  const now = currentNow();
  for (const w of document.querySelectorAll('ordertrail-tracker, ordertrail-checkout')) w.setAttribute('now', now);
  showClock();
}

$('#clock').addEventListener('input', () => (session ? showClock() : setNow()));
// On the service the slider moves the service's clock when let go: forward
// only, since a server's time never goes back (its minimum follows).
$('#clock').addEventListener('change', () => session && moveClock());

let moving = false;

async function moveClock() {
  if (moving) return;
  const slider = $('#clock');
  const target = sliderNow();
  if (Date.parse(target) <= Date.parse(serviceNow)) {
    slider.value = String(Math.round((Date.parse(serviceNow) - base) / HOUR_MS));
    showClock();
    return;
  }
  moving = true;
  slider.disabled = true;
  try {
    const put = await api('PUT', '/v1/clock', { token: session.agent, body: { now: target } });
    if (put.status !== 200) {
      log(`the service's clock was not moved: ${put.status} ${put.doc?.code ?? ''} ${put.doc?.message ?? ''}`.trim());
      return;
    }
    serviceNow = put.doc.now;
    slider.min = slider.value;
    const sweep = await api('POST', '/v1/sweep', { token: session.agent });
    if (sweep.status === 200) log(`the service's clock moved to ${serviceNow}; the scheduler appended ${sweep.doc.events} automatic event(s) on ${sweep.doc.orders} order(s).`);
    else log(`sweep failed: ${sweep.status} ${sweep.doc?.code ?? ''}`);
    setNow();
    await reloadAll();
  } finally {
    moving = false;
    slider.disabled = false;
  }
}

async function reloadAll() {
  await Promise.all([...orders.values()].map((entry) => entry.tracker.reloadOrder()));
}
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

function newOrder(id, market) {
  const cart = CARTS[market];
  return {
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
}

$('#place-order').addEventListener('click', async () => {
  const market = $('#market').value;
  if (session) return placeOnService(market);
  const id = `${market}-${String(3000 + orders.size).padStart(4, '0')}`;
  const card = addOrder({ key: id, title: 'Just placed', order: newOrder(id, market) }, true);
  log(`Order ${id} placed.`);
  // (Not the tracker itself: a negative tabindex on a shadow host takes its
  // buttons out of the Tab order.)
  card.querySelector('h3').focus();
});

// On the service: the seller's back end stores the new order (PUT, with the
// seller's token); its buyer's token was made with the session.
async function placeOnService(market) {
  const id = placedOrderId(market, placed[market]);
  if (!session.buyers[id]) {
    log(`No more orders can be placed in ${market} in this demo session (each needs a buyer token made beforehand: restart scripts/demo).`);
    return;
  }
  const order = newOrder(id, market);
  const r = await api('PUT', `/v1/orders/${encodeURIComponent(id)}`, { token: session.sellers[order.seller_id], body: order });
  ++placed[market];
  if (r.status !== 201) {
    log(`Order ${id} was not stored: ${r.status} ${r.doc?.code ?? ''} ${r.doc?.message ?? ''}`.trim());
    return;
  }
  const card = addOrder({ key: id, title: 'Just placed', order }, true);
  log(`Order ${id} placed: stored by the service (version ${r.doc.version}).`);
  card.querySelector('h3').focus();
}

// ---- the orders

// What is due now, refunded: each case's part and the cancelled units' part
// (the core's refund.parts), else the refund as a whole; as the platform's
// commands.
function refundsDue(e) {
  const parts = (e?.refund.parts ?? []).filter((p) => p.reason !== 'case_open');
  if (parts.length) return parts.map((p) => ({ type: 'refunded', by: 'platform', amount_minor: p.amount_minor, reason: p.reason, ...(p.case_id ? { case_id: p.case_id } : {}) }));
  return e?.refund.eligible ? [{ type: 'refunded', by: 'platform', amount_minor: e.refund.amount_minor, reason: e.refund.reason }] : [];
}

// The other side of the order, simulated: label -> the commands it sends (an
// event without `at`; the core decides each and writes its event).
const OTHER_SIDE = [
  ['Seller approves the cancellation', () => [{ type: 'cancel_request_approved', by: 'seller' }]],
  ['Seller rejects the cancellation', () => [{ type: 'cancel_request_rejected', by: 'seller', reason: 'already_packed' }]],
  ['Seller packs it', () => [{ type: 'ready_to_ship', by: 'seller' }]],
  ['Seller ships it', () => [{ type: 'shipped', by: 'seller', carrier: 'UPS', tracking_number: '1Z999AA10123456784' }]],
  ['Seller cancels: out of stock', () => [{ type: 'cancelled', by: 'seller', reason: 'out_of_stock' }]],
  ['Carrier fails a delivery attempt', () => [{ type: 'delivery_attempt_failed', by: 'carrier', reason: 'nobody_home' }]],
  ['Carrier delivers it', () => [{ type: 'delivered', by: 'carrier' }]],
  ['Carrier loses it', () => [{ type: 'lost', by: 'carrier' }]],
  ['Seller approves the return', () => [{ type: 'return_approved', by: 'seller' }]],
  ['Seller rejects the return', () => [{ type: 'return_rejected', by: 'seller', reason: 'used_item' }]],
  ['Seller receives the return', () => [{ type: 'return_received', by: 'seller' }]],
  ['Platform decides the appeal for the buyer', () => [{ type: 'appeal_decided', by: 'platform', outcome: 'buyer' }]],
  ['Platform refunds what is due', (e) => refundsDue(e)],
];

// Appends `events` to the order of `key` as they are, and shows the new order.
function record(key, events) {
  const entry = orders.get(key);
  entry.order = { ...entry.order, events: [...entry.order.events, ...events] };
  entry.tracker.order = entry.order;
  showHistory(entry);
}

// Sends `commands` one after the other for the order of `key` at the
// slider's instant: each allowed one's event is recorded before the next is
// decided. Returns a line for the log: what was recorded, or why not.
function decideAll(key, commands) {
  const said = [];
  for (const command of commands) {
    const d = ot.decide(orders.get(key).order, command, currentNow());
    if (d.schema === 'ordertrail.error/1') said.push(`${command.type}: ${d.code} (${d.message})`);
    else if (!d.allowed) said.push(`${command.type} refused, ${d.refusal.code}: ${d.refusal.message}`);
    else if (d.already_recorded) said.push(`${command.type} was already recorded`);
    else {
      record(key, [d.event]);
      said.push(`${d.event.type} recorded`);
    }
  }
  return said.join('; ');
}

// On the service: sends `commands` one after the other for the order of
// `key`, each with the token of its party (the seller's for the seller, the
// agent's for the carrier and the platform) and a fresh Idempotency-Key; the
// service decides and records. Returns a line for the log.
async function sendAll(key, commands) {
  const entry = orders.get(key);
  const id = entry.order.order_id;
  const said = [];
  for (const command of commands) {
    const token = command.by === 'seller' ? session.sellers[entry.order.seller_id] : session.agent;
    const r = await api('POST', `/v1/orders/${encodeURIComponent(id)}/events`, { token, body: command, headers: { 'idempotency-key': `demo-${crypto.randomUUID()}` } });
    if (r.status === 201) said.push(`${r.doc.event.type} recorded by the service`);
    else if (r.status === 200) said.push(`${command.type} was already recorded`);
    else if (r.status === 409 && r.doc?.refusal) said.push(`${command.type} refused by the service, ${r.doc.refusal.code}: ${r.doc.refusal.message}`);
    else said.push(`${command.type}: ${r.status} ${r.doc?.code ?? ''} (${r.doc?.message ?? ''})`);
  }
  await entry.tracker.reloadOrder();
  return said.join('; ');
}

function showHistory(entry) {
  if (session) {
    // On the service: the order as the tracker last loaded it.
    const doc = typeof entry.tracker.order === 'string' ? JSON.parse(entry.tracker.order) : entry.tracker.order;
    if (!doc) return;
    entry.order = doc;
  }
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
      onclick: async () => {
        const commands = make(tracker.evaluation);
        const said = !commands.length ? '' : session ? await sendAll(sample.key, commands) : decideAll(sample.key, commands);
        log(said ? `${sample.order.order_id}: ${label.toLowerCase()}: ${said}.` : `${sample.order.order_id}: nothing to do for "${label.toLowerCase()}".`);
      },
    }, label),
  );
  // The automatic actions the core says are due come with their exact events
  // (dated when they fell due): recorded as they are, as a scheduler would.
  buttons.push(
    el('button', {
      type: 'button',
      onclick: async () => {
        if (session) {
          const r = await api('POST', '/v1/sweep', { token: session.agent });
          log(r.status === 200 ? `the scheduler appended ${r.doc.events} automatic event(s) on ${r.doc.orders} order(s).` : `sweep failed: ${r.status} ${r.doc?.code ?? ''}`);
          await reloadAll();
          return;
        }
        const due = (tracker.evaluation?.due ?? []).map((d) => d.event);
        if (due.length) record(sample.key, due);
        log(`${sample.order.order_id}: ${due.length ? `${due.length} automatic action(s) recorded` : 'no automatic action is due'}.`);
      },
    }, 'Platform applies the automatic actions due'),
  );
  const card = el(
    'article',
    { class: 'order-card', 'aria-labelledby': titleId, 'data-order': sample.key },
    el('h3', { id: titleId, tabindex: '-1' }, sample.title),
    tracker,
    el('details', { class: 'simulate' }, el('summary', {}, session ? 'Seller, carrier and platform (on the service)' : 'Seller, carrier and platform (simulated)'), el('div', { class: 'sim-buttons' }, buttons)),
    el('details', { class: 'history-box' }, historySummary, history),
  );
  const entry = { order: sample.order, tracker, history, historySummary };
  orders.set(sample.key, entry);
  if (session) {
    // The tracker reads and acts on the service, with its buyer's token
    // (a property: set before the source, so the first fetch carries it).
    const id = encodeURIComponent(sample.order.order_id);
    tracker.token = session.buyers[sample.order.order_id];
    tracker.setAttribute('events-src', `/v1/orders/${id}/events`);
    tracker.setAttribute('order-src', `/v1/orders/${id}`);
    tracker.addEventListener('ordertrail-evaluated', () => showHistory(entry));
  } else {
    tracker.order = sample.order;
  }
  showHistory(entry);
  if (first) $('#order-list').prepend(card);
  else $('#order-list').append(card);
  return card;
}

// The buyer acted in a tracker: the event the core allowed is recorded as it
// is. An action that records nothing is the shop's to help with; paying is
// simulated as the payment provider's confirmation, which the core decides.
document.addEventListener('ordertrail-action', (event) => {
  const { action, order_id: orderId, reason, case_id: caseId, event: allowed } = event.detail;
  const key = event.target.dataset.order;
  if (!orders.has(key)) return;
  if (allowed) {
    record(key, [allowed]);
    log(`${orderId}: ${action}${reason ? ` (${reason})` : ''}${caseId ? ` for case ${caseId}` : ''} recorded.`);
  } else if (action === 'pay_now') {
    const payment = [{ type: 'payment_succeeded', by: 'platform' }];
    if (session) sendAll(key, payment).then((said) => log(`${orderId}: the buyer paid: ${said}.`));
    else log(`${orderId}: the buyer paid: ${decideAll(key, payment)}.`);
  } else {
    log(`${orderId}: the shop would now help with "${action}".`);
  }
});

// On the service, a tracker recorded the buyer's action itself: the log says how it went.
document.addEventListener('ordertrail-recorded', (event) => {
  const { action, order_id: orderId, status, event: recorded, decision, error } = event.detail;
  if (error) log(`${orderId}: ${action}: ${error.code} (${error.message})`);
  else if (status === 201) log(`${orderId}: ${action}: ${recorded.type} recorded by the service.`);
  else if (status === 200) log(`${orderId}: ${action} was already recorded.`);
  else if (status === 409) log(`${orderId}: ${action} refused by the service, ${decision?.refusal?.code}.`);
  else if (status === 412) log(`${orderId}: ${action} not sent: the order had changed (reloaded).`);
});

if (session) {
  const clock = await api('GET', '/v1/clock', { token: session.agent });
  if (clock.status !== 200) throw new Error(`GET /v1/clock: ${clock.status} ${clock.doc?.code ?? ''}`);
  serviceNow = clock.doc.now;
  const hours = Math.max(0, Math.round((Date.parse(serviceNow) - base) / HOUR_MS));
  $('#clock').value = String(hours);
  $('#clock').min = String(hours);
  document.documentElement.dataset.service = clock.doc.manual ? 'manual-clock' : 'real-clock';
  $('#console-link').href = `console.html${location.search}`;
  $('#clock').disabled = !clock.doc.manual;
  $('#mode-note').textContent = 'The buyer widget, running the ordertrail core in your browser (WebAssembly), on the ordertrail order service: every action is recorded there, with the token of who acts.';
  $('#orders-note').textContent = 'Each order is shown by <ordertrail-tracker>, read from the order service with its buyer\'s token; its buttons send the buyer\'s commands to the service, which decides and records them, and the tracker checks the service\'s decision against its own. The seller, carrier and platform below act on the service with their own tokens. The time slider moves the service\'s clock forward (never back) and runs its scheduler.';
}
for (const sample of SAMPLE_ORDERS) addOrder(structuredClone(sample));
showCart();
setNow();
document.documentElement.dataset.ready = String(ot.version());

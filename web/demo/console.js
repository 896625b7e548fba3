// The support console's host code: reads an order, an instant and an optional
// policy, asks the core, and shows the answer three ways: the buyer's tracker,
// a table for the agent, and the raw JSON. Every value is shown as text. On
// the order service (opened with `?session=`, see service.js) it also reads
// the stored orders with the agent's token and sends the seller's, carrier's
// and platform's commands there.
import { ordertrail } from '../dist/ordertrail-widget.js';
import { DEMO_NOW, SAMPLE_ORDERS } from './orders.js';
import { api, loadSession } from './service.js';

const $ = (selector) => document.querySelector(selector);
const ot = await ordertrail();

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children.flat().map((c) => (c instanceof Node ? c : String(c ?? ''))));
  return node;
}

function problem(text) {
  $('#problem').hidden = !text;
  $('#problem').textContent = text ?? '';
}

function table(caption, head, rows) {
  if (!rows.length) return el('p', { class: 'muted' }, `${caption}: none.`);
  return el(
    'table',
    {},
    el('caption', { class: 'muted' }, caption),
    el('thead', {}, el('tr', {}, head.map((x) => el('th', { scope: 'col' }, x)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((x) => el('td', {}, x))))),
  );
}

// Words for the core's codes, for the agent (the CLI's words; a code this
// page does not know is shown with its underscores as spaces).
const WORDS = {
  payment: 'Payment', dispatch_by: 'Dispatch by', ship_by: 'Ship by (or auto-cancel)', cancel_request_response: 'Answer to cancel request',
  delivery: 'Delivery', return_response: 'Answer to return request', return_ship_back: 'Send the return back', return_receipt: 'Confirm return receipt',
  return_receipt_response: 'Refund received return', case_refund: 'Refund the approved case', appeal_decision: 'Decide the appeal',
  free_cancellation: 'Free cancellation', cancel_request: 'Ask the seller to cancel', not_received_claim: 'Claim: not received', return_window: 'Return',
  delivered_not_received_claim: 'Delivered, not received', appeal: 'Appeal the rejection',
  pending: 'due', met: 'done', missed: 'missed', moot: 'no longer applies', upcoming: 'opens later', open: 'open', used: 'used', closed: 'closed', void: 'not available',
  auto_cancel: 'cancelled automatically', auto_approve: 'approved automatically', auto_reject: 'rejected automatically', auto_approve_case: 'approved automatically',
  auto_close_case: 'the case closes without a refund', auto_refund_case: 'the platform refunds the buyer', late_dispatch: 'counted as a late dispatch',
  instant: 'can cancel at once', request: 'can ask the seller to cancel', contact_seller: 'must contact the seller', lines: 'can cancel the items not shipped yet',
  not_allowed: 'cannot cancel', automatic: 'automatic', return_and_refund: 'after the return', refund_only: 'on a claim, no return', none: 'none', mixed: 'mixed',
};
const words = (c) => (c == null || c === '' ? '' : (WORDS[c] ?? String(c).replaceAll('_', ' ')));
const ACTORS = { buyer: 'Buyer', seller: 'Seller', support: 'Support', platform: 'Platform', carrier: 'Carrier', operator: 'Operator' };

function summary(e, zone) {
  // An instant the browser cannot read (past 9999, missing) is shown as written.
  const parse = (iso) => {
    const t = iso ? new Date(/^\d{5}-/.test(iso) ? `+0${iso}` : iso) : null;
    return t && !Number.isNaN(t.getTime()) ? t : null;
  };
  const dayFmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
  const timeFmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  const dayOf = (t) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(t);
  // The buyer's words for an instant (as the widget and the CLI read it): one
  // that starts a local day is "end of" the day before when something is due
  // then ('by'), and that day when something starts ('from'); what happened
  // ('at') and any other instant is its local time. The UTC instant is in the
  // title.
  const when = (iso, mode = 'by') => {
    const t = parse(iso);
    if (!t) return el('span', {}, iso ?? '—');
    const midnight = mode !== 'at' && dayOf(new Date(t.getTime() - 1000)) !== dayOf(t);
    const text = !midnight ? timeFmt.format(t) : mode === 'from' ? dayFmt.format(t) : `end of ${dayFmt.format(new Date(t.getTime() - 1000))}`;
    return el('time', { datetime: iso, title: iso, class: 'nowrap' }, text);
  };
  const money = (minor, currency = e.refund.currency) => {
    const n = typeof minor === 'number' ? minor : Number(minor);
    try {
      const f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
      const digits = f.resolvedOptions().maximumFractionDigits;
      return Number.isFinite(n) ? f.format(n / 10 ** digits) : String(minor);
    } catch {
      return `${minor} ${currency}`;
    }
  };
  const code = (x) => el('code', {}, x ?? '');
  const state = (s, extra) => el('span', { class: `state-${s} nowrap` }, words(s), extra ?? '');
  const statusLine = e.effective_status === e.status ? '' : ` (recorded: ${e.status}; the automatic actions due now are not yet in the history)`;
  return [
    el('p', { class: 'lead' }, el('strong', {}, e.effective_status.replaceAll('_', ' ').toLowerCase()), statusLine, ` · ${e.market} policy ${e.policy_version}, times in ${zone}`),
    e.cancelled
      ? el('p', {}, 'Cancelled ', when(e.cancelled.at, 'at'), ` by ${e.cancelled.by}${e.cancelled.automatic ? ', automatically' : ''}: ${words(e.cancelled.reason)}; responsible: ${e.cancelled.responsibility}.`)
      : null,
    el(
      'p',
      {},
      `Buyer ${words(e.cancellation.buyer.mode)}`, e.cancellation.buyer.reason ? ` (${words(e.cancellation.buyer.reason)})` : '', e.cancellation.buyer.until ? [', until ', when(e.cancellation.buyer.until)] : '',
      `; seller ${words(e.cancellation.seller.mode)}. Refund: ${e.refund.eligible ? `${money(e.refund.amount_minor)} due, ${words(e.refund.kind)}` : 'none'} (${words(e.refund.reason)}); refunded so far ${money(e.facts?.refunded_minor ?? 0)}.`,
    ),
    table(
      'Obligations (someone must act by then)',
      ['obligation', 'party', 'state', 'due', 'if missed'],
      e.obligations.map((o) => [
        el('span', { class: 'nowrap' }, words(o.id), o.case_id ? ` · case ${o.case_id}` : ''), ACTORS[o.party] ?? o.party,
        state(o.state, o.met_at ? [' ', when(o.met_at, 'at')] : o.moot_reason ? ` (${words(o.moot_reason)})` : ''),
        when(o.due_at), el('span', { title: o.basis ?? '' }, o.state === 'pending' || o.state === 'missed' ? words(o.on_miss) : ''),
      ]),
    ),
    table(
      'Buyer options (the party may act between these)',
      ['option', 'state', 'opens', 'closes'],
      e.windows.map((w) => [
        el('span', { class: 'nowrap', title: w.basis ?? '' }, words(w.id), w.case_id ? ` · case ${w.case_id}` : ''),
        state(w.state, w.used_at ? [' ', when(w.used_at, 'at')] : w.void_reason ? ` (${words(w.void_reason)})` : ''),
        when(w.opens_at, 'from'), w.closes_at ? when(w.closes_at) : `when the order is ${w.closes_on ?? '—'}`,
      ]),
    ),
    table(
      'Cases (returns and refund claims; the running clock is the obligation or window of the same case)',
      ['case', 'type', 'reason', 'stage', 'items', 'amount', 'refunded', 'opened'],
      (Array.isArray(e.cases) ? e.cases : []).map((c) => [
        code(c.case_id), words(c.type), words(c.reason), el('span', {}, words(c.status), c.closed_reason ? ` (${words(c.closed_reason)})` : '', c.keep_item ? ', keeps the item' : ''),
        (c.items ?? []).map((u) => `${u.qty} x ${u.line_id}`).join(', '), money(c.amount_minor), money(c.refunded_minor), when(c.opened_at, 'at'),
      ]),
    ),
    table('Refunds issued', ['when', 'amount', 'reason', 'case'], (e.refunds ?? []).map((r) => [when(r.at, 'at'), money(r.amount_minor), words(r.reason), r.case_id ?? ''])),
    table(
      'Refund parts (what each case, and the cancelled units, owe)',
      ['kind', 'amount', 'case', 'until', 'reason'],
      (e.refund.parts ?? []).map((p) => [words(p.kind), money(p.amount_minor), p.case_id ?? '', p.until ? when(p.until) : '', words(p.reason)]),
    ),
    table('Automatic actions due', ['action', 'reason', 'responsible', 'at', 'event to append'], e.due.map((d) => [words(d.action), words(d.reason), d.responsibility, when(d.at), code(JSON.stringify(d.event))])),
    table(
      'Next actions (the main one for each party first)',
      ['who', 'what', 'until'],
      [...e.next_actions].sort((a, b) => a.priority - b.priority).map((a) => [ACTORS[a.actor] ?? a.actor ?? '', el('span', {}, a.primary ? el('strong', {}, words(a.code)) : words(a.code)), a.until ? when(a.until) : '']),
    ),
    table(
      'History, as the core replayed it',
      ['#', 'event', 'when', 'applied'],
      (Array.isArray(e.events) ? e.events : []).map((x) => [String(x.event_index), words(x.type), when(x.at, 'at'), x.applied ? (x.automatic ? 'yes (the due automatic action)' : 'yes') : `no: ${words(x.skipped)}`]),
    ),
    table('Anomalies', ['code', 'event', 'text'], e.anomalies.map((a) => [code(a.code), a.event_index ?? 'the order', a.text])),
    table('Warnings', ['code', 'text'], (e.warnings ?? []).map((w) => [code(w.code), w.text])),
    table('Explanation', ['rule', 'text'], (e.explanation ?? []).map((x) => [code(x.rule), x.text])),
  ];
}

function evaluate() {
  const orderText = $('#order').value;
  const policyText = $('#policy').value.trim();
  const now = $('#now').value.trim();
  let policy;
  if (policyText) {
    try {
      policy = JSON.parse(policyText);
    } catch (e) {
      problem(`The policy is not JSON: ${e.message}`);
      return;
    }
  }
  const result = ot.evaluate(orderText, now, policy);
  $('#raw').textContent = JSON.stringify(result, null, 2);
  const tracker = $('#tracker');
  tracker.setAttribute('now', now);
  tracker.policy = policy ?? null;
  tracker.order = orderText;
  if (result.schema === 'ordertrail.error/1') {
    problem(`${result.code} at ${result.path || '/'}: ${result.message}`);
    $('#summary').replaceChildren(el('p', { class: 'muted' }, 'No evaluation: the input was refused.'));
    return;
  }
  problem(null);
  const zone = policy?.time_zone ?? ot.policies()[result.market]?.time_zone ?? 'UTC';
  $('#summary').replaceChildren(...summary(result, zone).filter(Boolean));
}

function loadSample(key) {
  const sample = SAMPLE_ORDERS.find((s) => s.key === key) ?? SAMPLE_ORDERS[0];
  $('#order').value = JSON.stringify(sample.order, null, 2);
}

$('#sample').append(...SAMPLE_ORDERS.map((s) => el('option', { value: s.key }, `${s.title} (${s.order.order_id})`)));
$('#sample').addEventListener('change', () => {
  loadSample($('#sample').value);
  evaluate();
});
$('#use-clock').addEventListener('click', () => {
  $('#now').value = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  evaluate();
});
$('#input').addEventListener('submit', (event) => {
  event.preventDefault();
  evaluate();
});

const area = $('#order');
area.addEventListener('dragover', (event) => {
  event.preventDefault();
  area.classList.add('dragging');
});
area.addEventListener('dragleave', () => area.classList.remove('dragging'));
area.addEventListener('drop', async (event) => {
  event.preventDefault();
  area.classList.remove('dragging');
  const file = event.dataTransfer?.files?.[0];
  if (!file) return;
  area.value = await file.text();
  evaluate();
});

// ---- on the order service

const session = await loadSession();

async function loadStored() {
  const id = $('#service-order').value;
  const [order, clock] = await Promise.all([api('GET', `/v1/orders/${encodeURIComponent(id)}`, { token: session.agent }), api('GET', '/v1/clock', { token: session.agent })]);
  if (order.status !== 200) {
    $('#service-status').textContent = `GET /v1/orders/${id}: ${order.status} ${order.doc?.code ?? ''}`;
    return null;
  }
  $('#order').value = JSON.stringify(order.doc, null, 2);
  if (clock.status === 200) $('#now').value = clock.doc.now;
  evaluate();
  return order.doc;
}

async function sendCommand() {
  const id = $('#service-order').value;
  let command;
  try {
    command = JSON.parse($('#command').value);
  } catch (e) {
    $('#service-status').textContent = `The command is not JSON: ${e.message}`;
    return;
  }
  const stored = await api('GET', `/v1/orders/${encodeURIComponent(id)}`, { token: session.agent });
  const token = command?.by === 'seller' ? session.sellers[stored.doc?.seller_id] : session.agent;
  const r = await api('POST', `/v1/orders/${encodeURIComponent(id)}/events`, { token, body: command, headers: { 'idempotency-key': `console-${crypto.randomUUID()}` } });
  $('#service-result').textContent = JSON.stringify(r.doc, null, 2);
  const what = r.status === 201 ? `${r.doc.event.type} recorded` : r.status === 200 ? 'already recorded' : r.status === 409 ? `refused: ${r.doc?.refusal?.code}` : (r.doc?.code ?? 'failed');
  $('#service-status').textContent = `POST /v1/orders/${id}/events: ${r.status} ${what}`;
  await loadStored();
}

if (session) {
  $('#service').hidden = false;
  $('#shop-link').href = `./${location.search}`;
  $('#service-order').append(...SAMPLE_ORDERS.map((s) => el('option', { value: s.order.order_id }, `${s.order.order_id} (${s.title})`)));
  $('#service-load').addEventListener('click', loadStored);
  $('#service').addEventListener('submit', (event) => {
    event.preventDefault();
    sendCommand();
  });
}

$('#now').value = DEMO_NOW;
loadSample(SAMPLE_ORDERS[2].key);
$('#sample').value = SAMPLE_ORDERS[2].key;
evaluate();
document.documentElement.dataset.ready = ot.version();

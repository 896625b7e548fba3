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

function summary(e, zone) {
  // An instant the browser cannot read (past 9999, missing) is shown as written.
  const local = (iso) => {
    const t = iso ? new Date(/^\d{5}-/.test(iso) ? `+0${iso}` : iso) : null;
    return t && !Number.isNaN(t.getTime()) ? new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(t) : (iso ?? '—');
  };
  const code = (x) => el('code', {}, x ?? '');
  return [
    el(
      'p',
      {},
      'Status from the events ', code(`${e.status} ${e.status_code}`), '; effective status ', code(e.effective_status),
      `; policy ${e.market} ${e.policy_version} (${zone}); evaluated at `, code(e.now), '.',
    ),
    e.cancelled
      ? el('p', {}, 'Cancelled at ', code(e.cancelled.at), ' by ', code(e.cancelled.by), ' for ', code(e.cancelled.reason), ', responsible ', code(e.cancelled.responsibility), e.cancelled.automatic ? ', automatically.' : '.')
      : null,
    el(
      'p',
      {},
      'Buyer cancellation ', code(e.cancellation.buyer.mode), e.cancellation.buyer.reason ? [' (', code(e.cancellation.buyer.reason), ')'] : '',
      '; seller ', code(e.cancellation.seller.mode), '. Refund ', code(e.refund.kind), ' ', code(`${e.refund.amount_minor} ${e.refund.currency}`), ' (', code(e.refund.reason), ').',
    ),
    table(
      'Obligations (someone must act by then)',
      ['id', 'case', 'party', 'state', 'due (UTC)', `due (${zone})`, 'basis', 'on miss'],
      e.obligations.map((o) => [
        code(o.id), o.case_id ? code(o.case_id) : '', o.party, el('span', { class: `state-${o.state}` }, o.state, o.met_at ? [' ', code(o.met_at)] : '', o.moot_reason ? [' (', code(o.moot_reason), ')'] : ''),
        code(o.due_at ?? '—'), local(o.due_at), o.basis ?? '', code(o.on_miss ?? ''),
      ]),
    ),
    table(
      'Windows (the party may act between these)',
      ['id', 'case', 'party', 'state', 'opens (UTC)', 'closes (UTC)', `closes (${zone})`, 'basis'],
      e.windows.map((w) => [
        code(w.id), w.case_id ? code(w.case_id) : '', w.party, el('span', { class: `state-${w.state}` }, w.state, w.used_at ? [' ', code(w.used_at)] : '', w.void_reason ? [' (', code(w.void_reason), ')'] : ''),
        code(w.opens_at ?? '—'), w.closes_at ? code(w.closes_at) : ['on ', code(w.closes_on ?? '—')], w.closes_at ? local(w.closes_at) : '', w.basis ?? '',
      ]),
    ),
    table(
      'Cases (returns and refund claims; the running clock is the obligation or window of the same case)',
      ['case', 'type', 'reason', 'status', 'items', 'amount', 'refunded', 'opened (UTC)', 'closed (UTC)'],
      (Array.isArray(e.cases) ? e.cases : []).map((c) => [
        code(c.case_id), code(c.type), code(c.reason ?? ''), el('span', {}, code(c.status), c.closed_reason ? [' (', code(c.closed_reason), ')'] : '', c.keep_item ? ' keep_item' : ''),
        (c.items ?? []).map((u) => `${u.qty} x ${u.line_id}`).join(', '), `${c.amount_minor} ${e.refund.currency}`, `${c.refunded_minor}`, code(c.opened_at), code(c.closed_at ?? ''),
      ]),
    ),
    table(
      'Refund parts (what each case, and the cancelled units, owe)',
      ['kind', 'amount', 'case', 'until (UTC)', 'reason'],
      (e.refund.parts ?? []).map((p) => [code(p.kind), `${p.amount_minor} ${e.refund.currency}`, p.case_id ? code(p.case_id) : '', code(p.until ?? ''), code(p.reason)]),
    ),
    table('Automatic actions due', ['action', 'reason', 'responsible', 'at', 'event to append'], e.due.map((d) => [code(d.action), code(d.reason), d.responsibility, code(d.at), code(JSON.stringify(d.event))])),
    table('Next actions', ['code', 'actor', 'until', 'priority'], e.next_actions.map((a) => [code(a.code), a.actor ?? '', code(a.until ?? ''), String(a.priority)])),
    table(
      'Events as the core replayed them',
      ['#', 'type', 'at', 'applied', 'not applied because'],
      (Array.isArray(e.events) ? e.events : []).map((x) => [String(x.event_index), code(x.type), code(x.at), x.applied ? (x.automatic ? 'yes (the due automatic action)' : 'yes') : 'no', x.skipped ? code(x.skipped) : '']),
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

// <ordertrail-tracker>: one order as the buyer sees it. Everything shown comes
// from the core's `ordertrail.evaluation/2` (effective status, facts,
// cancellation mode, obligations and windows, after-sales cases, refund, next
// actions, explanation, and for an order of several lines each line's state
// from `lines` and `packages`); the order document itself only supplies the
// items to display. What the buyer may record is the evaluation's `actions`
// (one button per buyer entry, its reasons in the dialog), and each click is
// decided by the core (`decide`) before the page hears of it. With
// `events-src` (an order service's `POST /v1/orders/{id}/events`), an allowed
// click is sent there as the command instead, and the service's decision is
// checked against the core's own.
import { OrdertrailElement, documentOf, widgetError, reflect } from './base.js';
import { core, isError } from './core.js';
import { h, time } from './dom.js';
import { formatter, instantMs, lineAmount, MISSING } from './format.js';

// Where each effective status stands on the Placed -> Paid -> Shipped -> Delivered line.
const STEP_OF_STATUS = {
  UNPAID: 0, ON_HOLD: 1, AWAITING_SHIPMENT: 1, AWAITING_COLLECTION: 1, PARTIALLY_SHIPPING: 2, IN_TRANSIT: 2, DELIVERED: 3, COMPLETED: 3,
};
// Line statuses whose units are all where they end up (no clause in the summary).
const LINE_SETTLED = new Set(['DELIVERED', 'COMPLETED']);
// The fact that dates each step (facts.confirmed_at is placed_at for cash on delivery).
const STEP_FACT = ['placed_at', 'confirmed_at', 'first_shipped_at', 'delivered_at'];
// The name of each event a buyer may record, as the page hears it (the
// `action` of `ordertrail-action`: the core's next_actions code where it has
// one), the kind of its reason dialog, and where its button sits (in the
// cancellation, in its case, else with the next steps). Whether it may be
// recorded, with which reasons, units and cases, is the evaluation's
// `actions`; this only names it. An event type not listed here is named by
// its type.
const BUYER_EVENTS = {
  cancelled: { code: 'cancel_now', dialog: 'cancel', place: 'cancellation' },
  cancel_requested: { code: 'request_cancellation', dialog: 'request', place: 'cancellation' },
  cancel_request_withdrawn: { code: 'withdraw_cancellation_request', place: 'cancellation' },
  return_requested: { code: 'return_item', dialog: 'return' },
  return_withdrawn: { code: 'withdraw_return', place: 'case' },
  return_shipped: { code: 'ship_return', place: 'case' },
  appeal_opened: { code: 'appeal', place: 'case' },
};
// The claim reasons of SPEC 4.4: a return request giving one is a
// refund_only claim, granted by its own window (an `actions` entry of its own).
const CLAIM_ACTIONS = { not_received: 'claim_refund_not_received', delivered_not_received: 'claim_refund_delivered_not_received' };
// The next_actions codes that are one of the events above: their buttons come
// from `actions`, never from next_actions.
const RECORDED_ACTIONS = new Set([...Object.values(BUYER_EVENTS).map((x) => x.code), ...Object.values(CLAIM_ACTIONS)]);

// The statuses whose headline is the arrival date, while the core has an estimate.
const ARRIVING = new Set(['ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'PARTIALLY_SHIPPING', 'IN_TRANSIT']);
// Why the buyer cannot cancel, when the headline already says it (the cancellation section is left out).
const HEADLINE_SAYS_NOT_CANCELLABLE = new Set(['already_cancelled', 'already_delivered', 'order_completed']);
// The carrier's scans shown before "more".
const SCANS_SHOWN = 3;

// How often a command is sent again, with the same Idempotency-Key, when the
// service could not be reached (or answered 502, 503, 504), and after how long.
const RETRY_DELAYS_MS = [300, 1000, 2500];
const RETRY_STATUS = new Set([502, 503, 504]);

export class OrdertrailTracker extends OrdertrailElement {
  static get observedAttributes() {
    return [...super.observedAttributes, 'events-src', 'view', 'tracking-url'];
  }

  /** 'agent' (the support console: responsibility, anomalies, the core's own texts) or 'buyer' (the default). */
  get view() {
    return this.getAttribute('view') === 'agent' ? 'agent' : 'buyer';
  }
  set view(value) {
    if (value === null || value === undefined || value === 'buyer') this.removeAttribute('view');
    else this.setAttribute('view', String(value));
  }

  /**
   * The host's link to a carrier's tracking page, with `{tracking_number}` and
   * `{carrier}` (URL-encoded when filled in); only http(s). Null: no link.
   */
  get trackingUrl() {
    return this.getAttribute('tracking-url');
  }
  set trackingUrl(value) {
    if (value === null || value === undefined) this.removeAttribute('tracking-url');
    else this.setAttribute('tracking-url', String(value));
  }

  static {
    reflect(this, { eventsSrc: 'events-src' });
  }

  #evaluation = null;
  #error = null;
  #dialogOpen = false;
  #stale = false;
  // A command on its way to `events-src`: every button is disabled until it is answered.
  #posting = false;
  // What the last command sent to `events-src` left to say, until the next
  // click or another order-src: {kind: 'changed'} (412: the order was
  // reloaded), {kind: 'failed' | 'mismatch', error}: an ordertrail.error/1,
  // also `.error`.
  #notice = null;
  // The last refused decision (or failed one), shown until the order, the
  // policy or the `now` attribute changes: {order, policy, now, code, refusal}.
  #refusal = null;

  /** The last `ordertrail.evaluation/2` (read-only; null before the first or after an error). */
  get evaluation() {
    return this.#evaluation;
  }

  /**
   * The last `ordertrail.error/1` the core returned for this order, else the
   * one of the last command sent to `events-src` (`decision_mismatch`,
   * `record_failed`), or null.
   */
  get error() {
    return this.#error ?? this.#notice?.error ?? null;
  }

  /** True while a command is being sent to `events-src`. */
  get recording() {
    return this.#posting;
  }

  attributeChangedCallback(name, oldValue, value) {
    if (name === 'order-src' && oldValue !== value) this.#notice = null;
    super.attributeChangedCallback(name, oldValue, value);
  }

  update({ ot, policies }) {
    if (this.#dialogOpen) {
      this.#stale = true;
      return;
    }
    const t = this.translator;
    const order = this.order;
    if (order === null) {
      if (this.fetchError) return this.failed(this.fetchError);
      // Loading a new order-src, or no order at all: nothing of a previous order stays.
      this.#evaluation = null;
      this.#error = null;
      if (this.loadingOrder) this.replaceContent(h('div', { class: 'panel loading', part: 'panel', role: 'status' }, t('loading')));
      else this.replaceContent(h('div', { part: 'panel', hidden: true }));
      return;
    }
    const policy = documentOf(this.policy);
    const now = this.instant;
    const orderId = documentOf(order)?.order_id ?? null;
    const result = ot.evaluate(order, now, this.policy ?? undefined);
    if (isError(result)) return this.failed(result, typeof orderId === 'string' ? orderId : null);
    const doc = documentOf(order) ?? {};
    const zone = policy?.time_zone ?? policies[result.market]?.time_zone ?? 'UTC';
    const ctx = {
      e: result, doc, t, f: formatter(this.resolvedLocale, zone), now, moves: buyerMoves(result), dialogs: [],
      agent: this.view === 'agent', trackingUrl: this.trackingUrl,
      // The obligations and windows (by id) a line above has dated: each date is said once.
      said: new Set(),
    };
    let panel;
    try {
      panel = this.#render(ctx);
    } catch (e) {
      // Whatever the core returned, the buyer never gets a blank panel.
      return this.failed(widgetError('render_failed', `the evaluation could not be shown: ${String(e?.message ?? e)}`), result.order_id);
    }
    nameRegions(panel, t, result.order_id);
    this.#evaluation = result;
    this.#error = null;
    this.replaceContent(panel);
    this.settle(result, { order_id: result.order_id, evaluation: result, error: null });
  }

  /** Nothing to show: clears the last order, shows a message for buyers, sets .error, tells the page. */
  failed(err, orderId = null) {
    this.#evaluation = null;
    this.#error = err;
    this.replaceContent(this.#errorPanel(this.translator, err));
    this.settle(err, { order_id: orderId, evaluation: null, error: err });
  }

  // Buyers read what they can do, never the engine's or the browser's text
  // (that is in .error and the event, for the page and its developers).
  #errorPanel(t, err) {
    return h(
      'section',
      { class: 'panel error', part: 'panel', role: 'alert', 'data-code': err.code },
      h('h2', {}, t('error.title')),
      h('p', { class: 'help' }, t(buyerErrorKey(err.code))),
    );
  }

  #render(ctx) {
    const { t } = ctx;
    const headingId = 'ot-headline';
    // The cancellation, cases and refund first: the dates leave out what they say.
    const cancel = this.#cancellation(ctx);
    const header = this.#header(ctx, headingId);
    const cases = this.#cases(ctx);
    const refund = this.#refund(ctx);
    const actions = this.#actions(ctx, cancel.codes);
    return h(
      'article',
      { class: 'panel', part: 'panel', 'aria-labelledby': headingId, lang: t.language, 'data-view': ctx.agent ? 'agent' : 'buyer' },
      header,
      this.#noticed(ctx),
      this.#refused(ctx),
      this.#timeline(ctx),
      actions,
      refund,
      cases,
      cancel.node,
      this.#parcels(ctx),
      this.#dates(ctx),
      this.#fallbacks(ctx),
      this.#items(ctx),
      this.#explanation(ctx),
      ctx.dialogs,
    );
  }

  #header(ctx, headingId) {
    const { e, t, f } = ctx;
    const status = e.effective_status;
    const cancelled = e.cancelled;
    const facts = e.facts;
    const top = headlineOf(ctx);
    // The status in words above a headline that is a date ("On its way" over
    // "Arriving Wed, Mar 12"); a Cancelled or Delivered headline says it itself.
    const kicker = top.key !== statusKey(ctx) && !['CANCELLED', 'DELIVERED'].includes(status) ? t(statusKey(ctx)) : null;
    const revised = top.estimate && facts.revised_est_delivery && facts.est_delivery && facts.revised_est_delivery !== facts.est_delivery;
    return h(
      'header',
      { part: 'header' },
      h(
        'p',
        { class: 'meta' },
        h('span', {}, t('order.title', { id: e.order_id })),
        Number.isFinite(facts.total_minor) ? h('span', {}, t('order.total', { amount: f.money(facts.total_minor, facts.currency) })) : null,
      ),
      kicker ? h('p', { class: 'status', part: 'status' }, kicker) : null,
      h('h2', { id: headingId, class: 'headline', part: 'headline', 'data-status': status, 'data-headline': top.kind ?? null }, t.parts(top.key, top.params)),
      revised ? h('p', { class: 'estimate', part: 'estimate' }, t.parts('estimate.was', { date: day(f, facts.est_delivery) })) : null,
      h('p', { class: 'why', part: 'why' }, this.#why(ctx)),
      this.#linesSummary(ctx),
      // Who is at fault is a seller metric (SPEC 5): for agents only.
      cancelled && ctx.agent
        ? h('p', { class: 'responsibility', part: 'responsibility', 'data-responsibility': cancelled.responsibility }, t(`responsibility.${cancelled.responsibility}`))
        : null,
    );
  }

  // One sentence of why, for the effective status, dated by the obligations
  // and windows it speaks of (those are then left out of the dates below).
  // A cash-on-delivery order with nothing collected reads its `.cod` text
  // where there is one (no "full refund" when nothing was paid).
  #why(ctx) {
    const { e, t, f } = ctx;
    const obligation = (id) => e.obligations.find((o) => o.id === id);
    const windowOf = (id) => e.windows.find((w) => w.id === id);
    const by = (instant, mode) => clock(f, instant, mode);
    const has = (code) => e.next_actions.some((a) => a.actor === 'buyer' && a.code === code);
    const say = (key, params = {}, ...ids) => {
      for (const id of ids) ctx.said.add(id);
      return t.parts(codKey(ctx, key), params);
    };
    // The seller's dispatch promise while units are still to ship: pending, or
    // missed (late) with the automatic cancellation still ahead.
    const toShip = (prefix) => {
      const dispatch = obligation('dispatch_by');
      const shipBy = obligation('ship_by');
      if (dispatch?.state === 'pending') return say(prefix, { until: by(dispatch.due_at) }, 'dispatch_by');
      if (dispatch?.state === 'missed' && shipBy?.state === 'pending') return say(`${prefix}.late`, { due: by(dispatch.due_at), until: by(shipBy.due_at) }, 'ship_by');
      return null;
    };
    switch (e.effective_status) {
      case 'UNPAID':
        return say(has('review_payment_method') ? 'why.UNPAID.payment_failed' : 'why.UNPAID', { until: by(obligation('payment')?.due_at) }, 'payment');
      case 'ON_HOLD':
        return say('why.ON_HOLD');
      case 'AWAITING_SHIPMENT':
      case 'AWAITING_COLLECTION':
        if (e.flags.cancel_request_pending) return say('why.AWAITING.request');
        return toShip('why.AWAITING') ?? say(`why.${e.effective_status}`);
      case 'PARTIALLY_SHIPPING':
        return toShip('why.PARTIALLY_SHIPPING') ?? say('why.PARTIALLY_SHIPPING.no_deadline');
      case 'IN_TRANSIT': {
        if (casesOf(e).some(isOpen)) return say('why.IN_TRANSIT.case_open');
        if (e.refund.kind === 'refund_only') return say('why.IN_TRANSIT.not_received', { until: by(e.refund.until) }, 'not_received_claim');
        if (has('verify_address')) return say('why.IN_TRANSIT.attempt_failed');
        const claim = windowOf('not_received_claim');
        if (claim?.state === 'upcoming') return say('why.IN_TRANSIT.claim_from', { from: by(claim.opens_at, 'from') }, 'not_received_claim');
        return say('why.IN_TRANSIT');
      }
      case 'DELIVERED': {
        const key = `why.DELIVERED.${refundReason(e)}`;
        return say(t.has(key) ? key : 'why.DELIVERED', { until: by(e.refund.until) }, ...(t(key).includes('{until}') ? ['return'] : []));
      }
      case 'CANCELLED': {
        const c = e.cancelled;
        if (!c) return say('status.CANCELLED');
        const key = [
          ...(c.automatic ? [`why.CANCELLED.reason.${c.reason}.automatic`] : []),
          `why.CANCELLED.reason.${c.reason}`,
          c.automatic ? 'why.CANCELLED.automatic' : `why.CANCELLED.${c.by}`,
          'why.CANCELLED',
        ].find((k) => t.has(k));
        return say(key, { reason: reasonText(t, c.reason) });
      }
      default:
        return say(`why.${e.effective_status}`);
    }
  }

  #timeline({ e, t, f, now }) {
    const facts = e.facts;
    const cancelled = e.effective_status === 'CANCELLED' ? e.cancelled : null;
    const until = instantMs(cancelled?.at ?? now);
    // When a step happened: the core's facts (from the events it applied: a
    // duplicate, a future event or one after the cancellation does not count),
    // up to the cancellation. Never re-derived from the document.
    const whenOf = (i) => {
      const at = facts[STEP_FACT[i]];
      return at && instantMs(at) <= until ? at : null;
    };
    let reached;
    if (!cancelled) reached = STEP_OF_STATUS[e.effective_status] ?? 0;
    else if (e.status !== 'CANCELLED' && e.status in STEP_OF_STATUS) reached = STEP_OF_STATUS[e.status];
    else reached = [1, 2, 3].filter((i) => whenOf(i)).reduce((a, b) => Math.max(a, b), 0);

    const labels = ['step.placed', facts.payment_method === 'cod' ? 'step.confirmed' : 'step.paid', 'step.shipped', 'step.delivered'];
    // Each step's state in words too (visually hidden), not by colour alone.
    const step = (cls, label, state, at) =>
      h(
        'li',
        { class: `step${cls}`, part: 'step', 'data-state': state, 'aria-current': state === 'current' ? 'step' : null },
        t(label),
        h('span', { class: 'visually-hidden' }, ` (${t(`step.state.${state}`)})`),
        at ? h('span', { class: 'when' }, time(at, f.dateTime(at))) : null,
      );
    const steps = [];
    const count = cancelled ? reached + 1 : labels.length;
    for (let i = 0; i < count; ++i) {
      const state = i > reached ? 'todo' : !cancelled && i === reached ? 'current' : 'done';
      steps.push(step(i <= reached ? ' done' : '', labels[i], state, i <= reached ? whenOf(i) : null));
    }
    if (cancelled) steps.push(step(' done cancelled', 'step.cancelled', 'current', cancelled.at));
    return h('ol', { class: 'steps', part: 'timeline', 'aria-label': t('steps.label') }, steps);
  }

  // The dates that matter to the buyer, soonest first: what must happen (the
  // obligations still pending: the buyer's payment, the seller's dispatch,
  // ship-by and delivery promises, an answer due), the estimated delivery
  // while the delivery promise stands, and the buyer's windows worded as
  // options from their state (open, upcoming, closed: never "missed"); what
  // is over (a closed or used window) comes last. Every entry's text is the
  // message of its id and state: one without a message is not shown (a window
  // used or void is said by the headline, the cancellation or the refund). A
  // case's clocks (its obligations and appeal window) are said by its stage
  // in the case list.
  //
  // Left out: what a line above dated (ctx.said: the why line, the
  // cancellation), and the fallback clocks (#fallbacks).
  #dates(ctx) {
    const { e } = ctx;
    const entries = [
      ...e.obligations.filter((o) => !o.case_id && !ctx.said.has(o.id) && !isFallback(o)).map((o) => this.#obligation(ctx, o)),
      this.#estimate(ctx),
      ...e.windows.filter((w) => w.party === 'buyer' && !w.case_id && !ctx.said.has(w.id) && !isFallback(w)).map((w) => this.#window(ctx, w)),
    ].filter(Boolean);
    return this.#dateList(ctx, entries, { cls: 'dates', part: 'dates', id: 'ot-dates', title: 'dates.title' });
  }

  // "If the seller is late": what happens automatically when the seller
  // misses a promise (a seller's obligation whose on_miss is the core's
  // auto_cancel: ship_by, delivery) and the buyer's claim for an order not
  // received while it is still to open: quieter than the dates, which are
  // what the buyer and the seller do.
  #fallbacks(ctx) {
    const { e } = ctx;
    const entries = [
      ...e.obligations.filter((o) => !o.case_id && !ctx.said.has(o.id) && isFallback(o)).map((o) => this.#obligation(ctx, o)),
      ...e.windows.filter((w) => w.party === 'buyer' && !w.case_id && !ctx.said.has(w.id) && isFallback(w)).map((w) => this.#window(ctx, w)),
    ].filter(Boolean);
    return this.#dateList(ctx, entries, { cls: 'fallbacks box', part: 'fallbacks', id: 'ot-fallbacks', title: 'fallbacks.title' });
  }

  #dateList(ctx, entries, { cls, part, id, title }) {
    if (!entries.length) return null;
    // What is over after what is not; then by instant (one the widget cannot
    // read last); ties keep the core's order.
    const when = (x) => (Number.isNaN(x.at) ? Infinity : x.at);
    entries.sort((a, b) => Number(a.over) - Number(b.over) || when(a) - when(b) || 0);
    return h(
      'section',
      { class: cls, part, 'aria-labelledby': id },
      h('h3', { id }, ctx.t(title)),
      h('ul', { class: 'list' }, entries.map((x) => x.node)),
    );
  }

  // An obligation, by `obligation.<id>.<state>` (a buyer is shown the pending
  // ones: what is still to be done by then).
  #obligation(ctx, o) {
    const key = codKey(ctx, `obligation.${o.id}.${o.state}`);
    if (!ctx.t.has(key)) return null;
    return {
      at: instantMs(o.due_at),
      over: false,
      node: dateEntry(ctx, { 'data-obligation': o.id, 'data-state': o.state }, key, { at: clock(ctx.f, o.due_at) }, countdown(ctx, o.due_at, 'by')),
    };
  }

  // The estimated delivery (the core's revised one when there is one) while
  // it is still a promise: the delivery obligation pending, or, before it is
  // listed (not paid yet), the payment pending, so that what the checkout
  // promised stays in view from placement.
  #estimate(ctx) {
    const { e, f } = ctx;
    const facts = e.facts;
    const date = facts.revised_est_delivery ?? facts.est_delivery;
    const state = (id) => e.obligations.find((o) => o.id === id)?.state;
    // (The headline says it while it is the arrival date.)
    if (!date || ctx.said.has('est_delivery') || (state('delivery') ?? state('payment')) !== 'pending') return null;
    const key = facts.revised_est_delivery ? 'fact.est_delivery.revised' : 'fact.est_delivery';
    return {
      at: instantMs(`${date}T12:00:00Z`),
      over: false,
      node: dateEntry(ctx, { 'data-fact': 'est_delivery' }, key, { date: time(date, f.date(date)) }, null),
    };
  }

  // A window, by `window.<id>.<state>`, and `.on_<closes_on>` when it ends
  // with an event rather than at an instant ("until the order is packed").
  // Its instants: {opens} (the day it starts), {closes} (the last day, or the
  // instant), {closed} (the day it closed), {used}.
  #window(ctx, w) {
    const { t, f } = ctx;
    const key = `window.${w.id}.${w.state}${w.closes_at === null && w.closes_on ? `.on_${w.closes_on}` : ''}`;
    if (!t.has(key)) return null;
    const params = { opens: clock(f, w.opens_at, 'from'), closes: clock(f, w.closes_at), closed: clock(f, w.closes_at), used: clock(f, w.used_at, 'from') };
    // A text whose instant the core left out (a clock past 9999-12-31) is not shown half-written.
    if ([...t(key).matchAll(/\{(\w+)\}/g)].some(([, name]) => !params[name])) return null;
    const upcoming = w.state === 'upcoming';
    const open = w.state === 'open';
    const at = upcoming ? w.opens_at : open ? (w.closes_at ?? w.opens_at) : (w.used_at ?? w.closes_at ?? w.opens_at);
    const left = upcoming ? countdown(ctx, w.opens_at, 'from') : open && w.closes_at ? countdown(ctx, w.closes_at, 'by') : null;
    return {
      at: instantMs(at),
      over: !upcoming && !open,
      node: dateEntry(ctx, { 'data-window': w.id, 'data-state': w.state, class: upcoming || open ? 'date' : 'date over' }, key, params, left),
    };
  }

  // The refund card, from what was actually refunded (`refunds`, less the
  // records of automatic refunds only due) and what is still due or may be
  // claimed (`refund`): "Refunded $79.00", "$39.00 of $54.00 refunded" and
  // why the rest is not, each refund with its day and items; a refund only
  // due is "on its way", never "refunded". Not shown when nothing was
  // refunded and nothing is due (nothing paid, an order under way), nor when
  // the headline said its one refund.
  #refund(ctx) {
    const { e, t, f } = ctx;
    const r = e.refund;
    const currency = r.currency ?? e.facts?.currency;
    const money = (minor) => f.money(minor, currency);
    const paid = count(e.facts?.paid_minor);
    const refunds = actualRefunds(e);
    const refunded = refunds.reduce((n, x) => n + count(x.amount_minor), 0);
    const pending = pendingCaseRefunds(e).reduce((n, d) => n + count(d.event.amount_minor), 0);
    if (!refunds.length && !r.eligible && !pending) return null;
    if (ctx.headline === 'refunded' && refunds.length === 1 && !r.eligible && !pending) return null;
    const reason = refundReason(e);
    const lines = Array.isArray(e.lines) ? e.lines : [];
    const record = (x) => {
      const names = (Array.isArray(x.items) ? x.items : []).map((u) => lines.find((l) => l?.line_id === u?.line_id)).filter(Boolean);
      return h(
        'li',
        { class: 'refunded', 'data-refund': x.at },
        t.parts('refund.record', { amount: money(x.amount_minor), on: day(f, f.localDate(x.at)) }),
        names.length ? [' · ', names.map((l, i) => [i ? ', ' : '', lineName(l)])] : null,
      );
    };
    let due = null;
    if (pending) due = t.parts('refund.on_its_way', { amount: money(pending) });
    else if (r.eligible) due = t.parts(codKey(ctx, `refund.${reason}`), { amount: money(r.amount_minor), until: clock(f, r.until) });
    else if (refunded < paid && t.has(`refund.rest.${r.reason}`)) due = t.parts(`refund.rest.${r.reason}`, { amount: money(paid - refunded) });
    return h(
      'section',
      { class: 'refund box', part: 'refund', 'aria-labelledby': 'ot-refund', 'data-kind': r.kind, 'data-reason': r.reason },
      h('h3', { id: 'ot-refund' }, t('refund.title')),
      refunds.length
        ? h('p', { class: 'total', part: 'refund-total' }, refunded >= paid ? t('refund.refunded_all', { amount: money(refunded) }) : t('refund.refunded_part', { amount: money(refunded), paid: money(paid) }))
        : null,
      refunds.length ? h('ul', { class: 'list' }, refunds.map(record)) : null,
      r.eligible && !pending ? h('p', { class: 'kind' }, t(`refund.kind.${r.kind}`), ` · ${money(r.amount_minor)}`) : null,
      due ? h('p', { class: 'due' }, due) : null,
    );
  }

  // Each parcel: its state, carrier and tracking number (a link only with
  // the host's `tracking-url`), its items when there are several parcels,
  // and the carrier's scans, newest first (a few, then the rest folded).
  #parcels(ctx) {
    const { e, t } = ctx;
    const packages = (Array.isArray(e.packages) ? e.packages : []).filter((p) => p && typeof p === 'object');
    if (!packages.length) return null;
    return h(
      'section',
      { class: 'parcels', part: 'parcels', 'aria-labelledby': 'ot-parcels' },
      h('h3', { id: 'ot-parcels' }, t(packages.length > 1 ? 'parcels.title.other' : 'parcels.title.one', { n: ctx.f.number(packages.length) })),
      h('ul', { class: 'list' }, packages.map((p) => this.#parcel(ctx, p, packages.length > 1))),
    );
  }

  #parcel(ctx, p, several) {
    const { e, t, f } = ctx;
    const state = p.status === 'in_transit' && p.delivery_attempt_failed ? 'attempt_failed' : p.status;
    // Its day when there are several (one parcel's is the headline's or the steps').
    const when = several ? { packed: p.packed_at, in_transit: p.shipped_at, attempt_failed: p.shipped_at, delivered: p.delivered_at, lost: p.lost_at }[state] : null;
    const key = `parcel.status.${state}${when ? '.on' : ''}`;
    const lines = Array.isArray(e.lines) ? e.lines : [];
    const items = several
      ? (Array.isArray(p.items) ? p.items : []).map((u, i) => {
          const line = lines.find((l) => l?.line_id === u?.line_id) ?? { line_id: u?.line_id };
          return [i ? ', ' : '', `${t('items.qty', { qty: u?.qty ?? 1 })} `, lineName(line)];
        })
      : [];
    const number = typeof p.tracking_number === 'string' && p.tracking_number ? p.tracking_number : null;
    const carrier = typeof p.carrier === 'string' && p.carrier ? p.carrier : null;
    const href = trackingHref(ctx.trackingUrl, carrier, number);
    const scans = (Array.isArray(p.scans) ? p.scans : []).filter((x) => x && typeof x === 'object');
    scans.sort((a, b) => (instantMs(b.at) || 0) - (instantMs(a.at) || 0));
    const scan = (x) => h('li', { class: 'scan' }, time(x.at, f.dateTime(x.at)), ' ', h('bdi', {}, plainText(x.text || x.status || '')));
    return h(
      'li',
      { class: 'parcel', 'data-package': p.package_id, 'data-status': state },
      h('span', { class: 'state', part: 'parcel-state' }, t.parts(t.has(key) ? key : 'parcel.status.other', { on: when ? day(f, f.localDate(when)) : '', status: String(p.status ?? '') })),
      items.length ? h('span', { class: 'items' }, ' · ', items) : null,
      carrier || number
        ? h(
            'span',
            { class: 'tracking', part: 'tracking' },
            carrier ? h('bdi', { class: 'carrier' }, plainText(carrier)) : null,
            carrier && number ? ' · ' : null,
            number
              ? [
                  t('parcel.tracking'),
                  ' ',
                  href
                    ? h('a', { href, rel: 'noopener noreferrer', target: '_blank', part: 'tracking-link' }, plainText(number))
                    : h('bdi', { class: 'number' }, plainText(number)),
                ]
              : null,
          )
        : null,
      scans.length ? h('ol', { class: 'scans', 'aria-label': t('parcel.scans') }, scans.slice(0, SCANS_SHOWN).map(scan)) : null,
      scans.length > SCANS_SHOWN
        ? h('details', { class: 'more-scans' }, h('summary', {}, t('parcel.more', { n: f.number(scans.length - SCANS_SHOWN) })), h('ol', { class: 'scans' }, scans.slice(SCANS_SHOWN).map(scan)))
        : null,
    );
  }

  // The after-sales cases (returns and refund claims), open ones first, each
  // with its kind and units and its stage in the buyer's words: who must act
  // by when (the case's running obligation, or its appeal window), or briefly
  // how it ended. What the buyer may record on a case (send it back, appeal,
  // withdraw) are buttons in the case the core's `actions` name.
  #cases(ctx) {
    const { e, t } = ctx;
    const cases = casesOf(e);
    if (!cases.length) return null;
    const entries = cases.map((c) => this.#case(ctx, c, ctx.moves.filter((m) => m.place === 'case' && m.caseId === c.case_id)));
    entries.sort((a, b) => Number(a.over) - Number(b.over));
    return h(
      'section',
      { class: 'cases box', part: 'cases', 'aria-labelledby': 'ot-cases' },
      h('h3', { id: 'ot-cases' }, t('cases.title')),
      h('ul', { class: 'list' }, entries.map((x) => x.node)),
    );
  }

  #case(ctx, c, moves) {
    const { e, t } = ctx;
    const stage = caseStage(ctx, c);
    const units = (Array.isArray(c.items) ? c.items : []).map((u, i) => {
      const line = (Array.isArray(e.lines) ? e.lines : []).find((l) => l?.line_id === u?.line_id) ?? { line_id: u?.line_id };
      return [i ? ', ' : '', `${t('items.qty', { qty: u?.qty ?? 1 })} `, lineName(line)];
    });
    return {
      over: !isOpen(c),
      node: h(
        'li',
        { class: `case${isOpen(c) ? '' : ' over'}`, 'data-case': c.case_id, 'data-status': c.status },
        h('span', { class: 'kind' }, t(`case.kind.${c.type}`), units.length ? [' · ', units] : null),
        h(
          'span',
          { class: 'date' },
          h('span', { class: 'stage' }, t.parts(stage.key, stage.params)),
          stage.left ? [' ', h('span', { class: `countdown${stage.left.soon ? ' soon' : ''}` }, `— ${stage.left.text}`)] : null,
        ),
        moves.length ? h('span', { class: 'buttons' }, orderedMoves(ctx, moves).map((m) => this.#moveButton(ctx, m))) : null,
      ),
    };
  }

  // The cancellation for the buyer's mode: what the buyer may do, in words,
  // and the buttons of what the core's `actions` let the buyer record now
  // (cancel, ask the seller to cancel, withdraw the request), or the seller to
  // contact. Returns {node, codes}: codes are the next_actions shown here.
  //
  // Not shown when the headline already says why it cannot be (cancelled,
  // delivered, completed). It dates the buyer's cancellation windows and the
  // seller's answer (left out of the dates), says what happens to a request
  // left unanswered (the obligation's on_miss), and the seller's last answer
  // to a request when it was a rejection.
  #cancellation(ctx) {
    const { e, t, f } = ctx;
    const buyer = e.cancellation.buyer;
    if (buyer.mode === 'not_allowed' && HEADLINE_SAYS_NOT_CANCELLABLE.has(buyer.reason)) return { node: null, codes: new Set() };
    // What this section dates, by mode: not repeated in the dates.
    ctx.said.add({ instant: 'free_cancellation', request: buyer.reason === 'cancel_request_pending' ? 'cancel_request_response' : 'cancel_request' }[buyer.mode]);
    const untilNode = clock(f, buyer.until);
    const buttons = ctx.moves.filter((m) => m.place === 'cancellation').map((m) => this.#moveButton(ctx, m, { key: 'cancel-control', cls: m.code === 'cancel_now' ? 'danger' : '' }));
    const codes = new Set();
    let text;
    if (buyer.mode === 'instant') {
      // (Unpaid, its end is the payment deadline the why line dates.)
      text = e.effective_status === 'UNPAID' && t.has('cancel.instant.unpaid') ? t.parts('cancel.instant.unpaid') : t.parts('cancel.instant', { until: untilNode });
    } else if (buyer.mode === 'request' && buyer.reason === 'cancel_request_pending') {
      const answer = e.obligations.find((o) => o.id === 'cancel_request_response' && o.state === 'pending');
      const key = `cancel.pending.${answer?.on_miss}`;
      text = t.parts(answer && t.has(key) ? key : 'cancel.pending', { until: answer ? clock(f, answer.due_at) : untilNode });
    } else if (buyer.mode === 'request') {
      // Until the event that closes the buyer's request window ("until the
      // order is packed") when it ends with one, else until the core's instant.
      const requests = e.windows.find((w) => w.id === 'cancel_request' && w.state === 'open');
      const onEvent = requests?.closes_at === null ? `cancel.request.on_${requests.closes_on}` : null;
      text = onEvent && t.has(onEvent) ? t.parts(onEvent) : t.parts('cancel.request', { until: untilNode });
    } else if (buyer.mode === 'contact_seller') {
      text = t(t.has(`cancel.contact_seller.${buyer.reason}`) ? `cancel.contact_seller.${buyer.reason}` : 'cancel.contact_seller');
      buttons.push(this.#helpButton(ctx, 'contact_seller', { key: 'cancel-control' }));
      codes.add('contact_seller');
    } else {
      const key = `cancel.not_allowed.${buyer.reason}`;
      text = t.has(key) ? t(key) : t('cancel.not_allowed', { reason: buyer.reason ?? '' });
    }
    return {
      node: h(
        'section',
        { class: 'cancellation', part: 'cancellation', 'aria-labelledby': 'ot-cancel', 'data-mode': buyer.mode },
        h('h3', { id: 'ot-cancel' }, t('cancel.title')),
        this.#answer(ctx),
        h('p', {}, text),
        buttons.length ? h('div', { class: 'buttons' }, buttons) : null,
      ),
      codes,
    };
  }

  // The seller's answer to the buyer's last cancellation request, when it
  // was a rejection (an approval cancels the order: the headline says it):
  // from the events the core applied, the document's event for its reason.
  #answer({ e, doc, t, f }) {
    const outcomes = (Array.isArray(e.events) ? e.events : []).filter((x) => x?.applied && ['cancel_requested', 'cancel_request_rejected'].includes(x.type));
    const last = outcomes[outcomes.length - 1];
    if (last?.type !== 'cancel_request_rejected') return null;
    const event = Array.isArray(doc.events) ? doc.events[last.event_index] : null;
    const by = event?.by === 'platform' || last.automatic ? 'platform' : 'seller';
    const reason = typeof event?.reason === 'string' ? event.reason : null;
    return h(
      'p',
      { class: 'answer', part: 'answer', 'data-answer': 'cancel_request_rejected' },
      t.parts(`answer.cancel_request_rejected.${by}${reason ? '.reason' : ''}`, { on: day(f, f.localDate(last.at)), reason: reason ? reasonText(t, reason) : '' }),
    );
  }

  // The button of one thing the buyer may record (a `move`, from `actions`):
  // with reasons it opens their dialog, else it asks the core at once.
  #moveButton(ctx, move, { key = moveKey(move), cls = '' } = {}) {
    const dialog = move.reasons.length ? this.#reasonDialog(ctx, move) : null;
    if (dialog) ctx.dialogs.push(dialog);
    const primary = ctx.e.next_actions.some((a) => a.actor === 'buyer' && a.primary && a.code === move.code);
    return h(
      'button',
      {
        type: 'button', class: [cls, primary ? 'primary' : ''].filter(Boolean).join(' '), part: 'action', 'data-key': key, 'data-action': move.code,
        'data-case': move.caseId, disabled: this.#posting, 'aria-busy': this.#posting ? 'true' : null,
        onclick: () => (dialog ? this.#openDialog(dialog) : this.#record(move, null)),
      },
      ctx.t(`action.${move.code}`),
    );
  }

  // A next step that records nothing (pay, contact the seller, track the
  // parcel): the page is told, with no event.
  #helpButton({ e, t }, code, { key = `action-${code}`, primary = false } = {}) {
    return h(
      'button',
      { type: 'button', class: primary ? 'primary' : '', part: 'action', 'data-key': key, 'data-action': code, onclick: () => this.emitAction({ action: code, order_id: e.order_id }) },
      t(`action.${code}`),
    );
  }

  // The buyer's choice of one of the entry's reasons (exactly those the
  // catalogue gives the buyer in this state, in its order).
  #reasonDialog(ctx, move) {
    const { t } = ctx;
    const kind = move.dialog ?? 'other';
    const titleId = `ot-dialog-${moveKey(move)}`;
    const choices = move.reasons.map((code, i) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'reason', value: code, required: i === 0 ? true : null }),
        h('span', {}, t.has(`choice.${code}`) ? t(`choice.${code}`) : code),
      ),
    );
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: titleId }, t(`dialog.${kind}.title`)),
      h('fieldset', {}, h('legend', {}, t(`dialog.${kind}.reason`)), choices),
      h(
        'div',
        { class: 'dialog-buttons' },
        h('button', { type: 'submit', value: 'keep', formnovalidate: true, 'data-role': 'keep' }, t(`dialog.${kind}.keep`)),
        h('button', { type: 'submit', value: 'confirm', class: 'primary', 'data-role': 'confirm' }, t(`dialog.${kind}.confirm`)),
      ),
    );
    const dialog = h('dialog', { part: 'dialog', 'aria-labelledby': titleId, 'data-action': move.code }, form);
    dialog.addEventListener('close', () => {
      this.#dialogOpen = false;
      const reason = new FormData(form).get('reason');
      const confirmed = dialog.returnValue === 'confirm' && reason;
      form.reset();
      if (confirmed) this.#record(move, String(reason));
      else if (this.#stale) {
        this.#stale = false;
        this.schedule();
      }
    });
    return dialog;
  }

  #openDialog(dialog) {
    if (this.#posting) return;
    this.#dialogOpen = true;
    dialog.returnValue = '';
    dialog.showModal();
  }

  // The buyer asks to record `move` (with `reason`): the core decides it at
  // the widget's `now` on the order as it is (the page may have moved either
  // since this was drawn). Allowed: `ordertrail-action` with the exact event
  // to record and the decision. Refused (or the core failed): the refusal is
  // shown and the page hears nothing. Already recorded: nothing to do.
  async #record(move, reason) {
    if (this.#posting) return;
    const eventsSrc = this.getAttribute('events-src');
    // Held from the click (a second click while the core decides is ignored
    // too) until the service answered, or the core refused here.
    if (eventsSrc) this.#posting = true;
    const order = this.order;
    const version = this.orderVersion;
    const policy = this.policy;
    const now = this.instant;
    const pinned = this.getAttribute('now');
    const command = commandOf(move, reason);
    let decision;
    try {
      decision = (await core()).ot.decide(order, command, now, policy ?? undefined);
    } catch (e) {
      decision = widgetError('module_load_failed', `the ordertrail module could not be loaded: ${String(e?.message ?? e)}`);
    }
    this.#stale = false;
    if (isError(decision) || !decision.allowed || decision.already_recorded) this.#posting = false;
    if (isError(decision) || !decision.allowed) {
      this.#refusal = { order, policy, now: pinned, code: isError(decision) ? null : decision.refusal.code, refusal: isError(decision) ? decision : decision.refusal };
      this.schedule();
      return;
    }
    this.#refusal = null;
    this.#notice = null;
    this.schedule();
    if (decision.already_recorded) return;
    const detail = { action: move.code, order_id: decision.evaluation.order_id };
    if (reason) detail.reason = reason;
    if (move.caseId) detail.case_id = move.caseId;
    if (eventsSrc) return this.#send(eventsSrc, { detail, command, order, version, policy, pinned });
    this.emitAction({ ...detail, event: decision.event, decision });
  }

  // Sends `command` to the order service at `url` (the core allowed it on
  // `order`): with If-Match, the version of the order shown, and a fresh
  // Idempotency-Key, sent again with the same key when the service cannot be
  // reached. Then:
  // - 201 / 200: the order is taken from the service (order-src again, else
  //   the order with the decision's event) and the service's decision is
  //   checked against the core's own decide of the same command at the
  //   event's instant; a difference is an error on the panel and in .error;
  // - 409: the service's refusal is shown as the core's is;
  // - 412: the order changed since it was shown: it is loaded again and the
  //   panel says so;
  // - anything else: an error (the service's ordertrail.error/1) on the panel and in .error.
  // Tells the page with `ordertrail-recorded` {action, order_id, reason?,
  // case_id?, status, event, decision, error}.
  async #send(url, { detail, command, order, version, policy, pinned }) {
    this.#posting = true;
    this.schedule();
    const headers = { 'content-type': 'application/json', 'idempotency-key': idempotencyKey(), ...this.authHeaders() };
    if (version) headers['if-match'] = version;
    const body = JSON.stringify(command);
    let status = 0;
    let answer = null;
    let etag = null;
    let failure = null;
    try {
      for (let attempt = 0; ; ++attempt) {
        try {
          const response = await fetch(new URL(url, document.baseURI), { method: 'POST', headers, body, credentials: 'same-origin', cache: 'no-store' });
          if (RETRY_STATUS.has(response.status) && attempt < RETRY_DELAYS_MS.length) {
            await delay(RETRY_DELAYS_MS[attempt]);
            continue;
          }
          status = response.status;
          etag = response.headers.get('etag');
          answer = documentOf(await response.text());
          break;
        } catch (e) {
          if (attempt >= RETRY_DELAYS_MS.length) {
            failure = widgetError('record_failed', `events-src ${url}: ${String(e?.message ?? e)}`);
            break;
          }
          await delay(RETRY_DELAYS_MS[attempt]);
        }
      }
      if (!failure) failure = await this.#answered({ status, answer, etag, command, order, policy, pinned });
    } catch (e) {
      failure = widgetError('record_failed', `events-src ${url}: ${String(e?.message ?? e)}`);
    } finally {
      this.#posting = false;
    }
    if (failure) this.#notice = { kind: failure.code === 'decision_mismatch' ? 'mismatch' : 'failed', error: failure };
    this.schedule();
    const decision = answer?.schema === 'ordertrail.decision/1' ? answer : null;
    this.dispatchEvent(
      new CustomEvent('ordertrail-recorded', {
        bubbles: true, composed: true,
        detail: { ...detail, status, event: status === 201 || status === 200 ? (decision?.event ?? null) : null, decision, error: failure },
      }),
    );
  }

  // What the service answered; returns an ordertrail.error/1 to show, or null.
  async #answered({ status, answer, etag, command, order, policy, pinned }) {
    if (status === 201 || status === 200) {
      if (answer?.schema !== 'ordertrail.decision/1' || !answer.allowed) {
        return widgetError('record_failed', `the service answered ${status} without an allowed ordertrail.decision/1`);
      }
      // The order as the service now has it.
      let stored = null;
      if (this.getAttribute('order-src')) {
        if (await this.reloadOrder()) stored = this.order;
      } else if (answer.event && !answer.already_recorded) {
        const doc = documentOf(order);
        if (doc && Array.isArray(doc.events)) {
          stored = { ...doc, events: [...doc.events, answer.event] };
          this.setVersionedOrder(stored, etag);
        }
      }
      return this.#check(answer, { command, order, stored, policy });
    }
    if (status === 409 && answer?.schema === 'ordertrail.decision/1' && answer.refusal) {
      this.#refusal = { order: this.order, policy: this.policy, now: pinned, code: answer.refusal.code, refusal: answer.refusal };
      return null;
    }
    if (status === 412) {
      if (this.getAttribute('order-src')) await this.reloadOrder();
      this.#notice = { kind: 'changed', error: null };
      return null;
    }
    const code = typeof answer?.code === 'string' ? answer.code : 'http_error';
    return widgetError('record_failed', `the service answered ${status} ${code}${typeof answer?.message === 'string' ? `: ${answer.message}` : ''}`);
  }

  // The service's decision equals the core's own decide of the same command
  // at the event's instant (as JSON text, both from the core's serializer
  // read back the same way), on the order the widget had; or, when the
  // service appended the automatic actions due before it decided, on the
  // stored order before the event (or, already recorded, as it is).
  async #check(decision, { command, order, stored, policy }) {
    const at = decision.event?.at ?? decision.evaluation?.now;
    const { ot } = await core();
    const want = JSON.stringify(decision);
    const candidates = [order];
    const doc = documentOf(stored);
    if (doc && Array.isArray(doc.events)) {
      candidates.push(doc.events.length ? { ...doc, events: doc.events.slice(0, -1) } : doc, doc);
    }
    let own = null;
    for (const candidate of candidates) {
      own = ot.decide(candidate, command, at, policy ?? undefined);
      if (JSON.stringify(own) === want) return null;
    }
    const mine = JSON.stringify(ot.decide(order, command, at, policy ?? undefined));
    return widgetError(
      'decision_mismatch',
      `the service's decision differs from this widget's decide of ${JSON.stringify(command)} at ${at}: service ${want}; widget ${mine}`,
    );
  }

  // What the last command sent to the service left to say.
  #noticed({ t }) {
    const n = this.#notice;
    if (!n) return null;
    const code = n.kind === 'changed' ? 'version_mismatch' : n.error.code;
    return h('section', { class: `notice ${n.kind}`, part: 'notice', role: 'alert', 'data-code': code }, h('p', { class: 'notice-text' }, t(`service.${n.kind}`)));
  }

  // The last refusal, while the order, policy and `now` are the ones it was
  // decided on: its code's text and the buyer's alternatives, as text.
  #refused({ t, f }) {
    const r = this.#refusal;
    if (!r || r.order !== this.order || r.policy !== this.policy || r.now !== this.getAttribute('now')) return null;
    const alternatives = r.code ? (Array.isArray(r.refusal.alternatives) ? r.refusal.alternatives : []) : [];
    return h(
      'section',
      { class: 'refusal', part: 'refusal', role: 'alert', 'data-code': r.code ?? r.refusal.code },
      h('p', { class: 'refusal-text' }, r.code ? t(`refusal.${r.code}`) : t('refusal.failed')),
      alternatives.length
        ? [
            h('p', {}, t('refusal.instead')),
            h(
              'ul',
              { class: 'alternatives' },
              alternatives.map((a) =>
                h('li', { 'data-action': a?.code }, t.has(`info.${a?.code}`) ? t.parts(`info.${a.code}`, { until: clock(f, a.until) }) : alternativeText(t, f, a)),
              ),
            ),
          ]
        : null,
    );
  }

  // The buyer's next_actions, in the core's order: things to wait for as
  // sentences, things to do as buttons that emit `ordertrail-action` (the
  // buyer's primary one stands out), and among them what the core's
  // `actions` let the buyer record (a return, a claim), where next_actions
  // name it (else after). Cancellations and case steps sit in their own
  // sections. The seller's and support's are not a buyer's to take.
  #actions(ctx, shown) {
    const { e, t, f } = ctx;
    const notes = [];
    const buttons = [];
    const moves = ctx.moves.filter((m) => !m.place);
    const placed = new Set();
    const item = (code, button) => h('li', { 'data-action': code }, button);
    for (const a of e.next_actions) {
      if (a.actor !== 'buyer' || shown.has(a.code)) continue;
      if (RECORDED_ACTIONS.has(a.code)) {
        for (const m of moves.filter((x) => x.code === a.code && !placed.has(x))) {
          placed.add(m);
          buttons.push(item(m.code, this.#moveButton(ctx, m)));
        }
      } else if (t.has(`info.${a.code}`)) {
        notes.push(h('p', { class: 'info', 'data-action': a.code }, t.parts(`info.${a.code}`, { until: clock(f, a.until) })));
      } else {
        buttons.push(item(a.code, this.#helpButton(ctx, a.code, { primary: a.primary })));
      }
    }
    for (const m of moves.filter((x) => !placed.has(x))) buttons.push(item(m.code, this.#moveButton(ctx, m)));
    if (!notes.length && !buttons.length) return null;
    return h(
      'section',
      { class: 'actions', part: 'actions', 'aria-labelledby': 'ot-actions' },
      h('h3', { id: 'ot-actions' }, t('actions.title')),
      notes,
      buttons.length ? h('ul', { class: 'buttons' }, buttons) : null,
    );
  }

  // "1 of 2 items delivered; the Kettle is on its way": for an order of
  // several lines, from the core's per-line status and quantities.
  #linesSummary(ctx) {
    const { e, t, f } = ctx;
    const lines = multiLine(e);
    if (!lines) return null;
    // Over the units not cancelled; with none left the headline says it all.
    const total = lines.reduce((n, l) => n + (count(l.qty) - count(l.cancelled_qty)), 0);
    if (total <= 0) return null;
    const delivered = lines.reduce((n, l) => n + count(l.delivered_qty), 0);
    const parts = [t(`lines.delivered.${f.plural(total) === 'one' ? 'one' : 'other'}`, { n: f.number(delivered), total: f.number(total) })];
    for (const l of lines) {
      if (LINE_SETTLED.has(l.status)) continue;
      const key = l.status === 'CANCELLED' && cancelReason(e, l) === 'lost_in_transit' ? 'lines.clause.lost' : `lines.clause.${l.status}`;
      if (!t.has(key)) continue;
      parts.push(t.parts(key, { name: lineName(l) }));
    }
    return h('p', { class: 'lines-summary', part: 'lines-summary' }, parts.map((p, i) => [i ? '; ' : '', p]), '.');
  }

  #items(ctx) {
    const lines = multiLine(ctx.e);
    if (lines) return this.#lines(ctx, lines);
    const { doc, t, f } = ctx;
    const items = Array.isArray(doc.items) ? doc.items : [];
    if (!items.length) return null;
    return h(
      'section',
      { class: 'items', part: 'items', 'aria-labelledby': 'ot-items' },
      h('h3', { id: 'ot-items' }, t('items.title')),
      h(
        'ul',
        { class: 'list' },
        items.map((item) =>
          h(
            'li',
            {},
            h(
              'span',
              { class: 'name' },
              `${t('items.qty', { qty: item?.qty ?? 1 })} `,
              // <bdi>: a name with bidi overrides cannot reorder the text around it.
              h('bdi', {}, String(item?.name ?? item?.sku ?? '')),
              item?.returnable === false ? h('span', { class: 'note' }, ` · ${t('items.not_returnable')}`) : null,
            ),
            // Exact: qty x price as BigInt (a float product is wrong past 2^53).
            item?.unit_price_minor !== undefined ? h('span', { class: 'price' }, f.money(lineAmount(item.unit_price_minor, item.qty), doc.currency)) : null,
          ),
        ),
      ),
    );
  }

  // An order of several lines: each line with its state (`lines[].status`),
  // cancelled units and what was refunded on it.
  #lines({ e, doc, t, f }, lines) {
    const currency = e.facts?.currency ?? doc.currency;
    const pending = pendingRefundOfLines(e);
    return h(
      'section',
      { class: 'items', part: 'items', 'aria-labelledby': 'ot-items' },
      h('h3', { id: 'ot-items' }, t('items.title')),
      h(
        'ul',
        { class: 'list' },
        lines.map((l) => {
          const cancelled = l.status === 'CANCELLED';
          const reason = cancelled ? cancelReason(e, l) : null;
          const state = [reason && t.has(`reason.${reason}`) ? t('line.cancelled.reason', { reason: t(`reason.${reason}`) }) : t(`line.status.${l.status}`)];
          if (!cancelled && count(l.cancelled_qty) > 0) state.push(t('line.cancelled_units', { n: f.number(count(l.cancelled_qty)) }));
          // What was refunded on it: not the automatic refund only due now.
          const refunded = count(l.refunded_minor) - (pending.get(l.line_id) ?? 0);
          if (refunded > 0) state.push(t('line.refunded', { amount: f.money(refunded, currency) }));
          return h(
            'li',
            { class: `line${cancelled ? ' cancelled' : ''}`, 'data-line': l.line_id, 'data-status': l.status },
            h(
              'span',
              { class: 'name' },
              `${t('items.qty', { qty: l.qty ?? 1 })} `,
              lineName(l),
              l.returnable === false ? h('span', { class: 'note' }, ` · ${t('items.not_returnable')}`) : null,
              h('span', { class: 'state' }, ` · ${state.join(' · ')}`),
            ),
            l.unit_price_minor !== undefined ? h('span', { class: 'price' }, f.money(lineAmount(l.unit_price_minor, l.qty), currency)) : null,
          );
        }),
      ),
    );
  }

  // "Why? Details for support". For agents (view="agent"): the core's own
  // explanation texts (English, with their instants and codes), the
  // anomalies and the warnings. For buyers: each rule the core explains that
  // is one of the order's obligations or windows, in the element's locale,
  // its state and day in the market's time, money never in minor units; no
  // anomalies or warnings.
  #explanation(ctx) {
    const { e, t } = ctx;
    const row = (label, code, text, lang) =>
      h('li', {}, h('span', { class: 'rule' }, label, code ? [' ', h('span', { class: 'code' }, code)] : null), h('span', { class: 'text', lang }, text));
    if (!ctx.agent) {
      const entries = (e.explanation ?? []).map((x) => this.#explained(ctx, x)).filter(Boolean).map(([rule, text]) => row(t(`rule.${rule}`), null, text, t.language));
      if (!entries.length) return null;
      return h('details', { part: 'explanation' }, h('summary', {}, t('explain.summary')), h('ul', { class: 'explain' }, entries));
    }
    const entries = (e.explanation ?? []).map((x) => row(t(`rule.${x.rule}`), x.rule, x.text, 'en'));
    // An anomaly of the order itself (not of one event) has event_index null.
    const anomalies = (e.anomalies ?? []).map((a) => row(null, Number.isInteger(a.event_index) ? `${a.code} #${a.event_index}` : a.code, a.text, 'en'));
    // What the core could not do in full (a clock past 9999 left out, holidays not covered).
    const warnings = (Array.isArray(e.warnings) ? e.warnings : []).map((w) => row(null, String(w?.code ?? ''), String(w?.text ?? ''), 'en'));
    if (!entries.length && !anomalies.length && !warnings.length) return null;
    return h(
      'details',
      { part: 'explanation' },
      h('summary', {}, t('explain.summary')),
      h('ul', { class: 'explain' }, entries),
      anomalies.length ? [h('h3', {}, t('explain.anomalies')), h('ul', { class: 'explain' }, anomalies)] : null,
      warnings.length ? [h('h3', {}, t('explain.warnings')), h('ul', { class: 'explain' }, warnings)] : null,
    );
  }

  // One explanation entry for a buyer, [rule, text] in the buyer's words, or
  // null: an obligation by `explain.obligation.<state>`, a window
  // (`window_<id>`) by `explain.window.<state>`, the status and the refund.
  #explained({ e, t, f }, x) {
    const rule = String(x?.rule ?? '');
    const o = e.obligations.find((y) => y.id === rule && !y.case_id);
    if (o && t.has(`explain.obligation.${o.state}`)) {
      return [rule, t.parts(`explain.obligation.${o.state}`, { at: clock(f, o.due_at), on: clock(f, o.met_at, 'from') })];
    }
    const w = rule.startsWith('window_') ? e.windows.find((y) => `window_${y.id}` === rule && !y.case_id) : null;
    if (w && t.has(`explain.window.${w.state}`)) {
      const key = `explain.window.${w.state}`;
      const params = { opens: clock(f, w.opens_at, 'from'), closes: clock(f, w.closes_at), closed: clock(f, w.closes_at), used: clock(f, w.used_at, 'from') };
      // (A window that ends with an event has no instant to say.)
      if ([...t(key).matchAll(/\{(\w+)\}/g)].some(([, name]) => !params[name])) return null;
      return [rule, t.parts(key, params)];
    }
    if (rule === 'effective_status') return [rule, t(`status.${e.effective_status}`)];
    if (rule === 'refund' && e.refund && e.refund.kind !== 'none') {
      return [rule, t('explain.refund', { amount: f.money(e.refund.amount_minor, e.refund.currency), kind: t(`refund.kind.${e.refund.kind}`) })];
    }
    return null;
  }
}

// Names each region of `panel` (a <section> named by its heading) with the
// order too ("Deadlines, order US-1002"), so that a page of several trackers
// has no two landmarks of the same name.
function nameRegions(panel, t, orderId) {
  for (const region of panel.querySelectorAll('section[aria-labelledby]')) {
    const name = region
      .getAttribute('aria-labelledby')
      .split(/\s+/)
      .map((id) => panel.querySelector(`#${CSS.escape(id)}`)?.textContent ?? '')
      .join(' ')
      .trim();
    if (!name) continue;
    region.removeAttribute('aria-labelledby');
    region.setAttribute('aria-label', t('region.label', { name, id: orderId }));
  }
}

// The evaluation's lines when the order has several (else null: one line
// keeps the single-item look).
function multiLine(e) {
  return Array.isArray(e.lines) && e.lines.length > 1 ? e.lines.filter((l) => l && typeof l === 'object') : null;
}

// A quantity the core wrote, as a number (anything else counts as 0).
function count(n) {
  return Number.isSafeInteger(n) ? n : 0;
}

// A line's name as text (<bdi>: a name with bidi overrides cannot reorder the
// sentence around it).
function lineName(l) {
  return h('bdi', {}, String(l.name || l.sku || l.line_id || ''));
}

// Why line `l` was cancelled: the latest cancellation of units that names it,
// else the order's own cancellation (a reason code, or null).
function cancelReason(e, l) {
  const own = (Array.isArray(e.line_cancellations) ? e.line_cancellations : []).filter(
    (c) => Array.isArray(c?.items) && c.items.some((u) => u?.line_id === l.line_id),
  );
  return own.length ? own[own.length - 1].reason : (e.cancelled?.reason ?? null);
}

// The evaluation's cases (objects only).
function casesOf(e) {
  return Array.isArray(e.cases) ? e.cases.filter((c) => c && typeof c === 'object') : [];
}

// A case still under way (SPEC 4.4: refunded and closed are the ends).
function isOpen(c) {
  return c.status !== 'refunded' && c.status !== 'closed';
}

// The automatic refunds of cases that are due now: counted by the core's
// effective view, but not recorded yet.
function pendingCaseRefunds(e) {
  return (Array.isArray(e.due) ? e.due : []).filter((d) => d?.action === 'auto_refund_case' && d.event);
}

// What each line's `refunded_minor` counts of those automatic refunds only
// due: the core's refund records made by them (same case, instant and
// amount), by line.
function pendingRefundOfLines(e) {
  const byLine = new Map();
  const due = pendingCaseRefunds(e);
  for (const r of Array.isArray(e.refunds) ? e.refunds : []) {
    if (!due.some((d) => d.event.case_id === r?.case_id && d.event.at === r.at && d.event.amount_minor === r.amount_minor)) continue;
    for (const x of Array.isArray(r.items) ? r.items : []) byLine.set(x?.line_id, (byLine.get(x?.line_id) ?? 0) + count(x?.amount_minor));
  }
  return byLine;
}

// The refund's reason as the buyer's texts know it: a refund the core counts
// but that is only due (a case's automatic refund not recorded yet) is
// `on_its_way`, never "refunded"; an approved case's own reason (the core
// gives it as the refund's) is `case_approved`; a claim without a return
// still to be answered is `claim_in_progress`.
function refundReason(e) {
  const r = e.refund;
  if (pendingCaseRefunds(e).length && ['already_refunded', 'return_refunded'].includes(r.reason)) return 'on_its_way';
  if (casesOf(e).some((c) => c.status === 'approved' && c.reason === r.reason)) return 'case_approved';
  if (r.reason === 'return_in_progress' && r.kind === 'refund_only') return 'claim_in_progress';
  return r.reason;
}

// A case's stage for the buyer: {key, params, left}. An open case is dated by
// its clock still running (an obligation pending, or its appeal window
// open): `case.<status>` with the most specific of `.<reason>`, `.<type>`,
// and `case.undated.<status>` when it has no clock to show; a refunded case
// whose refund is only due is "on its way"; a closed one says why.
function caseStage(ctx, c) {
  const { e, t, f } = ctx;
  const currency = e.facts?.currency ?? e.refund?.currency;
  const money = (minor) => f.money(minor, currency);
  if (c.status === 'refunded') {
    const due = pendingCaseRefunds(e).filter((d) => d.event.case_id === c.case_id);
    if (due.length) return { key: 'case.refunded.on_its_way', params: { amount: money(due.reduce((n, d) => n + count(d.event.amount_minor), 0)) } };
    const day = f.localDate(c.closed_at);
    return { key: 'case.refunded', params: { amount: money(c.refunded_minor), on: day ? time(day, f.date(day)) : '' } };
  }
  if (c.status === 'closed') return { key: t.has(`case.closed.${c.closed_reason}`) ? `case.closed.${c.closed_reason}` : 'case.closed', params: {} };
  const running =
    e.obligations.find((o) => o.case_id === c.case_id && o.state === 'pending')?.due_at ??
    e.windows.find((w) => w.case_id === c.case_id && w.state === 'open')?.closes_at ??
    null;
  const owed = e.refund?.parts?.find((p) => p?.case_id === c.case_id)?.amount_minor ?? count(c.amount_minor) - count(c.refunded_minor);
  const key = [`case.${c.status}.${c.reason}`, `case.${c.status}.${c.type}`, `case.${c.status}`].find((k) => t.has(k));
  if (!key) return { key: `case.undated.${c.status}`, params: {} };
  if (t(key).includes('{at}') && !running) return { key: t.has(`case.undated.${c.status}`) ? `case.undated.${c.status}` : key, params: {} };
  return { key, params: { at: clock(f, running), amount: money(owed) }, left: running ? countdown(ctx, running, 'by') : null };
}

// The headline, delivery state first: {key, params, kind}. Cancelled on its
// day; everything paid refunded ("Refunded $79.00 on Sat, Mar 8", the last
// refund's day); delivered on its day; while it is still to arrive, the
// core's estimate ("Arriving Wed, Mar 12"), "Late: expected ..." when the
// core says delivery is late; else the status. Records what it dated in
// ctx.said and its kind in ctx.headline.
function headlineOf(ctx) {
  const { e, t, f } = ctx;
  const facts = e.facts ?? {};
  const s = e.effective_status;
  const on = (instant) => day(f, f.localDate(instant));
  let top = { key: statusKey(ctx), params: {}, kind: null };
  const refunds = actualRefunds(e);
  const refunded = refunds.reduce((n, x) => n + count(x.amount_minor), 0);
  const paid = count(facts.paid_minor);
  const estimate = facts.revised_est_delivery ?? facts.est_delivery;
  if (s === 'CANCELLED' && e.cancelled?.at) top = { key: 'headline.cancelled', params: { on: on(e.cancelled.at) }, kind: 'cancelled' };
  else if (s !== 'CANCELLED' && refunds.length && paid > 0 && refunded >= paid) {
    top = { key: 'headline.refunded', params: { amount: f.money(refunded, facts.currency), on: on(refunds[refunds.length - 1].at) }, kind: 'refunded' };
  } else if ((s === 'DELIVERED' || s === 'COMPLETED') && facts.delivered_at) top = { key: 'headline.delivered', params: { on: on(facts.delivered_at) }, kind: 'delivered' };
  else if (ARRIVING.has(s) && estimate) {
    // Late: the core's `flags.delivery_late` (revised to a later day, or the
    // estimated day is over in the market zone).
    const late = e.flags?.delivery_late === true;
    top = { key: late ? 'headline.late' : 'headline.arriving', params: { date: day(f, estimate) }, kind: late ? 'late' : 'arriving', estimate: true };
    ctx.said.add('est_delivery');
  }
  ctx.headline = top.kind;
  return t.has(top.key) ? top : { key: statusKey(ctx), params: {}, kind: null };
}

// The status's message key: `.cod` for a cash-on-delivery order with nothing
// collected ("Confirmed — pay on delivery", never "Paid"); with a request to
// cancel pending, "Cancellation requested" (the order still waits to ship).
function statusKey(ctx) {
  if (ctx.e.flags?.cancel_request_pending && ctx.t.has('status.cancel_requested')) return 'status.cancel_requested';
  return codKey(ctx, `status.${ctx.e.effective_status}`);
}

// `key.cod` when the order is cash on delivery with nothing paid yet and
// there is such a text (no "full refund" of nothing), else `key`.
function codKey({ e, t }, key) {
  return e.facts?.payment_method === 'cod' && count(e.facts?.paid_minor) === 0 && t.has(`${key}.cod`) ? `${key}.cod` : key;
}

// A fallback clock: what happens if the seller is late (a seller's
// obligation the core cancels the order on: ship_by, delivery), and the
// buyer's claim for an order not received before it opens.
function isFallback(x) {
  if ('due_at' in x) return x.party === 'seller' && x.on_miss === 'auto_cancel' && x.state === 'pending';
  return x.id === 'not_received_claim' && x.state === 'upcoming';
}

// The refunds made (`refunds`), without the core's records of automatic
// refunds that are only due (pendingCaseRefunds), in time order.
function actualRefunds(e) {
  const due = pendingCaseRefunds(e);
  return (Array.isArray(e.refunds) ? e.refunds : [])
    .filter((r) => r && typeof r === 'object' && !due.some((d) => d.event.case_id === r.case_id && d.event.at === r.at && d.event.amount_minor === r.amount_minor))
    .sort((a, b) => (instantMs(a.at) || 0) - (instantMs(b.at) || 0));
}

// A local date for people, as a <time> ('' when there is none).
function day(f, date) {
  return date ? time(date, f.date(date)) : '';
}

// The host's tracking link for a parcel: `template` with {tracking_number}
// and {carrier} URL-encoded; null unless it is an http(s) URL (a
// `javascript:` or `data:` template is refused) and there is a number.
export function trackingHref(template, carrier, number) {
  if (typeof template !== 'string' || !template || !number) return null;
  const filled = template.replace(/\{(tracking_number|carrier)\}/g, (_, name) => encodeURIComponent(name === 'carrier' ? (carrier ?? '') : number));
  let url;
  try {
    url = new URL(filled, document.baseURI);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
}

// A carrier's text for people: terminal escape sequences, control
// characters and bidi overrides removed (it is shown as text either way).
function plainText(value) {
  return String(value)
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '')
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

// The message key for an error, by what the buyer can do about it.
function buyerErrorKey(code) {
  if (code === 'load_failed') return 'error.order_unavailable';
  if (code === 'module_load_failed' || code === 'internal_error' || code === 'render_failed') return 'error.service_unavailable';
  return 'error.order_unreadable';
}

// A clock of the core for people, as a <time> ('' when there is none): a day
// when it is the end of one ('by': the day that ends, 'from': the day that
// starts), else the instant.
function clock(f, instant, mode = 'by') {
  if (!instant) return '';
  const d = f.deadline(instant, mode);
  return time(d.iso, d.text);
}

// One entry of the dates list: the text of `key` and, when given, how long is left.
function dateEntry({ t }, attrs, key, params, left) {
  return h(
    'li',
    { class: 'date', ...attrs },
    h('span', {}, t.parts(key, params)),
    left ? [' ', h('span', { class: `countdown${left.soon ? ' soon' : ''}` }, `— ${left.text}`)] : null,
  );
}

// How long until `instant` from `now`: calendar days to the day a clock ends
// with ('by': "3 days left", "last day") or starts ('from': "in 8 days"), else
// hours and minutes. {text, soon}; null when the widget cannot write it down.
function countdown({ t, f, now }, instant, mode) {
  const shown = f.deadline(instant, mode);
  let text;
  let soon = false;
  if (shown.date && mode === 'by') {
    const days = f.daysUntil(shown.date, now);
    if (!Number.isFinite(days)) return null;
    soon = days <= 1;
    text = days <= 0 ? t('countdown.last_day') : t(`countdown.days.${f.plural(days) === 'one' ? 'one' : 'other'}`, { n: f.number(days) });
  } else if (shown.date) {
    text = f.relativeDays(shown.date, now);
  } else {
    text = f.relative(instant, now);
    soon = instantMs(instant) - instantMs(now) < 86_400_000;
  }
  return text === MISSING || text.includes('NaN') ? null : { text, soon };
}

// A reason code for people; one the messages do not know (a shop's own
// reason, accepted by the core with an anomaly) is said as such.
function reasonText(t, code) {
  return t.has(`reason.${code}`) ? t(`reason.${code}`) : t('reason.unlisted');
}

// What the buyer may record now, from the evaluation's `actions` (the buyer's
// entries, in their order; an entry naming cases once per case): {code,
// dialog, place, entry, reasons, claim, caseId}. A return request whose
// reasons are all claim reasons is a claim on its own window.
function buyerMoves(e) {
  const moves = [];
  for (const entry of Array.isArray(e.actions) ? e.actions : []) {
    if (entry?.by !== 'buyer' || typeof entry.type !== 'string') continue;
    const named = BUYER_EVENTS[entry.type] ?? { code: entry.type };
    const reasons = Array.isArray(entry.reasons) ? entry.reasons.filter((r) => typeof r === 'string') : [];
    const claim = entry.type === 'return_requested' && reasons.length > 0 && reasons.every((r) => r in CLAIM_ACTIONS) ? CLAIM_ACTIONS[reasons[0]] : null;
    const move = { ...named, entry, reasons, claim: claim !== null, code: claim ?? named.code, dialog: claim ? 'claim' : (named.dialog ?? null) };
    const ids = Array.isArray(entry.case_ids) ? entry.case_ids.filter((id) => typeof id === 'string') : [];
    if (ids.length) moves.push(...ids.map((caseId) => ({ ...move, caseId })));
    else moves.push({ ...move, caseId: null });
  }
  return moves;
}

// The command for `move` with `reason`: the entry's type by the buyer, on its
// case; a cancellation that may not name no units names every unit the entry
// gives. The core normalises it into the event (RULES "Normalising"),
// including a return request's case_type (a claim reason: refund_only).
function commandOf(move, reason) {
  const { entry } = move;
  const command = { type: entry.type, by: 'buyer' };
  if (reason) command.reason = reason;
  if (move.caseId) command.case_id = move.caseId;
  if (entry.type === 'cancelled' && entry.whole_order === false && Array.isArray(entry.items)) command.items = entry.items;
  return command;
}

// A fresh Idempotency-Key (RULES: 1 to 128 of A-Z a-z 0-9 . _ : -).
function idempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return `ot-${crypto.randomUUID()}`;
  return `ot-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A stable key of a move's button (focus survives a re-render on it).
function moveKey(move) {
  return `action-${move.code}${move.caseId ? `-${move.caseId}` : ''}`;
}

// Moves in the order of the buyer's next_actions that name them, the others after.
function orderedMoves({ e }, moves) {
  const codes = e.next_actions.filter((a) => a.actor === 'buyer').map((a) => a.code);
  const rank = (m) => (codes.includes(m.code) ? codes.indexOf(m.code) : codes.length);
  return [...moves].sort((a, b) => rank(a) - rank(b));
}

// An alternative to a refused action: its next-action text, until when.
function alternativeText(t, f, a) {
  const text = t(`action.${a?.code}`);
  return a?.until ? t.parts('refusal.until', { action: text, until: clock(f, a.until) }) : text;
}

// <ordertrail-checkout>: the delivery promise at checkout, from the core's
// `quote` (ordertrail.quote/1) for an order placed now in a market: pay-by,
// free cancellation, ships-by, estimated delivery, what happens if the seller
// is late, and the return window.
import { OrdertrailElement, documentOf, widgetError, reflect } from './base.js';
import { isError } from './core.js';
import { h, time } from './dom.js';
import { formatter } from './format.js';

// "3-5", "3,5" or "3 5" -> [3, 5]; anything else is passed on as written, for
// the core to refuse with a precise error.
function transitDays(text) {
  const parts = text.trim().split(/\s*[-,–\s]\s*/);
  if (parts.length === 2 && parts.every((p) => /^\d+$/.test(p))) return parts.map(Number);
  return text;
}

export class OrdertrailCheckout extends OrdertrailElement {
  static get observedAttributes() {
    return [...super.observedAttributes, 'market', 'handling-days', 'transit-days'];
  }

  static {
    reflect(this, { market: 'market', handlingDays: 'handling-days', transitDays: 'transit-days' });
  }

  /** The last `ordertrail.quote/1` (read-only; null before the first or after an error). */
  get evaluation() {
    const q = this.result;
    return q && !isError(q) ? q : null;
  }

  /** The last `ordertrail.error/1` of the quote, or null. */
  get error() {
    const q = this.result;
    return q && isError(q) ? q : null;
  }

  update({ ot }) {
    const t = this.translator;
    const order = documentOf(this.order);
    // An order given (e.g. inline) but not JSON is an error, not an order without a market.
    if (this.order !== null && order === null) return this.failed(widgetError('invalid_json', 'the order is not JSON text'));
    const policy = documentOf(this.policy);
    const request = { market: this.getAttribute('market') ?? order?.market ?? policy?.market, at: this.instant };
    const handling = this.getAttribute('handling-days');
    if (handling !== null) request.handling_days = /^\d+$/.test(handling.trim()) ? Number(handling) : handling;
    const transit = this.getAttribute('transit-days');
    if (transit !== null) request.transit_days = transitDays(transit);
    if (policy) request.policy = policy;

    const q = ot.quote(request);
    if (isError(q)) return this.failed(q);
    let panel;
    try {
      panel = this.#render(q, t);
    } catch (e) {
      // Whatever the core returned, the buyer never gets a blank panel.
      return this.failed(widgetError('render_failed', `the quote could not be shown: ${String(e?.message ?? e)}`));
    }
    this.replaceContent(panel);
    this.settle(q, { quote: q, error: null });
  }

  /** No promise to show: a message for buyers (the core's text is in .error and the event). */
  failed(err) {
    this.replaceContent(
      h(
        'section',
        { class: 'panel error', part: 'panel', role: 'alert', 'data-code': err.code },
        h('h2', {}, this.translator('checkout.error')),
        h('p', { class: 'help' }, this.translator('checkout.error.help')),
      ),
    );
    this.settle(err, { quote: null, error: err });
  }

  #render(q, t) {
    const f = formatter(this.resolvedLocale, q.time_zone);
    const at = (instant) => time(instant, f.dateTime(instant));
    const day = (date) => time(date, f.date(date));
    const from = f.deadline(q.not_received_claim_from, 'from');
    const row = (key, ...value) => [h('dt', { part: 'term', 'data-term': key }, t(`checkout.${key}`)), h('dd', { 'data-term': key }, value)];
    const n = q.return_window_days;
    return (
      h(
        'section',
        { class: 'panel', part: 'panel', 'aria-labelledby': 'ot-checkout-title', lang: t.language },
        h('h2', { id: 'ot-checkout-title', part: 'title' }, t('checkout.title')),
        h(
          'dl',
          { class: 'terms', part: 'terms' },
          row('pay_by', at(q.pay_by)),
          row('free_cancellation', t.parts('checkout.free_cancellation.value', { at: at(q.free_cancellation_until) })),
          row('ships_by', day(q.dispatch_date)),
          row('delivery', h('span', {}, f.dateRange(q.delivery_earliest, q.delivery_latest))),
          row(
            'late',
            h('p', {}, t.parts('checkout.late.ship', { date: day(q.ship_by_date) })),
            h('p', {}, t.parts('checkout.late.claim', { date: time(from.iso, from.text) })),
            h('p', {}, t.parts('checkout.late.delivery', { date: day(q.delivery_auto_cancel_date) })),
          ),
          row('returns', t(`checkout.returns.value.${f.plural(n) === 'one' ? 'one' : 'other'}`, { n: f.number(n) })),
        ),
      )
    );
  }
}

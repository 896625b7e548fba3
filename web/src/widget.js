// ordertrail-widget: the buyer's widgets, as custom elements.
//
//   <script type="module" src="/ordertrail/ordertrail-widget.js"></script>
//   <ordertrail-checkout market="US"></ordertrail-checkout>
//   <ordertrail-tracker order-src="/orders/123.json"></ordertrail-tracker>
//
// See web/README.md for the attributes, properties, events, CSS custom
// properties and parts.
import { OrdertrailTracker } from './tracker.js';
import { OrdertrailCheckout } from './checkout.js';
import { core } from './core.js';
import { MESSAGES, registerLocale } from './messages.js';

if (!customElements.get('ordertrail-tracker')) customElements.define('ordertrail-tracker', OrdertrailTracker);
if (!customElements.get('ordertrail-checkout')) customElements.define('ordertrail-checkout', OrdertrailCheckout);

/** Resolves to the shared core: `{evaluate, decide, quote, policies, version}` of web/ordertrail.js. */
export async function ordertrail() {
  return (await core()).ot;
}

export { OrdertrailTracker, OrdertrailCheckout, MESSAGES, registerLocale };

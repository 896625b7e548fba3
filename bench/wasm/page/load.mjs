// Module load + first evaluation, as a buyer's page does it: import the
// wrapper, load() (fetch + compile + instantiate the wasm), evaluate one order.
// Times in ms: `module_ms` from the import to the first result;
// `navigation_ms` from the start of the navigation (timeOrigin).
const order = {
  order_id: 'A-1001', market: 'US', seller_id: 'S-9', buyer_id: 'B-7', currency: 'USD', total_minor: 7497,
  items: [{ sku: 'MUG', name: 'Mug', qty: 2, unit_price_minor: 2499 }, { sku: 'TEE', name: 'T-shirt', qty: 1, unit_price_minor: 2499 }],
  payment_method: 'card', placed_at: '2025-03-03T17:00:00Z', promise: { est_delivery: '2025-03-12' },
  events: [
    { type: 'payment_succeeded', at: '2025-03-03T17:02:00Z', amount_minor: 7497 },
    { type: 'ready_to_ship', at: '2025-03-04T15:00:00Z' },
    { type: 'shipped', at: '2025-03-05T20:00:00Z', carrier: 'UPS', tracking_number: '1Z999' },
    { type: 'delivered', at: '2025-03-11T18:00:00Z' },
  ],
};
const t0 = performance.now();
const { load } = await import('/web/ordertrail.js');
const imported = performance.now();
const ot = await load();
const loaded = performance.now();
const e = ot.evaluate(order, '2025-03-15T12:00:00Z');
const done = performance.now();
ot.evaluate(order, '2025-03-16T12:00:00Z'); // the same work again, its code now compiled
const second = performance.now() - done;
const fetched = (file) => {
  const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith(file));
  return e ? { start: e.startTime, end: e.responseEnd } : null;
};
const wasm = fetched('/ordertrail.wasm');
const fetches = ['/ordertrail.js', '/ordertrail.mjs', '/ordertrail.wasm'].map(fetched);
window.__result = {
  fetch_ms: fetches.every(Boolean) ? fetches.reduce((sum, f) => sum + (f.end - f.start), 0) : null,
  compile_instantiate_ms: wasm ? loaded - wasm.end : null,
  import_ms: imported - t0, load_ms: loaded - imported, first_evaluate_ms: done - loaded,
  module_ms: done - t0, navigation_ms: done, second_evaluate_ms: second, effective_status: e.effective_status,
};

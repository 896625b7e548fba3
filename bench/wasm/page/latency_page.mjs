// evaluate() latency in the browser: the wrapper's evaluate(object, now,
// policy?) on the mixed vector orders, timed call by call (latency.mjs).
import { load } from '/web/ordertrail.js';
import { measure, resolution } from '/bench/latency.mjs';

const params = new URLSearchParams(location.search);
const cases = await (await fetch('/cases.json')).json();
const ot = await load();
const clock = () => performance.now();
const r = measure(cases, (c) => ot.evaluate(c.order, c.now, c.policy).schema === 'ordertrail.evaluation/2', {
  calls: Number(params.get('calls') ?? 10000), warmup: Number(params.get('warmup') ?? 1000), clock,
});
window.__result = { ...r, cases: cases.length, clock_resolution_ms: resolution(clock), isolated: self.crossOriginIsolated };

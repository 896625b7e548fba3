// Throughput of evaluate() in Node, for one sample order (not a ctest test:
// timings depend on the machine). Prints evaluations per second for the raw
// module (JSON text in and out) and for the web/ordertrail.js wrapper
// (objects in and out), for each artifact given.
//
//   node bench_evaluate.mjs <ordertrail.node.cjs> [<ordertrail.mjs> <ordertrail.wasm>] [--seconds 2]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { load } from '../../web/ordertrail.js';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args.splice(secondsAt, 2)[1]) : 2;
const [nodeModule, browserModule, browserWasm] = args;

const order = {
  order_id: 'BENCH-1', market: 'US', seller_id: 'S1', buyer_id: 'B1', currency: 'USD', total_minor: 7497,
  items: [
    { sku: 'MUG', name: 'Mug', qty: 2, unit_price_minor: 2499 },
    { sku: 'TEE', name: 'T-shirt', qty: 1, unit_price_minor: 2499, returnable: false },
  ],
  payment_method: 'card', placed_at: '2025-03-03T17:00:00Z',
  promise: { handling_days: 2, transit_days: [3, 5], est_delivery: '2025-03-12' },
  events: [
    { id: 'e1', type: 'payment_succeeded', at: '2025-03-03T17:02:00Z', amount_minor: 7497 },
    { id: 'e2', type: 'ready_to_ship', at: '2025-03-04T15:00:00Z', by: 'seller' },
    { id: 'e3', type: 'shipped', at: '2025-03-05T20:00:00Z', carrier: 'UPS', tracking_number: '1Z999' },
    { id: 'e4', type: 'delivery_attempt_failed', at: '2025-03-10T18:00:00Z', reason: 'no_one_home' },
    { id: 'e5', type: 'delivered', at: '2025-03-11T18:00:00Z', by: 'carrier' },
    { id: 'e6', type: 'return_requested', at: '2025-03-14T18:00:00Z', by: 'buyer', reason: 'damaged', items: ['MUG'] },
  ],
};
const now = '2025-03-15T12:00:00Z';
const text = JSON.stringify(order);

// Rate by CPU time of this process, so that other work on the machine
// (builds, tests) does not distort it much.
function rate(label, f) {
  for (let i = 0; i < 200; ++i) f();
  let n = 0;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const t0 = cpu();
  while (cpu() - t0 < seconds) {
    for (let i = 0; i < 100; ++i) f();
    n += 100;
  }
  const perSecond = n / (cpu() - t0);
  console.log(`${label.padEnd(44)} ${Math.round(perSecond).toString().padStart(8)} /s  ${(1e6 / perSecond).toFixed(1).padStart(7)} us each`);
}

async function bench(name, factory) {
  const raw = await factory();
  const ot = await load({ factory });
  const policy = JSON.stringify(JSON.parse(raw.policies()).US);
  rate(`${name}: raw evaluate(text, now)`, () => raw.evaluate(text, now));
  rate(`${name}: raw evaluate(text, now, policyText)`, () => raw.evaluate(text, now, policy));
  rate(`${name}: wrapper evaluate(object, now)`, () => ot.evaluate(order, now));
}

console.log(`sample: ${text.length} B order, ${order.events.length} events, US policy, ${seconds} s of CPU per row`);
await bench('node module', createRequire(import.meta.url)(path.resolve(nodeModule)));
if (browserModule) {
  const { default: create } = await import(pathToFileURL(path.resolve(browserModule)).href);
  const wasmBinary = fs.readFileSync(browserWasm);
  await bench('browser module', (o = {}) => create({ ...o, wasmBinary }));
}

// evaluate() in Node: latency (p50/p99 over `--calls` calls after `--warmup`,
// the mixed vector orders of cases.mjs) and throughput, for the Node artifact
// (web/dist/ordertrail.node.cjs, -O3) and the browser artifact
// (web/dist/ordertrail.mjs + .wasm, -Oz, loaded here with `wasmBinary`).
// (Moved here from tests/wasm/bench_evaluate.mjs: timings are benchmarks,
// never tests.)
//
//   node bench/wasm/node_evaluate.mjs [--calls 10000] [--warmup 1000] [--seconds 1] [--json]
//
// Rows: `wrapper` is the public API, web/ordertrail.js: evaluate(orderObject,
// now, policyObject?) -> plain object (JSON.stringify in, JSON.parse out);
// `raw` is the module itself, JSON text in and out. Throughput is measured on
// CPU time of this process (`--seconds` of it), so other work on the machine
// distorts it less; `--seconds 0` skips it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { loadCases } from './cases.mjs';
import { measure, resolution } from './page/latency.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opt } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    dist: { type: 'string', default: path.join(root, 'web', 'dist') },
  },
});
const { load } = await import(pathToFileURL(path.join(root, 'web', 'ordertrail.js')).href);

const cases = loadCases(root);
for (const c of cases) {
  c.orderText = JSON.stringify(c.order);
  c.policyText = c.policy ? JSON.stringify(c.policy) : '';
}
const clock = () => performance.now();
const counts = { calls: Number(opt.calls), warmup: Number(opt.warmup), clock };

function throughput(f) {
  const seconds = Number(opt.seconds);
  if (!(seconds > 0)) return null;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let n = 0;
  const t0 = cpu();
  while (cpu() - t0 < seconds) {
    for (let i = 0; i < 100; ++i) f(cases[(n + i) % cases.length]);
    n += 100;
  }
  return n / (cpu() - t0);
}

async function bench(factory) {
  const t0 = clock();
  const raw = await factory();
  const ot = await load({ factory });
  const loaded = clock() - t0;
  const wrapper = (c) => ot.evaluate(c.order, c.now, c.policy).schema === 'ordertrail.evaluation/2';
  const text = (c) => raw.evaluate(c.orderText, c.now, c.policyText).startsWith('{"schema":"ordertrail.evaluation/2"');
  return {
    load_ms: loaded,
    wrapper: { ...measure(cases, wrapper, counts), per_second_cpu: throughput(wrapper) },
    raw: { ...measure(cases, text, counts), per_second_cpu: throughput(text) },
  };
}

const result = {
  cases: cases.length,
  clock_resolution_ms: resolution(clock),
  node: process.version,
  node_artifact: await bench(createRequire(import.meta.url)(path.join(opt.dist, 'ordertrail.node.cjs'))),
};
const { default: create } = await import(pathToFileURL(path.join(opt.dist, 'ordertrail.mjs')).href);
const wasmBinary = fs.readFileSync(path.join(opt.dist, 'ordertrail.wasm'));
result.browser_artifact = await bench((o = {}) => create({ ...o, wasmBinary }));

if (opt.json) {
  console.log(JSON.stringify(result));
} else {
  const us = (ms) => `${(ms * 1000).toFixed(1)} us`;
  console.log(`${result.cases} mixed vector orders, ${counts.calls} calls after ${counts.warmup} warm-up, ${result.node}`);
  for (const artifact of ['node_artifact', 'browser_artifact']) {
    for (const api of ['wrapper', 'raw']) {
      const r = result[artifact][api];
      console.log(`${`${artifact} ${api}`.padEnd(26)} p50 ${us(r.p50_ms).padStart(9)}  p99 ${us(r.p99_ms).padStart(9)}` +
        `  mean ${us(r.mean_ms).padStart(9)}${r.per_second_cpu ? `  ${Math.round(r.per_second_cpu)}/s (CPU)` : ''}` +
        `${r.failures ? `  FAILURES ${r.failures}` : ''}`);
    }
  }
}
if (result.node_artifact.wrapper.failures || result.browser_artifact.wrapper.failures) process.exitCode = 1;

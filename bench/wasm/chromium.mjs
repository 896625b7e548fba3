// The WebAssembly module in Debian's Chromium (headless, driven by
// playwright-core; never a downloaded browser), served on 127.0.0.1 by
// bench/lib/serve.mjs:
//   - module load + first evaluation, cold: `--loads` fresh browser contexts
//     (empty HTTP cache; the server says no-store), one navigation each, for
//     three pages: load.html (imports ordertrail at once), load-preload.html
//     (the same with <link rel=preload/modulepreload> for the three files) and
//     late.html (the page is up first, then loads ordertrail);
//   - `--traced` more cold loads under Chrome tracing: the CPU time V8 spends
//     compiling and instantiating the wasm (thread time: a busy machine does
//     not inflate it);
//   - evaluate() latency: p50/p99 over `--calls` calls after `--warmup`, on
//     the mixed vector orders, in a cross-origin isolated page (5 us timer).
//
//   node bench/wasm/chromium.mjs [--loads 20] [--traced 5] [--calls 10000] [--warmup 1000] [--json]
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './page/latency.mjs';

const { values: opt } = parseArgs({
  options: {
    loads: { type: 'string', default: '20' },
    page: { type: 'string', default: 'load.html' },
    traced: { type: 'string', default: '5' },
    calls: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});

// The server runs in its own process, as a real one would (not on this
// process's event loop, which drives the browser).
const here = path.dirname(fileURLToPath(import.meta.url));
const server = spawn(process.execPath, [path.join(here, '..', 'lib', 'serve.mjs'), '--port', '0'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  server.stdout.once('data', (d) => resolve(String(d).match(/http:\/\/127\.0\.0\.1:\d+/)[0]));
  server.once('exit', (code) => reject(new Error(`bench/lib/serve.mjs exited ${code}`)));
});
const browser = await chromium.launch({
  executablePath: opt.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const result = { chromium: browser.version() };
try {
  // Cold loads (a fresh context each: empty cache, the server says no-store)
  // of `page`; `late`: the page is up first and loads ordertrail afterwards
  // (a widget defined on first use or at idle time).
  const coldLoads = async (page_, late = false) => {
    const runs = [];
    for (let i = 0; i < Number(opt.loads); ++i) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/bench/${page_}`);
      if (late) {
        await page.waitForFunction(() => typeof window.startOrdertrail === 'function');
        await page.waitForTimeout(200);  // the page settles
        await page.evaluate(() => { window.startOrdertrail(); });
      }
      const r = await (await page.waitForFunction(() => window.__result, null, { timeout: 30000 })).jsonValue();
      if (r.effective_status !== 'DELIVERED') throw new Error(`${page_} evaluated to ${r.effective_status}`);
      runs.push(r);
      await context.close();
    }
    const pick = (k) => summarize(runs.map((r) => r[k]));
    return { page: page_, loads: runs.length, module: pick('module_ms'), navigation: late ? undefined : pick('navigation_ms'),
      import: pick('import_ms'), instantiate: pick('load_ms'), first_evaluate: pick('first_evaluate_ms'),
      second_evaluate: pick('second_evaluate_ms'), fetch: pick('fetch_ms'), compile_instantiate: pick('compile_instantiate_ms') };
  };
  result.load = await coldLoads(opt.page);                 // the page imports ordertrail at once
  result.load_preload = await coldLoads('load-preload.html');  // ... and preloads its three files
  result.late_load = await coldLoads('late.html', true);   // into a page already up

  // The same cold load, traced: the CPU time (thread time, which waiting for
  // a busy machine does not inflate) V8 spends compiling the wasm.
  const traced = [];
  for (let i = 0; i < Number(opt.traced); ++i) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await browser.startTracing(page, { categories: ['v8.wasm'] });
    await page.goto(`${base}/bench/${opt.page}`);
    await page.waitForFunction(() => window.__result, null, { timeout: 30000 });
    const events = JSON.parse(String(await browser.stopTracing())).traceEvents;
    const cpu = (names) => events.filter((e) => e.ph === 'X' && names.includes(e.name) && e.tdur)
      .reduce((sum, e) => sum + e.tdur / 1000, 0);
    traced.push({
      lazy_compile_ms: cpu(['wasm.CompileLazy']),
      streaming_compile_ms: cpu(['wasm.OnBytesReceived', 'wasm.FinishStreaming', 'wasm.ValidateFunctionsStreaming']),
      instantiate_ms: cpu(['wasm.AsyncInstantiate', 'wasm.SyncInstantiate']),
      top_tier_ms: cpu(['wasm.TopTierCompilation']),
    });
    await context.close();
  }
  if (traced.length) {
    result.wasm_cpu = Object.fromEntries(Object.keys(traced[0]).map((k) => [k, summarize(traced.map((t) => t[k]))]));
    result.wasm_cpu.loads = traced.length;
  }

  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`chromium: ${e}`));
  await page.goto(`${base}/bench/latency.html?calls=${opt.calls}&warmup=${opt.warmup}`);
  result.latency = await (await page.waitForFunction(() => window.__result, null, { timeout: 300000 })).jsonValue();
  await context.close();
} finally {
  await browser.close();
  server.kill();
}

if (opt.json) {
  console.log(JSON.stringify(result));
} else {
  for (const [what, r] of [['with preloads', result.load_preload], ['into a running page', result.late_load]])
    console.log(`${what} (${r.loads}x): import+load()+first evaluate p50 ${r.module.p50_ms.toFixed(1)} ms, ` +
      `min ${r.module.min_ms.toFixed(1)} ms`);
  const l = result.load;
  console.log(`Chromium ${result.chromium}`);
  console.log(`cold load (${l.loads}x): import+load()+first evaluate p50 ${l.module.p50_ms.toFixed(1)} ms, p90 ` +
    `${l.module.p90_ms.toFixed(1)} ms; from navigation p50 ${l.navigation.p50_ms.toFixed(1)} ms`);
  const r = result.latency;
  console.log(`evaluate(): p50 ${(r.p50_ms * 1000).toFixed(0)} us, p99 ${(r.p99_ms * 1000).toFixed(0)} us, mean ` +
    `${(r.mean_ms * 1000).toFixed(0)} us over ${r.calls} calls (${r.cases} orders; timer ${(r.clock_resolution_ms * 1000).toFixed(0)} us, isolated ${r.isolated})`);
}
if (result.latency?.failures) process.exitCode = 1;

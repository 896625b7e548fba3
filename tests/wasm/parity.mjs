// Parity of the native core and its WebAssembly build: the same (order, now,
// policy), or (order, command, now, policy), must give byte-identical output
// on both sides.
//
//   node parity.mjs --mode vectors   --native <native_eval> --wasm-dir <dir> --source-dir <repo>
//   node parity.mjs --mode decisions --native <native_eval> --wasm-dir <dir> --source-dir <repo>
//   node parity.mjs --mode generated --native <native_eval> --wasm-dir <dir> --source-dir <repo>
//                   [--count 10000] [--seed 20250305]
//
// `vectors` evaluates every golden vector of tests/vectors/*.json (and fails
// when there is none); `decisions` decides every decision vector of
// tests/decisions/*.json (decide_json against the module's `decide`; fails
// with fewer than 40, or when one is not a decision); `generated` evaluates
// seeded generated orders at generated instants (order_generator.mjs) and
// also fails when the mix stops covering every status, automatic action and
// refund kind. The native side is
// the `native_eval` tool of the native build; the WebAssembly side is BOTH
// artifacts of the `wasm` preset found in --wasm-dir: the Node module
// (ordertrail.node.cjs) and the very browser module that ships
// (ordertrail.mjs + ordertrail.wasm, loaded here with `wasmBinary`). They
// must exist and be newer than every source they are built from: a missing
// or stale artifact fails, never skips.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { decisionCases, nativeLine, vectorCases } from './golden_cases.mjs';
import { generateCases } from './order_generator.mjs';

const { values: opt } = parseArgs({
  options: {
    mode: { type: 'string' },
    native: { type: 'string' },
    'wasm-dir': { type: 'string' },
    'source-dir': { type: 'string' },
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20250305' },
  },
});

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

for (const k of ['mode', 'native', 'wasm-dir', 'source-dir']) if (!opt[k]) fail(`--${k} is required`);
const sourceDir = path.resolve(opt['source-dir']);
const REBUILD = 'build the WebAssembly preset first: cmake --preset wasm && cmake --build --preset wasm (scripts/test does both)';

// The newest of the files the wasm artifacts are compiled from (a change to
// any of them makes the wasm build recompile and relink).
function newestSource() {
  let newest = { file: '', mtimeMs: 0 };
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      // The importers (import*.cpp/hpp, import_bindings.cpp) are not linked
      // into these two modules: editing them does not make them stale.
      else if (entry.isFile() && /\.(cpp|hpp|h|json)$/.test(entry.name) && !/^import/.test(entry.name)) {
        const { mtimeMs } = fs.statSync(p);
        if (mtimeMs > newest.mtimeMs) newest = { file: p, mtimeMs };
      }
    }
  };
  for (const d of ['core', 'policies', 'wasm']) walk(path.join(sourceDir, d));
  return newest;
}

// The two WebAssembly artifacts, checked present and fresh, instantiated.
async function loadWasm() {
  const dir = path.resolve(opt['wasm-dir']);
  const files = ['ordertrail.node.cjs', 'ordertrail.mjs', 'ordertrail.wasm'].map((f) => path.join(dir, f));
  const newest = newestSource();
  for (const f of files) {
    if (!fs.existsSync(f)) fail(`${f} is missing: ${REBUILD}`);
    if (newest.mtimeMs > fs.statSync(f).mtimeMs) fail(`${f} is older than ${path.relative(sourceDir, newest.file)}: ${REBUILD}`);
  }
  const node = await createRequire(import.meta.url)(files[0])();
  const { default: browserFactory } = await import(pathToFileURL(files[1]).href);
  const browser = await browserFactory({ wasmBinary: fs.readFileSync(files[2]) });
  return { node, browser };
}

// One output line (a Buffer, without its newline) per case, from native_eval.
function runNative(cases) {
  const input = cases.map(nativeLine).join('\n') + '\n';
  const res = spawnSync(path.resolve(opt.native), [], { input, maxBuffer: 2 ** 31 - 1 });
  if (res.error) fail(`cannot run ${opt.native}: ${res.error.message}`);
  if (res.status !== 0) fail(`${opt.native} exited with ${res.status}: ${res.stderr}`);
  const out = res.stdout;
  const lines = [];
  let start = 0;
  for (let i = out.indexOf(0x0a); i !== -1; i = out.indexOf(0x0a, start)) {
    lines.push(out.subarray(start, i));
    start = i + 1;
  }
  if (start !== out.length) fail('native_eval output does not end with a newline');
  if (lines.length !== cases.length) fail(`native_eval wrote ${lines.length} lines for ${cases.length} cases`);
  return lines;
}

// A WebAssembly side, through the raw embind functions (no wrapper): the
// overload without a policy when the policy is the embedded one; decide for a
// case with a command.
function runWasm(m, cases) {
  return cases.map((c) => {
    let text;
    if (c.command !== undefined) text = c.policy === '' ? m.decide(c.order, c.command, c.now) : m.decide(c.order, c.command, c.now, c.policy);
    else text = c.policy === '' ? m.evaluate(c.order, c.now) : m.evaluate(c.order, c.now, c.policy);
    return Buffer.from(text, 'utf8');
  });
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) ++i;
  return i;
}

// Fails unless `other` is byte-identical to `reference`, case by case.
function compare(cases, reference, other, names) {
  const differences = [];
  for (let i = 0; i < cases.length; ++i) {
    if (!reference[i].equals(other[i])) differences.push(i);
  }
  for (const i of differences.slice(0, 5)) {
    const at = firstDifference(reference[i], other[i]);
    const show = (b) => JSON.stringify(b.subarray(Math.max(0, at - 60), at + 60).toString('latin1'));
    console.error(`DIFFERENT: ${cases[i].label} (byte ${at})`);
    console.error(`  ${names[0]}: ${show(reference[i])}`);
    console.error(`  ${names[1]}: ${show(other[i])}`);
    console.error(`  input: ${nativeLine(cases[i]).slice(0, 2000)}`);
  }
  if (differences.length) fail(`${differences.length} of ${cases.length} outputs differ between ${names[0]} and ${names[1]}`);
}

function tally(outputs) {
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  const t = { status: new Map(), effective: new Map(), errors: new Map(), due: new Map(), refund: new Map(), anomalies: new Map(), buyerMode: new Map(), evaluations: 0 };
  for (const e of outputs) {
    if (e.schema === 'ordertrail.error/1') {
      count(t.errors, e.code);
      continue;
    }
    ++t.evaluations;
    count(t.status, e.status);
    count(t.effective, e.effective_status);
    count(t.refund, e.refund.kind);
    count(t.buyerMode, e.cancellation.buyer.mode);
    for (const d of e.due) count(t.due, d.action);
    for (const a of e.anomalies) count(t.anomalies, a.code);
  }
  return t;
}

const show = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || '-';

function printTally(t, total) {
  console.log(`  ${t.evaluations} evaluations, ${total - t.evaluations} errors`);
  console.log(`  status:           ${show(t.status)}`);
  console.log(`  effective_status: ${show(t.effective)}`);
  console.log(`  due:              ${show(t.due)}`);
  console.log(`  refund.kind:      ${show(t.refund)}`);
  console.log(`  buyer cancel:     ${show(t.buyerMode)}`);
  console.log(`  anomalies:        ${show(t.anomalies)}`);
  console.log(`  errors:           ${show(t.errors)}`);
}

// Every decision vector must decide (an error on both sides would agree and
// prove nothing); prints how many were allowed and each refusal's count.
function printDecisions(cases, outputs) {
  const refusals = new Map();
  let allowed = 0;
  outputs.forEach((d, i) => {
    if (d.schema !== 'ordertrail.decision/1') fail(`${cases[i].label}: ${d.schema} ${d.code ?? ''} ${d.message ?? ''}, not a decision`);
    if (d.allowed) ++allowed;
    else refusals.set(d.refusal.code, (refusals.get(d.refusal.code) ?? 0) + 1);
  });
  console.log(`  ${allowed} allowed, ${outputs.length - allowed} refused`);
  console.log(`  refusals:         ${show(refusals)}`);
}

// The golden vectors (golden_cases.mjs): every evaluation vector, or every
// decision vector (at least MIN_DECISIONS of them, as issue 15 asks).
const MIN_DECISIONS = 40;

function goldenCases(m, mode) {
  let read;
  try {
    read = (mode === 'vectors' ? vectorCases : decisionCases)(sourceDir, JSON.parse(m.policies()));
  } catch (e) {
    fail(e.message);
  }
  if (mode === 'decisions' && read.cases.length < MIN_DECISIONS) fail(`tests/decisions holds ${read.cases.length} vectors, fewer than ${MIN_DECISIONS}`);
  console.log(`${mode}: ${read.files.length} files, ${read.cases.length} cases`);
  return read.cases;
}

function generatedCases(m) {
  const count = Number(opt.count);
  const seed = Number(opt.seed);
  const cases = generateCases(count, seed, JSON.parse(m.policies())).map((c, i) => ({ ...c, label: `generated #${i} (seed ${seed})` }));
  console.log(`generated: ${cases.length} orders from seed ${seed}, ${cases.filter((c) => c.policy).length} under custom policies`);
  return cases;
}

// The generated mix must keep exercising the whole lifecycle; a generator
// that drifted into trivial cases would make the parity check hollow.
function requireCoverage(t) {
  const missing = [];
  const need = (map, keys, what) => {
    for (const k of keys) if (!map.get(k)) missing.push(`${what} ${k}`);
  };
  const statuses = ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCELLED'];
  need(t.status, statuses, 'status');
  need(t.effective, statuses, 'effective_status');
  need(t.due, ['auto_cancel', 'auto_approve', 'auto_reject', 'auto_approve_case', 'auto_complete', 'auto_close_case', 'auto_refund_case'], 'due action');
  need(t.refund, ['automatic', 'return_and_refund', 'refund_only', 'none'], 'refund kind');
  need(t.buyerMode, ['instant', 'request', 'contact_seller', 'not_allowed'], 'buyer cancellation mode');
  need(t.anomalies, ['duplicate_event', 'impossible_transition', 'event_after_cancelled', 'refund_exceeds_paid', 'no_open_request'], 'anomaly');
  if (t.errors.size < 5) missing.push(`at least 5 kinds of error (got ${t.errors.size})`);
  if (missing.length) fail(`the generated orders no longer cover: ${missing.join('; ')}`);
}

const wasm = await loadWasm();
const started = performance.now();
const cases =
  opt.mode === 'vectors' || opt.mode === 'decisions'
    ? goldenCases(wasm.node, opt.mode)
    : opt.mode === 'generated'
      ? generatedCases(wasm.node)
      : fail(`unknown --mode ${opt.mode}`);
const timed = (what, f) => {
  const t0 = performance.now();
  const out = f();
  console.log(`  ${what}: ${Math.round(performance.now() - t0)} ms`);
  return out;
};
const nativeOut = timed('native_eval', () => runNative(cases));
const nodeOut = timed('Node module', () => runWasm(wasm.node, cases));
const browserOut = timed('browser module', () => runWasm(wasm.browser, cases));
compare(cases, nativeOut, nodeOut, ['native', 'wasm (Node module)']);
compare(cases, nativeOut, browserOut, ['native', 'wasm (browser module)']);
const outputs = nativeOut.map((b) => JSON.parse(b.toString('utf8')));
if (opt.mode === 'decisions') printDecisions(cases, outputs);
else printTally(tally(outputs), cases.length);
if (opt.mode === 'generated') requireCoverage(tally(outputs));
console.log(
  `native, the Node module and the browser module agree byte for byte on all ${cases.length} cases (${Math.round(performance.now() - started)} ms)`,
);

// Before the browser tests: build the widget, and compute with the native
// core (`native_eval` from tests/wasm, built by the native presets) the
// native side of the browser's parity tests: every vector of tests/vectors
// (e2e/vectors.spec.mjs), every decision of tests/decisions, and the
// decisions of the buyer's buttons of e2e/buyer-actions.mjs
// (e2e/actions.spec.mjs). A missing native tool or wasm build fails here,
// loudly, instead of being skipped. (Whether each build is fresh is the
// business of ctest's parity tests; a stale one shows up here as a vector
// that differs.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from '../web/build.mjs';
import { decisionCases, nativeLine, vectorCases } from '../tests/wasm/golden_cases.mjs';
import { ACTIONS_FILE, SCENARIOS, STALE, vectorInput } from './buyer-actions.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the native outputs of every vector go, for e2e/vectors.spec.mjs. */
export const NATIVE_VECTORS = path.join(root, 'test-results', 'native', 'vectors.json');
/** Where the native outputs of every decision vector go, for e2e/vectors.spec.mjs. */
export const NATIVE_DECISIONS = path.join(root, 'test-results', 'native', 'decisions.json');

function fail(message) {
  throw new Error(`e2e global setup: ${message}`);
}

// ORDERTRAIL_NATIVE_EVAL, else the newest build/<preset>/tests/wasm/native_eval.
function findNativeEval() {
  if (process.env.ORDERTRAIL_NATIVE_EVAL) {
    if (!fs.existsSync(process.env.ORDERTRAIL_NATIVE_EVAL)) fail(`ORDERTRAIL_NATIVE_EVAL=${process.env.ORDERTRAIL_NATIVE_EVAL} does not exist`);
    return process.env.ORDERTRAIL_NATIVE_EVAL;
  }
  const buildDir = path.join(root, 'build');
  const found = (fs.existsSync(buildDir) ? fs.readdirSync(buildDir) : [])
    .map((preset) => path.join(buildDir, preset, 'tests', 'wasm', 'native_eval'))
    .filter((f) => fs.existsSync(f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!found.length) {
    fail('no build/*/tests/wasm/native_eval: build the native core first (cmake --preset native-debug && cmake --build --preset native-debug), or set ORDERTRAIL_NATIVE_EVAL');
  }
  return found[0];
}

// One native_eval output line per case (an evaluation, or a decision for a
// case with a command), in one run.
function runNative(nativeEval, cases) {
  const input = cases.map(nativeLine).join('\n') + '\n';
  const res = spawnSync(nativeEval, [], { input, maxBuffer: 1 << 30 });
  if (res.error) fail(`cannot run ${nativeEval}: ${res.error.message}`);
  if (res.status !== 0) fail(`${nativeEval} exited with ${res.status}: ${res.stderr}`);
  const lines = res.stdout.toString('utf8').split('\n');
  if (lines.pop() !== '') fail('native_eval output does not end with a newline');
  if (lines.length !== cases.length) fail(`native_eval wrote ${lines.length} lines for ${cases.length} cases`);
  return lines;
}

function write(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

export default async function globalSetup() {
  build();

  for (const f of ['ordertrail.mjs', 'ordertrail.wasm']) {
    if (!fs.existsSync(path.join(root, 'web', 'dist', f))) fail(`web/dist/${f} is missing: cmake --preset wasm && cmake --build --preset wasm`);
  }

  const nativeEval = findNativeEval();
  const tool = path.resolve(nativeEval);

  // The embedded policies, as the native core knows them.
  const { load } = await import('../web/ordertrail.js');
  const embedded = (await load()).policies();
  let vectors;
  let decisions;
  try {
    vectors = vectorCases(root, embedded).cases;
    decisions = decisionCases(root, embedded).cases;
  } catch (e) {
    fail(e.message);
  }
  // The buyer's buttons: the order's evaluation (its `actions`), then each
  // button's command decided at the same instant; and the stale widget's
  // command at the later instant.
  const scenarios = SCENARIOS.map((s) => ({ ...s, ...vectorInput(s.vector), policy: '' }));
  const stale = { ...STALE, ...vectorInput(STALE.vector), policy: '' };
  const buyerCases = scenarios.flatMap((s) => [{ order: s.order, now: s.now, policy: '' }, ...s.buttons.map((b) => ({ order: s.order, command: JSON.stringify(b.command), now: s.now, policy: '' }))]);
  buyerCases.push({ order: stale.order, command: JSON.stringify(stale.command), now: stale.later, policy: '' });

  const out = runNative(nativeEval, [...vectors, ...decisions, ...buyerCases]);
  vectors.forEach((c, i) => (c.native = out[i]));
  decisions.forEach((c, i) => (c.native = out[vectors.length + i]));
  const buyer = out.slice(vectors.length + decisions.length);
  for (const s of scenarios) {
    s.evaluation = buyer.shift();
    s.buttons = s.buttons.map((b) => ({ ...b, native: buyer.shift() }));
  }
  stale.native = buyer.shift();

  write(NATIVE_VECTORS, { native_eval: tool, cases: vectors });
  write(NATIVE_DECISIONS, { native_eval: tool, cases: decisions });
  write(ACTIONS_FILE, { native_eval: tool, scenarios, stale });
  fs.rmSync(path.join(root, 'test-results', 'screenshots'), { recursive: true, force: true });
  fs.rmSync(path.join(root, 'test-results', 'contact-sheet.html'), { force: true });
}

// Before the browser tests: build the widget, and compute the native side of
// the vector parity test with the native core (`native_eval` from
// tests/wasm, built by the native presets). A missing native tool or wasm
// build fails here, loudly, instead of being skipped. (Whether each build is
// fresh is the business of ctest's parity tests; a stale one shows up here as
// a vector that differs.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from '../web/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the native outputs of every vector go, for e2e/vectors.spec.mjs. */
export const NATIVE_VECTORS = path.join(root, 'test-results', 'native', 'vectors.json');

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

function vectorCases(embedded) {
  const dir = path.join(root, 'tests', 'vectors');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (!files.length) fail(`${dir} holds no vector`);
  return files.map((file) => {
    const v = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    // The same reading of `policy` as tests/wasm/parity.mjs: the name of a
    // document of tests/vectors/policies/ (the v1 vectors' policy/1) is that
    // document; a market name is that embedded policy (the embedded path
    // itself when it is the order's market).
    let policy = '';
    const policyFile = typeof v.policy === 'string' ? path.join(dir, 'policies', `${v.policy}.json`) : '';
    if (policyFile && fs.existsSync(policyFile)) {
      policy = fs.readFileSync(policyFile, 'utf8');
    } else if (typeof v.policy === 'string') {
      if (!(v.policy in embedded)) fail(`${file}: no embedded policy "${v.policy}"`);
      if (v.order?.market !== v.policy) policy = JSON.stringify(embedded[v.policy]);
    } else if (v.policy !== undefined && v.policy !== null) {
      policy = JSON.stringify(v.policy);
    }
    const order = typeof v.order === 'string' ? v.order : JSON.stringify(v.order);
    return { file, name: v.name ?? file, order, now: v.now, policy };
  });
}

export default async function globalSetup() {
  build();

  for (const f of ['ordertrail.mjs', 'ordertrail.wasm']) {
    if (!fs.existsSync(path.join(root, 'web', 'dist', f))) fail(`web/dist/${f} is missing: cmake --preset wasm && cmake --build --preset wasm`);
  }

  const nativeEval = findNativeEval();

  // The embedded policies, as the native core knows them.
  const { load } = await import('../web/ordertrail.js');
  const ot = await load();
  const cases = vectorCases(ot.policies());
  const input = cases.map((c) => JSON.stringify({ order: c.order, now: c.now, policy: c.policy })).join('\n') + '\n';
  const res = spawnSync(nativeEval, [], { input, maxBuffer: 1 << 30 });
  if (res.error) fail(`cannot run ${nativeEval}: ${res.error.message}`);
  if (res.status !== 0) fail(`${nativeEval} exited with ${res.status}: ${res.stderr}`);
  const lines = res.stdout.toString('utf8').split('\n');
  if (lines.pop() !== '') fail('native_eval output does not end with a newline');
  if (lines.length !== cases.length) fail(`native_eval wrote ${lines.length} lines for ${cases.length} vectors`);
  cases.forEach((c, i) => (c.native = lines[i]));
  fs.mkdirSync(path.dirname(NATIVE_VECTORS), { recursive: true });
  fs.writeFileSync(NATIVE_VECTORS, JSON.stringify({ native_eval: path.resolve(nativeEval), cases }));
  fs.rmSync(path.join(root, 'test-results', 'screenshots'), { recursive: true, force: true });
}

// The golden vectors as inputs of both sides of a parity test: the JSON texts
// native_eval (tests/wasm/native_eval.cpp) and the wasm module are given, read
// the same way by tests/wasm/parity.mjs (Node) and e2e/global-setup.mjs (the
// browser).
//
//   vectorCases(sourceDir, embedded)    tests/vectors/*.json:   {file, label, order, now, policy}
//   decisionCases(sourceDir, embedded)  tests/decisions/*.json: the same, plus `command`
//
// `embedded` is the module's policies() object. Texts are passed on as they
// are when a vector holds a string, else serialised. A vector's `policy` is
// the name of a document of tests/vectors/policies/ (the v1 vectors'
// policy/1, e.g. "US-v1"), or a market name: that embedded policy, and the
// embedded path itself ('' policy) when it is the order's own market, or a
// policy document. Throws on a folder without vectors or a malformed vector.
import fs from 'node:fs';
import path from 'node:path';

const textOf = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

function policyText(v, label, policiesDir, embedded) {
  const file = typeof v.policy === 'string' ? path.join(policiesDir, `${v.policy}.json`) : '';
  if (file && fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  if (typeof v.policy === 'string') {
    if (!(v.policy in embedded)) throw new Error(`${label}: no embedded policy "${v.policy}" (known: ${Object.keys(embedded)})`);
    return v.order?.market === v.policy ? '' : JSON.stringify(embedded[v.policy]);
  }
  return v.policy === undefined || v.policy === null ? '' : JSON.stringify(v.policy);
}

function readCases(sourceDir, folder, embedded, needs) {
  const dir = path.join(sourceDir, 'tests', folder);
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist: there are no vectors to compare`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (!files.length) throw new Error(`${dir} holds no *.json vector: there is nothing to compare`);
  const policiesDir = path.join(sourceDir, 'tests', 'vectors', 'policies');
  const cases = [];
  for (const file of files) {
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (e) {
      throw new Error(`${folder}/${file}: not JSON (${e.message})`);
    }
    const list = Array.isArray(doc) ? doc : [doc];
    list.forEach((v, k) => {
      const label = `${file}${list.length > 1 ? `[${k}]` : ''}${v?.name ? ` (${v.name})` : ''}`;
      if (v === null || typeof v !== 'object' || needs.some((key) => !(key in v))) throw new Error(`${label}: a vector needs ${needs.map((key) => `"${key}"`).join(', ')}`);
      const c = { file, label, order: textOf(v.order), now: textOf(v.now), policy: policyText(v, label, policiesDir, embedded) };
      if (needs.includes('command')) c.command = textOf(v.command);
      cases.push(c);
    });
  }
  return { files, cases };
}

/** Every evaluation vector of tests/vectors. */
export function vectorCases(sourceDir, embedded) {
  return readCases(sourceDir, 'vectors', embedded, ['order', 'now']);
}

/** Every decision vector of tests/decisions. */
export function decisionCases(sourceDir, embedded) {
  return readCases(sourceDir, 'decisions', embedded, ['order', 'command', 'now']);
}

/** The native_eval input line of a case (with `command`: a decision). */
export function nativeLine(c) {
  return JSON.stringify(c.command === undefined ? { order: c.order, now: c.now, policy: c.policy } : { order: c.order, command: c.command, now: c.now, policy: c.policy });
}

// The browser artifact, as shipped: an ES module that needs no eval (so it
// runs under a strict Content-Security-Policy without 'unsafe-eval'), carries
// no Node code, finds its .wasm next to itself, and works.
//
//   node browser_module_test.mjs <ordertrail.mjs> <ordertrail.wasm>
import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import { pathToFileURL } from 'node:url';

const [jsPath, wasmPath] = process.argv.slice(2);
const glue = fs.readFileSync(jsPath, 'utf8');

test('the glue needs no eval, so a CSP without unsafe-eval allows it', () => {
  assert.doesNotMatch(glue, /\bnew Function\b/);
  assert.doesNotMatch(glue, /(^|[^.\w$])eval\(/);
  assert.doesNotMatch(glue, /(^|[^.\w$])Function\(/);
  assert.doesNotMatch(glue, /setTimeout\(\s*["'`]/);
});

test('the glue is an ES module for browsers only', () => {
  assert.match(glue, /export default createOrdertrail/);
  assert.match(glue, /new URL\("ordertrail\.wasm",\s*import\.meta\.url\)/);
  assert.doesNotMatch(glue, /require\(|__dirname|process\["?versions/);
});

test('the module instantiates and answers through its five functions', async () => {
  const { default: create } = await import(pathToFileURL(jsPath).href);
  const m = await create({ wasmBinary: fs.readFileSync(wasmPath) });
  assert.match(m.version(), /^\d+\.\d+\.\d+/);
  const policies = JSON.parse(m.policies());
  assert.ok(policies.US && policies.GB && policies.ID);
  assert.equal(JSON.parse(m.quote('{"market":"US","at":"2025-03-05T12:00:00Z"}')).schema, 'ordertrail.quote/1');
  const order = JSON.stringify({
    order_id: 'B-1', market: 'GB', seller_id: 'S1', currency: 'GBP', total_minor: 1999,
    placed_at: '2025-03-05T10:00:00Z', events: [{ type: 'payment_succeeded', at: '2025-03-05T10:01:00Z' }],
  });
  const text = m.evaluate(order, '2025-03-05T10:30:00Z');
  const e = JSON.parse(text);
  assert.equal(e.schema, 'ordertrail.evaluation/2');
  assert.equal(e.status, 'ON_HOLD');
  assert.equal(m.evaluate(order, '2025-03-05T10:30:00Z', ''), text);
  assert.equal(JSON.parse(m.evaluate('{', 'now')).schema, 'ordertrail.error/1');
  // ON_HOLD: the buyer may still cancel at once, with one of the buyer's reasons.
  const command = '{"type":"cancelled","by":"buyer","reason":"changed_mind"}';
  const decided = m.decide(order, command, '2025-03-05T10:30:00Z');
  const d = JSON.parse(decided);
  assert.equal(d.schema, 'ordertrail.decision/1');
  assert.equal(d.allowed, true);
  assert.deepEqual(d.event, { type: 'cancelled', at: '2025-03-05T10:30:00Z', by: 'buyer', reason: 'changed_mind' });
  assert.equal(m.decide(order, command, '2025-03-05T10:30:00Z', ''), decided);
  assert.equal(JSON.parse(m.decide(order, '{"type":"cancelled","by":"buyer","reason":"out_of_stock"}', '2025-03-05T10:30:00Z')).refusal.code, 'reason_not_allowed');
});

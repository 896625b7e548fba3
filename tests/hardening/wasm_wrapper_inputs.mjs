// The JS wrapper (web/ordertrail.js) reads its inputs as the CLI does
// (reviews/hostile F21): an explicitly empty policy text is refused, as an
// empty --policy file is, never taken for "the embedded policy"; and quote()
// takes a policy as JSON text, as evaluate() does.
//
//   node wasm_wrapper_inputs.mjs <ordertrail.node.cjs>
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'node:test';

import { isError, load } from '../../web/ordertrail.js';

const factory = createRequire(import.meta.url)(path.resolve(process.argv[2]));
const ot = await load({ factory });
const raw = await factory();
const NOW = '2025-03-07T12:00:00Z';
const order = {
  order_id: 'IN-1', market: 'US', seller_id: 'S1', currency: 'USD', total_minor: 4998,
  items: [{ sku: 'MUG', name: 'Mug', qty: 2, unit_price_minor: 2499 }],
  placed_at: '2025-03-03T17:00:00Z',
  events: [{ type: 'payment_succeeded', at: '2025-03-03T17:02:00Z' }],
};

test('inputs/empty_policy_text_is_refused', () => {
  const e = ot.evaluate(order, NOW, '');
  assert.ok(isError(e), `an empty policy text was taken for the embedded policy (${e.policy_version})`);
  assert.equal(e.code, 'invalid_json');
  assert.equal(e.path, '');
  // The core's own answer for an empty policy document.
  assert.deepEqual(e, JSON.parse(raw.evaluate(JSON.stringify(order), NOW, ' ')));
});

test('inputs/absent_policy_is_the_embedded_one', () => {
  for (const p of [undefined, null]) {
    const e = ot.evaluate(order, NOW, p);
    assert.ok(!isError(e), e.message);
    assert.equal(e.policy_version, ot.policies().US.version);
  }
});

test('inputs/quote_takes_a_policy_as_json_text', () => {
  const policy = ot.policies().US;
  policy.version = 'text.1';
  const asObject = ot.quote({ market: 'US', at: NOW, policy });
  const asText = ot.quote({ market: 'US', at: NOW, policy: JSON.stringify(policy) });
  assert.ok(!isError(asObject), asObject.message);
  assert.deepEqual(asText, asObject);
  assert.equal(asText.policy_version, 'text.1');
  const bad = ot.quote({ market: 'US', at: NOW, policy: '{"schema":' });
  assert.equal(bad.code, 'invalid_json');
  assert.equal(bad.path, '/policy');
});

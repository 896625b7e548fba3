// The hand-written wrapper web/ordertrail.js, under Node: objects or JSON
// text in, plain objects out, errors as `ordertrail.error/1` values, nothing
// thrown. Results must equal what the raw module returns for the same text.
//
//   node js_api_test.mjs <ordertrail.node.cjs of the build>
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'node:test';

import { ERROR_SCHEMA, isError, load } from '../../web/ordertrail.js';

const factory = createRequire(import.meta.url)(path.resolve(process.argv[2]));
const raw = await factory();
const ot = await load({ factory });

const order = {
  order_id: 'JS-1',
  market: 'US',
  seller_id: 'S1',
  currency: 'USD',
  total_minor: 4998,
  items: [{ sku: 'MUG', name: '<b>Mug</b>', qty: 2, unit_price_minor: 2499 }],
  payment_method: 'card',
  placed_at: '2025-03-03T17:00:00Z',
  promise: { handling_days: 2, transit_days: [3, 5], est_delivery: '2025-03-12' },
  events: [
    { type: 'payment_succeeded', at: '2025-03-03T17:02:00Z', amount_minor: 4998 },
    { type: 'shipped', at: '2025-03-05T20:00:00Z', carrier: 'UPS', tracking_number: '1Z999' },
  ],
};
const NOW = '2025-03-07T12:00:00Z';

test('load() without options finds the Node module copied to web/dist', async () => {
  const dflt = await load();
  assert.equal(dflt.version(), raw.version());
  assert.deepEqual(dflt.evaluate(order, NOW), ot.evaluate(order, NOW));
});

test('evaluate takes an object or JSON text and returns what the core returned, as an object', () => {
  const expected = JSON.parse(raw.evaluate(JSON.stringify(order), NOW));
  const fromObject = ot.evaluate(order, NOW);
  assert.deepEqual(fromObject, expected);
  assert.deepEqual(ot.evaluate(JSON.stringify(order, null, 2), NOW), expected);
  assert.equal(fromObject.schema, 'ordertrail.evaluation/2');
  assert.equal(fromObject.status, 'IN_TRANSIT');
  assert.equal(Object.getPrototypeOf(fromObject), Object.prototype);
  assert.equal(isError(fromObject), false);
});

test('now may be a Date', () => {
  assert.deepEqual(ot.evaluate(order, new Date(NOW)), ot.evaluate(order, NOW));
});

test('a policy may be passed as an object or as JSON text', () => {
  const policy = ot.policies().US;
  policy.version = 'custom.1';
  policy.remorse_window_hours = 100;
  const unshipped = { ...order, events: order.events.slice(0, 1) };
  const expected = JSON.parse(raw.evaluate(JSON.stringify(unshipped), NOW, JSON.stringify(policy)));
  const e = ot.evaluate(unshipped, NOW, policy);
  assert.deepEqual(e, expected);
  assert.deepEqual(ot.evaluate(unshipped, NOW, JSON.stringify(policy)), expected);
  assert.equal(e.policy_version, 'custom.1');
  assert.equal(e.status, 'ON_HOLD');
  assert.equal(ot.evaluate(unshipped, NOW).status, 'AWAITING_SHIPMENT');
  assert.deepEqual(ot.evaluate(unshipped, NOW, null), ot.evaluate(unshipped, NOW));
});

test('bad input comes back as an ordertrail.error/1 value, never as an exception', () => {
  const circular = {};
  circular.self = circular;
  const cases = [
    [ot.evaluate('{"order_id":', NOW), 'invalid_json'],
    [ot.evaluate({ ...order, placed_at: 'yesterday' }, NOW), 'invalid_instant'],
    [ot.evaluate(order, '2025-03-07'), 'invalid_instant'],
    [ot.evaluate(order, new Date('nonsense')), 'invalid_instant'],
    [ot.evaluate(order, 1741348800000), 'invalid_type'],
    [ot.evaluate(order), 'missing_argument'],
    [ot.evaluate(), 'missing_argument'],
    [ot.evaluate(circular, NOW), 'invalid_argument'],
    [ot.evaluate({ ...order, total_minor: 10n }, NOW), 'invalid_argument'],
    [ot.evaluate(order, NOW, { ...ot.policies().US, weekend: 'weekends' }), undefined],
    [ot.evaluate(order, NOW, 'not json'), 'invalid_json'],
    [ot.evaluate(42, NOW), undefined],
    [ot.evaluate(`{"order_id":"${'x'.repeat(2 * 1024 * 1024)}"}`, NOW), undefined],
    [ot.quote({ at: NOW }), 'missing_field'],
    [ot.quote({ market: 'ZZ', at: NOW }), 'unknown_market'],
    [ot.quote(), 'missing_argument'],
  ];
  for (const [e, code] of cases) {
    assert.ok(isError(e), JSON.stringify(e).slice(0, 200));
    assert.equal(e.schema, ERROR_SCHEMA);
    assert.deepEqual(Object.keys(e), ['schema', 'code', 'path', 'message']);
    assert.equal(typeof e.message, 'string');
    if (code) assert.equal(e.code, code, e.message);
  }
});

test('decide takes objects or JSON text and returns what the core returned, as an object', () => {
  const unshipped = { ...order, events: order.events.slice(0, 1) };
  const command = { type: 'cancel_requested', by: 'buyer', reason: 'changed_mind' };
  const expected = JSON.parse(raw.decide(JSON.stringify(unshipped), JSON.stringify(command), NOW));
  assert.equal(expected.schema, 'ordertrail.decision/1');
  assert.equal(expected.allowed, true);
  assert.deepEqual(expected.event, { type: 'cancel_requested', at: NOW, by: 'buyer', reason: 'changed_mind' });
  assert.deepEqual(ot.decide(unshipped, command, NOW), expected);
  assert.deepEqual(ot.decide(JSON.stringify(unshipped), JSON.stringify(command), new Date(NOW)), expected);
  assert.deepEqual(ot.decide(unshipped, command, NOW, null), expected);
  // The embedded policy given as a document decides the same.
  assert.deepEqual(ot.decide(unshipped, command, NOW, ot.policies().US), expected);
  // Refused: not an error, a decision with the refusal and what to do instead.
  const refused = ot.decide(order, { type: 'cancelled', by: 'buyer', reason: 'changed_mind' }, NOW);
  assert.equal(refused.allowed, false);
  assert.equal(refused.refusal.code, 'window_closed');
  assert.ok(refused.refusal.alternatives.some((a) => a.code === 'contact_support'));
});

test('decide refuses bad arguments as evaluate does, with error values', () => {
  const command = { type: 'cancelled', by: 'buyer', reason: 'changed_mind' };
  const cases = [
    [ot.decide(order), 'missing_argument', ''],
    [ot.decide(order, command), 'missing_argument', '/now'],
    [ot.decide(order, command, 'x'.repeat(257)), 'invalid_instant', '/now'],
    [ot.decide(order, command, 1741348800000), 'invalid_type', '/now'],
    [ot.decide(order, command, NOW, ''), 'invalid_json', ''],
    [ot.decide(order, '{"type":', NOW), 'invalid_json', ''],
    [ot.decide(order, `{"type":"cancelled","note":"${'x'.repeat(2 * 1024 * 1024)}"}`, NOW), 'too_large', ''],
    [ot.decide(order, { ...command, at: NOW }, NOW), 'invalid_value', '/at'],
    [ot.decide(order, { ...command, amount_minor: 10n }, NOW), 'invalid_argument', ''],
    [ot.decide('{', command, NOW), 'invalid_json', ''],
  ];
  for (const [e, code, where] of cases) {
    assert.ok(isError(e), JSON.stringify(e).slice(0, 200));
    assert.deepEqual(Object.keys(e), ['schema', 'code', 'path', 'message']);
    assert.equal(e.code, code, e.message);
    assert.equal(e.path, where, e.message);
  }
});

test('quote takes an object or JSON text', () => {
  const request = { market: 'GB', at: '2025-03-05T12:00:00Z', handling_days: 1 };
  const expected = JSON.parse(raw.quote(JSON.stringify(request)));
  assert.equal(expected.schema, 'ordertrail.quote/1');
  assert.deepEqual(ot.quote(request), expected);
  assert.deepEqual(ot.quote(JSON.stringify(request)), expected);
});

test('policies returns the embedded markets, a fresh copy each time', () => {
  const p = ot.policies();
  assert.deepEqual(Object.keys(p), ['GB', 'ID', 'US']);
  assert.equal(p.GB.time_zone, 'Europe/London');
  assert.equal(p.US.schema, 'ordertrail.policy/2');
  p.US.payment_window_hours = -1;
  assert.notEqual(ot.policies().US.payment_window_hours, -1);
});

test('version is the core version; the API object is frozen', () => {
  assert.equal(ot.version(), raw.version());
  assert.ok(Object.isFrozen(ot));
  assert.deepEqual(Object.keys(ot).sort(), ['decide', 'evaluate', 'importOrder', 'isBroken', 'policies', 'quote', 'version']);
});

test('after a trap the wrapper answers with an error value, not an exception', async () => {
  const trapping = await load({
    factory: async () => ({
      version: () => '9.9.9',
      evaluate() {
        throw new WebAssembly.RuntimeError('unreachable');
      },
      quote: () => '{"schema":"ordertrail.quote/1"}',
      decide: () => '{"schema":"ordertrail.decision/1"}',
      policies: () => '{}',
    }),
  });
  const e = trapping.evaluate(order, NOW);
  assert.equal(e.code, 'internal_error');
  assert.match(e.message, /unreachable/);
  assert.equal(trapping.quote({ market: 'US', at: NOW }).code, 'internal_error');
  assert.equal(trapping.decide(order, { type: 'cancelled', by: 'buyer' }, NOW).code, 'internal_error');
});

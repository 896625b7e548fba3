// The JS wrapper (web/ordertrail.js) against huge texts and a module that
// stops (issue 11 item 12, reviews/hostile F10). A string of gigabytes copied
// into the module exhausts its memory and aborts it, and then every later call
// failed. Now:
//   huge/*    a text over the core's 1 MiB limit is refused by the wrapper
//             with the core's own `too_large` error (same code, path and
//             message as the raw module gives, up to 4 Mi UTF-16 units; beyond,
//             "at least N bytes" at once) BEFORE it is copied: the
//             module's memory does not grow, and the answer is quick; texts at
//             the limit still reach the core; an over-long `now` is refused too
//   broken/*  loader() (what the widget uses, web/src/core.js) replaces a
//             module that stopped, and retries a load that failed
// Strings stay far below 2 GB (the largest is 150 MB of JS string).
//
//   node wasm_huge_text.mjs <ordertrail.node.cjs>
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'node:test';

import { isError, load, loader, MAX_DOCUMENT_BYTES } from '../../web/ordertrail.js';

const factory = createRequire(import.meta.url)(path.resolve(process.argv[2]));
let instance = null;  // the Emscripten module behind `ot`, to watch its memory
const ot = await load({ factory: async (o) => (instance = await factory(o)) });
const raw = await factory();
const heap = () => instance.HEAPU8.buffer.byteLength;

const NOW = '2025-03-07T12:00:00Z';
const order = {
  order_id: 'BIG-1', market: 'US', seller_id: 'S1', currency: 'USD', total_minor: 4998,
  items: [{ sku: 'MUG', name: '€'.repeat(300), qty: 2, unit_price_minor: 2499 }],
  placed_at: '2025-03-03T17:00:00Z',
  events: [{ type: 'payment_succeeded', at: '2025-03-03T17:02:00Z' }],
};
const base = JSON.stringify(order);
const utf8 = (s) => Buffer.byteLength(s, 'utf8');
// The order padded with spaces (valid JSON) to exactly `bytes` bytes of UTF-8.
const padded = (bytes) => base + ' '.repeat(bytes - utf8(base));

function refusedQuickly(name, text, call = (t) => ot.evaluate(t, NOW), { maxMs = 3000 } = {}) {
  const before = heap();
  const t0 = performance.now();
  const r = call(text);
  const ms = performance.now() - t0;
  assert.ok(isError(r), `${name}: not refused`);
  assert.equal(r.code, 'too_large', `${name}: ${r.code}: ${r.message}`);
  assert.equal(r.path, '');
  assert.equal(heap(), before, `${name}: the module's memory grew from ${before} to ${heap()} bytes: the text was copied`);
  assert.ok(ms < maxMs, `${name}: ${ms.toFixed(0)} ms`);
  return r;
}

test('huge/exact_limit_still_reaches_the_core', () => {
  const text = padded(MAX_DOCUMENT_BYTES);
  assert.equal(utf8(text), 1_048_576);
  const r = ot.evaluate(text, NOW);
  assert.ok(!isError(r), `refused: ${r.code} ${r.message}`);
  assert.equal(r.order_id, 'BIG-1');
  assert.deepEqual(r, JSON.parse(raw.evaluate(text, NOW, '')));
});

test('huge/one_byte_over_is_the_cores_too_large', () => {
  const text = padded(MAX_DOCUMENT_BYTES + 1);  // fewer units than bytes: the UTF-8 length is counted
  assert.ok(text.length < MAX_DOCUMENT_BYTES);
  const r = refusedQuickly('one byte over', text);
  assert.deepEqual(r, JSON.parse(raw.evaluate(text, NOW, '')));
  assert.equal(r.message, 'document of 1048577 bytes exceeds the limit of 1048576 bytes');
});

test('huge/multibyte_under_a_mib_of_units_over_a_mib_of_bytes', () => {
  const text = '€'.repeat(400_000);  // 400,000 units, 1,200,000 bytes
  const r = refusedQuickly('400k euro signs', text);
  assert.deepEqual(r, JSON.parse(raw.evaluate(text, NOW, '')));
  assert.equal(r.message, 'document of 1200000 bytes exceeds the limit of 1048576 bytes');
});

test('huge/surrogate_pairs_count_four_bytes', () => {
  const text = '😀'.repeat(300_000);  // 600,000 units, 1,200,000 bytes
  const r = refusedQuickly('emoji', text);
  assert.deepEqual(r, JSON.parse(raw.evaluate(text, NOW, '')));
});

test('huge/150_mb_string_never_copied', () => {
  // 50 M units of U+20AC: 100 MB as a JS string, 150 MB of UTF-8. Before the
  // fix it was copied into the module (its memory grew by 150 MB+) and only then refused.
  // Beyond 4 Mi units the size is not counted (O(1)): UTF-8 has at least as many bytes as UTF-16 units.
  const text = '€'.repeat(50_000_000);
  const r = refusedQuickly('150 MB', text, undefined, { maxMs: 200 });
  assert.equal(r.message, 'document of at least 50000000 bytes exceeds the limit of 1048576 bytes');
  // The module is still healthy.
  const ok = ot.evaluate(order, NOW);
  assert.ok(!isError(ok), ok.message);
  assert.equal(ot.isBroken(), false);
});

test('huge/counted_up_to_4_mi_units', () => {
  const text = '€'.repeat(4 * 1024 * 1024);  // 4 Mi units, 12 MiB: still counted, the core's exact message
  const r = refusedQuickly('4 Mi euro signs', text);
  assert.equal(r.message, `document of ${3 * 4 * 1024 * 1024} bytes exceeds the limit of 1048576 bytes`);
  assert.deepEqual(r, JSON.parse(raw.evaluate(text, NOW, '')));
});

test('huge/policy_and_quote_texts_too', () => {
  const text = 'x'.repeat(20_000_000);
  refusedQuickly('policy', text, (t) => ot.evaluate(order, NOW, t));
  refusedQuickly('quote request', text, (t) => ot.quote(t));
});

test('huge/decide_texts_too', () => {
  const text = 'x'.repeat(20_000_000);
  const command = { type: 'cancelled', by: 'buyer', reason: 'changed_mind' };
  refusedQuickly('decide order', text, (t) => ot.decide(t, command, NOW));
  refusedQuickly('decide command', text, (t) => ot.decide(order, t, NOW));
  refusedQuickly('decide policy', text, (t) => ot.decide(order, command, NOW, t));
  const before = heap();
  const r = ot.decide(order, command, `2025-03-07T12:00:00${'0'.repeat(30_000_000)}Z`);
  assert.equal(r.code, 'invalid_instant');
  assert.equal(r.path, '/now');
  assert.equal(heap(), before);
});

test('huge/object_serialised_over_the_limit', () => {
  const big = { ...order, items: Array.from({ length: 3000 }, (_, i) => ({ sku: `S${i}`, name: 'n'.repeat(400), qty: 1, unit_price_minor: 1 })) };
  refusedQuickly('object', big);
});

test('huge/now_string_refused_before_the_module', () => {
  const before = heap();
  const r = ot.evaluate(order, `2025-03-07T12:00:00${'0'.repeat(30_000_000)}Z`);
  assert.equal(r.code, 'invalid_instant');
  assert.equal(r.path, '/now');
  assert.equal(heap(), before);
  // A long fraction that is still an instant passes through to the core.
  const fine = ot.evaluate(order, `2025-03-07T12:00:00.${'0'.repeat(30)}Z`);
  assert.ok(!isError(fine), fine.message);
});

// A factory whose modules stop (throw, as an Emscripten abort does) on the
// first evaluate, for the first `failing` instances.
function flakyFactory({ failing = 1, rejectFirstLoads = 0 } = {}) {
  let made = 0;
  let loads = 0;
  const f = async (o) => {
    if (loads++ < rejectFirstLoads) throw new Error('both async and sync fetching of the wasm failed');
    const m = await factory(o);
    const n = ++made;
    if (n > failing) return m;
    return new Proxy(m, {
      get(target, prop) {
        if (prop === 'evaluate') return () => { throw new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.'); };
        return Reflect.get(target, prop);
      },
    });
  };
  f.made = () => made;
  return f;
}

test('broken/a_stopped_module_is_replaced_on_the_next_use', async () => {
  const f = flakyFactory();
  const get = loader({ factory: f });
  const first = await get();
  const r = first.evaluate(order, NOW);
  assert.equal(r.code, 'internal_error');
  assert.equal(first.isBroken(), true);
  assert.equal(first.evaluate(order, NOW).code, 'internal_error', 'a stopped module keeps answering internal_error');
  const second = await get();
  assert.notEqual(second, first);
  assert.equal(f.made(), 2);
  const ok = second.evaluate(order, NOW);
  assert.ok(!isError(ok), ok.message);
  assert.equal(ok.order_id, 'BIG-1');
  assert.equal(await get(), second, 'a healthy module is kept');
  assert.equal(f.made(), 2);
});

test('broken/a_failed_load_is_tried_again', async () => {
  const f = flakyFactory({ failing: 0, rejectFirstLoads: 1 });
  const get = loader({ factory: f });
  await assert.rejects(get(), /fetching/);
  const ot2 = await get();
  assert.ok(!isError(ot2.evaluate(order, NOW)));
});

test('broken/concurrent_uses_share_one_load', async () => {
  const f = flakyFactory({ failing: 0 });
  const get = loader({ factory: f });
  const [a, b] = await Promise.all([get(), get()]);
  assert.equal(a, b);
  assert.equal(f.made(), 1);
});

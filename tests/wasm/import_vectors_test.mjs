// The importers' WASM module (issue 18) on every vector of tests/import: the
// same order/2 subset, warning codes and error pointer as the native unit
// test checks (tests/unit/import_test.cpp), and the widget's module without
// importOrder.
//   node import_vectors_test.mjs IMPORT_MODULE.cjs WIDGET_NODE_MODULE.cjs SOURCE_DIR
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

const [importModule, widgetModule, source] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const ot = await require(path.resolve(importModule))();
const widget = await require(path.resolve(widgetModule))();
assert.equal(typeof ot.importOrder, 'function');
assert.equal(widget.importOrder, undefined, 'the widget module must not carry the importers');

// `expected` inside `actual`: objects as subsets, arrays element by element.
function within(expected, actual, where) {
  if (expected !== null && typeof expected === 'object') {
    if (Array.isArray(expected)) {
      assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: ${JSON.stringify(actual)}`);
      expected.forEach((x, i) => within(x, actual[i], `${where}/${i}`));
    } else {
      for (const [k, v] of Object.entries(expected)) within(v, actual?.[k], `${where}/${k}`);
    }
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

const dir = path.join(source, 'tests/import');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
assert.ok(files.length >= 10);
for (const f of files) {
  const v = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  const out = JSON.parse(ot.importOrder(v.platform, JSON.stringify(v.payload), v.market ?? '', v.seller_id ?? ''));
  if (v.expected.error) {
    assert.equal(out.schema, 'ordertrail.error/1', f);
    assert.equal(out.code, v.expected.error.code, f);
    assert.equal(out.path, v.expected.error.path, f);
    continue;
  }
  assert.equal(out.schema, 'ordertrail.import/1', `${f}: ${JSON.stringify(out)}`);
  if (v.expected.order) within(v.expected.order, out.order, `${f}: /order`);
  if (v.expected.warnings) assert.deepEqual(out.warnings.map((w) => w.code), v.expected.warnings, f);
}
assert.equal(JSON.parse(ot.importOrder('amazon', '{}', '', '')).code, 'invalid_value');

// The JS wrapper's importOrder (web/ordertrail.js, which loads
// web/dist/ordertrail-import.node.cjs on first use): the same document as the
// module's, for a payload given as an object or as text, and through a loaded
// core module's `ot.importOrder`.
const wrapper = await import(path.join(source, 'web/ordertrail.js'));
for (const f of files) {
  const v = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  const direct = JSON.parse(ot.importOrder(v.platform, JSON.stringify(v.payload), v.market ?? '', v.seller_id ?? ''));
  const options = { market: v.market ?? '', sellerId: v.seller_id ?? '' };
  assert.deepEqual(await wrapper.importOrder(v.platform, v.payload, options), direct, `${f}: wrapper, object`);
  assert.deepEqual(await wrapper.importOrder(v.platform, JSON.stringify(v.payload), options), direct, `${f}: wrapper, text`);
}
const core = await wrapper.load();
const first = JSON.parse(readFileSync(path.join(dir, files.find((f) => f.startsWith('t'))), 'utf8'));
assert.equal((await core.importOrder(first.platform, first.payload, { sellerId: first.seller_id ?? '' })).schema, 'ordertrail.import/1');
assert.equal((await wrapper.importOrder('tiktok', 'x'.repeat(1024 * 1024 + 1))).code, 'too_large');
console.log(`import_vectors: ${files.length} vectors ok, also through web/ordertrail.js importOrder`);

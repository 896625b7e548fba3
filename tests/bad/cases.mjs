// The bad-input corpus: named cases, each with the exact error code and JSON
// pointer every channel (the library, the CLI, the WebAssembly module) must
// report. A few cases are valid on purpose (boundaries, "every day a working
// day"): they must evaluate, identically everywhere, and pass their checks.
//
//   node cases.mjs --out DIR [--source-dir REPO]   writes DIR/manifest.json and the inputs
//   node cases.mjs --list                           prints one line per case
//
// A case: {name, group, order: Buffer, policy: Buffer|null, now,
//          expect: {code, path} | {ok: true, checks},
//          stage: 'parse' | 'evaluate'  (policy cases: where the error arises),
//          bugs: {'CHANNEL:CATEGORY': 'Bn'}  (known bugs, see README.md)}
//
// Messages are never asserted (the order parser's messages are being
// rewritten); only that one is present. Each bad case has exactly one thing
// wrong, so that the order in which a parser checks fields cannot matter.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const NOW = '2025-03-05T12:00:00Z';
const MiB = 1024 * 1024;

// A valid order: paid, shipped, one item, a promise. Every bad order below is
// this one with one thing broken.
export function baseOrder() {
  return {
    order_id: 'BAD-1',
    market: 'US',
    seller_id: 'S-1',
    buyer_id: 'B-1',
    currency: 'USD',
    total_minor: 2599,
    items: [{ sku: 'SKU-1', name: 'Mug', qty: 1, unit_price_minor: 2599, returnable: true }],
    payment_method: 'card',
    placed_at: '2025-03-03T10:00:00-08:00',
    promise: { handling_days: 2, transit_days: [3, 5], est_delivery: '2025-03-12' },
    events: [
      { type: 'payment_succeeded', at: '2025-03-03T18:05:00Z', id: 'e1', amount_minor: 2599 },
      { type: 'shipped', at: '2025-03-04T18:00:00Z', by: 'seller', carrier: 'UPS', tracking_number: '1Z999' },
    ],
  };
}

// One event of each kind that has its own fields, appended as events[2].
const extraEvents = {
  cancelled: { type: 'cancelled', at: '2025-03-04T20:00:00Z', by: 'seller', reason: 'out_of_stock', note: 'n' },
  refunded: { type: 'refunded', at: '2025-03-04T21:00:00Z', amount_minor: 100, reason: 'partial' },
  edd_revised: { type: 'edd_revised', at: '2025-03-04T22:00:00Z', est_delivery: '2025-03-14' },
  return_requested: { type: 'return_requested', at: '2025-03-04T23:00:00Z', reason: 'broken', items: ['SKU-1', { sku: 'SKU-1', qty: 1 }] },
  return_shipped: { type: 'return_shipped', at: '2025-03-04T23:30:00Z', tracking_number: 'RT-1' },
  payment_failed: { type: 'payment_failed', at: '2025-03-03T18:00:00Z', reason: 'card_declined' },
};

let sourceDir = path.resolve(here, '../..');
const usPolicy = () => JSON.parse(readFileSync(path.join(sourceDir, 'policies/US.json'), 'utf8'));

const json = (v) => Buffer.from(JSON.stringify(v), 'utf8');
const clone = (v) => structuredClone(v);
const text = (s) => Buffer.from(s, 'utf8');
const baseText = () => JSON.stringify(baseOrder());
// The base order's text with `extra` (raw JSON text of a member) added last.
const withMember = (member) => text(baseText().slice(0, -1) + ',' + member + '}');

export function buildCases(options = {}) {
  if (options.sourceDir) sourceDir = options.sourceDir;
  const cases = [];
  const add = (c) => {
    if (cases.some((x) => x.name === c.name)) throw new Error(`duplicate case name ${c.name}`);
    const full = { now: NOW, policy: null, stage: 'parse', ...c, bugs: { ...(c.bugs ?? {}) } };
    cases.push(full);
  };
  const bad = (code, path_) => ({ code, path: path_ });
  const ok = (checks = {}) => ({ ok: true, checks });
  // Known bugs (README.md): the channels and problem categories they show in.
  const channels = ['library', 'cli', 'policycheck', 'sweep', 'wasm', 'wrapper'];
  const known = (id, categories, where = channels) => {
    const bugs = {};
    for (const ch of where) for (const cat of categories) bugs[`${ch}:${cat}`] = id;
    return { bugs };
  };
  // (B1-B4 were bugs of the nlohmann-based parser, fixed by the single-pass reader;
  // their cases stay as regression tests.)

  // An order case from a mutation of the base order.
  const order = (group, name, mutate, expect, more = {}) => {
    const o = baseOrder();
    mutate(o);
    add({ group, name, order: json(o), expect, ...more });
  };
  const raw = (group, name, bytes, expect, more = {}) =>
    add({ group, name, order: Buffer.isBuffer(bytes) ? bytes : text(bytes), expect, ...more });
  // A policy case: the base order, evaluated under a mutated US policy.
  const policy = (group, name, mutate, expect, more = {}) => {
    const p = usPolicy();
    mutate(p);
    add({ group, name, order: json(baseOrder()), policy: json(p), expect, ...more });
  };
  const rawPolicy = (group, name, bytes, expect, more = {}) =>
    add({ group, name, order: json(baseOrder()), policy: Buffer.isBuffer(bytes) ? bytes : text(bytes), expect, ...more });

  // --- 1. Not JSON at all, or truncated ------------------------------------------
  const t = baseText();
  const J = 'json';
  raw(J, 'empty_document', '', bad('invalid_json', ''));
  raw(J, 'whitespace_only', ' \t\r\n ', bad('invalid_json', ''));
  raw(J, 'truncated_in_string', '{"order_id": "A', bad('invalid_json', ''));
  raw(J, 'truncated_after_colon', '{"order_id":', bad('invalid_json', ''));
  raw(J, 'truncated_half', t.slice(0, Math.floor(t.length / 2)), bad('invalid_json', ''));
  raw(J, 'truncated_last_brace', t.slice(0, -1), bad('invalid_json', ''));
  raw(J, 'truncated_in_number', t.slice(0, t.indexOf('2599') + 2), bad('invalid_json', ''));
  raw(J, 'truncated_in_literal', '{"order_id":"A","x":tru', bad('invalid_json', ''));
  raw(J, 'trailing_comma_object', t.slice(0, -1) + ',}', bad('invalid_json', ''));
  raw(J, 'trailing_comma_array', t.replace('"events":[', '"events":[{"type":"delivered","at":"2025-03-05T00:00:00Z"},').replace(/\]\}$/, ',]}'), bad('invalid_json', ''));
  raw(J, 'single_quotes', t.replace('"order_id":"BAD-1"', "'order_id':'BAD-1'"), bad('invalid_json', ''));
  raw(J, 'unquoted_key', t.replace('"order_id"', 'order_id'), bad('invalid_json', ''));
  raw(J, 'line_comment', '// an order\n' + t, bad('invalid_json', ''));
  raw(J, 'block_comment', t.replace('{', '{/* c */'), bad('invalid_json', ''));
  raw(J, 'nan_literal', t.replace('"total_minor":2599', '"total_minor":NaN'), bad('invalid_json', ''));
  raw(J, 'infinity_literal', t.replace('"total_minor":2599', '"total_minor":Infinity'), bad('invalid_json', ''));
  raw(J, 'leading_zero_number', t.replace('"total_minor":2599', '"total_minor":02599'), bad('invalid_json', ''));
  raw(J, 'hex_number', t.replace('"total_minor":2599', '"total_minor":0xA27'), bad('invalid_json', ''));
  raw(J, 'plus_sign_number', t.replace('"total_minor":2599', '"total_minor":+2599'), bad('invalid_json', ''));
  raw(J, 'garbage_after_document', t + ' x', bad('invalid_json', ''));
  raw(J, 'two_documents', t + t, bad('invalid_json', ''));
  raw(J, 'raw_tab_in_string', t.replace('"name":"Mug"', '"name":"M\tug"'), bad('invalid_json', ''));
  raw(J, 'raw_newline_in_string', t.replace('"name":"Mug"', '"name":"M\nug"'), bad('invalid_json', ''));
  raw(J, 'nul_byte_in_string', t.replace('"name":"Mug"', '"name":"M\u0000ug"'), bad('invalid_json', ''));
  raw(J, 'nul_byte_after_document', t + '\u0000', bad('invalid_json', ''));
  raw(J, 'nul_byte_then_garbage', t + '\u0000garbage', bad('invalid_json', ''));
  raw(J, 'bad_escape', t.replace('"name":"Mug"', '"name":"M\\xug"'), bad('invalid_json', ''));
  raw(J, 'short_unicode_escape', t.replace('"name":"Mug"', '"name":"M\\u12"'), bad('invalid_json', ''));
  raw(J, 'lone_high_surrogate_escape', t.replace('"name":"Mug"', '"name":"M\\ud800ug"'), bad('invalid_json', ''));
  raw(J, 'lone_low_surrogate_escape', t.replace('"name":"Mug"', '"name":"M\\udc00ug"'), bad('invalid_json', ''));
  raw(J, 'top_level_array', '[' + t + ']', bad('invalid_type', ''));
  raw(J, 'top_level_string', '"BAD-1"', bad('invalid_type', ''));
  raw(J, 'top_level_null', 'null', bad('invalid_type', ''));
  raw(J, 'top_level_number', '2599', bad('invalid_type', ''));

  // --- 2. Not UTF-8 -----------------------------------------------------------------
  const U = 'utf8';
  const bytesIn = (before, bytes, after) => Buffer.concat([text(before), Buffer.from(bytes), text(after)]);
  const [head, tail] = t.split('"Mug"');
  raw(U, 'utf8_ff_byte_in_name', bytesIn(head + '"M', [0xff], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_lone_continuation', bytesIn(head + '"M', [0x80], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_truncated_sequence', bytesIn(head + '"M', [0xe2, 0x82], '"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_overlong_slash', bytesIn(head + '"M', [0xc0, 0xaf], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_overlong_nul', bytesIn(head + '"M', [0xc0, 0x80], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_encoded_surrogate', bytesIn(head + '"M', [0xed, 0xa0, 0x80], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_beyond_10ffff', bytesIn(head + '"M', [0xf4, 0x90, 0x80, 0x80], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_f8_five_byte_form', bytesIn(head + '"M', [0xf8, 0x88, 0x80, 0x80, 0x80], 'ug"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_latin1_e_acute', bytesIn(head + '"Caf', [0xe9], '"' + tail), bad('invalid_json', ''));
  raw(U, 'utf8_invalid_in_key', bytesIn(t.slice(0, -1) + ',"x', [0xff], '":1}'), bad('invalid_json', ''));
  raw(U, 'utf8_invalid_outside_string', bytesIn(t.slice(0, -1), [0xc3, 0xa9], '}'), bad('invalid_json', ''));
  raw(U, 'utf8_invalid_in_order_id', bytesIn('{"order_id":"', [0xfe], t.slice(t.indexOf('BAD-1'))), bad('invalid_json', ''));
  raw(U, 'utf16le_document', Buffer.from(t, 'utf16le'), bad('invalid_json', ''));
  // A UTF-8 byte order mark is not JSON (RFC 8259 8.1 lets a parser skip a
  // leading one; ordertrail does not, like JSON.parse in the browser).
  raw(U, 'utf8_bom_at_start', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(t)]), bad('invalid_json', ''));
  raw(U, 'utf8_bom_after_space', Buffer.concat([text(' '), Buffer.from([0xef, 0xbb, 0xbf]), text(t)]), bad('invalid_json', ''));
  raw(U, 'utf8_bom_twice', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), text(t)]), bad('invalid_json', ''));

  // --- 3. Sizes and nesting ----------------------------------------------------------------
  const S = 'size';
  const padTo = (size, member = 'pad') => {
    const prefix = t.slice(0, -1) + `,"${member}":"`;
    const n = size - prefix.length - 2;
    return text(prefix + 'x'.repeat(n) + '"}');
  };
  raw(S, 'document_1MiB_exactly', padTo(MiB), ok());
  raw(S, 'document_1MiB_plus_1', padTo(MiB + 1), bad('too_large', ''));
  raw(S, 'document_1MiB_plus_1_whitespace', text(t + ' '.repeat(MiB + 1 - t.length)), bad('too_large', ''));
  raw(S, 'document_2MiB_garbage', text('x'.repeat(2 * MiB)), bad('too_large', ''));
  // Nesting: the root object is level 1; 32 levels are allowed, the 33rd is refused
  // at the pointer of the container that opens it.
  const arrays = (n) => '['.repeat(n) + ']'.repeat(n);
  const objects = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  raw(S, 'nesting_32_levels_ok', withMember('"deep":' + arrays(31)), ok());
  raw(S, 'nesting_33_levels_arrays', withMember('"deep":' + arrays(32)), bad('too_deep', '/deep' + '/0'.repeat(31)));
  raw(S, 'nesting_33_levels_objects', withMember('"deep":' + objects(32)), bad('too_deep', '/deep' + '/a'.repeat(31)));
  raw(S, 'nesting_100000_levels', withMember('"deep":' + arrays(100000)), bad('too_deep', '/deep' + '/0'.repeat(31)));
  raw(S, 'nesting_100000_unclosed', withMember('"deep":' + '['.repeat(100000)).subarray(0, -1), bad('too_deep', '/deep' + '/0'.repeat(31)));
  raw(S, 'nesting_deep_in_event', text(t.replace('"id":"e1"', '"id":"e1","x":' + arrays(30))), bad('too_deep', '/events/0/x' + '/0'.repeat(29)));
  const events = (n) => Array.from({ length: n }, (_, i) => ({
    type: 'delivery_attempt_failed', at: '2025-03-05T00:00:00Z', id: 'd' + i, reason: 'nobody_home',
  }));
  order(S, 'events_10000_ok', (o) => o.events.push(...events(9998)), ok({ '/status': 'IN_TRANSIT' }));
  order(S, 'events_10001', (o) => o.events.push(...events(9999)), bad('too_many_events', '/events'));
  order(S, 'events_15000_short', (o) => o.events.push(...Array.from({ length: 14998 }, () => ({ type: 'lost', at: '2025-03-05T00:00:00Z' }))), bad('too_many_events', '/events'));

  // --- 4. Duplicate keys -------------------------------------------------------------------------
  const D = 'duplicate_key';
  raw(D, 'dup_order_id', t.replace('"order_id":"BAD-1"', '"order_id":"BAD-1","order_id":"BAD-2"'), bad('duplicate_key', '/order_id'));
  raw(D, 'dup_order_id_same_value', t.replace('"order_id":"BAD-1"', '"order_id":"BAD-1","order_id":"BAD-1"'), bad('duplicate_key', '/order_id'));
  raw(D, 'dup_total_minor_last', t.slice(0, -1) + ',"total_minor":1}', bad('duplicate_key', '/total_minor'));
  raw(D, 'dup_key_by_escape', t.replace('"order_id":"BAD-1"', '"order_id":"BAD-1","order\\u005fid":"BAD-2"'), bad('duplicate_key', '/order_id'));
  raw(D, 'dup_in_event', t.replace('"id":"e1"', '"id":"e1","at":"2025-03-03T18:06:00Z"'), bad('duplicate_key', '/events/0/at'));
  raw(D, 'dup_in_item', t.replace('"sku":"SKU-1"', '"sku":"SKU-1","sku":"SKU-2"'), bad('duplicate_key', '/items/0/sku'));
  raw(D, 'dup_in_unknown_member', withMember('"extra":{"k":1,"k":2}'), bad('duplicate_key', '/extra/k'));
  raw(D, 'dup_key_with_slash_and_tilde', withMember('"extra":{"a/b~c":1,"a/b~c":2}'), bad('duplicate_key', '/extra/a~1b~0c'));
  raw(D, 'dup_empty_key', withMember('"extra":{"":1,"":2}'), bad('duplicate_key', '/extra/'));

  // --- 5. Missing required fields --------------------------------------------------------------------
  const M = 'missing';
  for (const k of ['order_id', 'market', 'seller_id', 'currency', 'total_minor', 'placed_at'])
    order(M, `missing_${k}`, (o) => delete o[k], bad('missing_field', `/${k}`));
  order(M, 'missing_event_type', (o) => delete o.events[1].type, bad('missing_field', '/events/1/type'));
  order(M, 'missing_event_at', (o) => delete o.events[1].at, bad('missing_field', '/events/1/at'));
  order(M, 'missing_cancelled_by', (o) => { const e = clone(extraEvents.cancelled); delete e.by; o.events.push(e); }, bad('missing_field', '/events/2/by'));
  order(M, 'missing_cancelled_reason', (o) => { const e = clone(extraEvents.cancelled); delete e.reason; o.events.push(e); }, bad('missing_field', '/events/2/reason'));
  order(M, 'missing_refunded_amount', (o) => { const e = clone(extraEvents.refunded); delete e.amount_minor; o.events.push(e); }, bad('missing_field', '/events/2/amount_minor'));
  order(M, 'missing_edd_revised_est_delivery', (o) => { const e = clone(extraEvents.edd_revised); delete e.est_delivery; o.events.push(e); }, bad('missing_field', '/events/2/est_delivery'));
  for (const k of ['sku', 'qty', 'unit_price_minor'])
    order(M, `missing_item_${k}`, (o) => delete o.items[0][k], bad('missing_field', `/items/0/${k}`));
  order(M, 'missing_return_item_sku', (o) => { const e = clone(extraEvents.return_requested); delete e.items[1].sku; o.events.push(e); }, bad('missing_field', '/events/2/items/1/sku'));
  // A required field given as null is present, with the wrong type.
  order(M, 'null_order_id', (o) => { o.order_id = null; }, bad('invalid_type', '/order_id'));
  order(M, 'null_placed_at', (o) => { o.placed_at = null; }, bad('invalid_type', '/placed_at'));
  order(M, 'null_optional_fields_ok', (o) => { o.buyer_id = null; o.payment_method = null; o.promise = null; o.items[0].name = null; }, ok());

  // --- 6. Wrong JSON types, for every field --------------------------------------------------------
  const W = 'wrong_type';
  const wrongFor = { string: 42, int: '1', bool: 'true', array: {}, object: [], instant: 1741024800, date: 20250312 };
  const topFields = { order_id: 'string', market: 'string', seller_id: 'string', buyer_id: 'string', currency: 'string',
    total_minor: 'int', items: 'array', payment_method: 'string', placed_at: 'instant', promise: 'object', events: 'array' };
  for (const [k, kind] of Object.entries(topFields))
    order(W, `type_${k}`, (o) => { o[k] = wrongFor[kind]; }, bad('invalid_type', `/${k}`));
  const itemFields = { sku: 'string', name: 'string', qty: 'int', unit_price_minor: 'int', returnable: 'bool' };
  for (const [k, kind] of Object.entries(itemFields))
    order(W, `type_item_${k}`, (o) => { o.items[0][k] = wrongFor[kind]; }, bad('invalid_type', `/items/0/${k}`));
  order(W, 'type_item_not_object', (o) => { o.items[0] = 'SKU-1'; }, bad('invalid_type', '/items/0'));
  order(W, 'type_promise_handling_days', (o) => { o.promise.handling_days = '2'; }, bad('invalid_type', '/promise/handling_days'));
  order(W, 'type_promise_transit_days', (o) => { o.promise.transit_days = '3-5'; }, bad('invalid_type', '/promise/transit_days'));
  order(W, 'type_promise_transit_days_element', (o) => { o.promise.transit_days = ['3', 5]; }, bad('invalid_type', '/promise/transit_days/0'));
  order(W, 'type_promise_est_delivery', (o) => { o.promise.est_delivery = wrongFor.date; }, bad('invalid_type', '/promise/est_delivery'));
  order(W, 'type_event_not_object', (o) => { o.events[1] = 'shipped'; }, bad('invalid_type', '/events/1'));
  order(W, 'type_event_null', (o) => { o.events[1] = null; }, bad('invalid_type', '/events/1'));
  const eventFields = { type: 'string', at: 'instant', id: 'string', by: 'string', reason: 'string', note: 'string',
    carrier: 'string', tracking_number: 'string' };
  for (const [k, kind] of Object.entries(eventFields))
    order(W, `type_event_${k}`, (o) => { o.events[1][k] = wrongFor[kind]; }, bad('invalid_type', `/events/1/${k}`));
  order(W, 'type_payment_amount_minor', (o) => { o.events[0].amount_minor = '2599'; }, bad('invalid_type', '/events/0/amount_minor'));
  order(W, 'type_refunded_amount_minor', (o) => o.events.push({ ...extraEvents.refunded, amount_minor: true }), bad('invalid_type', '/events/2/amount_minor'));
  order(W, 'type_edd_revised_est_delivery', (o) => o.events.push({ ...extraEvents.edd_revised, est_delivery: wrongFor.date }), bad('invalid_type', '/events/2/est_delivery'));
  order(W, 'type_return_items', (o) => o.events.push({ ...extraEvents.return_requested, items: 'SKU-1' }), bad('invalid_type', '/events/2/items'));
  order(W, 'type_return_item_element', (o) => o.events.push({ ...extraEvents.return_requested, items: [7] }), bad('invalid_type', '/events/2/items/0'));
  order(W, 'type_return_item_qty', (o) => o.events.push({ ...extraEvents.return_requested, items: [{ sku: 'SKU-1', qty: '1' }] }), bad('invalid_type', '/events/2/items/0/qty'));
  order(W, 'type_return_shipped_tracking', (o) => o.events.push({ ...extraEvents.return_shipped, tracking_number: 5 }), bad('invalid_type', '/events/2/tracking_number'));
  order(W, 'type_payment_failed_reason', (o) => o.events.push({ ...extraEvents.payment_failed, reason: ['x'] }), bad('invalid_type', '/events/2/reason'));

  // --- 7. Unknown names -----------------------------------------------------------------------------
  const N = 'unknown';
  for (const [name, type] of [['teleported', 'teleported'], ['empty', ''], ['wrong_case', 'Shipped'], ['padded', ' shipped'], ['control', '\u001b[2Jshipped']])
    order(N, `event_type_${name}`, (o) => { o.events[1].type = type; }, bad('unknown_event_type', '/events/1/type'));
  order(N, 'event_by_alien', (o) => { o.events[1].by = 'alien'; }, bad('unknown_party', '/events/1/by'));
  order(N, 'event_by_wrong_case', (o) => { o.events[1].by = 'Seller'; }, bad('unknown_party', '/events/1/by'));
  // A reason the catalogue does not list is a fact, not malformed input (policy/2, RULES "Reasons
  // catalogue"): applied with anomaly unknown_reason, the initiator's side responsible.
  order(N, 'cancelled_reason_unknown', (o) => o.events.push({ ...extraEvents.cancelled, reason: 'because' }),
    ok({ '/anomalies/0/code': 'unknown_reason', '/anomalies/0/event_index': 2, '/cancelled/reason': 'because', '/cancelled/responsibility': 'seller' }));
  order(N, 'market_unknown', (o) => { o.market = 'XX'; }, bad('unknown_market', '/market'));
  order(N, 'market_lower_case', (o) => { o.market = 'us'; }, bad('unknown_market', '/market'));
  order(N, 'unknown_fields_ignored', (o) => { o.gift_wrap = { colour: 'red' }; o.events[0].gateway = 'x'; o.items[0].colour = 'blue'; }, ok());

  // --- 8. Amounts and integers -------------------------------------------------------------------------
  const A = 'amount';
  const num = (name, literal, expect, more = {}) => raw(A, name, t.replace('"total_minor":2599', '"total_minor":' + literal), expect, more);
  num('total_negative', '-1', bad('invalid_value', '/total_minor'));
  num('total_2p53_minus_1_ok', '9007199254740991', ok());
  num('total_2p53', '9007199254740992', bad('invalid_value', '/total_minor'));
  num('total_2p63_minus_1', '9223372036854775807', bad('invalid_value', '/total_minor'));
  num('total_2p63_beyond_int64', '9223372036854775808', bad('invalid_value', '/total_minor'));
  num('total_2p64_beyond_uint64', '18446744073709551616', bad('invalid_value', '/total_minor'));
  num('total_below_int64', '-9223372036854775809', bad('invalid_value', '/total_minor'));
  num('total_400_digits', '1' + '0'.repeat(399), bad('invalid_value', '/total_minor'));
  num('total_1e400_overflow', '1e400', bad('invalid_value', '/total_minor'));
  num('total_fraction', '25.99', bad('invalid_value', '/total_minor'));
  num('total_integral_float', '2599.0', bad('invalid_value', '/total_minor'));
  num('total_exponent', '2.599e3', bad('invalid_value', '/total_minor'));
  num('total_negative_zero_ok', '-0', ok());
  raw(A, 'payment_amount_negative', t.replace('"amount_minor":2599', '"amount_minor":-2599'), bad('invalid_value', '/events/0/amount_minor'));
  raw(A, 'payment_amount_2p53', t.replace('"amount_minor":2599', '"amount_minor":9007199254740992'), bad('invalid_value', '/events/0/amount_minor'));
  raw(A, 'payment_amount_beyond_int64', t.replace('"amount_minor":2599', '"amount_minor":99999999999999999999'), bad('invalid_value', '/events/0/amount_minor'));
  order(A, 'refunded_amount_negative', (o) => o.events.push({ ...extraEvents.refunded, amount_minor: -100 }), bad('invalid_value', '/events/2/amount_minor'));
  raw(A, 'refunded_amount_2p64', t.replace(/\]\}$/, ',{"type":"refunded","at":"2025-03-04T21:00:00Z","amount_minor":18446744073709551616}]}'), bad('invalid_value', '/events/2/amount_minor'));
  order(A, 'item_qty_zero', (o) => { o.items[0].qty = 0; }, bad('invalid_value', '/items/0/qty'));
  order(A, 'item_qty_negative', (o) => { o.items[0].qty = -1; }, bad('invalid_value', '/items/0/qty'));
  order(A, 'item_unit_price_negative', (o) => { o.items[0].unit_price_minor = -1; }, bad('invalid_value', '/items/0/unit_price_minor'));
  raw(A, 'item_unit_price_2p53', t.replace('"unit_price_minor":2599', '"unit_price_minor":9007199254740992'), bad('invalid_value', '/items/0/unit_price_minor'));
  order(A, 'promise_handling_negative', (o) => { o.promise.handling_days = -1; }, bad('invalid_value', '/promise/handling_days'));
  order(A, 'promise_transit_reversed', (o) => { o.promise.transit_days = [5, 3]; }, bad('invalid_value', '/promise/transit_days'));
  order(A, 'promise_transit_one_element', (o) => { o.promise.transit_days = [3]; }, bad('invalid_value', '/promise/transit_days'));
  raw(A, 'promise_transit_beyond_int64', t.replace('"transit_days":[3,5]', '"transit_days":[3,18446744073709551621]'), bad('invalid_value', '/promise/transit_days'));
  order(A, 'return_item_qty_zero', (o) => o.events.push({ ...extraEvents.return_requested, items: [{ sku: 'SKU-1', qty: 0 }] }), bad('invalid_value', '/events/2/items/0/qty'));

  // --- 9. Strings: empty, too long ------------------------------------------------------------------------
  const L = 'string';
  order(L, 'order_id_empty', (o) => { o.order_id = ''; }, bad('invalid_value', '/order_id'));
  order(L, 'order_id_64_bytes_ok', (o) => { o.order_id = 'X'.repeat(64); }, ok());
  order(L, 'order_id_65_bytes', (o) => { o.order_id = 'X'.repeat(65); }, bad('invalid_value', '/order_id'));
  order(L, 'order_id_33_two_byte_chars', (o) => { o.order_id = 'é'.repeat(33); }, bad('invalid_value', '/order_id'));
  order(L, 'currency_two_letters', (o) => { o.currency = 'US'; }, bad('invalid_value', '/currency'));
  order(L, 'currency_four_letters', (o) => { o.currency = 'USDX'; }, bad('invalid_value', '/currency'));
  order(L, 'market_17_bytes', (o) => { o.market = 'M'.repeat(17); }, bad('invalid_value', '/market'));
  // Free text (names, notes): up to 40,000 bytes, 10,000 characters of up to 4 bytes.
  order(L, 'item_name_10000_four_byte_chars_ok', (o) => { o.items[0].name = '\u{1F600}'.repeat(10000); }, ok());
  order(L, 'item_name_40001_bytes', (o) => { o.items[0].name = 'n'.repeat(40001); }, bad('invalid_value', '/items/0/name'));
  order(L, 'note_40000_bytes_ok', (o) => { o.events[1].note = 'n'.repeat(40000); }, ok());
  order(L, 'note_40001_bytes', (o) => { o.events[1].note = 'n'.repeat(40001); }, bad('invalid_value', '/events/1/note'));

  // --- 10. Instants and dates -----------------------------------------------------------------------------
  const I = 'instant';
  const placed = (name, value, expect) => order(I, `placed_at_${name}`, (o) => { o.placed_at = value; }, expect);
  const badInstant = bad('invalid_instant', '/placed_at');
  placed('no_zone', '2025-03-03T10:00:00', badInstant);
  placed('no_zone_fraction', '2025-03-03T10:00:00.5', badInstant);
  placed('leap_second', '2016-12-31T23:59:60Z', badInstant);
  placed('second_61', '2025-03-03T10:00:61Z', badInstant);
  placed('year_0', '0000-01-01T00:00:00Z', badInstant);
  placed('year_10000', '10000-01-01T00:00:00Z', badInstant);
  placed('year_negative', '-0001-01-01T00:00:00Z', badInstant);
  placed('offset_plus_14_01', '2025-03-03T10:00:00+14:01', badInstant);
  placed('offset_minus_14_01', '2025-03-03T10:00:00-14:01', badInstant);
  placed('offset_plus_15', '2025-03-03T10:00:00+15:00', badInstant);
  placed('offset_minute_60', '2025-03-03T10:00:00+01:60', badInstant);
  placed('offset_without_colon', '2025-03-03T10:00:00+0100', badInstant);
  placed('offset_hours_only', '2025-03-03T10:00:00+01', badInstant);
  placed('space_separator', '2025-03-03 10:00:00Z', badInstant);
  placed('date_only', '2025-03-03', badInstant);
  placed('no_seconds', '2025-03-03T10:00Z', badInstant);
  placed('hour_24', '2025-03-03T24:00:00Z', badInstant);
  placed('feb_29_non_leap', '2025-02-29T10:00:00Z', badInstant);
  placed('month_13', '2025-13-01T10:00:00Z', badInstant);
  placed('day_0', '2025-03-00T10:00:00Z', badInstant);
  placed('empty_fraction', '2025-03-03T10:00:00.Z', badInstant);
  placed('trailing_space', '2025-03-03T10:00:00Z ', badInstant);
  placed('fullwidth_digits', '２０２５-03-03T10:00:00Z', badInstant);
  placed('empty', '', badInstant);
  placed('unix_seconds_string', '1741024800', badInstant);
  placed('offset_plus_14_ok', '2025-03-04T08:00:00+14:00', ok());
  placed('offset_minus_14_ok', '2025-03-02T20:00:00-14:00', ok());
  placed('lower_case_t_z_ok', '2025-03-03t18:00:00z', ok());
  placed('long_fraction_ok', '2025-03-03T18:00:00.123456789012345678Z', ok());
  order(I, 'event_at_leap_second', (o) => { o.events[1].at = '2025-06-30T23:59:60Z'; }, bad('invalid_instant', '/events/1/at'));
  order(I, 'event_at_no_zone', (o) => { o.events[0].at = '2025-03-03T18:05:00'; }, bad('invalid_instant', '/events/0/at'));
  order(I, 'event_at_year_10000', (o) => { o.events[1].at = '10000-01-01T00:00:00Z'; }, bad('invalid_instant', '/events/1/at'));
  order(I, 'promise_est_delivery_feb_30', (o) => { o.promise.est_delivery = '2025-02-30'; }, bad('invalid_date', '/promise/est_delivery'));
  order(I, 'promise_est_delivery_not_padded', (o) => { o.promise.est_delivery = '2025-3-12'; }, bad('invalid_date', '/promise/est_delivery'));
  order(I, 'promise_est_delivery_instant', (o) => { o.promise.est_delivery = '2025-03-12T00:00:00Z'; }, bad('invalid_date', '/promise/est_delivery'));
  order(I, 'edd_revised_year_0', (o) => o.events.push({ ...extraEvents.edd_revised, est_delivery: '0000-03-14' }), bad('invalid_date', '/events/2/est_delivery'));
  order(I, 'now_before_placed', (o) => { o.placed_at = '2025-03-06T00:00:00Z'; o.events = []; }, bad('now_before_placed', '/placed_at'));
  // Valid, at the edges of the calendar: every channel must agree and nothing may crash.
  order(I, 'placed_year_1_ok', (o) => { o.placed_at = '0001-01-01T00:00:00Z'; o.events = []; delete o.promise; }, ok(), { now: '0001-01-02T00:00:00Z' });
  // Placed at the last second written: the payment clock (10000-01-02T23:59:59Z) is past 9999-12-31T23:59:59Z, so
  // it is left out with a warning out_of_range (issue 11 item 6); every instant the evaluation writes keeps a
  // 4-digit year: `now`, and the untils that would have been the payment deadline are null.
  order(I, 'placed_year_9999_end_clock_out_of_range_ok', (o) => { o.placed_at = '9999-12-31T23:59:59Z'; o.events = []; delete o.promise; },
    ok({ '/now': '9999-12-31T23:59:59Z', '/warnings/0/code': 'out_of_range', '/obligations': [], '/windows/0/closes_at': null, '/due': [],
      '/next_actions/0/code': 'pay_now', '/next_actions/0/until': null,
      '/next_actions/1/code': 'cancel_now', '/next_actions/1/until': null, '/cancellation/buyer/until': null,
      '/refund/until': null }), { now: '9999-12-31T23:59:59Z' });
  // 2^31 minutes after 1970: the first instant a 32-bit count of minutes cannot hold.
  order(I, 'now_6053_01_23T02_08_ok', () => {}, ok({ '/now': '6053-01-23T02:08:00Z' }), { now: '6053-01-23T02:08:00Z' });
  order(I, 'now_6053_01_23T02_07_59_ok', () => {}, ok({ '/now': '6053-01-23T02:07:59Z' }), { now: '6053-01-23T02:07:59Z' });

  // --- 11. Policies ---------------------------------------------------------------------------------------------
  const P = 'policy';
  // (An empty policy text means "the embedded policy" to evaluate_json and the
  // WebAssembly module, so the emptiest refused policy is whitespace.)
  rawPolicy(P, 'policy_whitespace_only', ' ', bad('invalid_json', ''));
  rawPolicy(P, 'policy_truncated', JSON.stringify(usPolicy()).slice(0, 300), bad('invalid_json', ''));
  rawPolicy(P, 'policy_top_level_array', '[]', bad('invalid_type', ''));
  const usVersion = JSON.stringify(usPolicy().version);  // e.g. "US-2026.1", quotes included
  const [pHead, pTail] = JSON.stringify(usPolicy()).split(usVersion);
  rawPolicy(P, 'policy_invalid_utf8', Buffer.concat([text(pHead + usVersion.slice(0, -2)), Buffer.from([0xff]), text('"' + pTail)]), bad('invalid_json', ''));
  rawPolicy(P, 'policy_duplicate_key', JSON.stringify(usPolicy()).replace(`"version":${usVersion}`, `"version":${usVersion},"version":"other.1"`), bad('duplicate_key', '/version'));
  rawPolicy(P, 'policy_1MiB_plus_1', (() => { const s = JSON.stringify(usPolicy()).slice(0, -1) + ',"pad":"'; return s + 'x'.repeat(MiB + 1 - s.length - 2) + '"}'; })(), bad('too_large', ''));
  rawPolicy(P, 'policy_nesting_too_deep', JSON.stringify(usPolicy()).slice(0, -1) + ',"deep":' + arrays(40) + '}', bad('too_deep', '/deep' + '/0'.repeat(7)));
  policy(P, 'policy_schema_wrong', (p) => { p.schema = 'ordertrail.policy/3'; }, bad('invalid_value', '/schema'));
  const requiredPolicy = ['market', 'version', 'currency', 'time_zone', 'tz_rule', 'weekend', 'holidays', 'payment_window_hours',
    'remorse_window_hours', 'buyer_can_request_cancel', 'cancel_request_response_hours', 'no_response_outcome', 'ship_by',
    'delivery_grace_days', 'not_received_claim_after_days', 'return_window_days', 'return_response_hours',
    'default_handling_days', 'default_transit_days', 'metrics'];
  for (const k of requiredPolicy) policy(P, `policy_missing_${k}`, (p) => delete p[k], bad('missing_field', `/${k}`));
  for (const k of ['working_days', 'from', 'satisfied_by'])
    policy(P, `policy_missing_ship_by_${k}`, (p) => delete p.ship_by[k], bad('missing_field', `/ship_by/${k}`));
  for (const k of ['window_days', 'max_seller_fault_cancellation_rate', 'max_late_dispatch_rate', 'min_valid_tracking_rate'])
    policy(P, `policy_missing_metrics_${k}`, (p) => delete p.metrics[k], bad('missing_field', `/metrics/${k}`));
  const policyTypes = { market: 'string', version: 'string', currency: 'string', time_zone: 'string', tz_rule: 'string',
    weekend: 'array', holidays: 'array', cutoff: 'string', payment_window_hours: 'int', buyer_can_request_cancel: 'bool',
    no_response_outcome: 'string', ship_by: 'object', default_transit_days: 'array', metrics: 'object', notes: 'array' };
  for (const [k, kind] of Object.entries(policyTypes))
    policy(P, `policy_type_${k}`, (p) => { p[k] = wrongFor[kind]; }, bad('invalid_type', `/${k}`));
  policy(P, 'policy_type_rate', (p) => { p.metrics.max_late_dispatch_rate = '0.04'; }, bad('invalid_type', '/metrics/max_late_dispatch_rate'));
  policy(P, 'policy_type_note', (p) => { p.notes[0] = 'text'; }, bad('invalid_type', '/notes/0'));
  policy(P, 'policy_type_holiday', (p) => { p.holidays[1] = 20250120; }, bad('invalid_type', '/holidays/1'));
  policy(P, 'policy_type_holiday_date', (p) => { p.holidays[1] = { date: 20250120 }; }, bad('invalid_type', '/holidays/1/date'));
  policy(P, 'policy_type_weekend_day', (p) => { p.weekend = [6, 'Sun']; }, bad('invalid_type', '/weekend/0'));
  policy(P, 'policy_type_transit_element', (p) => { p.default_transit_days = ['3', 5]; }, bad('invalid_type', '/default_transit_days/0'));
  policy(P, 'policy_market_empty', (p) => { p.market = ''; }, bad('invalid_value', '/market'));
  policy(P, 'policy_currency_two_letters', (p) => { p.currency = 'US'; }, bad('invalid_value', '/currency'));
  policy(P, 'policy_payment_window_negative', (p) => { p.payment_window_hours = -1; }, bad('invalid_value', '/payment_window_hours'));
  policy(P, 'policy_payment_window_fraction', (p) => { p.payment_window_hours = 47.5; }, bad('invalid_value', '/payment_window_hours'));
  rawPolicy(P, 'policy_payment_window_2p64', JSON.stringify(usPolicy()).replace('"payment_window_hours":48', '"payment_window_hours":18446744073709551664'), bad('invalid_value', '/payment_window_hours'));
  policy(P, 'policy_payment_window_beyond_366_days', (p) => { p.payment_window_hours = 24 * 366 + 1; }, bad('invalid_value', '/payment_window_hours'));
  policy(P, 'policy_return_window_367_days', (p) => { p.return_window_days = 367; }, bad('invalid_value', '/return_window_days'));
  policy(P, 'policy_ship_by_zero_days', (p) => { p.ship_by.working_days = 0; }, bad('invalid_value', '/ship_by/working_days'));
  policy(P, 'policy_ship_by_from_unknown', (p) => { p.ship_by.from = 'shipped'; }, bad('invalid_value', '/ship_by/from'));
  policy(P, 'policy_ship_by_satisfied_by_unknown', (p) => { p.ship_by.satisfied_by = 'delivered'; }, bad('invalid_value', '/ship_by/satisfied_by'));
  policy(P, 'policy_no_response_outcome_unknown', (p) => { p.no_response_outcome = 'maybe'; }, bad('invalid_value', '/no_response_outcome'));
  policy(P, 'policy_transit_reversed', (p) => { p.default_transit_days = [5, 3]; }, bad('invalid_value', '/default_transit_days'));
  rawPolicy(P, 'policy_transit_wraps_int32', JSON.stringify(usPolicy()).replace('"default_transit_days":[3,5]', '"default_transit_days":[3,4294967301]'), bad('invalid_value', '/default_transit_days'));
  rawPolicy(P, 'policy_transit_negative_wraps_int32', JSON.stringify(usPolicy()).replace('"default_transit_days":[3,5]', '"default_transit_days":[-4294967293,5]'), bad('invalid_value', '/default_transit_days'));
  policy(P, 'policy_rate_above_1', (p) => { p.metrics.max_late_dispatch_rate = 1.5; }, bad('invalid_value', '/metrics/max_late_dispatch_rate'));
  policy(P, 'policy_rate_4_decimals', (p) => { p.metrics.max_late_dispatch_rate = 0.0405; }, bad('invalid_value', '/metrics/max_late_dispatch_rate'));
  policy(P, 'policy_rate_negative', (p) => { p.metrics.min_valid_tracking_rate = -0.1; }, bad('invalid_value', '/metrics/min_valid_tracking_rate'));
  policy(P, 'policy_cutoff_hour_25', (p) => { p.cutoff = '25:00'; }, bad('invalid_value', '/cutoff'));
  policy(P, 'policy_cutoff_one_digit_hour', (p) => { p.cutoff = '9:00'; }, bad('invalid_value', '/cutoff'));
  // Weekends.
  policy(P, 'policy_weekend_all_seven', (p) => { p.weekend = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']; }, bad('no_working_days', '/weekend'));
  policy(P, 'policy_weekend_day_twice', (p) => { p.weekend = ['Sat', 'Sat']; }, bad('invalid_value', '/weekend/1'));
  policy(P, 'policy_weekend_long_name', (p) => { p.weekend = ['Saturday']; }, bad('invalid_value', '/weekend/0'));
  policy(P, 'policy_weekend_lower_case', (p) => { p.weekend = ['Sat', 'sun']; }, bad('invalid_value', '/weekend/1'));
  // Every day a working day: valid, and it computes. Placed Mon 2025-03-03 10:00 PST, 7
  // working days with no weekend end on Mon 2025-03-10; that day ends at 00:00 PDT
  // (DST began 2025-03-09) on 2025-03-11 = 07:00Z.
  policy(P, 'policy_weekend_empty_ok', (p) => { p.weekend = []; }, ok({ 'obligation:ship_by': '2025-03-11T07:00:00Z', '/status': 'IN_TRANSIT' }));
  // Holidays.
  policy(P, 'policy_holidays_out_of_order', (p) => { [p.holidays[1], p.holidays[2]] = [p.holidays[2], p.holidays[1]]; }, bad('invalid_value', '/holidays/2'));
  policy(P, 'policy_holidays_duplicate_date', (p) => { p.holidays.splice(2, 0, p.holidays[1].date); }, bad('invalid_value', '/holidays/2'));
  policy(P, 'policy_holiday_feb_30', (p) => { p.holidays[0] = '2025-02-30'; p.holidays.splice(1, 2); }, bad('invalid_date', '/holidays/0'));
  policy(P, 'policy_holiday_object_bad_date', (p) => { p.holidays[1] = { date: '2025-1-20', name: 'x' }; }, bad('invalid_date', '/holidays/1/date'));
  policy(P, 'policy_holiday_object_missing_date', (p) => { p.holidays[1] = { name: 'x' }; }, bad('missing_field', '/holidays/1/date'));
  const days = (from, to) => {
    const out = [];
    for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1))
      out.push(d.toISOString().slice(0, 10));
    return out;
  };
  // Every day a holiday for four years: no 7 working days exist within the
  // core's search bound, so evaluation fails clearly (and promptly).
  policy(P, 'policy_every_day_holiday', (p) => { p.weekend = []; p.holidays = days('2025-01-01', '2028-12-31'); }, bad('calendar_exhausted', ''), { stage: 'evaluate' });
  policy(P, 'policy_six_day_weekend_every_wednesday_holiday', (p) => {
    p.weekend = ['Mon', 'Tue', 'Thu', 'Fri', 'Sat', 'Sun'];
    p.holidays = days('2025-01-01', '2028-12-31').filter((d) => new Date(d + 'T00:00:00Z').getUTCDay() === 3);
  }, bad('calendar_exhausted', ''), { stage: 'evaluate' });
  // Every day of 2025 a holiday, none listed after: 7 working days after Mon 2025-03-03
  // are Thu 2026-01-01 .. Fri 2026-01-09; the day ends 2026-01-10 00:00 PST = 08:00Z.
  policy(P, 'policy_every_day_of_2025_holiday_ok', (p) => { p.holidays = days('2025-01-01', '2025-12-31'); },
    ok({ 'obligation:ship_by': '2026-01-10T08:00:00Z' }));
  // Zones.
  for (const [name, rule] of [['iana_name', 'America/Los_Angeles'], ['empty', ''], ['dst_without_rules', 'PST8PDT'],
    ['month_13', 'PST8PDT,M3.2.0,M13.1.0'], ['week_6', 'PST8PDT,M3.6.0,M11.1.0'], ['weekday_7', 'PST8PDT,M3.2.7,M11.1.0'],
    ['offset_25h', 'XXX25'], ['julian_day', 'PST8PDT,J60,J300'], ['short_name', 'PS8'], ['trailing_garbage', 'PST8PDT,M3.2.0,M11.1.0;rm'],
    ['unclosed_quoted_name', '<+07-7'], ['control_chars', 'PST8\u001b[31m']])
    policy(P, `policy_tz_rule_${name}`, (p) => { p.tz_rule = rule; }, bad('invalid_tz_rule', '/tz_rule'));
  // An IANA name the OS database does not know: the core never reads that
  // database (it computes with tz_rule), so evaluation works; `ordertrail policy
  // check` is what reports it (tests/cli/cases/policy_check_unknown_zone).
  policy(P, 'policy_time_zone_unknown_name_ok', (p) => { p.time_zone = 'Mars/Olympus_Mons'; }, ok({ '/status': 'IN_TRANSIT' }), { policyCheckExit: 1 });

  // === Issue 11, core fixes (tests/unit/forward_test.cpp is the oracle for the rest) ===================
  // Owned by the issue-11 test writer; other blocks go above this one.
  // --- 12. Checked arithmetic at parse (D6): a product or a running sum past 2^53-1 is invalid_value
  // at the field where it overflows, never a wrap or a saturation.
  const C = 'checked_sum';
  const MAX = 9007199254740991; // 2^53-1, exact in a JS number
  const P52 = 4503599627370496; // 2^52
  const line = (sku, qty, unit) => ({ sku, name: sku, qty, unit_price_minor: unit });
  // qty * unit_price: 2 * (2^53-1) = 2^54-2 > 2^53-1.
  order(C, 'line_value_overflow_qty_2', (o) => { o.items = [line('SKU-1', 2, MAX)]; }, bad('invalid_value', '/items/0/qty'));
  // hostile F4 (repro f4_1024/1025/2049): 1024 * (2^53-1) passed, 1025 wrapped negative, 2049 wrapped short.
  for (const q of [1024, 1025, 2049])
    order(C, `line_value_overflow_qty_${q}`, (o) => { o.total_minor = MAX; o.items = [line('A', q, MAX)]; }, bad('invalid_value', '/items/0/qty'));
  // 10^6 * (2^53-1) ~ 9e21 is past 2^63 too: computed in 128 bits, still the qty.
  order(C, 'line_value_overflow_past_int64', (o) => { o.items = [line('SKU-1', 1000000, MAX)]; }, bad('invalid_value', '/items/0/qty'));
  // 3 * 3002399751580330 = 9007199254740990 <= 2^53-1: fits.
  order(C, 'line_value_at_limit_ok', (o) => { o.items = [line('SKU-1', 3, 3002399751580330)]; }, ok());
  order(C, 'line_value_exactly_2p53_minus_1_ok', (o) => { o.items = [line('SKU-1', 1, MAX)]; }, ok());
  // Sum of lines: 2^52 + (2^52-1) = 2^53-1 fits; + 1 overflows at the third line.
  order(C, 'line_sum_overflow_at_third_line', (o) => { o.items = [line('A', 1, P52), line('B', 1, P52 - 1), line('C', 1, 1)]; },
    bad('invalid_value', '/items/2'));
  order(C, 'line_sum_exactly_2p53_minus_1_ok', (o) => { o.items = [line('A', 1, P52), line('B', 1, P52 - 1)]; }, ok());
  order(C, 'line_sum_overflow_second_line', (o) => { o.items = [line('A', 1, MAX), line('B', 1, 1)]; }, bad('invalid_value', '/items/1'));
  // Payments: e1 2599 + (2^53-1) passes at events[2] (shipped is events[1]).
  order(C, 'payment_sum_overflow', (o) => o.events.push({ type: 'payment_succeeded', at: '2025-03-04T19:00:00Z', id: 'p2', amount_minor: MAX }),
    bad('invalid_value', '/events/2/amount_minor'));
  // The running sum is taken in DOCUMENT order: events[3] is earlier in time than events[2], yet
  // 1 + (2^53-2) = 2^53-1 fits at events[2] and + 1 passes it at events[3].
  order(C, 'payment_sum_overflow_document_order', (o) => {
    o.events[0].amount_minor = 1;
    o.events.push({ type: 'payment_succeeded', at: '2025-03-04T19:00:00Z', id: 'p2', amount_minor: MAX - 1 });
    o.events.push({ type: 'payment_succeeded', at: '2025-03-03T18:01:00Z', id: 'p3', amount_minor: 1 });
  }, bad('invalid_value', '/events/3/amount_minor'));
  // Exactly 2^53-1 paid: valid (an overpayment, anomaly paid_exceeds_total, not an error).
  order(C, 'payment_sum_exactly_2p53_minus_1_ok', (o) => {
    o.events[0].amount_minor = 1;
    o.events.push({ type: 'payment_succeeded', at: '2025-03-04T19:00:00Z', id: 'p2', amount_minor: MAX - 1 });
  }, ok());
  // A payment without amount_minor counts as total_minor (2599) in the sum: 2599 + 2599 + (2^53-5198) = 2^53
  order(C, 'payment_sum_overflow_default_amount', (o) => {
    delete o.events[0].amount_minor;
    o.events.push({ type: 'payment_succeeded', at: '2025-03-04T19:00:00Z', id: 'p2' });
    o.events.push({ type: 'payment_succeeded', at: '2025-03-04T20:00:00Z', id: 'p3', amount_minor: MAX - 5197 });
  }, bad('invalid_value', '/events/3/amount_minor'));
  // Refunds: (2^53-1) + 1 passes at events[3].
  order(C, 'refund_sum_overflow', (o) => {
    o.events.push({ type: 'refunded', at: '2025-03-04T21:00:00Z', id: 'r1', amount_minor: MAX });
    o.events.push({ type: 'refunded', at: '2025-03-04T22:00:00Z', id: 'r2', amount_minor: 1 });
  }, bad('invalid_value', '/events/3/amount_minor'));
  order(C, 'refund_sum_exactly_2p53_minus_1_ok', (o) => {
    o.events.push({ type: 'refunded', at: '2025-03-04T21:00:00Z', id: 'r1', amount_minor: MAX - 1 });
    o.events.push({ type: 'refunded', at: '2025-03-04T22:00:00Z', id: 'r2', amount_minor: 1 });
  }, ok());

  // --- 13. Instants out of range (D7): the UTC value must lie in 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z.
  const R = 'instant_range';
  // hostile F20: 0001-01-01T00:00:00+14:00 is 0000-12-31T10:00:00Z in UTC.
  order(R, 'placed_at_year_0_via_offset', (o) => { o.placed_at = '0001-01-01T00:00:00+14:00'; o.events = []; delete o.promise; },
    bad('invalid_instant', '/placed_at'), { now: '0001-01-02T00:00:00Z' });
  order(R, 'placed_at_year_0_via_one_minute_offset', (o) => { o.placed_at = '0001-01-01T00:00:00+00:01'; o.events = []; delete o.promise; },
    bad('invalid_instant', '/placed_at'), { now: '0001-01-02T00:00:00Z' });
  // 0001-01-01T00:00:00-14:00 is 0001-01-01T14:00:00Z: in range.
  order(R, 'placed_at_year_1_minus_14_ok', (o) => { o.placed_at = '0001-01-01T00:00:00-14:00'; o.events = []; delete o.promise; },
    ok({ '/now': '0001-01-02T00:00:00Z' }), { now: '0001-01-02T00:00:00Z' });
  // 9999-12-31T23:59:59-00:01 is 10000-01-01T00:00:59Z.
  order(R, 'event_at_year_10000_via_offset', (o) => { o.events[1].at = '9999-12-31T23:59:59-00:01'; }, bad('invalid_instant', '/events/1/at'));
  order(R, 'event_at_year_0_via_offset', (o) => { o.events[1].at = '0001-01-01T00:30:00+01:00'; }, bad('invalid_instant', '/events/1/at'));
  // hostile F3: the sentinel est_delivery 9999-12-31 puts the delivery clocks past 9999-12-31T23:59:59Z:
  // they are left out, with a warning out_of_range naming promise.est_delivery; the rest is there.
  order(R, 'est_delivery_9999_12_31_out_of_range_ok', (o) => { o.promise.est_delivery = '9999-12-31'; },
    ok({ '/status': 'IN_TRANSIT', '/warnings/0/code': 'out_of_range', 'obligation:ship_by': '2025-03-13T07:00:00Z' }));

  // --- 14. Policy and order that do not fit (D10).
  const F = 'policy_fit';
  // hostile F12: another market's policy (here the US policy relabelled GB) for a US order.
  policy(F, 'policy_market_mismatch', (p) => { p.market = 'GB'; }, bad('policy_market_mismatch', '/market'), { stage: 'evaluate' });
  policy(F, 'policy_currency_mismatch', (p) => { p.currency = 'EUR'; }, bad('currency_mismatch', '/currency'), { stage: 'evaluate' });
  order(F, 'order_currency_not_market_currency', (o) => { o.currency = 'EUR'; }, bad('currency_mismatch', '/currency'));
  order(F, 'order_currency_jpy_for_us', (o) => { o.currency = 'JPY'; }, bad('currency_mismatch', '/currency'));
  // === end of the issue-11 block ===========================================================================

  return cases;
}

// --- materialise ------------------------------------------------------------------------------------------------
export function writeCorpus(dir, cases) {
  mkdirSync(path.join(dir, 'inputs'), { recursive: true });
  const manifest = cases.map((c) => {
    const orderFile = `inputs/${c.name}.order.json`;
    writeFileSync(path.join(dir, orderFile), c.order);
    let policyFile = '';
    if (c.policy) {
      policyFile = `inputs/${c.name}.policy.json`;
      writeFileSync(path.join(dir, policyFile), c.policy);
    }
    return {
      name: c.name, group: c.group, order: orderFile, policy: policyFile, now: c.now, stage: c.stage,
      ok: Boolean(c.expect.ok), code: c.expect.code ?? '', path: c.expect.path ?? '', checks: c.expect.checks ?? {},
      bugs: c.bugs, policy_check_exit: c.policyCheckExit ?? null,
    };
  });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = {};
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--out') opt.out = args[++i];
    else if (args[i] === '--source-dir') opt.sourceDir = args[++i];
    else if (args[i] === '--list') opt.list = true;
    else { console.error(`cases.mjs: unknown argument ${args[i]}`); process.exit(2); }
  }
  const cases = buildCases(opt);
  if (opt.list) {
    for (const c of cases)
      console.log(`${c.group}\t${c.name}\t${c.expect.ok ? 'ok' : `${c.expect.code} at "${c.expect.path}"`}`);
  }
  if (opt.out) {
    writeCorpus(opt.out, cases);
    console.log(`cases.mjs: ${cases.length} cases written to ${opt.out}`);
  }
  if (!opt.out && !opt.list) { console.error('usage: node cases.mjs --out DIR [--source-dir REPO] | --list'); process.exit(2); }
}

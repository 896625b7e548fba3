// ordertrail.js — the ordertrail core (C++ compiled to WebAssembly) behind a
// small JS API, for browsers and for Node.
//
//   import { load, isError } from './ordertrail.js';
//   const ot = await load();
//   const e = ot.evaluate(order, '2025-03-05T12:00:00Z');  // order: object or JSON text
//   if (isError(e)) show(e.path, e.message); else show(e.effective_status);
//   const d = ot.decide(order, { type: 'cancelled', by: 'buyer', reason: 'changed_mind' }, now);
//   if (!isError(d) && d.allowed) record(d.event); else show(d.refusal ?? d);
//
// Texts over the core's 1 MiB document limit are refused here, as the core
// refuses them (`too_large`), before they are copied into the module.
//
// Every method returns plain data: the document the core produced
// (`ordertrail.evaluation/2`, `ordertrail.decision/1`, `ordertrail.quote/1`,
// ...), or an `ordertrail.error/1` value `{schema, code, path, message}`.
// Nothing throws, nothing needs freeing. Only `load()` can reject, when the module itself
// cannot be fetched or compiled.
//
// Numbers come back as JS numbers: amounts in minor units are exact up to
// 2^53 - 1 (Number.MAX_SAFE_INTEGER).
//
// Built files (cmake --build --preset wasm) are in ./dist: ordertrail.mjs +
// ordertrail.wasm for browsers (no eval: fine under a strict
// Content-Security-Policy; serve .wasm as application/wasm), and
// ordertrail.node.cjs for Node.

export const ERROR_SCHEMA = 'ordertrail.error/1';

/** True when `value` is an `ordertrail.error/1` value. */
export function isError(value) {
  return value !== null && typeof value === 'object' && value.schema === ERROR_SCHEMA;
}

/**
 * Loads the module and returns `{evaluate, decide, quote, policies, version,
 * isBroken, importOrder}`.
 *
 * options.factory: an Emscripten module factory to use instead of the built
 *   one in ./dist (e.g. `require('.../ordertrail.node.cjs')`).
 * Any other option is passed to the factory (e.g. `locateFile(name)` when the
 *   .wasm is served from another folder, or `wasmBinary`).
 */
export async function load(options = {}) {
  const { factory, ...moduleOptions } = options;
  const create = factory ?? (await builtFactory());
  return wrap(await create(moduleOptions));
}

/**
 * A shared load(): returns `get()`, which gives the loaded module (a promise),
 * loading it on first use, again after a load that failed, and again once the
 * module has stopped (`isBroken()`: a trap or memory exhausted), so that one
 * bad call does not leave every later one failing. The widget keeps one per
 * page (web/src/core.js).
 */
export function loader(options = {}) {
  let pending = null;
  let loaded = null;
  return function get() {
    if (loaded?.isBroken()) {
      pending = null;
      loaded = null;
    }
    pending ??= load(options).then(
      (ot) => (loaded = ot),
      (e) => {
        pending = null;
        throw e;
      },
    );
    return pending;
  };
}

// The Node specifier is held in a variable so that bundlers do not try to
// resolve it for a browser build; that branch never runs in a browser.
const NODE_MODULE = 'node:module';

// The importers (issue 18) are a module of their own (the widget's download
// does not carry them): loaded on the first importOrder() call, once.
let importerPromise = null;
const importerFactory = () => distFactory('./dist/ordertrail-import.node.cjs', () => import('./dist/ordertrail-import.mjs'));

/**
 * Imports a marketplace's order payload: `platform` 'tiktok' or 'shopify',
 * `payload` an object or JSON text (one order), options {market, sellerId,
 * factory}. Resolves to `{schema: 'ordertrail.import/1', order, warnings}`
 * (order: an `ordertrail.order/2`) or an `ordertrail.error/1` whose `path`
 * points into the payload. Also `ot.importOrder` of a loaded module.
 */
export async function importOrder(platform, payload, options = {}) {
  const { market = '', sellerId = '', factory } = options;
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? null);
  if (utf8Length(text) > MAX_DOCUMENT_BYTES) return error('too_large', '', `the payload is over ${MAX_DOCUMENT_BYTES} bytes`);
  const create = factory ?? (await importerFactory());
  const m = factory ? await create() : await (importerPromise ??= create());
  return JSON.parse(m.importOrder(String(platform), text, String(market), String(sellerId)));
}

// A module factory from ./dist: the Node build (required) in Node, else the
// browser build (`browserImport`, a literal import() so bundlers see it).
async function distFactory(nodeFile, browserImport) {
  const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
  if (isNode) {
    const { createRequire } = await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_MODULE);
    return createRequire(import.meta.url)(nodeFile);
  }
  return (await browserImport()).default;
}

const builtFactory = () => distFactory('./dist/ordertrail.node.cjs', () => import('./dist/ordertrail.mjs'));

function error(code, path, message) {
  return { schema: ERROR_SCHEMA, code, path, message };
}

/** The core's limit on an order, policy or quote document: 1 MiB of UTF-8. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

// The UTF-8 length of a JS string, counted without copying it (a lone
// surrogate counts 3 bytes, as U+FFFD would; such text is refused anyway).
function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; ++i) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;  // a pair: 2 units, 4 bytes
      ++i;
    } else n += 2;
  }
  return n;
}

// Up to this many UTF-16 units the UTF-8 length is counted (about 40 ms), so
// that the message names the exact size, as the core's does.
const COUNTED_UNITS = 4 * MAX_DOCUMENT_BYTES;

// The core's too_large refusal, decided here before the text is copied into
// the module: copying a string of gigabytes exhausts the module's memory and
// aborts it. Below a third of the limit in UTF-16 units a text can never be
// over it; up to COUNTED_UNITS its UTF-8 length is counted (the core's exact
// message); beyond, it is refused at once, since UTF-8 never has fewer bytes
// than UTF-16 has units (the message then says "at least").
function tooLarge(text) {
  if (text.length <= MAX_DOCUMENT_BYTES / 3) return null;
  const limit = `exceeds the limit of ${MAX_DOCUMENT_BYTES} bytes`;
  if (text.length > COUNTED_UNITS) return error('too_large', '', `document of at least ${text.length} bytes ${limit}`);
  const bytes = utf8Length(text);
  if (bytes <= MAX_DOCUMENT_BYTES) return null;
  return error('too_large', '', `document of ${bytes} bytes ${limit}`);
}

// A lone UTF-16 surrogate: with the u flag a well-formed pair is one code
// point, so only unpaired halves match.
const LONE_SURROGATE = /\p{Surrogate}/u;

// A document argument as JSON text: strings pass through untouched, anything
// else is serialised. Returns {text} or {error}. A string that is not
// well-formed UTF-16 has no UTF-8 form (the module's glue would silently
// change it), so it is refused as the core refuses bytes that are not UTF-8.
function documentText(value, path, what) {
  if (typeof value === 'string') {
    const big = tooLarge(value);
    if (big) return { error: big };
    const bad = value.search(LONE_SURROGATE);
    if (bad >= 0)
      return { error: error('invalid_json', path, `${what} text is not valid Unicode: a lone surrogate at index ${bad}`) };
    return { text: value };
  }
  if (value === undefined) return { error: error('missing_argument', path, `${what} is missing`) };
  try {
    const text = JSON.stringify(value);
    if (typeof text === 'string') {
      const big = tooLarge(text);
      return big ? { error: big } : { text };
    }
  } catch (e) {
    return { error: error('invalid_argument', path, `${what} cannot be serialised as JSON: ${e.message}`) };
  }
  return { error: error('invalid_argument', path, `${what} cannot be serialised as JSON`) };
}

// `now` as RFC 3339 text: a string (checked by the core) or a valid Date.
// Longer than any RFC 3339 instant the core accepts (fractions included):
// refused here, so that a huge string never reaches the module.
const MAX_INSTANT_LENGTH = 256;

function instantText(value) {
  if (typeof value === 'string') {
    if (value.length > MAX_INSTANT_LENGTH)
      return { error: error('invalid_instant', '/now', `now is not an RFC 3339 instant: ${value.length} characters, more than ${MAX_INSTANT_LENGTH}`) };
    return { text: value };
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { error: error('invalid_instant', '/now', 'now is an invalid Date') };
    return { text: value.toISOString() };
  }
  if (value === undefined) return { error: error('missing_argument', '/now', 'now is missing') };
  return { error: error('invalid_type', '/now', 'now must be an RFC 3339 string or a Date') };
}

// The policy argument of evaluate() and decide(). No policy (undefined,
// null): the embedded one (''). An empty text is not "no policy" (an empty
// file, an unset variable): handed on as one space, so that the core refuses
// it as it refuses an empty policy file.
function policyText(policy) {
  if (policy === undefined || policy === null) return { text: '' };
  if (policy === '') return { text: ' ' };
  return documentText(policy, '', 'policy');
}

function wrap(m) {
  const version = m.version();
  // After a trap (a bug, or memory exhausted) the module's state cannot be
  // trusted: every later call answers with an error until load() is called again.
  let broken = null;
  const call = (fn) => {
    if (broken) return broken;
    try {
      return JSON.parse(fn());
    } catch (e) {
      broken = error('internal_error', '', `the ordertrail module stopped (${e?.message ?? e}); load() it again`);
      return broken;
    }
  };

  return Object.freeze({
    /**
     * Evaluates `order` (object or JSON text) at `now` (RFC 3339 string or
     * Date) under `policy` (object or JSON text; omitted or null = the
     * embedded policy of the order's market; '' is refused, as an empty
     * policy file is). Returns `ordertrail.evaluation/2` or an error.
     */
    evaluate(order, now, policy) {
      const o = documentText(order, '', 'order');
      if (o.error) return o.error;
      const n = instantText(now);
      if (n.error) return n.error;
      const p = policyText(policy);
      if (p.error) return p.error;
      return call(() => m.evaluate(o.text, n.text, p.text));
    },

    /**
     * Decides whether `command` may be recorded on `order` at `now` (SPEC 7):
     * `command` is an event without `at` (`{type, by, reason, items,
     * case_id, ...}`), an object or JSON text; `order`, `now` and `policy`
     * as for evaluate(). Returns `ordertrail.decision/1` (`allowed`, the
     * exact `event` to record, `refusal` with its `alternatives`, the
     * `evaluation` after the event) or an error (the command's with a path
     * into the command).
     */
    decide(order, command, now, policy) {
      const o = documentText(order, '', 'order');
      if (o.error) return o.error;
      const c = documentText(command, '', 'command');
      if (c.error) return c.error;
      const n = instantText(now);
      if (n.error) return n.error;
      const p = policyText(policy);
      if (p.error) return p.error;
      return call(() => m.decide(o.text, c.text, n.text, p.text));
    },

    /**
     * The checkout promise: `request` is `{market, at, handling_days?,
     * transit_days?, policy?}` (object or JSON text; `policy` an object or
     * JSON text). Returns
     * `ordertrail.quote/1` or an error.
     */
    quote(request) {
      // `policy` inside the request may be JSON text, as for evaluate().
      if (request !== null && typeof request === 'object' && typeof request.policy === 'string') {
        const big = tooLarge(request.policy);
        if (big) return { ...big, path: '/policy' };
        let policy;
        try {
          policy = JSON.parse(request.policy);
        } catch (e) {
          return error('invalid_json', '/policy', `the policy text is not JSON: ${e.message}`);
        }
        request = { ...request, policy };
      }
      const r = documentText(request, '', 'request');
      if (r.error) return r.error;
      return call(() => m.quote(r.text));
    },

    /** The embedded market policies, `{US: {...}, GB: {...}, ...}` (a fresh copy). */
    policies() {
      return call(() => m.policies());
    },

    /**
     * True once the module has stopped (a trap, or its memory exhausted):
     * every call then answers `internal_error`; load() a new one (or use
     * loader(), which does).
     */
    isBroken() {
      return broken !== null;
    },

    /** The core's version, e.g. "0.2.0". */
    version() {
      return version;
    },

    /** importOrder(platform, payload, options) above: a promise (its module loads on first use). */
    importOrder,
  });
}

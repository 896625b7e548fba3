// ordertrail.js — the ordertrail core (C++ compiled to WebAssembly) behind a
// small JS API, for browsers and for Node.
//
//   import { load, isError } from './ordertrail.js';
//   const ot = await load();
//   const e = ot.evaluate(order, '2025-03-05T12:00:00Z');  // order: object or JSON text
//   if (isError(e)) show(e.path, e.message); else show(e.effective_status);
//
// Every method returns plain data: the document the core produced
// (`ordertrail.evaluation/1`, `ordertrail.quote/1`, ...), or an
// `ordertrail.error/1` value `{schema, code, path, message}`. Nothing throws,
// nothing needs freeing. Only `load()` can reject, when the module itself
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
 * Loads the module and returns `{evaluate, quote, policies, version}`.
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

// The Node specifier is held in a variable so that bundlers do not try to
// resolve it for a browser build; that branch never runs in a browser.
const NODE_MODULE = 'node:module';

async function builtFactory() {
  const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
  if (isNode) {
    const { createRequire } = await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_MODULE);
    return createRequire(import.meta.url)('./dist/ordertrail.node.cjs');
  }
  return (await import('./dist/ordertrail.mjs')).default;
}

function error(code, path, message) {
  return { schema: ERROR_SCHEMA, code, path, message };
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
    const bad = value.search(LONE_SURROGATE);
    if (bad >= 0)
      return { error: error('invalid_json', path, `${what} text is not valid Unicode: a lone surrogate at index ${bad}`) };
    return { text: value };
  }
  if (value === undefined) return { error: error('missing_argument', path, `${what} is missing`) };
  try {
    const text = JSON.stringify(value);
    if (typeof text === 'string') return { text };
  } catch (e) {
    return { error: error('invalid_argument', path, `${what} cannot be serialised as JSON: ${e.message}`) };
  }
  return { error: error('invalid_argument', path, `${what} cannot be serialised as JSON`) };
}

// `now` as RFC 3339 text: a string (checked by the core) or a valid Date.
function instantText(value) {
  if (typeof value === 'string') return { text: value };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { error: error('invalid_instant', '/now', 'now is an invalid Date') };
    return { text: value.toISOString() };
  }
  if (value === undefined) return { error: error('missing_argument', '/now', 'now is missing') };
  return { error: error('invalid_type', '/now', 'now must be an RFC 3339 string or a Date') };
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
     * Date) under `policy` (object or JSON text; omitted = the embedded policy
     * of the order's market). Returns `ordertrail.evaluation/1` or an error.
     */
    evaluate(order, now, policy) {
      const o = documentText(order, '', 'order');
      if (o.error) return o.error;
      const n = instantText(now);
      if (n.error) return n.error;
      const p = policy === undefined || policy === null ? { text: '' } : documentText(policy, '', 'policy');
      if (p.error) return p.error;
      return call(() => m.evaluate(o.text, n.text, p.text));
    },

    /**
     * The checkout promise: `request` is `{market, at, handling_days?,
     * transit_days?, policy?}` (object or JSON text). Returns
     * `ordertrail.quote/1` or an error.
     */
    quote(request) {
      const r = documentText(request, '', 'request');
      if (r.error) return r.error;
      return call(() => m.quote(r.text));
    },

    /** The embedded market policies, `{US: {...}, GB: {...}, ...}` (a fresh copy). */
    policies() {
      return call(() => m.policies());
    },

    /** The core's version, e.g. "0.1.0". */
    version() {
      return version;
    },
  });
}

// TypeScript declarations of ordertrail's JS API (web/ordertrail.js, and the
// Node entry web/ordertrail.node.mjs, which has the same exports). The
// documents' types (Evaluation, Decision, Quote, Order, ...) are generated
// from the JSON Schemas into documents.d.ts beside this file.
import type {
  Decision,
  Evaluation,
  ImportResult,
  Order,
  OrderCommand,
  OrdertrailError,
  Policy,
  Quote,
  QuoteRequest,
} from './documents.js';

export * from './documents.js';

/** `'ordertrail.error/1'`: the `schema` of every error value. */
export declare const ERROR_SCHEMA: 'ordertrail.error/1';

/** The core's limit on an order, policy or quote document: 1 MiB of UTF-8. */
export declare const MAX_DOCUMENT_BYTES: number;

/** True when `value` is an `ordertrail.error/1` value. */
export declare function isError(value: unknown): value is OrdertrailError;

/** A document argument: the object, or its JSON text (passed on untouched). */
export type DocumentInput<T> = T | string;

/** An instant: RFC 3339 text (checked by the core) or a valid Date. */
export type InstantInput = string | Date;

/** A quote request as quote() takes it (or its JSON text): its `policy` may also be JSON text. */
export type QuoteInput =
  | (Pick<QuoteRequest, 'market' | 'at' | 'handling_days' | 'transit_days' | 'order_type' | 'release_date'> & {
      policy?: DocumentInput<Policy> | null;
    })
  | string;

/** An Emscripten module factory (e.g. `require('ordertrail/dist/ordertrail.node.cjs')`). */
export type ModuleFactory = (options?: Record<string, unknown>) => Promise<unknown>;

export interface LoadOptions {
  /** A module factory to use instead of the built one in ./dist. */
  factory?: ModuleFactory;
  /** Where the .wasm is, when it is served from another folder. */
  locateFile?: (name: string, scriptDirectory: string) => string;
  /** The .wasm's bytes, fetched by the page itself. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  [option: string]: unknown;
}

export interface ImportOptions {
  /** The market of the order (e.g. `US`); else the payload's. */
  market?: string;
  /** The seller's id in ordertrail. */
  sellerId?: string;
  /** An importers' module factory instead of the built one. */
  factory?: ModuleFactory;
}

/** A marketplace whose order payloads importOrder() reads. */
export type Platform = 'tiktok' | 'shopify';

/** The loaded core. Every method returns plain data; nothing throws. */
export interface Ordertrail {
  /**
   * Evaluates `order` at `now` under `policy` (omitted or null: the embedded
   * policy of the order's market; '' is refused, as an empty policy file is).
   */
  evaluate(order: DocumentInput<Order>, now: InstantInput, policy?: DocumentInput<Policy> | null): Evaluation | OrdertrailError;
  /**
   * Decides whether `command` (an event without `at`) may be recorded on
   * `order` at `now` (SPEC 7): the exact event to record, or the refusal.
   */
  decide(
    order: DocumentInput<Order>,
    command: DocumentInput<OrderCommand>,
    now: InstantInput,
    policy?: DocumentInput<Policy> | null,
  ): Decision | OrdertrailError;
  /** The checkout promise for an order placed at `request.at`. */
  quote(request: QuoteInput): Quote | OrdertrailError;
  /** The embedded market policies, by market (a fresh copy). */
  policies(): Record<string, Policy> | OrdertrailError;
  /** True once the module has stopped (a trap): load() a new one. */
  isBroken(): boolean;
  /** The core's version, e.g. "0.2.0" (the package's version). */
  version(): string;
  /** importOrder() below. */
  importOrder: typeof importOrder;
}

/** Loads the module. Rejects only when the module cannot be fetched or compiled. */
export declare function load(options?: LoadOptions): Promise<Ordertrail>;

/**
 * A shared load(): `get()` gives the loaded module, loading it on first use,
 * again after a load that failed, and again once it has stopped.
 */
export declare function loader(options?: LoadOptions): () => Promise<Ordertrail>;

/**
 * Imports one marketplace order payload (an object or JSON text): the
 * `ordertrail.order/2` made of it and what the import noticed, or an error
 * whose `path` points into the payload. Its module loads on first use.
 */
export declare function importOrder(platform: Platform, payload: unknown, options?: ImportOptions): Promise<ImportResult | OrdertrailError>;

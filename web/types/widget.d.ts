// TypeScript declarations of `ordertrail/widget` (web/src/widget.js): the
// custom elements <ordertrail-tracker> and <ordertrail-checkout>, their
// events, and the module's exports. custom-elements.json describes the same
// elements for editors and documentation tools.
import type { Decision, Evaluation, Order, OrdertrailError, Policy, Quote, RecordedEvent } from './documents.js';
import type { Ordertrail } from './ordertrail.js';

/** What both elements share (web/src/base.js; not exported by the module). */
declare class OrdertrailElement extends HTMLElement {
  /** The order (an object or its JSON text); setting it re-evaluates. */
  get order(): Order | string | null;
  set order(value: Order | string | null | undefined);
  /** A market policy to use instead of the embedded one. */
  get policy(): Policy | string | null;
  set policy(value: Policy | string | null | undefined);
  /** A bearer token for `order-src` (and `events-src`); never an attribute. */
  get token(): string | null;
  set token(value: string | null | undefined);
  /** The ETag of the `order-src` answer that carried the order shown, or null. */
  readonly orderVersion: string | null;
  /** The last `ordertrail.error/1`, or null. */
  readonly error: OrdertrailError | null;
  /** The locale the element writes in (a registered table's, else `en`). */
  readonly resolvedLocale: string;
  /** The `now` attribute (RFC 3339), or null: the clock, every minute. */
  now: string | null;
  /** The `locale` attribute (BCP 47), or null: `<html lang>`, else `en`. */
  locale: string | null;
  /** The `order-src` attribute, or null. */
  orderSrc: string | null;
  /** The `theme` attribute, or null: the page's `color-scheme`. */
  theme: 'light' | 'dark' | 'auto' | null;
  /** Fetches `order-src` again; resolves to true when the order was loaded. */
  reloadOrder(): Promise<boolean>;
}

/** `<ordertrail-tracker>`: an order's status, dates, refund and what the buyer may do. */
export declare class OrdertrailTracker extends OrdertrailElement {
  /** The last `ordertrail.evaluation/2`; null before the first or after an error. */
  readonly evaluation: Evaluation | null;
  /** True while a command is on its way to `events-src`. */
  readonly recording: boolean;
  /** `agent` for the support console, else `buyer` (the default). */
  get view(): 'buyer' | 'agent';
  set view(value: 'buyer' | 'agent' | null | undefined);
  /** The host's tracking link template (`{tracking_number}`, `{carrier}`), or null. */
  get trackingUrl(): string | null;
  set trackingUrl(value: string | null | undefined);
  /** The `events-src` attribute (an order service's events URL), or null. */
  eventsSrc: string | null;
}

/** `<ordertrail-checkout>`: the delivery promise at checkout. */
export declare class OrdertrailCheckout extends OrdertrailElement {
  /** The last `ordertrail.quote/1`; null before the first or after an error. */
  readonly evaluation: Quote | null;
  /** The `market` attribute, or null (then the order's market). */
  market: string | null;
  /** The `handling-days` attribute, or null (the policy's). */
  handlingDays: string | null;
  /** The `transit-days` attribute (`"3-5"`), or null (the policy's). */
  transitDays: string | null;
}

/** `ordertrail-evaluated` of the tracker: after each evaluation and each failure. */
export interface TrackerEvaluatedDetail {
  order_id: string | null;
  evaluation: Evaluation | null;
  error: OrdertrailError | null;
}

/** `ordertrail-evaluated` of the checkout. */
export interface CheckoutEvaluatedDetail {
  quote: Quote | null;
  error: OrdertrailError | null;
}

/** `ordertrail-action`: the buyer asks for something the core allowed. */
export interface ActionDetail {
  /** What the buyer asks for, e.g. `cancel_now`, `return_item`, `pay_now`. */
  action: string;
  order_id: string | null;
  reason?: string;
  case_id?: string;
  /** The exact event to record (null for a next step that records nothing). */
  event: RecordedEvent | null;
  /** The core's whole decision (null for a next step that records nothing). */
  decision: Decision | null;
}

/** `ordertrail-recorded`: after each command sent to `events-src`. */
export interface RecordedDetail extends ActionDetail {
  /** The HTTP status; 0 when the service was unreachable. */
  status: number;
  error: OrdertrailError | null;
}

/** A message table: keys of `MESSAGES.en`, texts with `{name}` placeholders. */
export type Messages = Readonly<Record<string, string>>;

/** The message tables, by language: `en`, `id`, `ms`. */
export declare const MESSAGES: Readonly<Record<string, Messages>>;

/**
 * Adds a language, or overrides some messages of one (every element
 * re-renders). Throws a TypeError for a tag that is not BCP 47.
 */
export declare function registerLocale(tag: string, messages: Record<string, string>, options?: { dir?: 'ltr' | 'rtl' }): void;

/** The core the elements share (loaded once per page). */
export declare function ordertrail(): Promise<Ordertrail>;

declare global {
  interface HTMLElementTagNameMap {
    'ordertrail-tracker': OrdertrailTracker;
    'ordertrail-checkout': OrdertrailCheckout;
  }
  interface HTMLElementEventMap {
    'ordertrail-evaluated': CustomEvent<TrackerEvaluatedDetail | CheckoutEvaluatedDetail>;
    'ordertrail-action': CustomEvent<ActionDetail>;
    'ordertrail-recorded': CustomEvent<RecordedDetail>;
  }
}

// What both elements share: the `order`, `policy` and `token` properties,
// the `now`, `locale` and `order-src` attributes (the order's version, its
// ETag, kept from the fetch), the live clock, and evaluation batched to one
// per task.
import { core } from './core.js';
import { styleSheet } from './styles.js';
import { h } from './dom.js';
import { translator } from './messages.js';

const MINUTE_MS = 60_000;

/** An `ordertrail.error/1` value made by the widget itself (not by the core). */
export function widgetError(code, message) {
  return { schema: 'ordertrail.error/1', code, path: '', message };
}

/** `value` as an object when it is JSON text, else as it is (null when unparseable). */
export function documentOf(value) {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

export class OrdertrailElement extends HTMLElement {
  static get observedAttributes() {
    return ['now', 'locale', 'order-src'];
  }

  #order = null;
  #policy = null;
  #scheduled = false;
  #clock = null;
  #langObserver = null;
  #fetching = 0;
  #fetchError = null;
  #result = null;
  #token = null;
  #etag = null;
  #fetches = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styleSheet()];
  }

  connectedCallback() {
    // Properties set on the element before its definition was loaded.
    for (const name of ['order', 'policy', 'token']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    this.#langObserver = new MutationObserver(() => {
      if (!this.hasAttribute('locale')) this.schedule();
    });
    this.#langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.#syncClock();
    this.schedule();
  }

  disconnectedCallback() {
    this.#langObserver?.disconnect();
    this.#langObserver = null;
    clearInterval(this.#clock);
    this.#clock = null;
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value) return;
    if (name === 'order-src') {
      // A new source (or none): the order shown so far is not this one.
      this.#order = null;
      this.#etag = null;
      this.#fetchError = null;
      this.#fetchOrder(value);
    }
    if (name === 'now') this.#syncClock();
    this.schedule();
  }

  /** The order: an `ordertrail.order/1` object (or its JSON text). Setting it re-evaluates. */
  get order() {
    return this.#order;
  }
  set order(value) {
    this.#order = value ?? null;
    // An order set by the page has no version the widget knows of.
    this.#etag = null;
    this.schedule();
  }

  /**
   * The bearer token for `order-src` (and the tracker's `events-src`): sent
   * as `Authorization: Bearer`, never an attribute, never logged or shown.
   * Setting it fetches `order-src` again.
   */
  get token() {
    return this.#token;
  }
  set token(value) {
    const token = typeof value === 'string' && value !== '' ? value : null;
    if (token === this.#token) return;
    this.#token = token;
    const url = this.getAttribute('order-src');
    if (url) this.#fetchOrder(url);
  }

  /** The `Authorization` header of the token, or none. */
  authHeaders() {
    return this.#token ? { authorization: `Bearer ${this.#token}` } : {};
  }

  /** The ETag `order-src` answered with for the order shown (its version, e.g. `"3"`), or null. */
  get orderVersion() {
    return this.#etag;
  }

  /** Sets the order with its version (the ETag of the answer that carried it, or null). */
  setVersionedOrder(value, etag) {
    this.order = value;
    this.#etag = etag ?? null;
  }

  /**
   * Fetches `order-src` again (with the token) and shows what it answers.
   * Resolves to true when the order was loaded.
   */
  reloadOrder() {
    const url = this.getAttribute('order-src');
    return url ? this.#fetchOrder(url) : Promise.resolve(false);
  }

  /** A market policy (`ordertrail.policy/1` object) to use instead of the embedded one. */
  get policy() {
    return this.#policy;
  }
  set policy(value) {
    this.#policy = value ?? null;
    this.schedule();
  }

  /** The last result of the core, or null: set by subclasses through `settle`. */
  get result() {
    return this.#result;
  }

  /** The buyer's locale: the `locale` attribute, else `<html lang>`, else 'en'. */
  get resolvedLocale() {
    return this.getAttribute('locale') || document.documentElement.lang || 'en';
  }

  /** The evaluation instant: the `now` attribute, else the clock (to the second). */
  get instant() {
    const pinned = this.getAttribute('now');
    if (pinned !== null) return pinned;
    return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  get translator() {
    return translator(this.resolvedLocale);
  }

  /** Re-evaluates and re-renders once, after the current task. */
  schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#run());
  }

  async #run() {
    let loaded;
    try {
      loaded = await core();
    } catch (e) {
      // The module could not be fetched or compiled. Its text (Emscripten's,
      // the network's) is for developers: in .error, never on the panel.
      this.#scheduled = false;
      if (!this.isConnected) return;
      this.failed(widgetError('module_load_failed', `the ordertrail module could not be loaded: ${String(e?.message ?? e)}`));
      return;
    }
    this.#scheduled = false;
    if (!this.isConnected) return;
    this.update(loaded);
  }

  /** Subclasses: evaluate with `loaded` ({ot, policies}) and render. */
  update() {}

  /**
   * Subclasses: nothing can be evaluated (`err`, an ordertrail.error/1 value):
   * clear what was shown, show a message for people, set `.error`, and tell
   * the page with `ordertrail-evaluated`.
   */
  failed() {}

  /** Records the latest core result and tells the page. */
  settle(result, detail) {
    this.#result = result;
    this.dispatchEvent(new CustomEvent('ordertrail-evaluated', { bubbles: true, composed: true, detail }));
  }

  /** Replaces the shadow content, keeping keyboard focus on the control with the same data-key. */
  replaceContent(node) {
    const root = this.shadowRoot;
    const key = root.activeElement?.dataset?.key;
    for (const child of [...root.children]) child.remove();
    root.append(node);
    if (key) root.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  /**
   * Emits `ordertrail-action` {action, order_id, reason?, case_id?, event,
   * decision}: `event` the exact event to record and `decision` the core's
   * `ordertrail.decision/1` that allowed it, both null for an action that
   * records nothing (pay, contact the seller).
   */
  emitAction({ event = null, decision = null, ...detail }) {
    this.dispatchEvent(new CustomEvent('ordertrail-action', { bubbles: true, composed: true, detail: { ...detail, event, decision } }));
  }

  /** True while `order-src` is being fetched. */
  get loadingOrder() {
    return this.#fetching > 0;
  }

  /** Why the last `order-src` fetch failed (an ordertrail.error/1 value, code `load_failed`), or null. */
  get fetchError() {
    return this.#fetchError;
  }

  #syncClock() {
    const live = this.isConnected && !this.hasAttribute('now');
    if (live && !this.#clock) this.#clock = setInterval(() => this.schedule(), MINUTE_MS);
    if (!live && this.#clock) {
      clearInterval(this.#clock);
      this.#clock = null;
    }
  }

  async #fetchOrder(url) {
    if (!url) return false;
    ++this.#fetching;
    // Only the latest fetch of a source sets the order (a reload after an
    // action must not be overwritten by an older answer).
    const serial = ++this.#fetches;
    const current = () => this.getAttribute('order-src') === url && serial === this.#fetches;
    this.#fetchError = null;
    this.schedule();
    try {
      const response = await fetch(new URL(url, document.baseURI), { credentials: 'same-origin', cache: 'no-store', headers: this.authHeaders() });
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      const text = await response.text();
      if (!current()) return false;
      this.setVersionedOrder(text, response.headers.get('etag'));
      return true;
    } catch (e) {
      if (current()) {
        this.#order = null;
        this.#etag = null;
        this.#fetchError = widgetError('load_failed', `order-src ${url}: ${String(e?.message ?? e)}`);
      }
      return false;
    } finally {
      --this.#fetching;
      this.schedule();
    }
  }
}

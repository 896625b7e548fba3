// What both elements share: the `order`, `policy` and `token` properties,
// the `now`, `locale`, `order-src` and `theme` attributes (each also a
// property), the order of an inline `<script type="application/json">`
// child, the order's version (its ETag, kept from the fetch), the live
// clock, evaluation batched to one per task, and showing a render: patched
// into what is shown (dom.js `morph`), with its language's `dir`, its colour
// scheme and its width class.
import { core } from './core.js';
import { styleSheet, schemeOf } from './styles.js';
import { morphChildren } from './dom.js';
import { translator, onLocalesChanged } from './messages.js';

const MINUTE_MS = 60_000;
// Below this width (the element's, in CSS px) the panel is laid out for a
// phone: `data-narrow` on the panel (a vertical stepper, stacked terms).
export const NARROW_PX = 480;
// Where the order comes from without the property or `order-src`.
const INLINE = ':scope > script[type="application/json"]';

/**
 * Defines, on `cls`, a property for each attribute of `names` ({property:
 * attribute}): it reads the attribute (null when absent) and sets it (null,
 * undefined or false remove it; anything else is written as text).
 */
export function reflect(cls, names) {
  for (const [property, attribute] of Object.entries(names)) {
    Object.defineProperty(cls.prototype, property, {
      configurable: true,
      enumerable: true,
      get() {
        return this.getAttribute(attribute);
      },
      set(value) {
        if (value === null || value === undefined || value === false) this.removeAttribute(attribute);
        else this.setAttribute(attribute, String(value));
      },
    });
  }
  cls.reflected = { ...cls.reflected, ...names };
}

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
    return ['now', 'locale', 'order-src', 'theme'];
  }

  #order = null;
  // Whether #order was set by the page (the property) rather than by the
  // widget (an order-src answer, the order after a recorded event).
  #byPage = false;
  // The text of the inline <script type="application/json"> child, or null.
  #inline = null;
  #inlineObserver = null;
  #resizeObserver = null;
  #schemeQuery = null;
  #unsubscribe = null;
  #narrow = null;
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
    for (const name of ['order', 'policy', 'token', ...Object.keys(this.constructor.reflected ?? {})]) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    // <html lang> (followed without a locale attribute), and the page's
    // class and style, which may change its colour scheme or the --ot-*
    // colours.
    this.#langObserver = new MutationObserver(() => this.schedule());
    this.#langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'class', 'style'] });
    this.#inlineObserver = new MutationObserver(() => this.#readInline());
    this.#inlineObserver.observe(this, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['type'] });
    this.#readInline(false);
    this.#resizeObserver = new ResizeObserver(() => this.#syncWidth());
    this.#resizeObserver.observe(this);
    // A page's --ot-* colours may follow the OS scheme: the ground is read again.
    this.#schemeQuery = matchMedia('(prefers-color-scheme: dark)');
    this.#schemeQuery.onchange = () => this.schedule();
    this.#unsubscribe = onLocalesChanged(() => this.schedule());
    this.#syncClock();
    this.schedule();
  }

  disconnectedCallback() {
    this.#langObserver?.disconnect();
    this.#langObserver = null;
    this.#inlineObserver?.disconnect();
    this.#inlineObserver = null;
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = null;
    if (this.#schemeQuery) this.#schemeQuery.onchange = null;
    this.#schemeQuery = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    clearInterval(this.#clock);
    this.#clock = null;
  }

  // Reads the inline order (the text of the first <script
  // type="application/json"> child); a change re-evaluates when it is the
  // order shown (no property, no order-src).
  #readInline(schedule = true) {
    const text = this.querySelector(INLINE)?.textContent ?? null;
    if (text === this.#inline) return;
    this.#inline = text;
    if (this.hasAttribute('order-src') || this.#byPage) return;
    // The page rendered the order anew: it replaces what the widget held
    // (the order with an event it recorded).
    this.#order = null;
    this.#etag = null;
    if (schedule) this.schedule();
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

  /**
   * The order: an `ordertrail.order/1` object (or its JSON text). Setting it
   * re-evaluates. Where it comes from, first first: this property (or the
   * last order-src answer, whichever came last), else, without order-src,
   * the text of an inline `<script type="application/json">` child.
   */
  get order() {
    if (this.#order !== null || this.hasAttribute('order-src')) return this.#order;
    return this.#inline;
  }
  set order(value) {
    this.#order = value ?? null;
    this.#byPage = this.#order !== null;
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
    this.#byPage = false;
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

  /** The buyer's locale as asked for: the `locale` attribute, else `<html lang>`, else 'en'. */
  get requestedLocale() {
    return this.getAttribute('locale') || document.documentElement.lang || 'en';
  }

  /**
   * The locale the element speaks and writes dates in: the requested one when
   * a message table of its language is registered (`en-GB`, `id-ID`), else
   * that of the table it falls back to (`fr-FR` -> `en`): every sentence,
   * date and countdown from one language.
   */
  get resolvedLocale() {
    return this.translator.locale;
  }

  /** The evaluation instant: the `now` attribute, else the clock (to the second). */
  get instant() {
    const pinned = this.getAttribute('now');
    if (pinned !== null) return pinned;
    return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  get translator() {
    return translator(this.requestedLocale);
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

  /**
   * Shows `node` (the panel just built): gives it its language's `lang` and
   * `dir`, its colour schemes and its width class, and patches it into what
   * is shown (dom.js `morph`: an open "Why?", focus, scroll and selection
   * stay). Focus on a control that was replaced moves to the control with
   * the same data-key.
   */
  replaceContent(node) {
    const root = this.shadowRoot;
    const t = this.translator;
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (!node.hasAttribute('lang')) node.setAttribute('lang', t.language);
      node.setAttribute('dir', t.dir);
      const schemes = this.#schemes();
      for (const [name, value] of Object.entries(schemes)) if (value) node.setAttribute(`data-${name}`, value);
      if (this.#narrowNow()) node.setAttribute('data-narrow', '');
    }
    const focused = root.activeElement;
    const key = focused?.dataset?.key;
    morphChildren(root, [node]);
    if (key && !focused.isConnected) root.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  // The colour schemes of what the page set: `ground` the lightness of its
  // --ot-bg (else the opposite of its --ot-fg), `surface` that of its
  // --ot-surface ('light', 'dark', or null when not set or not a colour).
  // The panel takes them as its color-scheme (styles.js), so that every
  // colour the page did not set is the default of the matching scheme.
  #schemes() {
    const style = getComputedStyle(this);
    const value = (name) => style.getPropertyValue(name).trim();
    const fg = schemeOf(value('--ot-fg'));
    const ground = schemeOf(value('--ot-bg')) ?? (fg && (fg === 'light' ? 'dark' : 'light'));
    return { ground, surface: schemeOf(value('--ot-surface')) };
  }

  // Whether the element is narrower than NARROW_PX (a phone); the last answer while it is not laid out.
  #narrowNow() {
    const width = this.getBoundingClientRect().width;
    if (width > 0) this.#narrow = width < NARROW_PX;
    return this.#narrow ?? false;
  }

  #syncWidth() {
    const panel = this.shadowRoot.firstElementChild;
    if (panel) panel.toggleAttribute('data-narrow', this.#narrowNow());
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

reflect(OrdertrailElement, { now: 'now', locale: 'locale', orderSrc: 'order-src', theme: 'theme' });

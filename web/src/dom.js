// A small element builder, and the morph that patches a shown tree toward a
// newly built one. Strings become text nodes, never markup: every value that
// comes from an order (names, notes, ids) is shown as text.

// The event handlers `h` attached to each element ({type: fn}), so that the
// morph can replace them on the element it keeps.
const HANDLERS = new WeakMap();

/**
 * h('button', {class: 'primary', onclick: fn, 'data-key': 'x'}, 'Pay now', ...)
 * Attributes whose value is null, undefined or false are left out; `true`
 * sets an empty attribute; `on*` functions become event listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') on(el, name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function on(el, type, fn) {
  const handlers = HANDLERS.get(el) ?? {};
  if (handlers[type]) el.removeEventListener(type, handlers[type]);
  handlers[type] = fn;
  HANDLERS.set(el, handlers);
  el.addEventListener(type, fn);
}

/** Appends children (strings, nodes, arrays of them; null and false skipped). */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A <time> element showing `text`, machine-readable as `datetime`. */
export function time(datetime, text) {
  return h('time', { datetime }, text);
}

// What the buyer changed on an element and a rebuilt tree does not know of:
// kept by the morph.
const USER_STATE = { DETAILS: ['open'], DIALOG: ['open'] };

// An element's identity among its siblings: its tag and its key (data-key,
// else id, else part); elements without a key are matched in order.
function keyOf(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return `#${node.nodeType}`;
  const key = node.getAttribute('data-key') ?? node.getAttribute('id') ?? node.getAttribute('part');
  return key === null ? node.tagName : `${node.tagName}|${key}`;
}

// A closed <dialog> is taken as built, never patched: it holds no state of
// the buyer's, and the handlers built with it (a button that opens it, its
// close listener) refer to the new element.
function replaceable(live) {
  return live.nodeType === Node.ELEMENT_NODE && live.tagName === 'DIALOG' && !live.open;
}

/**
 * Patches `live` (an element shown) to look like `next` (one just built by
 * `h`), keeping what is already there: an element of the same tag and key
 * (data-key, id or part; else the same position among those without one) is
 * kept and its attributes, text, children and `h` handlers updated, so focus,
 * scroll positions, text selections in unchanged text and the buyer's
 * `<details open>` survive; an open `<dialog>` is left as it is; what has no
 * counterpart is removed, and new nodes are inserted as built. Returns the
 * node now in place of `next` (`live`, or `next` when the two do not match).
 */
export function morph(live, next) {
  if (!sameKind(live, next)) {
    live.replaceWith(next);
    return next;
  }
  if (live.nodeType !== Node.ELEMENT_NODE) {
    if (live.nodeValue !== next.nodeValue) live.nodeValue = next.nodeValue;
    return live;
  }
  if (live.tagName === 'DIALOG' && live.open) return live;
  const kept = USER_STATE[live.tagName] ?? [];
  for (const { name, value } of [...next.attributes]) {
    if (!kept.includes(name) && live.getAttribute(name) !== value) live.setAttribute(name, value);
  }
  for (const { name } of [...live.attributes]) {
    if (!kept.includes(name) && !next.hasAttribute(name)) live.removeAttribute(name);
  }
  const before = HANDLERS.get(live) ?? {};
  const after = HANDLERS.get(next) ?? {};
  for (const [type, fn] of Object.entries(before)) if (after[type] !== fn) live.removeEventListener(type, fn);
  for (const [type, fn] of Object.entries(after)) if (before[type] !== fn) live.addEventListener(type, fn);
  if (Object.keys(after).length) HANDLERS.set(live, { ...after });
  else HANDLERS.delete(live);
  morphChildren(live, [...next.childNodes]);
  return live;
}

function sameKind(live, next) {
  return live.nodeType === next.nodeType && keyOf(live) === keyOf(next) && !replaceable(live);
}

/**
 * Patches the children of `parent` toward the nodes `nexts` (see morph):
 * each new node is matched with the first live child of the same tag and key
 * not matched yet (text with text, in order), the live children left over
 * are removed, and the kept ones are moved only when their order changed.
 */
export function morphChildren(parent, nexts) {
  const pool = new Map();
  for (const child of parent.childNodes) {
    if (child.nodeType !== Node.ELEMENT_NODE && child.nodeType !== Node.TEXT_NODE) continue;
    const key = keyOf(child);
    if (!pool.has(key)) pool.set(key, []);
    pool.get(key).push(child);
  }
  const pairs = nexts.map((next) => {
    const candidates = pool.get(keyOf(next));
    const live = candidates?.length ? candidates.shift() : null;
    return { next, live: live && !replaceable(live) ? live : null };
  });
  const keep = new Set(pairs.map((p) => p.live).filter(Boolean));
  for (const child of [...parent.childNodes]) if (!keep.has(child)) child.remove();
  pairs.forEach(({ next, live }, i) => {
    const node = live ? morph(live, next) : next;
    const at = parent.childNodes[i] ?? null;
    if (at !== node) parent.insertBefore(node, at);
  });
}

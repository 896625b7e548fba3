// A small element builder. Strings become text nodes, never markup: every
// value that comes from an order (names, notes, ids) is shown as text.

/**
 * h('button', {class: 'primary', onclick: fn, 'data-key': 'x'}, 'Pay now', ...)
 * Attributes whose value is null, undefined or false are left out; `true`
 * sets an empty attribute; `on*` functions become event listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
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

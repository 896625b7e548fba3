// custom-elements.json (Custom Elements Manifest, schema 1.0.0) for
// <ordertrail-tracker> and <ordertrail-checkout>, for editors, linters and
// documentation tools:
//
//   import { customElementsManifest } from './manifest.mjs';
//   customElementsManifest(modulePath)   // the manifest object
//
// The descriptions are written here (web/README.md says the same at more
// length); the lists are read from the sources, and a name in one and not in
// the other fails the build: the attributes from each class's
// observedAttributes, the parts from the `part: '...'` of its file, the CSS
// custom properties from web/src/styles.js.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'src');
const read = (f) => fs.readFileSync(path.join(srcDir, f), 'utf8');

const COMMON_ATTRIBUTES = {
  now: ['now', 'string | null', 'The instant to evaluate at (RFC 3339). Absent: the clock, re-evaluated every minute.'],
  locale: ['locale', 'string | null', "The buyer's BCP 47 locale. Absent: <html lang> (followed when it changes), else en."],
  'order-src': ['orderSrc', 'string | null', 'A URL to fetch the order from (with `token` as a bearer token).'],
  theme: ['theme', "'light' | 'dark' | 'auto' | null", "The colour scheme; absent: the page's color-scheme."],
};
const ATTRIBUTES = {
  tracker: {
    ...COMMON_ATTRIBUTES,
    'events-src': ['eventsSrc', 'string | null', "An order service's POST /v1/orders/{id}/events URL: the tracker records the buyer's actions itself."],
    view: ['view', "'buyer' | 'agent'", '`agent` for the support console (responsibility, anomalies, the core\'s texts); absent: buyer.'],
    'tracking-url': ['trackingUrl', 'string | null', "The host's link to a carrier's tracking page, with {tracking_number} and {carrier}."],
  },
  checkout: {
    ...COMMON_ATTRIBUTES,
    market: ['market', 'string | null', "The market to quote for (e.g. US); absent: the order's."],
    'handling-days': ['handlingDays', 'string | null', "Working days of handling; absent: the policy's."],
    'transit-days': ['transitDays', 'string | null', "Working days in transit, \"min-max\"; absent: the policy's."],
  },
};

const COMMON_FIELDS = [
  ['order', 'Order | string | null', 'The order (ordertrail.order/2), an object or its JSON text. Setting it re-evaluates.'],
  ['policy', 'Policy | string | null', 'A market policy (ordertrail.policy/2) to use instead of the embedded one.'],
  ['token', 'string | null', 'A bearer token for order-src (and events-src); never an attribute, never shown.'],
  ['orderVersion', 'string | null', 'The ETag of the order-src answer that carried the order shown, or null.', true],
  ['error', 'OrdertrailError | null', 'The last ordertrail.error/1, or null.', true],
  ['resolvedLocale', 'string', 'The locale the element writes in.', true],
];
const FIELDS = {
  tracker: [
    ...COMMON_FIELDS,
    ['evaluation', 'Evaluation | null', 'The last ordertrail.evaluation/2; null before the first or after an error.', true],
    ['recording', 'boolean', 'True while a command is on its way to events-src.', true],
  ],
  checkout: [...COMMON_FIELDS, ['evaluation', 'Quote | null', 'The last ordertrail.quote/1; null before the first or after an error.', true]],
};

const EVENTS = {
  tracker: [
    ['ordertrail-evaluated', 'CustomEvent<TrackerEvaluatedDetail>', 'After each evaluation and each failure: detail {order_id, evaluation, error}.'],
    ['ordertrail-action', 'CustomEvent<ActionDetail>', 'The buyer asks for something the core allowed: detail {action, order_id, reason?, case_id?, event, decision}; the host records detail.event.'],
    ['ordertrail-recorded', 'CustomEvent<RecordedDetail>', 'With events-src, after each command sent: detail {action, order_id, status, event, decision, error}.'],
  ],
  checkout: [['ordertrail-evaluated', 'CustomEvent<CheckoutEvaluatedDetail>', 'After each quote and each failure: detail {quote, error}.']],
};

const PARTS = {
  tracker: {
    panel: 'The whole panel.',
    header: 'The status, headline and estimate.',
    status: 'The status in words.',
    headline: 'The delivery state first ("Arriving Wed, Mar 12").',
    estimate: 'The first estimate, when it was revised.',
    why: 'One sentence of why.',
    responsibility: 'Who is responsible for a cancellation (view="agent").',
    refusal: 'A refusal of what the buyer asked for (role="alert", data-code).',
    notice: 'What the last command sent to events-src left to say (data-code).',
    timeline: 'The steps Placed, Paid, Shipped, Delivered.',
    step: 'One step.',
    actions: "The buyer's next actions.",
    action: 'Every button.',
    refund: 'The refund card.',
    'refund-total': "The refund card's total.",
    cases: 'Returns and refund claims.',
    cancellation: 'Whether and how it can be cancelled.',
    answer: "The seller's last answer to a cancellation request.",
    parcels: 'The packages.',
    'parcel-state': "A package's state.",
    tracking: 'A tracking number.',
    'tracking-link': 'A tracking number linked to the carrier (tracking-url).',
    dates: 'What the buyer and the seller do, by when.',
    fallbacks: 'What happens if the seller is late.',
    items: 'The items.',
    'lines-summary': 'The state of each line of an order of several lines.',
    explanation: '"Why? Details for support".',
    dialog: 'The reason picker.',
  },
  checkout: {
    panel: 'The whole panel.',
    title: 'The title.',
    terms: 'The list of terms.',
    term: 'One term (pay by, ships by, delivery, returns, ...).',
  },
};

const CSS_PROPERTIES = {
  '--ot-font-family': 'The font.',
  '--ot-font-size': 'The base font size.',
  '--ot-radius': 'The corner radius.',
  '--ot-gap': 'The spacing.',
  '--ot-bg': "The panel's ground (sets the scheme by its lightness).",
  '--ot-surface': "The boxes' ground.",
  '--ot-fg': 'The text.',
  '--ot-muted': 'Quieter text.',
  '--ot-border': 'Borders.',
  '--ot-accent': 'The brand colour (buttons, the current step).',
  '--ot-accent-fg': 'Text on the accent.',
  '--ot-danger': 'Errors and refusals.',
  '--ot-success': 'Done steps, refunds made.',
  '--ot-warning': 'Deadlines close to ending.',
  '--ot-focus': 'The focus ring.',
};

function sameNames(what, inSource, described) {
  const a = [...new Set(inSource)].sort();
  const b = Object.keys(described).sort();
  const missing = a.filter((x) => !b.includes(x));
  const extra = b.filter((x) => !a.includes(x));
  if (missing.length || extra.length)
    throw new Error(`web/manifest.mjs: ${what}: in the source but not described: [${missing}]; described but not in the source: [${extra}]`);
}

function observed(source, base = []) {
  const m = /static get observedAttributes\(\) \{\s*return \[([^\]]*)\]/.exec(source);
  if (!m) throw new Error('web/manifest.mjs: no observedAttributes');
  return [...base, ...[...m[1].matchAll(/'([a-z-]+)'/g)].map((x) => x[1])];
}

const partsOf = (source) => [...source.matchAll(/part: '([a-z-]+)'/g)].map((x) => x[1]);

function element(kind, className, tagName, description, attributes) {
  sameNames(`${tagName} attributes`, attributes, ATTRIBUTES[kind]);
  const parts = partsOf(read(`${kind}.js`));
  sameNames(`${tagName} parts`, parts, PARTS[kind]);
  const properties = [...new Set(read('styles.js').match(/--ot-[a-z-]+/g))];
  sameNames('CSS custom properties', properties, CSS_PROPERTIES);
  return {
    kind: 'class',
    name: className,
    tagName,
    customElement: true,
    description,
    superclass: { name: 'HTMLElement' },
    attributes: Object.entries(ATTRIBUTES[kind]).map(([name, [fieldName, type, text]]) => ({ name, fieldName, type: { text: type }, description: text })),
    members: [
      ...FIELDS[kind].map(([name, type, text, readonly]) => ({ kind: 'field', name, type: { text: type }, description: text, ...(readonly ? { readonly: true } : {}) })),
      ...Object.entries(ATTRIBUTES[kind]).map(([attribute, [name, type]]) => ({ kind: 'field', name, type: { text: type }, attribute, reflects: true })),
    ],
    events: EVENTS[kind].map(([name, type, text]) => ({ name, type: { text: type }, description: text })),
    slots: [],
    cssParts: Object.entries(PARTS[kind]).map(([name, text]) => ({ name, description: text })),
    cssProperties: Object.entries(CSS_PROPERTIES).map(([name, text]) => ({ name, description: text })),
  };
}

/** The manifest of the widget module at `modulePath` (package-relative). */
export function customElementsManifest(modulePath) {
  const common = observed(read('base.js'));
  const tracker = element(
    'tracker',
    'OrdertrailTracker',
    'ordertrail-tracker',
    "An order's status and why, its steps, dates, refund, cases and what the buyer may do, from the core's ordertrail.evaluation/2.",
    observed(read('tracker.js'), common),
  );
  const checkout = element(
    'checkout',
    'OrdertrailCheckout',
    'ordertrail-checkout',
    "The delivery promise at checkout, from the core's ordertrail.quote/1.",
    observed(read('checkout.js'), common),
  );
  const declaration = (name) => ({ name, module: modulePath });
  return {
    schemaVersion: '1.0.0',
    readme: 'README.md',
    modules: [
      {
        kind: 'javascript-module',
        path: modulePath,
        declarations: [
          tracker,
          checkout,
          { kind: 'function', name: 'ordertrail', description: 'Resolves to the core the elements share: {evaluate, decide, quote, policies, version, ...}.' },
          { kind: 'function', name: 'registerLocale', description: 'Adds a language, or overrides some messages of one; every element re-renders.' },
          { kind: 'variable', name: 'MESSAGES', description: 'The message tables, by language (en, id, ms).' },
        ],
        exports: [
          ...['OrdertrailTracker', 'OrdertrailCheckout', 'ordertrail', 'registerLocale', 'MESSAGES'].map((name) => ({ kind: 'js', name, declaration: declaration(name) })),
          { kind: 'custom-element-definition', name: 'ordertrail-tracker', declaration: declaration('OrdertrailTracker') },
          { kind: 'custom-element-definition', name: 'ordertrail-checkout', declaration: declaration('OrdertrailCheckout') },
        ],
      },
    ],
  };
}

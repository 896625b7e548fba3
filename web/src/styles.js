// The elements' styles, adopted into each shadow root as a constructed
// stylesheet (so a page's Content-Security-Policy needs no 'unsafe-inline').
//
// Theme with these custom properties on the element or any ancestor:
//   --ot-font-family, --ot-font-size, --ot-radius, --ot-gap,
//   --ot-bg, --ot-surface, --ot-fg, --ot-muted, --ot-border,
//   --ot-accent, --ot-accent-fg, --ot-danger, --ot-success, --ot-warning,
//   --ot-focus
// Each has a light and a dark default, taken by the element's colour
// scheme: the `theme` attribute (light, dark, auto = the OS's), else the
// page's own `color-scheme` (inherited; a page that declares none is light).
// A page that sets only some colours cannot make text unreadable:
// - the panel's scheme is the lightness of the ground the page set (--ot-bg,
//   else the opposite of its --ot-fg), and a box's that of its --ot-surface
//   (base.js sets data-ground / data-surface), so every colour it did not set
//   is the default made for that kind of ground;
// - text inks are clamped to the scheme (OKLCH lightness at most 0.52 on a
//   light ground, at least 0.75 on a dark one: 4.5:1 on the defaults; the
//   defaults themselves are inside), and --ot-accent-fg defaults to white
//   or dark navy, whichever reads on the accent.

// A colour of two, by the OKLab lightness of `origin`: `light` (OKLab
// [L, a, b]) when origin is light (L >= 0.62), else `dark`.
function pick(origin, dark, light) {
  const k = 'clamp(0, (0.62 - l) * 1000, 1)';
  const channel = (i) => `calc(${light[i]} + ${dark[i] - light[i]} * ${k})`;
  return `oklab(from ${origin} ${channel(0)} ${channel(1)} ${channel(2)})`;
}

// `color` as a text ink: its OKLCH lightness at most `lightMax` on a light
// ground, at least `darkMin` on a dark one (by the element's color-scheme).
function ink(color, lightMax = 0.52, darkMin = 0.75) {
  return `light-dark(oklch(from ${color} min(l, ${lightMax}) c h), oklch(from ${color} max(l, ${darkMin}) c h))`;
}

const CSS = `
:host {
  display: block;
  --_font: var(--ot-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif);
  --_size: var(--ot-font-size, 15px);
  --_radius: var(--ot-radius, 12px);
  --_gap: var(--ot-gap, 16px);
  --_bg: var(--ot-bg, light-dark(#ffffff, #17191d));
  --_surface: var(--ot-surface, light-dark(#f4f6f8, #22262c));
  --_fg-set: var(--ot-fg, light-dark(#1b1f24, #eceff3));
  --_muted-set: var(--ot-muted, light-dark(#4f5862, #aeb6c0));
  --_border: var(--ot-border, light-dark(#d3d9e0, #3d434c));
  --_accent-set: var(--ot-accent, light-dark(#0b57d0, #9cc0ff));
  --_danger-set: var(--ot-danger, light-dark(#b3261e, #ffb4ab));
  --_success-set: var(--ot-success, light-dark(#146c2e, #8fd9a0));
  --_warning-set: var(--ot-warning, light-dark(#8a4b00, #f5c26b));
  --_focus-set: var(--ot-focus, light-dark(#0b57d0, #9cc0ff));
  /* Text on the accent: white on a dark accent, dark navy on a light one. */
  --_accent-fg: var(--ot-accent-fg, ${pick('var(--_accent-set)', [1, 0, 0], [0.2219, -0.0095, -0.0581])});
  /* The inks as text (and markers), readable on the scheme's grounds; the
     colours as set (--_*-set) are for borders and fills only. */
  --_fg: ${ink('var(--_fg-set)', 0.45, 0.85)};
  --_muted: ${ink('var(--_muted-set)')};
  --_accent: ${ink('var(--_accent-set)')};
  --_danger: ${ink('var(--_danger-set)')};
  --_success: ${ink('var(--_success-set)')};
  --_warning: ${ink('var(--_warning-set)')};
  --_focus: ${ink('var(--_focus-set)')};
  font-family: var(--_font);
  font-size: var(--_size);
  line-height: 1.45;
  color: var(--_fg);
}
:host([theme="light"]) { color-scheme: light; }
:host([theme="dark"]) { color-scheme: dark; }
:host([theme="auto"]) { color-scheme: light dark; }
[data-ground="light"] { color-scheme: light; }
[data-ground="dark"] { color-scheme: dark; }
[data-surface="light"] :is(.box, .refusal, .notice, label.choice) { color-scheme: light; }
[data-surface="dark"] :is(.box, .refusal, .notice, label.choice) { color-scheme: dark; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.panel, dialog, .box, .refusal, .notice, label.choice { color: var(--_fg); }
.panel {
  background: var(--_bg);
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  padding: var(--_gap);
  display: grid;
  gap: var(--_gap);
}
h2, h3, p, ol, ul, dl, dd { margin: 0; }
h2 { font-size: 1.35em; line-height: 1.25; }
h3 { font-size: max(13px, 0.8em); text-transform: uppercase; letter-spacing: 0.06em; color: var(--_muted); margin-bottom: 6px; }
.meta { color: var(--_muted); font-size: max(13px, 0.9em); display: flex; flex-wrap: wrap; gap: 4px 16px; }
.why { margin-top: 4px; }
.responsibility { margin-top: 4px; color: var(--_muted); font-weight: 600; }
.headline[data-status="CANCELLED"] { color: var(--_danger); }
.headline[data-status="DELIVERED"], .headline[data-status="COMPLETED"] { color: var(--_success); }
.badge {
  display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: max(13px, 0.8em); font-weight: 600;
  border: 1px solid currentColor; vertical-align: middle;
}

/* the timeline: a row of steps, a vertical stepper when narrow. A step's
   state is also text (visually hidden) and aria-current; the markers are
   drawn in text inks (the muted one for steps not reached), 3:1 and more on
   the ground whatever the page set. */
.steps { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; counter-reset: step; }
.step {
  flex: 1 1 110px; position: relative; padding-block: 22px 0; padding-inline: 0 6px; color: var(--_muted); font-size: max(13px, 0.9em);
}
.step::before {
  content: ""; position: absolute; top: 4px; inset-inline-start: 0; width: 12px; height: 12px; border-radius: 50%;
  border: 2px solid var(--_muted); background: var(--_bg);
}
.step::after {
  content: ""; position: absolute; top: 9px; inset-inline: 16px 4px; height: 2px; background: var(--_muted);
}
.step:last-child::after { display: none; }
.step.done { color: var(--_fg); }
.step.done::before { background: var(--_accent); border-color: var(--_accent); }
.step.done:not([aria-current])::after { background: var(--_accent); }
.step[aria-current="step"] { font-weight: 700; }
.step[aria-current="step"]::before { box-shadow: 0 0 0 4px color-mix(in srgb, var(--_accent) 30%, transparent); }
.step.cancelled::before { background: var(--_danger); border-color: var(--_danger); }
.step .when { display: block; font-weight: 400; color: var(--_muted); font-size: max(13px, 0.9em); }
[data-narrow] .steps { flex-direction: column; flex-wrap: nowrap; gap: 0; }
[data-narrow] .step { flex: none; padding-block: 0 14px; padding-inline: 26px 0; min-height: 40px; }
[data-narrow] .step:last-child { padding-block-end: 0; min-height: 0; }
[data-narrow] .step::before { top: 3px; }
[data-narrow] .step::after { top: 19px; bottom: 1px; inset-inline: 5px auto; width: 2px; height: auto; }
[data-narrow] .step .when { display: inline; margin-inline-start: 8px; }

/* lists of facts */
.list { list-style: none; padding: 0; display: grid; gap: 6px; }
.date { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: baseline; }
.date.over { color: var(--_muted); }
.countdown { color: var(--_muted); font-size: max(13px, 0.9em); }
.countdown.soon { color: var(--_warning); font-weight: 600; }
.box { background: var(--_surface); border-radius: calc(var(--_radius) - 4px); padding: 12px; }
.refund .kind { font-weight: 600; }
.cases .case { display: grid; gap: 2px; }
.cases .kind { color: var(--_muted); font-size: max(13px, 0.85em); overflow-wrap: anywhere; }
.cases .stage { font-weight: 600; }
.cases .case.over { color: var(--_muted); }
.cases .case.over .stage { font-weight: 400; }
.cases .buttons { margin-top: 4px; }
.items li { display: flex; gap: 8px; justify-content: space-between; }
.items .name { overflow-wrap: anywhere; }
.items .note { color: var(--_muted); font-size: max(13px, 0.85em); }
.items .state { color: var(--_muted); }
.items .line.cancelled .name bdi { text-decoration: line-through; }
.items .price { white-space: nowrap; font-variant-numeric: tabular-nums; }

/* buttons: the accent as the page set it for borders and fills, as a text ink for text */
ul.buttons, .buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; list-style: none; padding: 0; }
button {
  font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 14px; cursor: pointer;
  border: 1px solid var(--_accent-set); background: transparent; color: var(--_accent); min-height: 40px;
}
button.primary { background: var(--_accent-set); color: var(--_accent-fg); }
button.danger { border-color: var(--_danger-set); color: var(--_danger); }
button:hover { filter: brightness(1.08); }
:focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
.info { color: var(--_fg); }

/* the "Why?" disclosure */
details { border-top: 1px solid var(--_border); padding-top: 10px; }
summary { cursor: pointer; font-weight: 600; color: var(--_accent); }
.explain { list-style: none; padding: 0; margin-top: 8px; display: grid; gap: 8px; font-size: max(13px, 0.9em); }
.explain .rule { font-weight: 600; display: block; }
.explain .code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: max(13px, 0.85em); color: var(--_muted); }
.explain .text { overflow-wrap: anywhere; }
/* English texts for support inside a right-to-left panel read left to right. */
[dir="rtl"] [lang="en"] { direction: ltr; unicode-bidi: isolate; }

/* the reason picker */
dialog {
  border: 1px solid var(--_border); border-radius: var(--_radius); padding: 20px; max-width: min(92vw, 440px);
  background: var(--_bg);
}
dialog::backdrop { background: rgb(0 0 0 / 0.55); }
fieldset { border: 0; padding: 0; margin: 12px 0; display: grid; gap: 8px; }
legend { font-weight: 600; margin-bottom: 8px; padding: 0; }
label.choice { display: flex; gap: 10px; align-items: center; padding: 8px 10px; border: 1px solid var(--_border); border-radius: 8px; cursor: pointer; }
label.choice:has(input:checked) { border-color: var(--_accent-set); background: var(--_surface); }
input[type="radio"] { accent-color: var(--_accent-set); width: 18px; height: 18px; margin: 0; flex: none; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; flex-wrap: wrap; }
/* On a phone the dialog's buttons share the width (and stack, wide, when they wrap). */
[data-narrow] .dialog-buttons button { flex: 1 1 auto; }

/* the checkout promise */
.terms { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 8px 16px; }
.terms dt { color: var(--_muted); font-weight: 600; }
.terms dd p + p { margin-top: 4px; }
[data-narrow] .terms { grid-template-columns: 1fr; gap: 2px 16px; }
[data-narrow] .terms dd { margin-bottom: 8px; }

.error { border-inline-start: 4px solid var(--_danger-set); padding-inline-start: 12px; }
.refusal, .notice {
  border-inline-start: 4px solid var(--_danger-set); padding: 8px 12px; background: var(--_surface);
  border-start-end-radius: 8px; border-end-end-radius: 8px;
}
.refusal { display: grid; gap: 4px; }
.refusal .refusal-text { font-weight: 600; }
.refusal .alternatives { margin: 0; padding-inline-start: 20px; }
.notice p { margin: 0; font-weight: 600; }
button[disabled] { opacity: 0.6; cursor: progress; }
.error .code { font-family: ui-monospace, monospace; font-size: max(13px, 0.9em); color: var(--_muted); }
.loading { color: var(--_muted); }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
/* tracker content (w1) */
header .status { margin: 0; color: var(--_muted); font-weight: 600; }
header .estimate { margin: 0; color: var(--_muted); }
.headline[data-headline="late"] { color: var(--_warning, inherit); }
.fallbacks { color: var(--_muted); }
.fallbacks h3 { font-weight: 600; }
.refund .total { font-weight: 600; }
.refund .list { margin: 0; }
.cancellation .answer { font-weight: 600; }
.parcels .parcel { display: grid; gap: 2px; }
.parcels .parcel .tracking { display: block; color: var(--_muted); }
.parcels .parcel .tracking a { color: var(--_accent, inherit); overflow-wrap: anywhere; }
.parcels .parcel .number { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.parcels .scans { margin: 4px 0 0; padding-left: 18px; display: grid; gap: 2px; font-size: 0.95em; }
.parcels .scans time { color: var(--_muted); }
.parcels .more-scans summary { cursor: pointer; color: var(--_accent, inherit); }
/* end tracker content (w1) */
`;

let sheet = null;

/** The shared constructed stylesheet of both elements. */
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

let probe = null;
const schemes = new Map();

/**
 * 'light' or 'dark' for a CSS colour a page set (by its relative luminance:
 * light when black text reads better on it than white), or null for no value
 * or one that is not a plain colour (a `var()`, `light-dark()`, `transparent`).
 */
export function schemeOf(value) {
  if (!value) return null;
  if (schemes.has(value)) return schemes.get(value);
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  let scheme = null;
  if (probe) {
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = 'rgb(1 2 3 / 0)';
    probe.fillStyle = value;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
    if (a === 255) {
      const lin = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      const y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      // Black on it: (y + 0.05) / 0.05; white: 1.05 / (y + 0.05).
      scheme = (y + 0.05) ** 2 > 0.0525 ? 'light' : 'dark';
    }
  }
  schemes.set(value, scheme);
  return scheme;
}

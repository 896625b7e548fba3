// The elements' styles, adopted into each shadow root as a constructed
// stylesheet (so a page's Content-Security-Policy needs no 'unsafe-inline').
//
// Theme with these custom properties on the element or any ancestor (each has
// a light and a dark default, chosen by prefers-color-scheme):
//   --ot-font-family, --ot-font-size, --ot-radius, --ot-gap,
//   --ot-bg, --ot-surface, --ot-fg, --ot-muted, --ot-border,
//   --ot-accent, --ot-accent-fg, --ot-danger, --ot-success, --ot-warning,
//   --ot-focus
const CSS = `
:host {
  display: block;
  --_font: var(--ot-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif);
  --_size: var(--ot-font-size, 15px);
  --_radius: var(--ot-radius, 12px);
  --_gap: var(--ot-gap, 16px);
  --_bg: var(--ot-bg, #ffffff);
  --_surface: var(--ot-surface, #f4f6f8);
  --_fg: var(--ot-fg, #1b1f24);
  --_muted: var(--ot-muted, #4f5862);
  --_border: var(--ot-border, #d3d9e0);
  --_accent: var(--ot-accent, #0b57d0);
  --_accent-fg: var(--ot-accent-fg, #ffffff);
  --_danger: var(--ot-danger, #b3261e);
  --_success: var(--ot-success, #146c2e);
  --_warning: var(--ot-warning, #8a4b00);
  --_focus: var(--ot-focus, #0b57d0);
  color-scheme: light dark;
  font-family: var(--_font);
  font-size: var(--_size);
  line-height: 1.45;
  color: var(--_fg);
}
@media (prefers-color-scheme: dark) {
  :host {
    --_bg: var(--ot-bg, #17191d);
    --_surface: var(--ot-surface, #22262c);
    --_fg: var(--ot-fg, #eceff3);
    --_muted: var(--ot-muted, #aeb6c0);
    --_border: var(--ot-border, #3d434c);
    --_accent: var(--ot-accent, #9cc0ff);
    --_accent-fg: var(--ot-accent-fg, #0a1a36);
    --_danger: var(--ot-danger, #ffb4ab);
    --_success: var(--ot-success, #8fd9a0);
    --_warning: var(--ot-warning, #f5c26b);
    --_focus: var(--ot-focus, #9cc0ff);
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
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
h3 { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.06em; color: var(--_muted); margin-bottom: 6px; }
.meta { color: var(--_muted); font-size: 0.9em; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.why { margin-top: 4px; }
.responsibility { margin-top: 4px; color: var(--_muted); font-weight: 600; }
.headline[data-status="CANCELLED"] { color: var(--_danger); }
.headline[data-status="DELIVERED"], .headline[data-status="COMPLETED"] { color: var(--_success); }
.badge {
  display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 0.8em; font-weight: 600;
  border: 1px solid currentColor; vertical-align: middle;
}

/* the timeline */
.steps { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; counter-reset: step; }
.step {
  flex: 1 1 110px; position: relative; padding: 22px 6px 0 0; color: var(--_muted); font-size: 0.9em;
}
.step::before {
  content: ""; position: absolute; top: 4px; left: 0; width: 12px; height: 12px; border-radius: 50%;
  border: 2px solid var(--_border); background: var(--_bg);
}
.step::after {
  content: ""; position: absolute; top: 9px; left: 16px; right: 4px; height: 2px; background: var(--_border);
}
.step:last-child::after { display: none; }
.step.done { color: var(--_fg); }
.step.done::before { background: var(--_accent); border-color: var(--_accent); }
.step.done:not([aria-current])::after { background: var(--_accent); }
.step[aria-current="step"] { font-weight: 700; }
.step[aria-current="step"]::before { box-shadow: 0 0 0 4px color-mix(in srgb, var(--_accent) 30%, transparent); }
.step.cancelled::before { background: var(--_danger); border-color: var(--_danger); }
.step .when { display: block; font-weight: 400; color: var(--_muted); font-size: 0.9em; }

/* lists of facts */
.list { list-style: none; padding: 0; display: grid; gap: 6px; }
.date { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: baseline; }
.date.over { color: var(--_muted); }
.countdown { color: var(--_muted); font-size: 0.9em; }
.countdown.soon { color: var(--_warning); font-weight: 600; }
.box { background: var(--_surface); border-radius: calc(var(--_radius) - 4px); padding: 12px; }
.refund .kind { font-weight: 600; }
.cases .case { display: grid; gap: 2px; }
.cases .kind { color: var(--_muted); font-size: 0.85em; overflow-wrap: anywhere; }
.cases .stage { font-weight: 600; }
.cases .case.over { color: var(--_muted); }
.cases .case.over .stage { font-weight: 400; }
.cases .buttons { margin-top: 4px; }
.items li { display: flex; gap: 8px; justify-content: space-between; }
.items .name { overflow-wrap: anywhere; }
.items .note { color: var(--_muted); font-size: 0.85em; }
.items .state { color: var(--_muted); }
.items .line.cancelled .name bdi { text-decoration: line-through; }
.items .price { white-space: nowrap; font-variant-numeric: tabular-nums; }

/* buttons */
ul.buttons, .buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; list-style: none; padding: 0; }
button {
  font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 14px; cursor: pointer;
  border: 1px solid var(--_accent); background: transparent; color: var(--_accent); min-height: 40px;
}
button.primary { background: var(--_accent); color: var(--_accent-fg); }
button.danger { border-color: var(--_danger); color: var(--_danger); }
button:hover { filter: brightness(1.08); }
:focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
.info { color: var(--_fg); }

/* the "Why?" disclosure */
details { border-top: 1px solid var(--_border); padding-top: 10px; }
summary { cursor: pointer; font-weight: 600; color: var(--_accent); }
.explain { list-style: none; padding: 0; margin-top: 8px; display: grid; gap: 8px; font-size: 0.9em; }
.explain .rule { font-weight: 600; display: block; }
.explain .code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; color: var(--_muted); }
.explain .text { overflow-wrap: anywhere; }

/* the reason picker */
dialog {
  border: 1px solid var(--_border); border-radius: var(--_radius); padding: 20px; max-width: min(92vw, 440px);
  background: var(--_bg); color: var(--_fg);
}
dialog::backdrop { background: rgb(0 0 0 / 0.45); }
fieldset { border: 0; padding: 0; margin: 12px 0; display: grid; gap: 8px; }
legend { font-weight: 600; margin-bottom: 8px; padding: 0; }
label.choice { display: flex; gap: 10px; align-items: center; padding: 8px 10px; border: 1px solid var(--_border); border-radius: 8px; cursor: pointer; }
label.choice:has(input:checked) { border-color: var(--_accent); background: var(--_surface); }
input[type="radio"] { accent-color: var(--_accent); width: 18px; height: 18px; margin: 0; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; flex-wrap: wrap; }

/* the checkout promise */
.terms { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 8px 16px; }
.terms dt { color: var(--_muted); font-weight: 600; }
.terms dd p + p { margin-top: 4px; }
@media (max-width: 420px) { .terms { grid-template-columns: 1fr; } .terms dd { margin-bottom: 6px; } }

.error { border-left: 4px solid var(--_danger); padding-left: 12px; }
.refusal { border-left: 4px solid var(--_danger); padding: 8px 12px; background: var(--_surface); border-radius: 0 8px 8px 0; display: grid; gap: 4px; }
.refusal .refusal-text { font-weight: 600; }
.refusal .alternatives { margin: 0; padding-left: 20px; }
.notice { border-left: 4px solid var(--_danger); padding: 8px 12px; background: var(--_surface); border-radius: 0 8px 8px 0; }
.notice p { margin: 0; font-weight: 600; }
button[disabled] { opacity: 0.6; cursor: progress; }
.error .code { font-family: ui-monospace, monospace; font-size: 0.9em; color: var(--_muted); }
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

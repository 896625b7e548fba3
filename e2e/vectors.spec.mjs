// Parity in the browser: every golden vector of tests/vectors, evaluated in
// the page, equals the native core's output (computed by e2e/global-setup.mjs
// with native_eval). Byte for byte from the browser module itself, and value
// for value as the tracker received it (its `ordertrail-evaluated` event and
// its `evaluation` / `error` property). Each is also rendered in English and
// Bahasa Indonesia, and no code may reach the buyer without a message. The
// same for every decision of tests/decisions: byte for byte from the
// module's `decide`, value for value through the widget's `ordertrail()`.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, openEmbed } from './fixtures.mjs';
import { NATIVE_DECISIONS, NATIVE_VECTORS } from './global-setup.mjs';

const VECTORS = fileURLToPath(new URL('../tests/vectors', import.meta.url));
const DECISIONS = fileURLToPath(new URL('../tests/decisions', import.meta.url));

test('every vector of tests/vectors evaluated in the page equals the native output', async ({ page }) => {
  test.setTimeout(90_000);
  const { cases, native_eval: tool } = JSON.parse(fs.readFileSync(NATIVE_VECTORS, 'utf8'));
  const vectorFiles = fs.readdirSync(VECTORS).filter((f) => f.endsWith('.json'));
  expect(cases.length, `one case per vector (native side: ${tool})`).toBe(vectorFiles.length);
  expect(cases.length).toBeGreaterThan(0);

  await openEmbed(page);
  const results = await page.evaluate(async (cases) => {
    const { default: createOrdertrail } = await import('/dist/ordertrail.mjs');
    const raw = await createOrdertrail();
    const tracker = document.querySelector('#tracker');
    tracker.removeAttribute('order-src');
    const out = [];
    for (const c of cases) {
      const bytes = c.policy === '' ? raw.evaluate(c.order, c.now) : raw.evaluate(c.order, c.now, c.policy);
      const evaluated = new Promise((resolve) => tracker.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      tracker.setAttribute('now', c.now);
      tracker.policy = c.policy === '' ? null : c.policy;
      tracker.order = c.order;
      const detail = await evaluated;
      // Buyer-facing text (the support details and raw codes aside) in both
      // languages: a snake_case word there is a code with no message.
      const untranslated = [];
      for (const locale of ['en', 'id']) {
        const shown = new Promise((resolve) => tracker.addEventListener('ordertrail-evaluated', resolve, { once: true }));
        tracker.setAttribute('locale', locale);
        await shown;
        const root = document.createElement('div');
        for (const child of tracker.shadowRoot.children) root.append(child.cloneNode(true));
        for (const hidden of root.querySelectorAll('details, .code, [lang="en"]:not(article)')) hidden.remove();
        const words = root.textContent.match(/\b[a-z]+(?:_[a-z]+)+\b/g);
        if (words) untranslated.push(`${locale}: ${[...new Set(words)].join(', ')}`);
      }
      tracker.removeAttribute('locale');
      out.push({
        bytes,
        event: JSON.stringify(detail.evaluation ?? detail.error),
        property: JSON.stringify(tracker.evaluation ?? tracker.error),
        rendered: tracker.shadowRoot.querySelector('.headline, [role="alert"]') !== null,
        untranslated,
      });
    }
    return out;
  }, cases);

  const differences = [];
  results.forEach((r, i) => {
    const c = cases[i];
    const native = c.native;
    const value = JSON.stringify(JSON.parse(native));
    if (r.bytes !== native) {
      let at = 0;
      while (at < native.length && native[at] === r.bytes[at]) ++at;
      differences.push(`${c.file}: browser module differs at char ${at}: native ${JSON.stringify(native.slice(at, at + 80))}, page ${JSON.stringify(r.bytes.slice(at, at + 80))}`);
    }
    if (r.event !== value) differences.push(`${c.file}: the tracker's ordertrail-evaluated detail differs from the native output`);
    if (r.property !== value) differences.push(`${c.file}: the tracker's evaluation/error property differs from the native output`);
    if (!r.rendered) differences.push(`${c.file}: the tracker rendered neither a status nor an error`);
    for (const u of r.untranslated) differences.push(`${c.file}: codes shown without a message (${u})`);
  });
  expect(differences, 'a stale build shows up here too: rebuild the wasm and native presets').toEqual([]);
});

test('every decision of tests/decisions decided in the page equals the native output', async ({ page }) => {
  const { cases, native_eval: tool } = JSON.parse(fs.readFileSync(NATIVE_DECISIONS, 'utf8'));
  const files = fs.readdirSync(DECISIONS).filter((f) => f.endsWith('.json'));
  expect(cases.length, `one case per decision vector (native side: ${tool})`).toBe(files.length);
  expect(cases.length).toBeGreaterThanOrEqual(40);

  await openEmbed(page);
  const results = await page.evaluate(async (cases) => {
    const { default: createOrdertrail } = await import('/dist/ordertrail.mjs');
    const raw = await createOrdertrail();
    const ot = await (await import('/dist/ordertrail-widget.js')).ordertrail();
    return cases.map((c) => ({
      bytes: c.policy === '' ? raw.decide(c.order, c.command, c.now) : raw.decide(c.order, c.command, c.now, c.policy),
      wrapped: JSON.stringify(ot.decide(JSON.parse(c.order), JSON.parse(c.command), c.now, c.policy === '' ? undefined : c.policy)),
    }));
  }, cases);

  const differences = [];
  results.forEach((r, i) => {
    const { file, native } = cases[i];
    if (!native.startsWith('{"schema":"ordertrail.decision/1"')) differences.push(`${file}: the native side did not decide: ${native.slice(0, 200)}`);
    if (r.bytes !== native) {
      let at = 0;
      while (at < native.length && native[at] === r.bytes[at]) ++at;
      differences.push(`${file}: browser module differs at char ${at}: native ${JSON.stringify(native.slice(at, at + 80))}, page ${JSON.stringify(r.bytes.slice(at, at + 80))}`);
    }
    if (r.wrapped !== JSON.stringify(JSON.parse(native))) differences.push(`${file}: ot.decide in the page differs from the native output`);
  });
  expect(differences, 'a stale build shows up here too: rebuild the wasm and native presets').toEqual([]);
});

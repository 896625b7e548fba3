// The shared fixture of every e2e test: a page that fails the test on any
// console error, page error (uncaught exception) or JavaScript dialog, plus
// helpers to drive the widgets and to keep screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

export const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots', import.meta.url));

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', async (d) => {
      problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
      await d.dismiss();
    });
    await use(page);
    expect(problems, 'no console errors, page errors or dialogs').toEqual([]);
  },
});

export { expect };

/**
 * Saves a screenshot of `target` (page or locator) as
 * test-results/screenshots/<name>.png, attaches it, and adds it to the
 * contact sheet (test-results/contact-sheet.html) with `caption`.
 */
export async function shot(target, name, testInfo, caption = '') {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // The demo's sticky header would cover the top of a tall element. (A
  // constructed stylesheet: the pages' CSP refuses inline styles.)
  const page = typeof target.page === 'function' ? target.page() : target;
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('header.site { position: static !important; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  await target.screenshot({ path: file, animations: 'disabled' });
  await page.evaluate(() => (document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, -1)));
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  fs.writeFileSync(path.join(SCREENSHOTS, `${name}.txt`), caption);
  writeContactSheet();
  return file;
}

// The families of the contact sheet, by the start of a shot's name.
const FAMILIES = [
  ['desktop-light-en-', 'Desktop 1280 px, light, English'],
  ['mobile-dark-id-', '375 px, dark, Bahasa Indonesia'],
  ['dialog-', 'Dialogs open'],
  ['', 'Other states (from the other specs)'],
];

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * Writes test-results/contact-sheet.html: every screenshot taken so far,
 * by family, with its caption, for a reviewer to page through. Rewritten
 * after each shot (whole, then renamed: workers may write at once).
 */
export function writeContactSheet() {
  const names = fs.readdirSync(SCREENSHOTS).filter((f) => f.endsWith('.png')).map((f) => f.slice(0, -4)).sort();
  const caption = (name) => {
    try {
      return fs.readFileSync(path.join(SCREENSHOTS, `${name}.txt`), 'utf8');
    } catch {
      return '';
    }
  };
  const seen = new Set();
  const sections = FAMILIES.map(([prefix, title]) => {
    const shots = names.filter((n) => n.startsWith(prefix) && !seen.has(n));
    shots.forEach((n) => seen.add(n));
    if (!shots.length) return '';
    const figures = shots.map(
      (n) =>
        `<figure><a href="screenshots/${n}.png"><img src="screenshots/${n}.png" alt="" loading="lazy"></a>` +
        `<figcaption><b>${escapeHtml(n)}</b>${caption(n) ? `<br>${escapeHtml(caption(n))}` : ''}</figcaption></figure>`,
    );
    return `<h2>${escapeHtml(title)} (${shots.length})</h2>\n<div class="grid">${figures.join('\n')}</div>`;
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ordertrail screenshots</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; background: #eef0f3; color: #1b1f24; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 16px; align-items: start; }
figure { margin: 0; background: #fff; border: 1px solid #d3d9e0; border-radius: 8px; padding: 8px; }
img { width: 100%; height: auto; display: block; border: 1px solid #e5e8ec; background: repeating-conic-gradient(#f4f4f4 0 25%, #fff 0 50%) 0 0 / 16px 16px; }
figcaption { margin-top: 6px; overflow-wrap: anywhere; }
</style></head><body>
<h1>ordertrail: every screenshot of the e2e run</h1>
<p>Click an image for its full size. Made by e2e/fixtures.mjs (shot); the images are in screenshots/.</p>
${sections.join('\n')}
</body></html>
`;
  const out = path.join(SCREENSHOTS, '..', 'contact-sheet.html');
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, html);
  fs.renameSync(tmp, out);
}

/** Opens the one-tag embedding page and waits until its tracker evaluated its sample order. */
export async function openEmbed(page) {
  await page.goto('/demo/embed.html');
  await page.waitForFunction(() => document.querySelector('#tracker')?.evaluation);
}

/**
 * Shows `order` in the embed page's tracker at `now` (with `policy`, `locale`
 * when given) and resolves to the `ordertrail-evaluated` detail.
 */
export function showOrder(page, { order, now, policy = null, locale = null }) {
  return page.evaluate(
    ({ order, now, policy, locale }) => {
      const t = document.querySelector('#tracker');
      const done = new Promise((resolve) => t.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      t.removeAttribute('order-src');
      t.setAttribute('now', now);
      if (locale) t.setAttribute('locale', locale);
      else t.removeAttribute('locale');
      t.policy = policy;
      t.order = order;
      return done;
    },
    { order, now, policy, locale },
  );
}

/**
 * Opens the embed page with the browser clock installed at `start` and
 * paused at `pause`, and shows `order` in its tracker on the live clock (no
 * `now`, no `order-src`).
 */
export async function showLive(page, order, { start, pause }) {
  await page.clock.install({ time: new Date(start) });
  await openEmbed(page);
  await page.clock.pauseAt(new Date(pause));
  await page.evaluate((order) => {
    const t = document.querySelector('#tracker');
    t.removeAttribute('order-src');
    t.removeAttribute('now');
    t.order = order;
  }, order);
}

/** Collects the `ordertrail-action` details the page receives, from now on. */
export async function recordActions(page) {
  await page.evaluate(() => {
    window.__actions = [];
    document.addEventListener('ordertrail-action', (e) => window.__actions.push(e.detail));
  });
  return () => page.evaluate(() => window.__actions);
}

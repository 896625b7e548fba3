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

/** Saves a screenshot of `target` (page or locator) as test-results/screenshots/<name>.png and attaches it. */
export async function shot(target, name, testInfo) {
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
  return file;
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

// Accessibility: axe (WCAG 2 A and AA) finds nothing on either demo page, in
// light and dark, with the reason picker open and every disclosure open.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, shot } from './fixtures.mjs';

// `within`: selectors to analyse only those parts (e.g. a tracker with its dialog open).
async function axe(page, what, within = null) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  for (const selector of [within ?? []].flat()) builder.include(selector);
  const { violations } = await builder.analyze();
  const summary = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(summary, `axe on ${what}`).toEqual([]);
}

// A viewport as tall as the storefront: axe's colour-contrast check is about
// three times faster when it need not scroll.
test.use({ viewport: { width: 1280, height: 6000 } });

for (const scheme of ['light', 'dark']) {
  test(`demo storefront, ${scheme}: no axe violations, with every disclosure and a dialog open`, async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/demo/');
    await page.waitForFunction(() => document.documentElement.dataset.ready);

    // The whole page, with every "Why?" disclosure, simulator and history open.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
      for (const t of document.querySelectorAll('ordertrail-tracker')) for (const d of t.shadowRoot.querySelectorAll('details')) d.open = true;
    });
    await axe(page, `the storefront with disclosures open (${scheme})`);

    const tracker = page.locator('ordertrail-tracker[data-order="awaiting-shipment"]');
    await tracker.getByRole('button', { name: 'Request cancellation' }).click();
    await expect(tracker.getByRole('dialog')).toBeVisible();
    await axe(page, `the request dialog (${scheme})`, 'ordertrail-tracker[data-order="awaiting-shipment"]');
    await shot(tracker.getByRole('dialog'), `a11y-request-dialog-${scheme}`, testInfo);
    await page.keyboard.press('Escape');

    const unpaid = page.locator('ordertrail-tracker[data-order="unpaid"]');
    await unpaid.getByRole('button', { name: 'Cancel order' }).click();
    await expect(unpaid.getByRole('dialog')).toBeVisible();
    await axe(page, `the cancel dialog (${scheme})`, 'ordertrail-tracker[data-order="unpaid"]');
  });

  test(`support console, ${scheme}: no axe violations`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/demo/console.html');
    await page.waitForFunction(() => document.documentElement.dataset.ready);
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
      for (const d of document.querySelector('#tracker').shadowRoot.querySelectorAll('details')) d.open = true;
    });
    await axe(page, `the console (${scheme})`);
  });
}

test('the widgets in Bahasa Indonesia: no axe violations', async ({ page }) => {
  await page.goto('/demo/');
  await page.waitForFunction(() => document.documentElement.dataset.ready);
  await page.getByLabel('Language').selectOption('id');
  await expect(page.locator('ordertrail-tracker[data-order="unpaid"] .headline')).toHaveText('Menunggu pembayaran');
  const tracker = page.locator('ordertrail-tracker[data-order="awaiting-shipment"]');
  await tracker.getByRole('button', { name: 'Ajukan pembatalan' }).click();
  await expect(tracker.getByRole('dialog')).toBeVisible();
  // The page around them stays English; the widgets are what changed.
  await axe(page, 'the checkout and the trackers in Bahasa Indonesia', ['#checkout', 'ordertrail-tracker']);
});

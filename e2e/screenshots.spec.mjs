// Screenshots of every state a buyer can see, one image per state and
// family: desktop (1280 px, light, English), phone (375 px, dark, Bahasa
// Indonesia), and the dialogs open in both. They are kept in
// test-results/screenshots/ with a contact sheet,
// test-results/contact-sheet.html (look at them: they are what a buyer
// sees). Each also checks the state it claims to show.
import { test, expect, shot } from './fixtures.mjs';
import { SAMPLE_ORDERS } from '../web/demo/orders.js';

const STATUS = {
  unpaid: 'UNPAID', 'on-hold': 'ON_HOLD', 'awaiting-shipment': 'AWAITING_SHIPMENT', 'awaiting-collection': 'AWAITING_COLLECTION',
  'request-pending': 'AWAITING_SHIPMENT', 'in-transit': 'IN_TRANSIT', delivered: 'DELIVERED', completed: 'COMPLETED',
  cancelled: 'CANCELLED', 'return-approved': 'DELIVERED', 'id-unpaid': 'UNPAID',
};

const FAMILIES = [
  { name: 'desktop-light-en', scheme: 'light', language: 'en', viewport: { width: 1280, height: 2200 }, screen: { width: 1280, height: 900 }, words: '1280 px, light, English' },
  { name: 'mobile-dark-id', scheme: 'dark', language: 'id', viewport: { width: 375, height: 1400 }, screen: { width: 375, height: 760 }, words: '375 px, dark, Bahasa Indonesia' },
];

// The dialogs: the order, the button's action, what it opens.
const DIALOGS = [
  { order: 'unpaid', action: 'cancel_now', what: 'cancel' },
  { order: 'awaiting-shipment', action: 'request_cancellation', what: 'request cancellation' },
  { order: 'delivered', action: 'return_item', what: 'return' },
];

// `size`: the family's tall viewport (whole trackers), or its screen (a dialog as seen).
async function open(page, family, size = family.viewport) {
  await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme: family.scheme });
  await page.goto('/demo/');
  await page.waitForFunction(() => document.documentElement.dataset.ready);
  if (family.language !== 'en') {
    await page.getByLabel('Language').selectOption(family.language);
    await expect(page.locator('ordertrail-tracker[data-order="unpaid"] .panel')).toHaveAttribute('lang', family.language);
  }
}

for (const family of FAMILIES) {
  test(`every demo order, ${family.words}`, async ({ page }, testInfo) => {
    await open(page, family);
    await shot(page, `${family.name}-page`, testInfo, `the demo page, first screen (${family.words})`);
    for (const sample of SAMPLE_ORDERS) {
      const tracker = page.locator(`ordertrail-tracker[data-order="${sample.key}"]`);
      const headline = tracker.locator('.headline');
      await expect(headline).toHaveAttribute('data-status', STATUS[sample.key]);
      if (family.viewport.width < 480) await expect(tracker.locator('.panel')).toHaveAttribute('data-narrow', '');
      await shot(tracker, `${family.name}-${sample.key}`, testInfo, `${sample.key}: "${await headline.innerText()}" (${family.words})`);
    }
    const why = page.locator('ordertrail-tracker[data-order="request-pending"]');
    await why.locator('details[part="explanation"] summary').click();
    await expect(why.locator('details[part="explanation"] li').first()).toBeVisible();
    await shot(why, `${family.name}-why-open`, testInfo, `request-pending with "Why?" open (${family.words})`);
    await shot(page.locator('#checkout'), `${family.name}-checkout`, testInfo, `the checkout promise (${family.words})`);
  });

  test(`the dialogs open, ${family.words}`, async ({ page }, testInfo) => {
    await open(page, family, family.screen);
    for (const d of DIALOGS) {
      const tracker = page.locator(`ordertrail-tracker[data-order="${d.order}"]`);
      await tracker.locator(`button[data-action="${d.action}"]`).first().click();
      const dialog = tracker.getByRole('dialog');
      await expect(dialog).toBeVisible();
      // The viewport: the dialog over the dimmed page, as the buyer sees it.
      await shot(page, `dialog-${family.name}-${d.action}`, testInfo, `${d.what} dialog on ${d.order} (${family.words})`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
    }
  });
}

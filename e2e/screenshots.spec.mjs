// Screenshots of every state a buyer can see, light and dark, kept in
// test-results/screenshots/ (look at them: they are what a buyer sees). Each
// also checks the state it claims to show.
import { test, expect, shot } from './fixtures.mjs';
import { SAMPLE_ORDERS } from '../web/demo/orders.js';

const STATUS = {
  unpaid: 'UNPAID', 'on-hold': 'ON_HOLD', 'awaiting-shipment': 'AWAITING_SHIPMENT', 'awaiting-collection': 'AWAITING_COLLECTION',
  'request-pending': 'AWAITING_SHIPMENT', 'in-transit': 'IN_TRANSIT', delivered: 'DELIVERED', completed: 'COMPLETED',
  cancelled: 'CANCELLED', 'return-approved': 'DELIVERED', 'id-unpaid': 'UNPAID',
};

test.use({ viewport: { width: 1280, height: 2200 } });

for (const scheme of ['light', 'dark']) {
  test(`every demo order, ${scheme}`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/demo/');
    await page.waitForFunction(() => document.documentElement.dataset.ready);
    for (const sample of SAMPLE_ORDERS) {
      const tracker = page.locator(`ordertrail-tracker[data-order="${sample.key}"]`);
      await expect(tracker.locator('.headline')).toHaveAttribute('data-status', STATUS[sample.key]);
      await shot(tracker, `tracker-${sample.key}-${scheme}`, testInfo);
    }
    const why = page.locator('ordertrail-tracker[data-order="request-pending"]');
    await why.getByText('Why? Details for support').click();
    await expect(why.locator('details[part="explanation"] li').first()).toBeVisible();
    await shot(why, `tracker-why-open-${scheme}`, testInfo);
    await shot(page.locator('#checkout'), `checkout-US-${scheme}`, testInfo);
    await shot(page, `demo-page-${scheme}`, testInfo);
  });
}

// The support console (web/demo/console.html): paste or drop an order, pick an
// instant, read the evaluation, and the raw JSON.
import { test, expect, shot } from './fixtures.mjs';
import { SAMPLE_ORDERS } from '../web/demo/orders.js';

async function openConsole(page) {
  await page.goto('/demo/console.html');
  await page.waitForFunction(() => document.documentElement.dataset.ready);
}

test('a pasted order at a chosen instant: readable summary, buyer view and raw JSON', async ({ page }, testInfo) => {
  await openConsole(page);
  const order = SAMPLE_ORDERS.find((s) => s.key === 'in-transit').order;
  await page.getByLabel('Order JSON').fill(JSON.stringify(order));
  await page.getByLabel('Instant (RFC 3339)').fill('2025-04-01T00:00:00Z');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  const raw = JSON.parse(await page.locator('#raw').textContent());
  expect(raw).toMatchObject({ schema: 'ordertrail.evaluation/2', order_id: 'US-1006', effective_status: 'CANCELLED', now: '2025-04-01T00:00:00Z' });
  await expect(page.locator('#summary')).toContainText('Cancelled at 2025-03-31T07:00:00Z by platform for seller_late_delivery, responsible seller, automatically.');
  await expect(page.locator('#summary table').first()).toContainText('30 calendar days after the original estimated delivery');
  await expect(page.locator('#tracker .headline')).toHaveText('Cancelled on Mon, Mar 31');
  await expect(page.locator('#problem')).toBeHidden();
  await shot(page, 'console-evaluated', testInfo);
});

test('a refused order shows the core error with its JSON pointer', async ({ page }) => {
  await openConsole(page);
  await page.getByLabel('Order JSON').fill('{"order_id": "X", "market": "US"}');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByRole('alert').first()).toContainText(/^missing_field at \/\w+: /);
  expect(JSON.parse(await page.locator('#raw').textContent()).schema).toBe('ordertrail.error/1');
});

test('an order file dropped on the text area is evaluated', async ({ page }) => {
  await openConsole(page);
  const order = SAMPLE_ORDERS.find((s) => s.key === 'delivered').order;
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'order.json', { type: 'application/json' }));
    return dt;
  }, JSON.stringify(order));
  await page.locator('#order').dispatchEvent('drop', { dataTransfer: data });
  await expect(page.locator('#tracker .headline')).toHaveText('Delivered Tue, Feb 25');
  expect(JSON.parse(await page.locator('#raw').textContent()).order_id).toBe('US-1007');
});

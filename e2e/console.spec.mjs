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
  // 2025-03-31T07:00:00Z is midnight in Los Angeles (PDT, -07:00): what happened then is its local time.
  await expect(page.locator('#summary')).toContainText('Cancelled Mon, Mar 31, 12:00 AM PDT by platform, automatically: seller late delivery; responsible: seller.');
  // Codes are words: the delivery obligation is named, its state and clock read as the buyer's dates.
  const delivery = page.locator('#summary table').first().locator('tr', { hasText: 'Delivery' });
  await expect(delivery).toContainText('missed');
  await expect(delivery.locator('[title]').last()).toHaveAttribute('title', /30 calendar days after the original estimated delivery/);
  await expect(page.locator('#summary table').first()).not.toContainText('ship_by');
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

test('at 1280 px the agent tables break no word, and dates read like the CLI', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openConsole(page);
  const order = SAMPLE_ORDERS.find((s) => s.key === 'in-transit').order;
  await page.getByLabel('Order JSON').fill(JSON.stringify(order));
  await page.getByLabel('Instant (RFC 3339)').fill('2025-03-04T12:00:00Z');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  // Every word of every cell is on one line (a word split over two lines has
  // two boxes); a line may end at a space or after a hyphen, as text does.
  const broken = await page.evaluate(() => {
    const out = [];
    for (const td of document.querySelectorAll('#summary td')) {
      const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of n.data.matchAll(/[^\s-]+/g)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          if (r.getClientRects().length > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
  expect(broken).toEqual([]);
  // The ship-by clock ends at a Los Angeles midnight: read as the day that ends, the CLI's "end of ...".
  const shipBy = page.locator('#summary tr', { hasText: 'Ship by (or auto-cancel)' });
  // Placed Thu Feb 20, 10:00 PST: 7 working days are Feb 21, 24, 25, 26, 27, 28 and Mon Mar 3 (CLI: "end of Mon 2025-03-03").
  await expect(shipBy.locator('time').last()).toHaveText('end of Mon, Mar 3, 2025');
});

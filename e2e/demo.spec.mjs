// The demo storefront (web/demo/index.html): its host code applies every
// `ordertrail-action` by appending the event the core allowed, as it is, and
// setting the new order; the simulated seller, carrier and platform go
// through the core's decide too; its time slider sets `now` on every widget.
import { test, expect, shot } from './fixtures.mjs';

const HOURS_PER_DAY = 24;

async function openDemo(page) {
  await page.goto('/demo/');
  await page.waitForFunction(() => document.documentElement.dataset.ready);
}

const card = (page, key) => page.locator(`article.order-card[data-order="${key}"]`);
const trackerOf = (page, key) => page.locator(`ordertrail-tracker[data-order="${key}"]`);
const evaluationOf = (page, key) => trackerOf(page, key).evaluate((el) => el.evaluation);

async function simulate(page, key, label) {
  const details = card(page, key).locator('details.simulate');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await details.getByRole('button', { name: label }).click();
}

async function setClock(page, hours) {
  await page.locator('#clock').fill(String(hours));
}

test('request flow: the reason picker emits the request; after the seller approves, Cancelled (no fault shown to the buyer)', async ({ page }, testInfo) => {
  await openDemo(page);
  const tracker = trackerOf(page, 'awaiting-shipment');
  const emitted = page.evaluate(
    () => new Promise((resolve) => document.addEventListener('ordertrail-action', (e) => resolve(e.detail), { once: true })),
  );
  await tracker.getByRole('button', { name: 'Request cancellation' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Ask the seller to cancel' });
  await expect(dialog).toBeVisible();
  // The catalogue's reasons for the buyer's request in AWAITING_SHIPMENT (TikTok US-like);
  // "not shipped on time" (the seller's fault) only once dispatch_by is missed (RULES "Actions").
  await expect(dialog.getByRole('radio')).toHaveCount(6);
  await expect(dialog.getByLabel('I need to change the delivery address')).toBeVisible();
  await expect(dialog.getByLabel('I forgot to use a coupon')).toBeVisible();
  await expect(dialog.getByLabel('The seller did not ship it on time')).toHaveCount(0);
  await dialog.getByLabel('I found a better price elsewhere').check();
  await shot(page, 'demo-request-dialog', testInfo);
  await dialog.getByRole('button', { name: 'Send request' }).click();
  const detail = await emitted;
  const event = { type: 'cancel_requested', at: '2025-03-04T20:00:00Z', by: 'buyer', reason: 'better_price_elsewhere' };
  expect(detail).toMatchObject({ action: 'request_cancellation', order_id: 'US-1003', reason: 'better_price_elsewhere', event });
  // The host recorded exactly that event.
  await expect.poll(() => trackerOf(page, 'awaiting-shipment').evaluate((el) => el.order.events.at(-1))).toEqual(event);

  // The host appended the event: a pending request, which the buyer may withdraw.
  await expect(tracker.getByRole('button', { name: 'Withdraw request' })).toBeVisible();
  // US policy/2: a request before the dispatch date gets 24 h (asked Tue 4 Mar, 12:00 PM PST).
  await expect(tracker.locator('.why')).toHaveText('You asked the seller to cancel it.');
  await expect(tracker.locator('section.cancellation')).toContainText('If the seller does not answer by Wed, Mar 5, 12:00 PM PST, your request is approved automatically.');
  const pending = await evaluationOf(page, 'awaiting-shipment');
  expect(pending.flags.cancel_request_pending).toBe(true);
  await shot(tracker, 'demo-request-pending', testInfo);

  await simulate(page, 'awaiting-shipment', 'Seller approves the cancellation');
  // The seller's command, decided by the core: its event recorded as the core wrote it.
  expect(await tracker.evaluate((el) => el.order.events.at(-1))).toEqual({ type: 'cancel_request_approved', at: '2025-03-04T20:00:00Z', by: 'seller' });
  await expect(tracker.locator('.headline')).toHaveText('Cancelled on Tue, Mar 4');
  await expect(tracker.locator('.why')).toHaveText('The seller approved your cancellation request.');
  // Fault is for agents: not on the buyer's tracker.
  await expect(tracker.locator('.responsibility')).toHaveCount(0);
  await expect(tracker.locator('section.refund')).toContainText('$49.98 will be refunded automatically');
  const e = await evaluationOf(page, 'awaiting-shipment');
  expect(e.cancelled).toMatchObject({ reason: 'buyer_request_approved', responsibility: 'buyer', by: 'seller', automatic: false });
  await shot(tracker, 'demo-request-approved', testInfo);
});

test('moving the time slider past the ship-by deadline cancels an unshipped order (seller_late_ship, full refund)', async ({ page }, testInfo) => {
  await openDemo(page);
  const tracker = trackerOf(page, 'awaiting-shipment');
  const shipBy = tracker.locator('[data-obligation="ship_by"]');
  await expect(shipBy).toHaveText('Not shipped by Wed, Mar 12: the order is cancelled automatically, with a full refund — 8 days left');
  // Ship-by ends with Wed 12 Mar, Pacific time (2025-03-13T07:00Z).
  await setClock(page, 8 * HOURS_PER_DAY);
  // The dispatch date is past: the why line says the ship-by date now (and the fallbacks no longer).
  await expect(tracker.locator('.why')).toContainText('If it is not shipped by Wed, Mar 12, the order is cancelled automatically with a full refund.');
  await expect(shipBy).toHaveCount(0);
  await setClock(page, 9 * HOURS_PER_DAY);
  await expect(tracker.locator('.headline')).toHaveText('Cancelled on Thu, Mar 13');
  await expect(tracker.locator('.why')).toHaveText('Cancelled automatically: the seller did not ship in time.');
  await expect(tracker.locator('.responsibility')).toHaveCount(0);
  await expect(tracker.locator('section.refund')).toContainText('Automatic refund · $49.98');
  // The headline says it: no "already cancelled" section under it.
  await expect(tracker.locator('section.cancellation')).toHaveCount(0);
  await expect(tracker.getByRole('button', { name: 'Order again' })).toBeVisible();
  const e = await evaluationOf(page, 'awaiting-shipment');
  expect(e.cancelled).toMatchObject({ reason: 'seller_late_ship', responsibility: 'seller', automatic: true, at: '2025-03-13T07:00:00Z' });
  expect(e.refund).toMatchObject({ eligible: true, kind: 'automatic', amount_minor: 4998, currency: 'USD' });
  await expect(tracker.locator('ol.steps [aria-current="step"]')).toContainText('Cancelled');
  await shot(tracker, 'demo-late-ship-cancelled', testInfo);
});

test('moving the time slider past the delivery deadline cancels an undelivered order (seller_late_delivery, full refund)', async ({ page }, testInfo) => {
  await openDemo(page);
  const tracker = trackerOf(page, 'in-transit');
  await setClock(page, 6 * HOURS_PER_DAY);
  // Past the claim date: the buyer may claim a refund.
  await expect(tracker.locator('.why')).toContainText('It is late: you can claim a refund until Sun, Mar 30.');
  await expect(tracker.locator('section.refund')).toContainText('Refund on claim · $79.00');
  await expect(tracker.getByRole('button', { name: 'Claim refund' })).toBeVisible();
  await shot(tracker, 'demo-claim-open', testInfo);
  // The delivery deadline ends with Sun 30 Mar, Pacific time (2025-03-31T07:00Z).
  await setClock(page, 27 * HOURS_PER_DAY);
  await expect(tracker.locator('.headline')).toHaveText('Cancelled on Mon, Mar 31');
  await expect(tracker.locator('.why')).toHaveText('Cancelled automatically: it was not delivered in time.');
  await expect(tracker.locator('.responsibility')).toHaveCount(0);
  await expect(tracker.locator('section.refund')).toContainText('It did not arrive in time: $79.00 will be refunded automatically.');
  const e = await evaluationOf(page, 'in-transit');
  expect(e.cancelled).toMatchObject({ reason: 'seller_late_delivery', responsibility: 'seller', automatic: true, at: '2025-03-31T07:00:00Z' });
  expect(e.refund).toMatchObject({ eligible: true, kind: 'automatic', amount_minor: 7900 });
  await expect(tracker.locator('ol.steps li')).toHaveText([/Placed/, /Paid/, /Shipped/, /Cancelled/]);
  await shot(tracker, 'demo-late-delivery-cancelled', testInfo);
});

test('switching the language to Bahasa Indonesia changes texts and date formats', async ({ page }, testInfo) => {
  await openDemo(page);
  const tracker = trackerOf(page, 'awaiting-shipment');
  const checkout = page.locator('#checkout');
  await expect(checkout.locator('dd[data-term="pay_by"]')).toHaveText('Thu, Mar 6, 12:00 PM PST');
  await page.getByLabel('Language').selectOption('id');
  await expect(tracker.locator('.status')).toHaveText('Menunggu dikirim penjual');
  await expect(tracker.locator('.headline')).toHaveText('Tiba Rab, 12 Mar');
  await expect(tracker.locator('.why')).toHaveText('Penjual harus mengirimnya paling lambat Rab, 5 Mar.');
  await expect(checkout.locator('dt[data-term="pay_by"]')).toHaveText('Bayar paling lambat');
  await expect(checkout.locator('dd[data-term="pay_by"]')).toHaveText('Kam, 6 Mar, 12.00 PST');
  await shot(tracker, 'demo-locale-id-tracker', testInfo);
  await shot(checkout, 'demo-locale-id-checkout', testInfo);
});

test('keyboard only: request a cancellation, pick a reason, send it', async ({ page }, testInfo) => {
  await openDemo(page);
  const tracker = trackerOf(page, 'awaiting-shipment');
  const focusedText = () =>
    page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.textContent?.trim() ?? '';
    });
  const focusedTracker = () => page.evaluate(() => document.activeElement?.closest?.('ordertrail-tracker')?.dataset.order ?? null);

  // Tab from the top of the page to this order's "Request cancellation".
  let reached = false;
  for (let i = 0; i < 120 && !reached; ++i) {
    await page.keyboard.press('Tab');
    reached = (await focusedTracker()) === 'awaiting-shipment' && (await focusedText()) === 'Request cancellation';
  }
  expect(reached, 'Tab reaches "Request cancellation"').toBe(true);
  await page.keyboard.press('Enter');
  const dialog = tracker.getByRole('dialog', { name: 'Ask the seller to cancel' });
  await expect(dialog).toBeVisible();
  // Focus starts on the reasons; arrows choose one.
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByLabel('I chose the wrong item, type or colour')).toBeChecked();
  await expect(dialog.getByLabel('I chose the wrong item, type or colour')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Keep order' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Send request' })).toBeFocused();
  await shot(page, 'demo-keyboard-dialog', testInfo);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  // The host recorded the request; focus stays on the cancellation control.
  await expect(tracker.getByRole('button', { name: 'Withdraw request' })).toBeFocused();
  const e = await evaluationOf(page, 'awaiting-shipment');
  expect(e.flags.cancel_request_pending).toBe(true);
  await expect(page.locator('#log li').first()).toContainText('US-1003: request_cancellation (wrong_item_selected) recorded.');

  // Escape closes the picker without sending anything.
  await page.keyboard.press('Enter');
  await expect(tracker.getByRole('button', { name: 'Withdraw request' })).toHaveCount(0);
  await expect(tracker.getByRole('button', { name: 'Request cancellation' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(tracker.getByRole('button', { name: 'Request cancellation' })).toBeFocused();
  await expect(page.locator('#log li')).toHaveCount(2);
});

test('a new order can be clicked through: pay, request, reject, ship, deliver, return, refund', async ({ page }, testInfo) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  const key = 'US-3011';
  const tracker = trackerOf(page, key);
  const status = tracker.locator('.headline');
  await expect(status).toHaveAttribute('data-status', 'UNPAID');
  // What the checkout promised stays on the tracker: the estimate from the
  // order's facts at once, the dispatch date once the order is paid.
  const checkout = page.locator('#checkout');
  await expect(checkout.locator('dd[data-term="ships_by"]')).toHaveText('Thu, Mar 6');
  await expect(checkout.locator('dd[data-term="delivery"]')).toHaveText('Tue, Mar 11 – Thu, Mar 13');
  await expect(tracker.locator('[data-fact="est_delivery"]')).toHaveText('Estimated delivery Thu, Mar 13');
  await tracker.getByRole('button', { name: 'Pay now' }).click();
  await expect(status).toHaveAttribute('data-status', 'ON_HOLD');
  await expect(tracker.getByRole('button', { name: 'Cancel order' })).toBeVisible();
  await expect(tracker.locator('[data-obligation="dispatch_by"]')).toHaveText('The seller ships by Thu, Mar 6 — 2 days left');
  // Paid: the estimate is the headline, and said only there.
  await expect(tracker.locator('.headline')).toHaveText('Arriving Thu, Mar 13');
  await expect(tracker.locator('[data-fact="est_delivery"]')).toHaveCount(0);

  await setClock(page, 2);
  await expect(status).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
  await tracker.getByRole('button', { name: 'Request cancellation' }).click();
  await tracker.getByLabel('I changed my mind').check();
  await tracker.getByRole('button', { name: 'Send request' }).click();
  await expect(tracker.getByRole('button', { name: 'Withdraw request' })).toBeVisible();
  await simulate(page, key, 'Seller rejects the cancellation');
  await expect(tracker.getByRole('button', { name: 'Request cancellation' })).toBeVisible();

  await setClock(page, 26);
  await simulate(page, key, 'Seller ships it');
  await expect(status).toHaveAttribute('data-status', 'IN_TRANSIT');
  await expect(tracker.locator('section.cancellation')).toContainText('It has shipped');
  await setClock(page, 4 * HOURS_PER_DAY);
  await simulate(page, key, 'Carrier delivers it');
  await expect(status).toHaveAttribute('data-status', 'DELIVERED');
  await expect(tracker.locator('section.refund')).toContainText('Return it for a refund of up to $49.98');

  await tracker.getByRole('button', { name: 'Return item' }).click();
  const returning = tracker.getByRole('dialog', { name: 'Return this order' });
  await returning.getByLabel('I changed my mind').check();
  await returning.getByRole('button', { name: 'Request return' }).click();
  await expect(tracker.locator('.why')).toHaveText('Your return is in progress.');
  await simulate(page, key, 'Seller approves the return');
  await simulate(page, key, 'Seller receives the return');
  await expect(tracker.locator('section.refund')).toContainText('The seller received your return: your refund of $49.98 is due.');
  await simulate(page, key, 'Platform refunds what is due');
  const e = await evaluationOf(page, key);
  expect(e.anomalies).toEqual([]);
  expect(e.flags.case_open).toBe(false);
  await shot(tracker, 'demo-flow-returned', testInfo);
  // Once the return window closes, the order completes.
  await setClock(page, 40 * HOURS_PER_DAY);
  await expect(status).toHaveAttribute('data-status', 'COMPLETED');
});

test('a simulated party\'s command the core refuses records nothing, and the log says why', async ({ page }) => {
  await openDemo(page);
  const tracker = trackerOf(page, 'awaiting-shipment');
  const before = await tracker.evaluate((el) => el.order.events.length);
  await simulate(page, 'awaiting-shipment', 'Carrier delivers it');
  await expect(page.locator('#log li').first()).toContainText('US-1003: carrier delivers it: delivered refused, not_allowed_in_status: carrier may not record delivered while the order is AWAITING_SHIPMENT.');
  expect(await tracker.evaluate((el) => el.order.events.length)).toBe(before);
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
});

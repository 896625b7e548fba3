// The widget and the demo storefront through the real order service
// (`ordertrail-serve`, RULES "The order service"; issue 16): each test starts
// its own service (e2e/service.mjs: fresh database, manual clock at DEMO_NOW,
// the sample orders, tokens made with `token create`) and opens the
// storefront on it with `?session=`. Every test checks what the buyer sees in
// the widget and what the service stored (GET the order: the event is there,
// once).
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect } from '@playwright/test';
import { shot } from './fixtures.mjs';
import { startService } from './service.mjs';

// A 409 or 412 the widget is meant to get, and the connection a test cuts,
// are logged by Chromium as failed resources; nothing else may reach the console.
const EXPECTED_HTTP = /^Failed to load resource: (the server responded with a status of (409|412)\b|net::ERR_CONNECTION_RESET)/;

const test = base.extend({
  service: async ({}, use) => {
    const service = await startService();
    await use(service);
    await service.stop();
  },
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !EXPECTED_HTTP.test(m.text())) problems.push(`console error: ${m.text()}`);
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

const DAY_H = 24;

async function openShop(page, service) {
  await page.goto(`${service.url}/demo/?session=${service.sessionName}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready && document.documentElement.dataset.service);
}

const card = (page, key) => page.locator(`article.order-card[data-order="${key}"]`);
const trackerOf = (page, key) => page.locator(`ordertrail-tracker[data-order="${key}"]`);
const headline = (page, key) => trackerOf(page, key).locator('.headline');

async function simulate(page, key, label) {
  const details = card(page, key).locator('details.simulate');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await details.getByRole('button', { name: label }).click();
}

/** The order as the service stores it (agent token). */
async function stored(service, id) {
  const r = await service.api('GET', `/v1/orders/${id}`);
  expect(r.status).toBe(200);
  return r.doc;
}

/** The stored events of `type` (checks the service stored the event once). */
async function storedOf(service, id, type) {
  return (await stored(service, id)).events.filter((e) => e.type === type);
}

async function loaded(page, key) {
  await expect(headline(page, key)).toBeVisible();
  await expect.poll(() => trackerOf(page, key).evaluate((el) => el.orderVersion)).not.toBeNull();
}

test('buyer cancel: the tracker POSTs the command and shows the order the service stored', async ({ page, service }, testInfo) => {
  await openShop(page, service);
  const key = 'on-hold';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  expect(await tracker.evaluate((el) => el.orderVersion)).toBe('"1"');
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/orders/US-1002/events')) posts.push({ headers: r.headers(), body: r.postDataJSON() });
  });
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();
  await expect(headline(page, key)).toHaveAttribute('data-status', 'CANCELLED');
  // Fault is for agents (view="agent"), not the buyer.
  await expect(tracker.locator('.responsibility')).toHaveCount(0);
  await expect(tracker.locator('[part="notice"]')).toHaveCount(0);
  expect(await tracker.evaluate((el) => el.error)).toBeNull();
  // One POST: the command (not the event), If-Match the version shown, a
  // fresh Idempotency-Key, the buyer's token in the header only.
  expect(posts).toHaveLength(1);
  expect(posts[0].body).toEqual({ type: 'cancelled', by: 'buyer', reason: 'changed_mind' });
  expect(posts[0].headers['if-match']).toBe('"1"');
  expect(posts[0].headers['idempotency-key']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  expect(posts[0].headers.authorization).toBe(`Bearer ${service.session.buyers['US-1002']}`);
  const cancelled = await storedOf(service, 'US-1002', 'cancelled');
  expect(cancelled).toEqual([{ type: 'cancelled', at: '2025-03-04T20:00:00Z', by: 'buyer', reason: 'changed_mind' }]);
  // The tracker shows the stored order, at its new version.
  expect(await tracker.evaluate((el) => el.orderVersion)).toBe('"2"');
  expect(await tracker.evaluate((el) => JSON.parse(el.order).events.length)).toBe(2);
  await expect(page.locator('#log li').first()).toContainText('US-1002: cancel_now: cancelled recorded by the service.');
  await shot(tracker, 'service-buyer-cancelled', testInfo);
});

test('buyer cancel request, then the seller approves it on the service', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'awaiting-shipment';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  await tracker.getByRole('button', { name: 'Request cancellation' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Ask the seller to cancel' });
  await dialog.getByLabel('I found a better price elsewhere').check();
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(tracker.getByRole('button', { name: 'Withdraw request' })).toBeVisible();
  await expect(tracker.locator('.why')).toContainText('You asked the seller to cancel it.');
  expect(await storedOf(service, 'US-1003', 'cancel_requested')).toEqual([{ type: 'cancel_requested', at: '2025-03-04T20:00:00Z', by: 'buyer', reason: 'better_price_elsewhere' }]);

  await simulate(page, key, 'Seller approves the cancellation');
  await expect(headline(page, key)).toHaveAttribute('data-status', 'CANCELLED');
  await expect(tracker.locator('.why')).toHaveText('The seller approved your cancellation request.');
  expect(await storedOf(service, 'US-1003', 'cancel_request_approved')).toEqual([{ type: 'cancel_request_approved', at: '2025-03-04T20:00:00Z', by: 'seller' }]);
  await expect(page.locator('#log li').first()).toContainText('cancel_request_approved recorded by the service');
});

test('seller approves a pending request (seller token): the buyer sees it cancelled', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'request-pending';
  await loaded(page, key);
  await simulate(page, key, 'Seller approves the cancellation');
  await expect(headline(page, key)).toHaveAttribute('data-status', 'CANCELLED');
  await expect(trackerOf(page, key).locator('.responsibility')).toHaveCount(0);
  expect(await storedOf(service, 'US-1005', 'cancel_request_approved')).toHaveLength(1);
});

test('seller ships, carrier delivers: each stored once, the buyer sees each', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'awaiting-shipment';
  await loaded(page, key);
  await simulate(page, key, 'Seller ships it');
  await expect(headline(page, key)).toHaveAttribute('data-status', 'IN_TRANSIT');
  expect(await storedOf(service, 'US-1003', 'shipped')).toEqual([
    { type: 'shipped', at: '2025-03-04T20:00:00Z', by: 'seller', carrier: 'UPS', tracking_number: '1Z999AA10123456784' },
  ]);
  await simulate(page, key, 'Carrier delivers it');
  await expect(headline(page, key)).toHaveAttribute('data-status', 'DELIVERED');
  const delivered = await storedOf(service, 'US-1003', 'delivered');
  expect(delivered).toHaveLength(1);
  expect(delivered[0]).toMatchObject({ by: 'carrier', at: '2025-03-04T20:00:00Z' });
});

test('carrier delivers the order in transit (agent token)', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'in-transit';
  await loaded(page, key);
  await simulate(page, key, 'Carrier delivers it');
  await expect(headline(page, key)).toHaveAttribute('data-status', 'DELIVERED');
  await expect(trackerOf(page, key).getByRole('button', { name: 'Return item' })).toBeVisible();
  // The core's normalised event: the order's one package named.
  expect(await storedOf(service, 'US-1006', 'delivered')).toEqual([{ type: 'delivered', at: '2025-03-04T20:00:00Z', by: 'carrier', package_id: '1' }]);
});

test('the return flow: buyer requests, seller approves, buyer sends it back, seller receives, platform refunds', async ({ page, service }, testInfo) => {
  await openShop(page, service);
  const key = 'delivered';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  await tracker.getByRole('button', { name: 'Return item' }).click();
  const returning = tracker.getByRole('dialog', { name: 'Return this order' });
  await returning.getByLabel('I changed my mind').check();
  await returning.getByRole('button', { name: 'Request return' }).click();
  await expect(tracker.locator('.why')).toHaveText('Your return is in progress.');
  const requested = await storedOf(service, 'US-1007', 'return_requested');
  expect(requested).toHaveLength(1);
  expect(requested[0]).toMatchObject({ by: 'buyer', reason: 'changed_mind', at: '2025-03-04T20:00:00Z' });

  await simulate(page, key, 'Seller approves the return');
  await expect(tracker.locator('li.case')).toHaveAttribute('data-status', 'awaiting_return');
  expect(await storedOf(service, 'US-1007', 'return_approved')).toHaveLength(1);

  await tracker.getByRole('button', { name: 'Send the return' }).click();
  await expect(tracker.getByRole('button', { name: 'Send the return' })).toHaveCount(0);
  expect(await storedOf(service, 'US-1007', 'return_shipped')).toHaveLength(1);

  await simulate(page, key, 'Seller receives the return');
  await expect(tracker.locator('section.refund')).toContainText('The seller received your return');
  expect(await storedOf(service, 'US-1007', 'return_received')).toHaveLength(1);

  await simulate(page, key, 'Platform refunds what is due');
  await expect(tracker.locator('li.case')).toHaveAttribute('data-status', 'refunded');
  const refunded = await storedOf(service, 'US-1007', 'refunded');
  expect(refunded).toHaveLength(1);
  expect(refunded[0]).toMatchObject({ by: 'platform', amount_minor: 3900 });
  const e = await tracker.evaluate((el) => el.evaluation);
  expect(e.anomalies).toEqual([]);
  expect(e.flags.case_open).toBe(false);
  // Every event of the order once: the stored ids are unique.
  const events = (await stored(service, 'US-1007')).events;
  expect(events.map((x) => x.type)).toEqual(['payment_succeeded', 'shipped', 'delivered', 'return_requested', 'return_approved', 'return_shipped', 'return_received', 'refunded']);
  await shot(tracker, 'service-return-refunded', testInfo);
});

test('the scheduler cancels an order not shipped in time once the slider moves the service clock (PUT /v1/clock, POST /v1/sweep)', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'awaiting-shipment';
  await loaded(page, key);
  const clockCalls = [];
  page.on('request', (r) => {
    if (/\/v1\/(clock|sweep)$/.test(r.url()) && r.method() !== 'GET') clockCalls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  // Ship-by ends with Wed 12 Mar, Pacific time (2025-03-13T07:00Z): 9 days on is past it.
  await page.locator('#clock').fill(String(9 * DAY_H));
  await page.locator('#clock').dispatchEvent('change');
  await expect(headline(page, key)).toHaveAttribute('data-status', 'CANCELLED');
  await expect(trackerOf(page, key).locator('.responsibility')).toHaveCount(0);
  expect(clockCalls).toEqual(['PUT /v1/clock', 'POST /v1/sweep']);
  const clock = await service.api('GET', '/v1/clock');
  expect(clock.doc).toEqual({ now: '2025-03-13T20:00:00Z', manual: true });
  // The automatic cancellation, appended by the scheduler, once (a second sweep adds nothing to it).
  await service.api('POST', '/v1/sweep');
  const cancelled = await storedOf(service, 'US-1003', 'cancelled');
  expect(cancelled).toHaveLength(1);
  expect(cancelled[0]).toMatchObject({ by: 'platform', reason: 'seller_late_ship' });
  // The slider goes forward only.
  expect(await page.locator('#clock').getAttribute('min')).toBe(String(9 * DAY_H));
  await expect(page.locator('#log li').first()).toContainText('the scheduler appended');
});

test('a refusal by the service (409) is shown, and nothing is stored', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'on-hold';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  // The free-cancellation hour ended on the service (paid 19:40), while the
  // page still shows 20:00, when the core lets the buyer cancel at once.
  expect((await service.api('PUT', '/v1/clock', { body: { now: '2025-03-04T21:00:00Z' } })).status).toBe(200);
  const answer = page.waitForResponse((r) => r.url().endsWith('/v1/orders/US-1002/events'));
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();
  const response = await answer;
  expect(response.status()).toBe(409);
  const decision = await response.json();
  expect(decision).toMatchObject({ schema: 'ordertrail.decision/1', allowed: false });
  const refusal = tracker.locator('[part="refusal"]');
  await expect(refusal).toBeVisible();
  await expect(refusal).toHaveAttribute('data-code', decision.refusal.code);
  await expect(headline(page, key)).toHaveAttribute('data-status', 'ON_HOLD');
  expect(await storedOf(service, 'US-1002', 'cancelled')).toEqual([]);
  await expect(page.locator('#log li').first()).toContainText(`cancel_now refused by the service, ${decision.refusal.code}`);
});

test('a stale tracker gets 412 after the seller changed the order: it reloads and says so; nothing of the buyer is stored', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'awaiting-shipment';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  // The seller ships it elsewhere (another client): the tracker still shows version 1.
  const shipped = await service.api('POST', '/v1/orders/US-1003/events', {
    token: service.session.sellers['S-1001'],
    body: { type: 'shipped', by: 'seller', carrier: 'UPS', tracking_number: '1Z999AA10123456784' },
    headers: { 'idempotency-key': 'e2e-ship-1' },
  });
  expect(shipped.status).toBe(201);
  expect(await tracker.evaluate((el) => el.orderVersion)).toBe('"1"');
  const answer = page.waitForResponse((r) => r.url().endsWith('/v1/orders/US-1003/events'));
  await tracker.getByRole('button', { name: 'Request cancellation' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Ask the seller to cancel' });
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Send request' }).click();
  expect((await answer).status()).toBe(412);
  await expect(headline(page, key)).toHaveAttribute('data-status', 'IN_TRANSIT');
  const notice = tracker.locator('[part="notice"]');
  await expect(notice).toHaveAttribute('data-code', 'version_mismatch');
  await expect(notice).toHaveText('The order changed while you were looking at it: this is how it stands now. Please check it and try again.');
  expect(await tracker.evaluate((el) => el.orderVersion)).toBe('"2"');
  expect(await storedOf(service, 'US-1003', 'cancel_requested')).toEqual([]);
  expect(await storedOf(service, 'US-1003', 'shipped')).toHaveLength(1);
});

test("a service decision that differs from the widget's own decide is shown as an error, never silently", async ({ page, service }) => {
  await openShop(page, service);
  const key = 'on-hold';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  // The answer altered on its way: the service recorded the cancellation, but
  // the decision the widget gets says another refund.
  await page.route('**/v1/orders/US-1002/events', async (route) => {
    const response = await route.fetch();
    const decision = await response.json();
    decision.evaluation.refund.amount_minor += 1;
    await route.fulfill({ response, body: JSON.stringify(decision) });
  });
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();
  const notice = tracker.locator('[part="notice"]');
  await expect(notice).toHaveAttribute('data-code', 'decision_mismatch');
  await expect(notice).toContainText('Your request was recorded, but this page could not confirm the result.');
  const error = await tracker.evaluate((el) => el.error);
  expect(error).toMatchObject({ schema: 'ordertrail.error/1', code: 'decision_mismatch' });
  expect(error.message).toContain("the service's decision differs");
  // What the service stored is shown (the cancellation), and stored once.
  await expect(headline(page, key)).toHaveAttribute('data-status', 'CANCELLED');
  expect(await storedOf(service, 'US-1002', 'cancelled')).toHaveLength(1);
  await expect(page.locator('#log li').first()).toContainText('decision_mismatch');
});

test('a command retried after a network failure carries the same Idempotency-Key and is stored once', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'awaiting-shipment';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  const keys = [];
  let failed = false;
  await page.route('**/v1/orders/US-1003/events', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    // The first attempt reaches the service, but its answer is lost.
    if (!failed) {
      failed = true;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await tracker.getByRole('button', { name: 'Request cancellation' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Ask the seller to cancel' });
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(tracker.getByRole('button', { name: 'Withdraw request' })).toBeVisible();
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect(await storedOf(service, 'US-1003', 'cancel_requested')).toHaveLength(1);
  await expect(tracker.locator('[part="notice"]')).toHaveCount(0);
});

test('while a command is in flight every button of the tracker is disabled', async ({ page, service }) => {
  await openShop(page, service);
  const key = 'on-hold';
  await loaded(page, key);
  const tracker = trackerOf(page, key);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let posts = 0;
  await page.route('**/v1/orders/US-1002/events', async (route) => {
    ++posts;
    await held;
    await route.continue();
  });
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();
  await expect(tracker.getByRole('button', { name: 'Cancel order' })).toBeDisabled();
  expect(await tracker.evaluate((el) => el.recording)).toBe(true);
  await tracker.getByRole('button', { name: 'Cancel order' }).click({ force: true });
  release();
  await expect(headline(page, key)).toHaveAttribute('data-status', 'CANCELLED');
  expect(posts).toBe(1);
  expect(await storedOf(service, 'US-1002', 'cancelled')).toHaveLength(1);
});

test('the support console reads a stored order with the agent token and sends a seller command', async ({ page, service }) => {
  await page.goto(`${service.url}/demo/console.html?session=${service.sessionName}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready);
  await page.getByLabel('Stored order').selectOption('US-1004');
  await page.getByRole('button', { name: 'Load from the service' }).click();
  await expect(page.locator('#tracker .headline')).toHaveAttribute('data-status', 'AWAITING_COLLECTION');
  await page.getByRole('button', { name: 'Send to the service' }).click();
  await expect(page.locator('#service-status')).toHaveText('POST /v1/orders/US-1004/events: 201 shipped recorded');
  await expect(page.locator('#tracker .headline')).toHaveAttribute('data-status', 'IN_TRANSIT');
  expect(await storedOf(service, 'US-1004', 'shipped')).toHaveLength(1);
});

test('on the service, both pages and the notice of a changed order have no axe violations', async ({ page, service }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 6000 });
  await openShop(page, service);
  await loaded(page, 'awaiting-shipment');
  const axe = async (what) => {
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`), `axe on ${what}`).toEqual([]);
  };
  // A 412 notice on one tracker, the disclosures open.
  await service.api('POST', '/v1/orders/US-1003/events', { token: service.session.sellers['S-1001'], body: { type: 'ready_to_ship', by: 'seller' }, headers: { 'idempotency-key': 'e2e-pack' } });
  const tracker = trackerOf(page, 'awaiting-shipment');
  await tracker.getByRole('button', { name: 'Request cancellation' }).click();
  await tracker.getByLabel('I changed my mind').check();
  await tracker.getByRole('button', { name: 'Send request' }).click();
  await expect(tracker.locator('[part="notice"]')).toHaveAttribute('data-code', 'version_mismatch');
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  await axe('the storefront on the service');
  await page.goto(`${service.url}/demo/console.html?session=${service.sessionName}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready);
  await page.getByRole('button', { name: 'Load from the service' }).click();
  await expect(page.locator('#tracker .headline')).toBeVisible();
  await axe('the console on the service');
});

// <ordertrail-tracker> on the one-tag embedding page: the control for each
// buyer cancellation mode, the reason picker, untrusted text, languages, the
// live clock, and errors.
import fs from 'node:fs';
import { test, expect, shot, openEmbed, showOrder, showLive, recordActions } from './fixtures.mjs';
import { DEMO_NOW, SAMPLE_ORDERS } from '../web/demo/orders.js';

const sample = (key) => structuredClone(SAMPLE_ORDERS.find((s) => s.key === key).order);
const usPolicy = () => JSON.parse(fs.readFileSync(new URL('../policies/US.json', import.meta.url), 'utf8'));

test.beforeEach(async ({ page }) => {
  await openEmbed(page);
});

const MODES = [
  // Unpaid, the free cancellation ends with the payment deadline, which the why line dates.
  { key: 'unpaid', mode: 'instant', button: 'Cancel order', text: /You can cancel it before you pay\./ },
  { key: 'on-hold', mode: 'instant', button: 'Cancel order', text: /Free cancellation until Tue, Mar 4, 12:40 PM PST\./ },
  // US policy/2: a buyer may ask until the order is packed (AWAITING_SHIPMENT only), and a
  // request before dispatch_by gets 24 h: asked Tue 4 Mar 7:00 AM PST, answer by Wed 7:00 AM.
  { key: 'awaiting-shipment', mode: 'request', button: 'Request cancellation', text: /ask the seller to cancel it until the order is packed\./ },
  // The request's answer is due in 24 h; unanswered, US policy/2 approves it (on_miss auto_approve).
  { key: 'request-pending', mode: 'request', button: 'Withdraw request', text: /If the seller does not answer by Wed, Mar 5, 7:00 AM PST, your request is approved automatically\./ },
  { key: 'awaiting-shipment', contactSeller: true, mode: 'contact_seller', button: 'Contact seller', text: /Only the seller can cancel this order/ },
  { key: 'in-transit', mode: 'not_allowed', text: /Refuse the delivery, or return it after it arrives/ },
  // The headline says it ("Delivered ...", "Cancelled on ..."): no cancellation section.
  { key: 'delivered', mode: 'not_allowed', hidden: true },
  { key: 'completed', mode: 'not_allowed', hidden: true },
  { key: 'cancelled', mode: 'not_allowed', hidden: true },
];

test('every buyer cancellation mode shows the right control', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  const section = tracker.locator('section.cancellation');
  for (const c of MODES) {
    const policy = c.contactSeller ? { ...usPolicy(), buyer_can_request_cancel: false } : null;
    const { evaluation } = await showOrder(page, { order: sample(c.key), now: DEMO_NOW, policy });
    expect(evaluation.cancellation.buyer.mode, c.key).toBe(c.mode);
    if (c.hidden) {
      await expect(tracker.locator('.headline')).toHaveAttribute('data-status', evaluation.effective_status);
      await expect(section, c.key).toHaveCount(0);
      continue;
    }
    await expect(section).toHaveAttribute('data-mode', c.mode);
    await expect(section).toContainText(c.text);
    if (c.button) {
      await expect(section.getByRole('button')).toHaveCount(1);
      await expect(section.getByRole('button')).toHaveText(c.button);
    } else {
      await expect(section.getByRole('button')).toHaveCount(0);
    }
    await shot(section, `cancel-mode-${c.mode}-${c.key}`, testInfo);
  }
});

test('Cancel order asks for one of the reasons the core allows and emits cancel_now with its event; Keep order emits nothing', async ({ page }, testInfo) => {
  const actions = await recordActions(page);
  const { evaluation } = await showOrder(page, { order: sample('on-hold'), now: DEMO_NOW });
  const tracker = page.locator('#tracker');
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await expect(dialog).toBeVisible();
  // Exactly the reasons of the buyer's `cancelled` entry, in its order.
  const allowed = evaluation.actions.find((a) => a.type === 'cancelled' && a.by === 'buyer').reasons;
  // (not_shipped_on_time only once dispatch_by is missed: RULES "Actions".)
  expect(allowed).toEqual(['changed_mind', 'wrong_item_selected', 'duplicate_order', 'better_price_elsewhere', 'need_to_change_address', 'forgot_coupon']);
  expect(await dialog.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.value))).toEqual(allowed);
  await expect(dialog.getByLabel('I need to change the delivery address')).toBeVisible();
  await shot(page, 'dialog-cancel-open', testInfo);
  await dialog.getByRole('button', { name: 'Keep order' }).click();
  await expect(dialog).toBeHidden();
  // The dialog decides in its `close` event, a task queued after it hides:
  // let that task run before checking that nothing was emitted.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  expect(await actions()).toEqual([]);

  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();
  await expect(dialog, 'a reason is required').toBeVisible();
  await dialog.getByLabel('I ordered it twice').check();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();
  await expect(dialog).toBeHidden();
  // The dialog emits from its `close` event, a task queued after it hides: wait for it.
  await expect.poll(async () => (await actions()).length).toBe(1);
  const [detail] = await actions();
  const event = { type: 'cancelled', at: DEMO_NOW, by: 'buyer', reason: 'duplicate_order' };
  expect(detail).toMatchObject({ action: 'cancel_now', order_id: 'US-1002', reason: 'duplicate_order', event });
  expect(Object.keys(detail)).toEqual(['action', 'order_id', 'reason', 'event', 'decision']);
  expect(detail.decision).toMatchObject({ schema: 'ordertrail.decision/1', allowed: true, already_recorded: false, event, refusal: null });
  expect(detail.decision.evaluation.effective_status).toBe('CANCELLED');
});

test('withdraw, return and claim emit their event; contact seller and the other next steps emit no event', async ({ page }) => {
  const actions = await recordActions(page);
  const tracker = page.locator('#tracker');
  const emitted = async (n) => {
    await expect.poll(async () => (await actions()).length).toBe(n);
  };
  await showOrder(page, { order: sample('request-pending'), now: DEMO_NOW });
  await tracker.getByRole('button', { name: 'Withdraw request' }).click();
  await emitted(1);
  await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW, policy: { ...usPolicy(), buyer_can_request_cancel: false } });
  await tracker.getByRole('button', { name: 'Contact seller' }).click();
  await showOrder(page, { order: sample('id-unpaid'), now: DEMO_NOW });
  await tracker.getByRole('button', { name: 'Review payment method' }).click();
  await tracker.getByRole('button', { name: 'Pay now' }).click();
  await showOrder(page, { order: sample('delivered'), now: DEMO_NOW });
  await tracker.getByRole('button', { name: 'Return item' }).click();
  const returning = tracker.getByRole('dialog', { name: 'Return this order' });
  await returning.getByLabel('It is faulty or does not work').check();
  await returning.getByRole('button', { name: 'Request return' }).click();
  await emitted(5);
  await showOrder(page, { order: sample('in-transit'), now: '2025-03-10T20:00:00Z' });
  await tracker.getByRole('button', { name: 'Claim refund' }).click();
  const claim = tracker.getByRole('dialog', { name: 'Claim a refund' });
  await expect(claim.getByRole('radio')).toHaveCount(1);
  await claim.getByLabel('It has not arrived').check();
  await claim.getByRole('button', { name: 'Send claim' }).click();
  await emitted(6);
  const seen = (await actions()).map(({ decision, ...d }) => ({ ...d, allowed: decision?.allowed ?? null }));
  expect(seen).toEqual([
    { action: 'withdraw_cancellation_request', order_id: 'US-1005', event: { type: 'cancel_request_withdrawn', at: DEMO_NOW, by: 'buyer' }, allowed: true },
    { action: 'contact_seller', order_id: 'US-1003', event: null, allowed: null },
    { action: 'review_payment_method', order_id: 'ID-2001', event: null, allowed: null },
    { action: 'pay_now', order_id: 'ID-2001', event: null, allowed: null },
    {
      action: 'return_item', order_id: 'US-1007', reason: 'defective', allowed: true,
      event: { type: 'return_requested', at: DEMO_NOW, by: 'buyer', reason: 'defective', case_id: 'R1', case_type: 'return_and_refund' },
    },
    {
      action: 'claim_refund_not_received', order_id: 'US-1006', reason: 'not_received', allowed: true,
      event: { type: 'return_requested', at: '2025-03-10T20:00:00Z', by: 'buyer', reason: 'not_received', case_id: 'R1', case_type: 'refund_only' },
    },
  ]);
});

test('an item named <img src=x onerror=alert(1)> renders as text and runs nothing', async ({ page }, testInfo) => {
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const order = sample('delivered');
  const evil = '<img src=x onerror=alert(1)>';
  order.items[0].name = evil;
  order.items[1].name = '<script>alert(2)</script><b>bold</b>';
  order.order_id = '<i>US-7</i>';
  await showOrder(page, { order, now: DEMO_NOW });
  const tracker = page.locator('#tracker');
  await expect(tracker.locator('.items')).toContainText(evil);
  await expect(tracker.locator('.items')).toContainText('<script>alert(2)</script><b>bold</b>');
  await expect(tracker.locator('.meta')).toContainText('Order <i>US-7</i>');
  const injected = await tracker.evaluate((el) => el.shadowRoot.querySelectorAll('img, script, b, i').length);
  expect(injected).toBe(0);
  await page.waitForTimeout(200);
  expect(requested.filter((u) => /\/x$/.test(u))).toEqual([]);
  await shot(tracker.locator('.items'), 'untrusted-item-names', testInfo);
});

test('locale id: texts, dates and money in Bahasa Indonesia; <html lang> is the fallback', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW });
  await expect(tracker.locator('.status')).toHaveText('Waiting for the seller to ship');
  await expect(tracker.locator('.headline')).toHaveText('Arriving Wed, Mar 12');
  await expect(tracker.locator('.why')).toHaveText('The seller must ship it by Wed, Mar 5.');

  await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW, locale: 'id-ID' });
  await expect(tracker.locator('.status')).toHaveText('Menunggu dikirim penjual');
  await expect(tracker.locator('.headline')).toHaveText('Tiba Rab, 12 Mar');
  await expect(tracker.locator('.why')).toHaveText('Penjual harus mengirimnya paling lambat Rab, 5 Mar.');
  await expect(tracker.locator('[data-obligation="ship_by"]')).toHaveText('Jika belum dikirim paling lambat Rab, 12 Mar: pesanan dibatalkan otomatis, dengan pengembalian dana penuh — sisa 8 hari');
  await expect(tracker.locator('section.cancellation')).toContainText('Anda bisa meminta penjual membatalkannya sampai pesanan dikemas.');
  await expect(tracker.getByRole('button', { name: 'Ajukan pembatalan' })).toBeVisible();
  await expect(tracker.locator('.meta')).toContainText('US$49,98');
  await shot(tracker, 'tracker-locale-id', testInfo);

  // No locale attribute: the page's language decides, and a change re-renders.
  await showOrder(page, { order: sample('id-unpaid'), now: DEMO_NOW });
  await expect(tracker.locator('.headline')).toHaveText('Waiting for payment');
  await page.evaluate(() => (document.documentElement.lang = 'id'));
  await expect(tracker.locator('.headline')).toHaveText('Menunggu pembayaran');
  await expect(tracker.locator('.meta')).toContainText('Rp 150.000');
  await expect(tracker.locator('.why')).toContainText('Kam, 6 Mar');
});

// The dates a buyer reads come from the evaluation's obligations (what must
// happen by then) and windows (what the buyer may do between two instants).
const dateTexts = (tracker) => tracker.locator('section.dates li').allInnerTexts();

test('one hour after payment: the free cancellation has closed, said neutrally, and nothing says "missed"', async ({ page }, testInfo) => {
  // Paid Tue 4 Mar 11:40 AM PST; US free cancellation is 1 h: closed at 12:40 PM, not used.
  const tracker = page.locator('#tracker');
  const { evaluation } = await showOrder(page, { order: sample('on-hold'), now: '2025-03-04T20:40:00Z' });
  expect(evaluation.windows.find((w) => w.id === 'free_cancellation')).toMatchObject({ state: 'closed', closes_at: '2025-03-04T20:40:00Z', used_at: null });
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
  const closed = tracker.locator('[data-window="free_cancellation"]');
  await expect(closed).toHaveAttribute('data-state', 'closed');
  await expect(closed).toHaveText('Free cancellation ended on Tue, Mar 4, 12:40 PM PST');
  // What the buyer can do instead: ask the seller, until the order is packed (said
  // by the cancellation, not again in the dates).
  await expect(tracker.locator('[data-window="cancel_request"]')).toHaveCount(0);
  await expect(tracker.locator('section.cancellation')).toContainText('You can ask the seller to cancel it until the order is packed.');
  // The closed window comes after what is still ahead.
  expect((await dateTexts(tracker)).at(-1)).toBe('Free cancellation ended on Tue, Mar 4, 12:40 PM PST');
  // Nowhere on the panel, support details included, in either language.
  for (const locale of ['en', 'id']) {
    await showOrder(page, { order: sample('on-hold'), now: '2025-03-04T20:40:00Z', locale });
    await tracker.locator('details summary').click();
    // (Only "If the seller is late", the seller's fallbacks, may say late.)
    const text = await tracker.evaluate((el) => [...el.shadowRoot.querySelector('article').children].filter((n) => !n.matches('section.fallbacks')).map((n) => n.textContent).join(' '));
    expect(text, locale).not.toMatch(/\bmiss(ed)?\b|\blate\b|terlewat|terlambat/i);
  }
  await expect(tracker.locator('[data-window="free_cancellation"]')).toHaveText('Pembatalan gratis berakhir pada Sel, 4 Mar, 12.40 PST');
  await shot(tracker, 'tracker-free-cancellation-closed', testInfo);
});

test('in transit: "claim from <date>" while the claim window is upcoming, "until <date>" once it is open', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  const claim = tracker.locator('[data-window="not_received_claim"]');
  // Estimated Fri 28 Feb + 7 days: the claim opens as Sat 8 Mar starts (PST).
  const { evaluation } = await showOrder(page, { order: sample('in-transit'), now: DEMO_NOW });
  expect(evaluation.windows.find((w) => w.id === 'not_received_claim')).toMatchObject({ state: 'upcoming', opens_at: '2025-03-08T08:00:00Z' });
  // Said once, by the why line (not again under "If the seller is late").
  await expect(tracker.locator('.why')).toHaveText('The carrier has your parcel. If it has not arrived, you can claim a refund from Sat, Mar 8.');
  await expect(claim).toHaveCount(0);
  await expect(tracker.getByRole('button', { name: 'Claim refund' })).toHaveCount(0);
  await shot(tracker, 'tracker-claim-upcoming', testInfo);

  await showOrder(page, { order: sample('in-transit'), now: DEMO_NOW, locale: 'id' });
  await expect(tracker.locator('.why')).toContainText('mulai Sab, 8 Mar');

  // Open until the delivery auto-cancel: estimated + 30 days, the end of Sun 30 Mar.
  await showOrder(page, { order: sample('in-transit'), now: '2025-03-10T20:00:00Z' });
  await expect(tracker.locator('.why')).toHaveText('It is late: you can claim a refund until Sun, Mar 30.');
  await expect(claim).toHaveCount(0);
  await expect(tracker.getByRole('button', { name: 'Claim refund' })).toBeVisible();
});

test('awaiting shipment: the seller\'s dispatch date and the estimated delivery stay on the tracker; late is said once it is', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  // Placed Mon 3 Mar 10:00 AM PST. US policy/2: dispatch 2 working days (ends with Wed 5 Mar),
  // auto-cancel unless packed 7 working days after (ends with Wed 12 Mar); promised Wed 12 Mar.
  await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW });
  // Each date once: the promise in the why line, the estimate in the headline, the
  // fallback clocks under "If the seller is late", soonest first.
  await expect(tracker.locator('.why')).toHaveText('The seller must ship it by Wed, Mar 5.');
  await expect(tracker.locator('.headline')).toHaveText('Arriving Wed, Mar 12');
  await expect(tracker.locator('[data-obligation="dispatch_by"]')).toHaveCount(0);
  await expect(tracker.locator('[data-fact="est_delivery"]')).toHaveCount(0);
  const late = tracker.locator('section.fallbacks');
  await expect(late.locator('h3')).toHaveText('If the seller is late');
  await expect(late.locator('[data-obligation="ship_by"]')).toHaveText('Not shipped by Wed, Mar 12: the order is cancelled automatically, with a full refund — 8 days left');
  await expect(late.locator('[data-obligation="delivery"]')).toContainText('Not delivered by Fri, Apr 11');
  expect(await late.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.obligation ?? li.dataset.window))).toEqual(['ship_by', 'not_received_claim', 'delivery']);
  expect(await tracker.locator('section.dates li').evaluateAll((lis) => lis.map((li) => li.dataset.obligation ?? li.dataset.window ?? li.dataset.fact))).toEqual(['free_cancellation']);
  // Only the buyer's next steps: the seller's ship_order is not a button here.
  await expect(tracker.locator('[data-action="ship_order"]')).toHaveCount(0);
  await shot(tracker, 'tracker-awaiting-shipment-dates', testInfo);

  // Thu 6 Mar: the dispatch date has passed unshipped.
  await showOrder(page, { order: sample('awaiting-shipment'), now: '2025-03-06T20:00:00Z' });
  await expect(tracker.locator('.why')).toHaveText(
    'The seller is late: it was due to ship by Wed, Mar 5. If it is not shipped by Wed, Mar 12, the order is cancelled automatically with a full refund.',
  );
  await expect(tracker.locator('[data-obligation="dispatch_by"]')).toHaveCount(0);
  await expect(tracker.locator('.headline')).toHaveText('Arriving Wed, Mar 12');

  // A policy that lets the buyer ask until shipment (AWAITING_COLLECTION too): the window ends with `shipped`.
  const policy = usPolicy();
  policy.cancellation.buyer_request_statuses = ['AWAITING_SHIPMENT', 'AWAITING_COLLECTION'];
  await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW, policy });
  await expect(tracker.locator('section.cancellation')).toContainText('You can ask the seller to cancel it until the order ships.');
});

test('returns: "Return until <day>" while the window is open, "Return window closed on <day>" after, never missed', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const ret = tracker.locator('[data-window="return"]');
  // Delivered Tue 25 Feb (PST) + 30 days: returns until the end of Thu 27 Mar.
  await showOrder(page, { order: sample('delivered'), now: DEMO_NOW });
  await expect(tracker.locator('.why')).toHaveText('You can return it for a refund until Thu, Mar 27.');
  await expect(ret, 'said by the why line').toHaveCount(0);
  // A return requested: the why line says the return, the dates the window.
  await showOrder(page, { order: sample('return-approved'), now: DEMO_NOW });
  await expect(ret).toHaveText('Return until Thu, Mar 27 — 23 days left');
  await showOrder(page, { order: sample('delivered'), now: '2025-03-29T20:00:00Z' });
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'COMPLETED');
  await expect(ret).toHaveAttribute('data-state', 'closed');
  // Closed at the start of Fri 28 Mar: named by its last day, Thu 27 Mar, as
  // the CLI's "closed end of Thu 2025-03-27" (RULES "Which day an instant is").
  await expect(ret).toHaveText('Return window closed on Thu, Mar 27');
  expect(await tracker.evaluate((el) => el.shadowRoot.querySelector('section.dates').textContent)).not.toMatch(/miss/i);
});

test('the buyer\'s payment is an obligation: "Pay by"', async ({ page }) => {
  const tracker = page.locator('#tracker');
  await showOrder(page, { order: sample('unpaid'), now: DEMO_NOW });
  // Said once, in the why line; the free cancellation ends with it.
  await expect(tracker.locator('.why')).toHaveText('Pay by Thu, Mar 6, 11:00 AM PST, or the order is cancelled automatically.');
  await expect(tracker.locator('[data-obligation="payment"]')).toHaveCount(0);
  await expect(tracker.locator('[data-window="free_cancellation"]')).toHaveCount(0);
  await expect(tracker.locator('section.cancellation')).toContainText('You can cancel it before you pay.');
});

test('without `now` the tracker follows the clock, re-evaluating every minute', async ({ page }) => {
  await showLive(page, sample('on-hold'), { start: '2025-03-04T19:49:00Z', pause: '2025-03-04T19:50:00Z' });
  const tracker = page.locator('#tracker');
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'ON_HOLD');
  expect(await tracker.evaluate((el) => el.evaluation.now)).toBe('2025-03-04T19:50:00Z');
  // The free-cancellation hour ends at 20:40Z.
  await page.clock.runFor('01:00:00');
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
  expect(await tracker.evaluate((el) => el.evaluation.now)).toBe('2025-03-04T20:50:00Z');
});

test('an order the core refuses shows its error, and `evaluation` is null', async ({ page }) => {
  const order = sample('unpaid');
  delete order.order_id;
  const detail = await showOrder(page, { order, now: DEMO_NOW });
  expect(detail.evaluation).toBeNull();
  expect(detail.error).toMatchObject({ schema: 'ordertrail.error/1', code: 'missing_field', path: '/order_id' });
  const tracker = page.locator('#tracker');
  await expect(tracker.getByRole('alert')).toContainText('This order cannot be shown');
  // For buyers: what to do, never the engine's text (that is in .error and the event).
  await expect(tracker.getByRole('alert')).toContainText('The details of this order could not be read.');
  await expect(tracker.getByRole('alert')).not.toContainText('missing_field');
  await expect(tracker.getByRole('alert')).not.toContainText('order_id');
  expect(await tracker.evaluate((el) => [el.evaluation, el.error?.code])).toEqual([null, 'missing_field']);
});

test('order-src: the tracker fetches its order; a page themes it with --ot-* and ::part', async ({ page }) => {
  const tracker = page.locator('#tracker');
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
  expect(await tracker.evaluate((el) => el.evaluation.order_id)).toBe('US-1003');

  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('ordertrail-tracker { --ot-accent: rgb(254, 44, 85); } ordertrail-tracker::part(headline) { letter-spacing: 3px; }');
    document.adoptedStyleSheets = [sheet];
  });
  const button = tracker.getByRole('button', { name: 'Request cancellation' });
  // The accent as set for the border; as text it is darkened to read on
  // white (rgb(254, 44, 85) is 3.7:1 on it): OKLCH lightness 0.52 (styles.js).
  await expect(button).toHaveCSS('border-color', 'rgb(254, 44, 85)');
  await expect(button).toHaveCSS('color', /^oklch\(0\.52 /);
  await expect(tracker.locator('.headline')).toHaveCSS('letter-spacing', '3px');
});

test('hostile names, notes, reasons and ids stay harmless text inside the layout', async ({ page }, testInfo) => {
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const order = sample('delivered');
  const rlo = '\u202E'; // RIGHT-TO-LEFT OVERRIDE, never closed
  order.items[0].name = `${rlo}gnp.exe <svg onload=alert(1)>`;
  order.items[1].name = 'W'.repeat(10000);
  order.items[1].returnable = false;
  order.events.forEach((e, i) => {
    e.note = '<script>alert(3)</script>\u202E';
    e.id = `<img src=y onerror=alert(4)>${i}`;
  });
  // A duplicate whose id is echoed in the core's anomaly text.
  order.events.push(structuredClone(order.events[0]));
  await showOrder(page, { order, now: DEMO_NOW });
  const tracker = page.locator('#tracker');
  await tracker.locator('details summary').first().click(); // "Why?" with the explanation
  const injected = await tracker.evaluate((el) => el.shadowRoot.querySelectorAll('img, script, svg').length);
  expect(injected).toBe(0);
  // The override is isolated: it cannot reorder the "not returnable" note or the price.
  const isolation = await tracker.evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('.items bdi')].map((b) => getComputedStyle(b).unicodeBidi));
  expect(isolation).toEqual(['isolate', 'isolate']);
  await expect(tracker.locator('.items')).toContainText(`${rlo}gnp.exe <svg onload=alert(1)>`);
  // 10,000 characters wrap inside the widget: no horizontal overflow, the price stays visible.
  const box = await tracker.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { width: r.width, scroll: el.shadowRoot.firstElementChild.scrollWidth, client: el.shadowRoot.firstElementChild.clientWidth, viewport: window.innerWidth };
  });
  expect(box.scroll).toBeLessThanOrEqual(box.client);
  expect(box.width).toBeLessThanOrEqual(box.viewport);
  await expect(tracker.locator('.items .price').nth(1)).toBeInViewport();
  await page.waitForTimeout(200);
  expect(requested.filter((u) => /\/y$/.test(u))).toEqual([]);
  await shot(tracker.locator('.items'), 'hostile-text', testInfo);
});

// Two lines in two parcels (issue 12): the mug's parcel delivered, the kettle's on its way.
const twoParcels = (kettleName) => ({
  order_id: 'US-1201',
  market: 'US',
  seller_id: 'S-kitchen',
  buyer_id: 'B-521',
  currency: 'USD',
  total_minor: 5200,
  shipping_minor: 500,
  items: [
    { sku: 'MUG', name: 'Mug', qty: 1, unit_price_minor: 1200 },
    { sku: 'KETTLE', name: kettleName, qty: 1, unit_price_minor: 3500 },
  ],
  payment_method: 'card',
  placed_at: '2025-03-03T18:00:00Z',
  promise: { handling_days: 2, transit_days: [3, 5], est_delivery: '2025-03-12' },
  events: [
    { type: 'payment_succeeded', at: '2025-03-03T18:04:00Z', amount_minor: 5200 },
    { type: 'shipped', at: '2025-03-04T19:00:00Z', by: 'seller', package_id: 'P1', items: ['MUG'], carrier: 'UPS', tracking_number: '1Z999AA10123456784' },
    { type: 'shipped', at: '2025-03-05T19:00:00Z', by: 'seller', package_id: 'P2', items: ['KETTLE'], carrier: 'USPS', tracking_number: '9400111202555842761012' },
    { type: 'delivered', at: '2025-03-08T20:00:00Z', by: 'carrier', package_id: 'P1' },
  ],
});

test('two lines, one delivered and one on its way: the tracker says so per item; a hostile name stays text', async ({ page }, testInfo) => {
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const evil = 'Kettle <img src=x onerror=alert(1)>';
  const { evaluation } = await showOrder(page, { order: twoParcels(evil), now: '2025-03-09T12:00:00Z' });
  expect(evaluation.effective_status).toBe('IN_TRANSIT');
  expect(evaluation.lines.map((l) => [l.line_id, l.status])).toEqual([['MUG', 'DELIVERED'], ['KETTLE', 'IN_TRANSIT']]);
  const tracker = page.locator('#tracker');
  await expect(tracker.locator('.lines-summary')).toHaveText(`1 of 2 items delivered; the ${evil} is on its way.`);
  await expect(tracker.locator('.items li[data-line="MUG"]')).toContainText('Delivered');
  await expect(tracker.locator('.items li[data-line="KETTLE"]')).toContainText(`1 × ${evil} · On its way`);
  const injected = await tracker.evaluate((el) => el.shadowRoot.querySelectorAll('img, script').length);
  expect(injected).toBe(0);
  await page.waitForTimeout(200);
  expect(requested.filter((u) => /\/x$/.test(u))).toEqual([]);
  await shot(tracker, 'tracker-two-parcels', testInfo);

  // One line keeps the single-item look: no summary, no per-item state.
  await showOrder(page, { order: sample('in-transit'), now: DEMO_NOW });
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'IN_TRANSIT');
  await expect(tracker.locator('.lines-summary')).toHaveCount(0);
  await expect(tracker.locator('.items .state')).toHaveCount(0);
});

test('a cancelled line is shown cancelled with its refund; part shipped is PARTIALLY_SHIPPING', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  // Mug: 12.00 + its shipping share 1.28 (500 x 1200/4700 = 127.66, the
  // leftover unit to the larger remainder) refunded when it was cancelled.
  const order = twoParcels('Kettle');
  order.events = [
    order.events[0],
    { type: 'cancelled', at: '2025-03-04T16:00:00Z', by: 'seller', reason: 'out_of_stock', items: ['MUG'] },
    { type: 'refunded', at: '2025-03-04T16:05:00Z', by: 'platform', amount_minor: 1328 },
    { type: 'shipped', at: '2025-03-05T19:00:00Z', by: 'seller', carrier: 'USPS', tracking_number: '9400111202555842761012' },
    { type: 'delivered', at: '2025-03-08T20:00:00Z', by: 'carrier' },
  ];
  const { evaluation } = await showOrder(page, { order, now: '2025-03-09T12:00:00Z' });
  expect(evaluation.lines.map((l) => [l.line_id, l.status, l.refunded_minor])).toEqual([['MUG', 'CANCELLED', 1328], ['KETTLE', 'DELIVERED', 0]]);
  await expect(tracker.locator('.items li[data-line="MUG"]')).toHaveClass(/cancelled/);
  await expect(tracker.locator('.items li[data-line="MUG"]')).toContainText('Cancelled: the item is out of stock · refunded $13.28');
  await expect(tracker.locator('.items li[data-line="KETTLE"]')).toContainText('Delivered');
  await expect(tracker.locator('.lines-summary')).toHaveText('1 of 1 item delivered; the Mug was cancelled.');
  await shot(tracker.locator('.items'), 'tracker-line-cancelled', testInfo);

  const partly = twoParcels('Kettle');
  partly.events = partly.events.slice(0, 2);
  await showOrder(page, { order: partly, now: '2025-03-05T12:00:00Z' });
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'PARTIALLY_SHIPPING');
  await expect(tracker.locator('.status')).toHaveText('Partly shipped');
  await expect(tracker.locator('.lines-summary')).toHaveText('0 of 2 items delivered; the Mug is on its way; the Kettle is still to ship.');
  await expect(tracker.locator('.items li[data-line="MUG"]')).toContainText('On its way');
  await expect(tracker.locator('.items li[data-line="KETTLE"]')).toContainText('Not shipped yet');
});

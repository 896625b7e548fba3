// What a buyer reads on <ordertrail-tracker> (issue 17, docs/RULES.md
// "Buyer widget content"): the delivery state first, each parcel with its
// carrier, tracking number and scans, a refund card from the refunds made and
// what is due, cash-on-delivery wording, one primary action, the seller's
// answers, and responsibility and anomalies for agents only. Every expected
// text is worked by hand from the order and RULES (US orders: America/Los_Angeles,
// PST until Sun 9 Mar 2025, PDT after; ID: Asia/Jakarta, UTC+7).
import fs from 'node:fs';
import { test, expect, openEmbed, showOrder } from './fixtures.mjs';
import { DEMO_NOW, SAMPLE_ORDERS } from '../web/demo/orders.js';
import { MESSAGES } from '../web/src/messages.js';

const sample = (key) => structuredClone(SAMPLE_ORDERS.find((s) => s.key === key).order);
const cli = (name) => JSON.parse(fs.readFileSync(new URL(`../tests/cli/data/orders/${name}.json`, import.meta.url), 'utf8'));
const VECTORS = new URL('../tests/vectors/', import.meta.url);
const vectorOrder = (number) => JSON.parse(fs.readFileSync(new URL(fs.readdirSync(VECTORS).find((f) => f.startsWith(`${number}_`)), VECTORS), 'utf8')).order;
// The panel's text as a buyer reads it (the open shadow root, dialogs left out).
const panelText = (tracker) => tracker.evaluate((el) => [...el.shadowRoot.querySelector('article').children].filter((n) => n.tagName !== 'DIALOG').map((n) => n.textContent).join(' '));

test.beforeEach(async ({ page }) => {
  await openEmbed(page);
});

test('the headline says the delivery state first: arriving, late, delivered, refunded, cancelled', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const headline = tracker.locator('.headline');
  // Two parcels on their way; the core's est_delivery is 2025-03-12, a Wednesday.
  await showOrder(page, { order: cli('us_two_packages'), now: '2025-03-08T00:00:00Z' });
  await expect(headline).toHaveText('Arriving Wed, Mar 12');
  await expect(headline).toHaveAttribute('data-headline', 'arriving');
  await expect(tracker.locator('.status')).toHaveText('On its way');
  // The estimate is said once: not again in the dates.
  await expect(tracker.locator('[data-fact="est_delivery"]')).toHaveCount(0);

  // edd_revised moved the estimate from Thu 27 Feb to Tue 4 Mar: late, with the first estimate said.
  await showOrder(page, { order: cli('us_in_transit_late'), now: '2025-03-01T00:00:00Z' });
  await expect(headline).toHaveText('Late: expected Tue, Mar 4');
  await expect(tracker.locator('.estimate')).toHaveText('The first estimate was Thu, Feb 27.');
  // Estimated Fri 28 Feb, not delivered on Tue 4 Mar (no revision): the estimated day is over.
  await showOrder(page, { order: sample('in-transit'), now: DEMO_NOW });
  await expect(headline).toHaveText('Late: expected Fri, Feb 28');
  await expect(tracker.locator('.estimate')).toHaveCount(0);

  // Delivered 2025-03-10T23:40Z = Mon 10 Mar, 4:40 PM PDT.
  await showOrder(page, { order: cli('us_delivered'), now: '2025-03-12T00:00:00Z' });
  await expect(headline).toHaveText('Delivered Mon, Mar 10');
  await expect(tracker.locator('.status')).toHaveCount(0);

  // A not-received claim refunded in full ($79.00 at 2025-03-08T20:30Z = Sat 8 Mar, 12:30 PM PST) while in transit.
  const claimed = sample('in-transit');
  claimed.events.push(
    { id: 'e3', type: 'return_requested', at: '2025-03-08T20:00:00Z', by: 'buyer', reason: 'not_received', case_type: 'refund_only' },
    { id: 'e4', type: 'refunded', at: '2025-03-08T20:30:00Z', by: 'platform', amount_minor: 7900, case_id: 'R1' },
  );
  const { evaluation } = await showOrder(page, { order: claimed, now: '2025-03-09T20:00:00Z' });
  expect(evaluation.effective_status).toBe('IN_TRANSIT');
  await expect(headline).toHaveText('Refunded $79.00 on Sat, Mar 8');
  // Its one refund is the headline's: no card saying it again.
  await expect(tracker.locator('section.refund')).toHaveCount(0);

  // Cancelled by the seller at 2025-03-02T17:00Z = Sun 2 Mar, 9:00 AM PST; the why line has no second date.
  await showOrder(page, { order: sample('cancelled'), now: DEMO_NOW });
  await expect(headline).toHaveText('Cancelled on Sun, Mar 2');
  await expect(tracker.locator('.why')).toHaveText('The seller cancelled it: the item is out of stock.');
  await expect(tracker.locator('section.cancellation'), 'no "already cancelled" under a Cancelled headline').toHaveCount(0);

  // Indonesian, same order: "Dibatalkan pada Min, 2 Mar".
  await showOrder(page, { order: sample('cancelled'), now: DEMO_NOW, locale: 'id' });
  await expect(headline).toHaveText('Dibatalkan pada Min, 2 Mar');
  // Malay (a table in messages.js, no code): Intl's ms-MY dates, "Sampai Rab, 12 Mac".
  await showOrder(page, { order: cli('us_two_packages'), now: '2025-03-08T00:00:00Z', locale: 'ms-MY' });
  await expect(headline).toHaveText('Sampai Rab, 12 Mac');
  await expect(tracker.locator('.status')).toHaveText('Dalam perjalanan');
  await expect(tracker.locator('article')).toHaveAttribute('lang', 'ms');
});

test('each parcel: its state, carrier, tracking number (a link only with an http(s) template) and scans, newest first', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const order = cli('us_two_packages');
  // A carrier name that must be URL-encoded in the link.
  order.events.find((x) => x.tracking_number === '1Z999AA10123456784').carrier = 'A&B Post';
  await showOrder(page, { order, now: '2025-03-08T00:00:00Z' });
  const p1 = tracker.locator('li.parcel[data-package="P1"]');
  const p2 = tracker.locator('li.parcel[data-package="P2"]');
  await expect(tracker.locator('section.parcels h3')).toHaveText('Parcels (2)');
  // Shipped 2025-03-04T19:00Z = Tue 4 Mar 11:00 AM PST; P2 2025-03-05T19:00Z = Wed 5 Mar.
  await expect(p1.locator('.state')).toHaveText('Shipped on Tue, Mar 4, on its way');
  await expect(p1.locator('.items')).toHaveText(' · 2 × Mug');
  await expect(p2.locator('.state')).toHaveText('Shipped on Wed, Mar 5, on its way');
  await expect(p1.locator('.tracking')).toHaveText('A&B Post · Tracking number 1Z999AA10123456784');
  await expect(p2.locator('.tracking')).toHaveText('USPS · Tracking number 9400111202555842761012');
  // No template: the number is text, never a link.
  await expect(tracker.locator('section.parcels a')).toHaveCount(0);

  await page.evaluate(() => (document.querySelector('#tracker').trackingUrl = 'https://track.example/t?n={tracking_number}&c={carrier}'));
  await expect(tracker).toHaveAttribute('tracking-url', 'https://track.example/t?n={tracking_number}&c={carrier}');
  await expect(p1.getByRole('link', { name: '1Z999AA10123456784' })).toHaveAttribute('href', 'https://track.example/t?n=1Z999AA10123456784&c=A%26B%20Post');
  await expect(p2.getByRole('link')).toHaveAttribute('href', 'https://track.example/t?n=9400111202555842761012&c=USPS');

  // Only http(s): a javascript: template (or data:) gives no link at all.
  for (const template of ['javascript:alert(1)//{tracking_number}', 'data:text/html,{tracking_number}']) {
    await page.evaluate((t) => document.querySelector('#tracker').setAttribute('tracking-url', t), template);
    await expect(p1.locator('.tracking')).toContainText('1Z999AA10123456784');
    await expect(tracker.locator('section.parcels a'), template).toHaveCount(0);
  }

  // Scans: the carrier's words without control characters or bidi overrides,
  // newest first, three shown and the rest folded.
  const scanned = cli('us_scans_untrusted');
  scanned.events.push(
    { id: 's4', type: 'tracking_update', at: '2025-04-15T15:00:00Z', by: 'carrier', package_id: 'P1', status: 'arrived', text: 'Arrived at the delivery station' },
    { id: 's5', type: 'tracking_update', at: '2025-04-16T15:00:00Z', by: 'carrier', package_id: 'P1', status: 'out_for_delivery', text: 'Out for delivery' },
  );
  await showOrder(page, { order: scanned, now: '2025-04-17T00:00:00Z' });
  const parcel = tracker.locator('li.parcel').first();
  await expect(parcel.locator('> ol.scans > li')).toHaveText([
    'Wed, Apr 16, 8:00 AM PDT Out for delivery',
    'Tue, Apr 15, 8:00 AM PDT Arrived at the delivery station',
    'Mon, Apr 14, 9:00 AM PDT Out for delivery click yreviled',
  ]);
  await expect(parcel.locator('details.more-scans summary')).toHaveText('More updates (2)');
  await expect(parcel.locator('details.more-scans li')).toHaveText(['Sat, Apr 12, 8:00 AM PDT Out for delivery click yreviled', 'Thu, Apr 10, 8:00 PM PDT Out for delivery click yreviled']);
  expect(await parcel.textContent()).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/);

  // A failed attempt is the parcel's state (us_in_transit_late, one parcel: no dates in it).
  await showOrder(page, { order: cli('us_in_transit_late'), now: '2025-03-01T00:00:00Z' });
  await expect(tracker.locator('li.parcel .state')).toHaveText('A delivery attempt failed');
});

test('the refund card: what was refunded, of what was paid, and why the rest is not; a refund only due is never "refunded"', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const card = tracker.locator('section.refund');
  // Paid $64.00; $13.01 refunded for the cancelled mug at 2025-03-04T16:05Z (Tue 4 Mar, PST);
  // the rest returnable: up to $47.00 (the core's refund amount).
  await showOrder(page, { order: cli('us_line_cancelled'), now: '2025-03-20T00:00:00Z' });
  await expect(card.locator('.total')).toHaveText('$13.01 of $64.00 refunded');
  await expect(card.locator('li.refunded')).toHaveText(['$13.01 refunded on Tue, Mar 4 · Mug']);
  await expect(card.locator('.due')).toHaveText('Return it for a refund of up to $47.00.');

  // The demo's delivered order ($39.00 shirt + $15.00 gift wrap, not returnable): the shirt
  // returned and refunded $39.00 on Mon 3 Mar (2025-03-03T18:00Z = 10:00 AM PST).
  const returned = sample('delivered');
  returned.events.push(
    { id: 'e4', type: 'return_requested', at: '2025-02-27T18:00:00Z', by: 'buyer', reason: 'changed_mind', items: [{ line_id: 'SHIRT-M', qty: 1 }] },
    { id: 'e5', type: 'return_approved', at: '2025-02-28T17:00:00Z', by: 'seller' },
    { id: 'e6', type: 'return_shipped', at: '2025-03-01T17:00:00Z', by: 'buyer' },
    { id: 'e7', type: 'return_received', at: '2025-03-03T17:00:00Z', by: 'seller' },
    { id: 'e8', type: 'refunded', at: '2025-03-03T18:00:00Z', by: 'platform', amount_minor: 3900, case_id: 'R1' },
  );
  const { evaluation } = await showOrder(page, { order: returned, now: DEMO_NOW });
  expect(evaluation.refund.reason).toBe('return_refunded');
  await expect(card.locator('.total')).toHaveText('$39.00 of $54.00 refunded');
  await expect(card.locator('li.refunded')).toHaveText(['$39.00 refunded on Mon, Mar 3 · Linen shirt, M']);
  await expect(card.locator('.due')).toHaveText('The rest, $15.00, is not refunded: it is for items not returned or that cannot be returned.');
  await expect(card).not.toContainText('Everything you paid');
  await expect(tracker.locator('.headline')).toHaveText('Delivered Tue, Feb 25');

  // Cancelled, $65.00 due and nothing refunded yet: future tense, no "refunded" total.
  await showOrder(page, { order: sample('cancelled'), now: DEMO_NOW });
  await expect(card.locator('.due')).toHaveText('$65.00 will be refunded automatically, the way you paid.');
  await expect(card.locator('.total')).toHaveCount(0);
  expect(await card.textContent()).not.toMatch(/is refunded|has been refunded|Refunded \$/);

  // An order under way with nothing refunded or due: no card at all.
  await showOrder(page, { order: cli('us_two_packages'), now: '2025-03-08T00:00:00Z' });
  await expect(card).toHaveCount(0);
});

test('cash on delivery: "Confirmed — pay on delivery", never "Paid", no refund to claim of nothing paid', async ({ page }) => {
  const tracker = page.locator('#tracker');
  // id_cod.json: placed 2025-03-27T03:00Z, cash on delivery; at 03:30 in the free cancellation (ON_HOLD).
  const { evaluation } = await showOrder(page, { order: cli('id_cod'), now: '2025-03-27T03:30:00Z' });
  expect([evaluation.effective_status, evaluation.facts.paid_minor]).toEqual(['ON_HOLD', 0]);
  await expect(tracker.locator('.status')).toHaveText('Confirmed — pay on delivery');
  await expect(tracker.locator('.why')).toHaveText('You pay when it is delivered. You can still cancel it instantly.');
  // Delivery estimate 2025-04-09 (a Wednesday); the fallbacks without a refund.
  await expect(tracker.locator('.headline')).toHaveText('Arriving Wed, Apr 9');
  await expect(tracker.locator('section.fallbacks [data-obligation="ship_by"]')).toHaveText('Not shipped by Wed, Apr 9: the order is cancelled automatically — 13 days left');
  for (const now of ['2025-03-27T03:30:00Z', '2025-03-27T12:00:00Z']) {
    await showOrder(page, { order: cli('id_cod'), now });
    const text = await panelText(tracker);
    expect(text, now).not.toMatch(/\bPaid\b|full refund|claim a refund/i);
    await expect(tracker.locator('section.refund'), now).toHaveCount(0);
  }
  await showOrder(page, { order: cli('id_cod'), now: '2025-03-27T03:30:00Z', locale: 'id' });
  await expect(tracker.locator('.status')).toHaveText('Dikonfirmasi — bayar di tempat');
  expect(await panelText(tracker)).not.toMatch(/Sudah dibayar|pengembalian dana penuh/);
});

test('exactly one primary action, the core\'s, right after the steps; waiting is a sentence, never a button', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const primary = tracker.locator('article > :not(dialog) button.primary');
  const orders = [
    ...SAMPLE_ORDERS.map((s) => ({ order: s.order, now: DEMO_NOW })),
    { order: cli('us_in_transit_late'), now: '2025-03-01T00:00:00Z' },
    { order: cli('us_unpaid'), now: '2025-03-03T19:00:00Z' },
  ];
  let buttons = 0;
  for (const { order, now } of orders) {
    const { evaluation } = await showOrder(page, { order, now });
    const main = evaluation.next_actions.filter((a) => a.actor === 'buyer' && a.primary);
    expect(main.length, order.order_id).toBeLessThanOrEqual(1);
    // A next action with an `info.` text (wait_for_shipment, check_email) is a sentence.
    const isButton = main.length > 0 && !(`info.${main[0].code}` in MESSAGES.en);
    await expect(primary, order.order_id).toHaveCount(isButton ? 1 : 0);
    if (isButton) await expect(primary).toHaveAttribute('data-action', main[0].code);
    buttons += isButton ? 1 : 0;
    // What the buyer can do comes right after the steps, before the refund, cases and dates.
    await expect(tracker.locator('ol.steps + section.actions'), order.order_id).toHaveCount(await tracker.locator('section.actions').count());
    expect(await tracker.locator('article > :not(dialog) button').allTextContents(), order.order_id).not.toContainEqual(expect.stringMatching(/^Wait/));
  }
  expect(buttons, 'some states have a primary button').toBeGreaterThan(3);
  // A failed delivery attempt: "Check your address" is primary, "Track parcel" is not.
  await showOrder(page, { order: cli('us_in_transit_late'), now: '2025-03-01T00:00:00Z' });
  await expect(primary).toHaveText('Check your address');
  await expect(tracker.getByRole('button', { name: 'Track parcel' })).not.toHaveClass(/primary/);
});

test('the seller\'s answers: a rejected request with its day, auto-approval explained, and "Send the return" apart from "Return item"', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const cancellation = tracker.locator('section.cancellation');
  // Vector 027: asked Wed 5 Mar, rejected by the seller at 2025-03-06T09:00Z = Thu 6 Mar, 1:00 AM PST.
  await showOrder(page, { order: vectorOrder('027'), now: '2025-03-06T12:00:00Z' });
  await expect(cancellation.locator('.answer')).toHaveText('The seller declined your cancellation request on Thu, Mar 6.');
  await expect(cancellation.getByRole('button', { name: 'Request cancellation' })).toBeVisible();
  // Pending: asked Tue 4 Mar 7:00 AM PST, 24 h to answer, unanswered approved (US policy/2: auto_approve).
  await showOrder(page, { order: sample('request-pending'), now: DEMO_NOW });
  await expect(tracker.locator('.status')).toHaveText('Cancellation requested');
  await expect(cancellation).toContainText('You asked to cancel. If the seller does not answer by Wed, Mar 5, 7:00 AM PST, your request is approved automatically.');
  await expect(tracker.locator('section.dates')).not.toContainText('Wed, Mar 5, 7:00 AM');
  // Left unanswered: approved automatically at Wed 5 Mar, 7:00 AM PST.
  await showOrder(page, { order: sample('request-pending'), now: '2025-03-06T20:00:00Z' });
  await expect(tracker.locator('.headline')).toHaveText('Cancelled on Wed, Mar 5');
  await expect(tracker.locator('.why')).toHaveText('The seller did not answer your cancellation request in time, so it was approved automatically.');
  // The shirt's return approved: sending it back is the case's own button; the scarf may still be returned.
  await showOrder(page, { order: sample('return-approved'), now: DEMO_NOW });
  const c = tracker.locator('section.cases li[data-case]');
  await expect(c.locator('.stage')).toHaveText('Return approved — send it back by Fri, Mar 14');
  await expect(c.getByRole('button', { name: 'Send the return' })).toHaveAttribute('data-action', 'ship_return');
  await expect(tracker.locator('section.actions').getByRole('button', { name: 'Return item' })).toHaveAttribute('data-action', 'return_item');
});

test('responsibility and anomalies only with view="agent"; the buyer\'s "Why?" in the buyer\'s language, local times, money', async ({ page }) => {
  const tracker = page.locator('#tracker');
  await showOrder(page, { order: sample('cancelled'), now: DEMO_NOW });
  await expect(tracker.locator('.responsibility')).toHaveCount(0);
  expect(await panelText(tracker)).not.toMatch(/Responsible/);
  await page.evaluate(() => (document.querySelector('#tracker').view = 'agent'));
  await expect(tracker).toHaveAttribute('view', 'agent');
  await expect(tracker.locator('.responsibility')).toHaveText('Responsible: the seller');
  // Agents read the core's own texts, anomalies included (us_anomalies: a duplicate payment).
  await showOrder(page, { order: cli('us_anomalies'), now: '2025-03-10T00:00:00Z' });
  await expect(tracker.locator('details[part="explanation"] h3').first()).toHaveText('Unusual events in the history');
  await page.evaluate(() => (document.querySelector('#tracker').view = 'buyer'));
  await expect(tracker).not.toHaveAttribute('view');
  await expect(tracker.locator('details[part="explanation"] h3')).toHaveCount(0);

  // The buyer's "Why?" (on-hold one hour after payment, in Indonesian): rule names and states in
  // the locale, the market's local times, no UTC instants, minor units or codes.
  await showOrder(page, { order: sample('on-hold'), now: '2025-03-04T20:40:00Z', locale: 'id' });
  const why = tracker.locator('details[part="explanation"]');
  await why.locator('summary').click();
  await expect(why.locator('li', { hasText: 'Pembatalan gratis' })).toHaveText(/ditutup pada Sel, 4 Mar, 12\.40 PST/);
  const text = await why.textContent();
  expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|minor units|_/);
  expect(text).not.toMatch(/\bmissed\b|terlewat.*Pembatalan gratis/);
});

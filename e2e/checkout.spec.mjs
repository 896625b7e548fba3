// <ordertrail-checkout>: the delivery promise of an order placed now, from the
// core's quote, in the market's zone and the buyer's language.
import fs from 'node:fs';
import { test, expect, shot, openEmbed } from './fixtures.mjs';

const term = (checkout, key) => checkout.locator(`dd[data-term="${key}"]`);

async function quoted(page, attrs, policy = null) {
  return page.evaluate(
    ({ attrs, policy }) => {
      const c = document.querySelector('#checkout');
      const done = new Promise((resolve) => c.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      for (const name of ['market', 'handling-days', 'transit-days', 'locale']) c.removeAttribute(name);
      for (const [name, value] of Object.entries(attrs)) c.setAttribute(name, value);
      c.policy = policy;
      return done;
    },
    { attrs, policy },
  );
}

test.beforeEach(async ({ page }) => {
  await openEmbed(page);
});

test('US checkout: pay-by, free cancellation, ships-by, delivery range, late seller, returns', async ({ page }, testInfo) => {
  const checkout = page.locator('#checkout');
  const { quote } = await quoted(page, { market: 'US', now: '2025-03-04T20:00:00Z' });
  expect(quote).toMatchObject({ schema: 'ordertrail.quote/1', market: 'US', time_zone: 'America/Los_Angeles' });
  await expect(term(checkout, 'pay_by')).toHaveText('Thu, Mar 6, 12:00 PM PST');
  await expect(term(checkout, 'free_cancellation')).toHaveText('until Tue, Mar 4, 1:00 PM PST, if you pay now');
  await expect(term(checkout, 'ships_by')).toHaveText('Thu, Mar 6');
  await expect(term(checkout, 'delivery')).toHaveText('Tue, Mar 11 – Thu, Mar 13');
  await expect(term(checkout, 'late')).toContainText('Not shipped by Thu, Mar 13: the order is cancelled automatically, with a full refund.');
  await expect(term(checkout, 'late')).toContainText('Not arrived by then: you can claim a refund from Fri, Mar 21.');
  await expect(term(checkout, 'late')).toContainText('Not delivered by Sat, Apr 12: the order is cancelled automatically, with a full refund.');
  await expect(term(checkout, 'returns')).toHaveText('within 30 days of delivery');
  expect(await checkout.evaluate((el) => el.evaluation.ship_by_date)).toBe('2025-03-13');
  await shot(checkout, 'checkout-US', testInfo);
});

test('handling and transit days change the promise; the core refuses bad values', async ({ page }) => {
  const checkout = page.locator('#checkout');
  await quoted(page, { market: 'US', 'handling-days': '5', 'transit-days': '1-2' });
  await expect(term(checkout, 'ships_by')).toHaveText('Tue, Mar 11');
  await expect(term(checkout, 'delivery')).toHaveText('Wed, Mar 12 – Thu, Mar 13');
  const { error } = await quoted(page, { market: 'US', 'handling-days': 'soon' });
  expect(error).toMatchObject({ schema: 'ordertrail.error/1', path: '/handling_days' });
  await expect(checkout.getByRole('alert')).toContainText('The delivery promise cannot be computed');
  expect(await checkout.evaluate((el) => [el.evaluation, el.error?.path])).toEqual([null, '/handling_days']);
});

test('Indonesia in Bahasa Indonesia: Jakarta time, Indonesian texts and dates', async ({ page }, testInfo) => {
  const checkout = page.locator('#checkout');
  await quoted(page, { market: 'ID', locale: 'id-ID' });
  await expect(checkout.getByRole('heading')).toHaveText('Pengiriman, pembatalan, dan pengembalian');
  await expect(checkout.locator('dt[data-term="pay_by"]')).toHaveText('Bayar paling lambat');
  await expect(term(checkout, 'pay_by')).toHaveText('Jum, 7 Mar, 03.00 WIB');
  await expect(term(checkout, 'returns')).toHaveText(/^dalam \d+ hari setelah diterima$/);
  await shot(checkout, 'checkout-ID-id', testInfo);
});

test('the shop\'s own policy (property `policy`) is used for its market', async ({ page }) => {
  const checkout = page.locator('#checkout');
  const policy = JSON.parse(fs.readFileSync(new URL('../policies/US.json', import.meta.url), 'utf8'));
  Object.assign(policy, { market: 'XX', time_zone: 'Europe/Paris', tz_rule: 'CET-1CEST,M3.5.0,M10.5.0/3', return_window_days: 14 });
  const { quote, error } = await quoted(page, { market: 'XX' }, policy);
  expect(error).toBeNull();
  expect(quote.time_zone).toBe('Europe/Paris');
  await expect(term(checkout, 'pay_by')).toHaveText('Thu, Mar 6, 9:00 PM GMT+1');
  await expect(term(checkout, 'returns')).toHaveText('within 14 days of delivery');
});

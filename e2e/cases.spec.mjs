// After-sales cases (SPEC 4.4) in <ordertrail-tracker>: each case's stage in
// the buyer's words with who must act by when, closed cases briefly, a refund
// only due never said "refunded", and no fault (responsibility) in what a
// buyer reads. The orders are the hand-worked vectors tests/vectors/3*.json.
import fs from 'node:fs';
import { test, expect, shot, openEmbed, showOrder, recordActions } from './fixtures.mjs';

const VECTORS = new URL('../tests/vectors/', import.meta.url);
/** The vector whose file name starts with `number`: {order, now}. */
function vector(number) {
  const file = fs.readdirSync(VECTORS).find((f) => f.startsWith(`${number}_`));
  const v = JSON.parse(fs.readFileSync(new URL(file, VECTORS), 'utf8'));
  return { order: v.order, now: v.now };
}

const caseOf = (tracker, id) => tracker.locator(`section.cases li[data-case="${id}"]`);

test.beforeEach(async ({ page }) => {
  await openEmbed(page);
});

test('a return approved: "send it back by <day>" with the days left, and the button names the case', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  const actions = await recordActions(page);
  // Approved Sat 19 Apr (PDT); 14 days to ship back: until the end of Sat 3 May. Now Sun 20 Apr.
  const { evaluation } = await showOrder(page, vector(301));
  expect(evaluation.cases[0]).toMatchObject({ case_id: 'R1', status: 'awaiting_return' });
  const r1 = caseOf(tracker, 'R1');
  await expect(r1).toHaveAttribute('data-status', 'awaiting_return');
  await expect(r1.locator('.kind')).toHaveText('Return · 2 × Stoneware cup');
  await expect(r1.locator('.date')).toHaveText('Return approved — send it back by Sat, May 3 — 13 days left');
  await expect(r1.locator('time')).toHaveAttribute('datetime', '2025-05-03');
  // The case's clock is said once, in the case: not again in the dates.
  await expect(tracker.locator('section.dates')).not.toContainText('send it back');
  await expect(tracker.locator('.why')).toHaveText('Your return is in progress.');
  // The case's buttons are what the core's `actions` let the buyer record on it.
  await expect(r1.getByRole('button')).toHaveText(['Send the return', 'Withdraw this request']);
  await r1.getByRole('button', { name: 'Send the return' }).click();
  await expect.poll(async () => (await actions()).length).toBe(1);
  const [detail] = await actions();
  expect(detail).toMatchObject({ action: 'ship_return', order_id: 'V14-301', case_id: 'R1', event: { type: 'return_shipped', by: 'buyer', case_id: 'R1' } });
  expect(detail.decision.allowed).toBe(true);
  await expect(tracker.locator('section.actions [data-action="ship_return"]')).toHaveCount(0);
  await shot(tracker, 'tracker-case-awaiting-return', testInfo);

  await showOrder(page, { ...vector(301), locale: 'id' });
  await expect(r1.locator('.date')).toHaveText('Pengembalian disetujui — kirim kembali barangnya paling lambat Sab, 3 Mei — sisa 13 hari');
});

// Each stage, as the buyer reads it (US, America/Los_Angeles, PDT).
const STAGES = [
  { v: 300, id: 'R1', status: 'requested', text: 'Return requested — the seller answers by Sun, Apr 20, 11:00 AM PDT' },
  { v: 302, id: 'R1', status: 'returned', text: 'Sent back — the seller confirms receipt by Fri, May 2' },
  { v: 303, id: 'R1', status: 'received', text: 'Refund of $18.15 due from the seller by Sun, Apr 27, 12:00 PM PDT' },
  { v: 310, id: 'R1', status: 'approved', text: 'Refund of $50.00 due from the seller by Mon, Apr 21, 10:00 AM PDT' },
  { v: 312, id: 'R1', status: 'requested', text: 'Claim: not received — the seller answers by Sat, May 3, 10:00 AM PDT' },
  { v: 317, id: 'R1', status: 'requested', text: 'Claim: delivered but not received — the seller answers by Sat, Apr 19, 10:00 AM PDT' },
  { v: 322, id: 'R1', status: 'rejected', text: 'Rejected — you may appeal until Mon, Apr 21, 10:00 AM PDT' },
  { v: 324, id: 'R1', status: 'appealed', text: 'Appeal sent — the decision is due by Tue, Apr 22, 10:00 AM PDT' },
  { v: 304, id: 'R1', status: 'refunded', text: 'Refunded $18.15 on Sat, Apr 26' },
  { v: 308, id: 'R1', status: 'closed', text: 'Closed: not shipped back in time' },
  { v: 329, id: 'R1', status: 'closed', text: 'Closed: you withdrew the request' },
  { v: 326, id: 'R1', status: 'closed', text: 'Closed: the appeal was not upheld' },
];

test('every stage of a case says who acts by when, or how it ended', async ({ page }) => {
  const tracker = page.locator('#tracker');
  for (const s of STAGES) {
    await showOrder(page, vector(s.v));
    const entry = caseOf(tracker, s.id);
    await expect(entry, `vector ${s.v}`).toHaveAttribute('data-status', s.status);
    await expect(entry.locator('.stage'), `vector ${s.v}`).toHaveText(s.text);
    await expect(entry, `vector ${s.v}`).toHaveClass(['refunded', 'closed'].includes(s.status) ? /\bover\b/ : /^case$/);
  }
});

test('a rejection offers the appeal in the case, until the window closes', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const actions = await recordActions(page);
  await showOrder(page, vector(322));
  await caseOf(tracker, 'R1').getByRole('button', { name: 'Appeal' }).click();
  await expect.poll(async () => (await actions()).length).toBe(1);
  const [detail] = await actions();
  expect(detail).toMatchObject({ action: 'appeal', order_id: 'V14-322', case_id: 'R1', event: { type: 'appeal_opened', by: 'buyer', case_id: 'R1' } });
  // The appeal window is the case's: not a second date in the list.
  await expect(tracker.locator('section.dates [data-window="appeal"]')).toHaveCount(0);
});

test('two cases on one order: each its own stage, open ones first', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  await showOrder(page, vector(343));
  await expect(tracker.locator('section.cases li')).toHaveText([
    /^Return · 2 × Stoneware cupReturn requested — the seller answers by Sun, Apr 20, 11:00 AM PDT — in 6 hoursWithdraw this request$/,
    /^Return · 1 × Desk lampReturn approved — send it back by Sat, May 3 — 13 days left/,
  ]);
  // A refunded case comes after an open one.
  await showOrder(page, vector(334));
  expect(await tracker.locator('section.cases li').evaluateAll((lis) => lis.map((li) => li.dataset.case))).toEqual(['R2', 'R1']);
  await expect(caseOf(tracker, 'R1').locator('.stage')).toHaveText('Refunded $27.23 on Sat, Apr 26');
  await shot(tracker, 'tracker-two-cases', testInfo);
});

test('a refund that is only due is on its way, never "refunded"', async ({ page }) => {
  const tracker = page.locator('#tracker');
  // The seller did not refund in time: the platform's refund is due, not recorded yet.
  for (const v of [305, 311, 318]) {
    const { evaluation } = await showOrder(page, vector(v));
    expect(evaluation.due.map((d) => d.action), `vector ${v}`).toContain('auto_refund_case');
    await expect(caseOf(tracker, 'R1').locator('.stage'), `vector ${v}`).toHaveText(/^Refund of \$\d+\.\d\d on its way$/);
    const text = await tracker.evaluate((el) => el.shadowRoot.querySelector('article').innerText);
    expect(text, `vector ${v}`).not.toMatch(/refunded/i);
  }
  await expect(tracker.locator('section.refund')).toContainText('Your refund of $66.00 is on its way.');
  // Once the refund is recorded, it is.
  const { order, now } = vector(318);
  order.events.push(
    { id: 'x1', type: 'return_approved', at: '2025-04-19T17:00:00Z', by: 'platform', reason: 'seller_no_response', case_id: 'R1' },
    { id: 'x2', type: 'refunded', at: '2025-04-21T17:00:00Z', by: 'platform', reason: 'seller_no_response', case_id: 'R1', amount_minor: 6600 },
  );
  await showOrder(page, { order, now });
  await expect(caseOf(tracker, 'R1').locator('.stage')).toHaveText('Refunded $66.00 on Mon, Apr 21');
});

test('a buyer never reads who is at fault for a case, in either language', async ({ page }) => {
  const tracker = page.locator('#tracker');
  for (const locale of ['en', 'id']) {
    for (const v of [305, 308, 312, 322, 323, 325, 343]) {
      await showOrder(page, { ...vector(v), locale });
      const text = await tracker.evaluate((el) => el.shadowRoot.querySelector('section.cases').textContent);
      expect(text, `${locale} vector ${v}`).not.toMatch(/responsib|fault|tanggung jawab|seller_no_response|not_shipped_back/i);
    }
  }
});

test('a not-received claim in transit: the why and the refund say a claim is in progress', async ({ page }) => {
  const tracker = page.locator('#tracker');
  await showOrder(page, vector(312));
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'IN_TRANSIT');
  await expect(tracker.locator('.why')).toHaveText('The carrier has your parcel; your refund claim is in progress.');
  await expect(tracker.locator('section.refund')).toContainText('You get $66.00 back if your claim is approved.');
  // Approved: the seller owes the refund (the core gives the case's reason as the refund's).
  await showOrder(page, vector(313));
  await expect(tracker.locator('section.refund')).toContainText('Your request was approved: the seller owes you $66.00.');
  await expect(caseOf(tracker, 'R1').locator('.stage')).toHaveText('Refund of $66.00 due from the seller by Sun, May 4, 9:00 AM PDT');
});

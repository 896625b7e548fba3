// The buyer's buttons go through the core's decide: for each order of
// e2e/buyer-actions.mjs, EACH button the tracker shows is clicked (its reason
// picked in the dialog, which lists exactly the reasons of the core's
// `actions` entry), and the `ordertrail-action` it fires carries the event
// and the decision of the NATIVE core for the same order, command and now
// (decided by e2e/global-setup.mjs with native_eval). A next step that
// records nothing (pay, track) fires with no event. A refused decision (a
// stale widget) shows the refusal as text and fires nothing.
import fs from 'node:fs';
import { test, expect, shot, openEmbed, showOrder, recordActions } from './fixtures.mjs';
import { ACTIONS_FILE } from './buyer-actions.mjs';

const native = JSON.parse(fs.readFileSync(ACTIONS_FILE, 'utf8'));
// A parsed native text, written again: the same bytes as JSON.stringify of
// the widget's parsed objects when they are the same values in the same order.
const canonical = (text) => JSON.stringify(JSON.parse(text));

test.beforeEach(async ({ page }) => {
  await openEmbed(page);
});

for (const s of native.scenarios) {
  test(`${s.name}: each buyer button records the native decide's event`, async ({ page }, testInfo) => {
    const tracker = page.locator('#tracker');
    const actions = await recordActions(page);
    const { evaluation } = await showOrder(page, { order: s.order, now: s.now });
    expect(JSON.stringify(evaluation), 'the page evaluates as the native core').toBe(canonical(s.evaluation));
    const entries = JSON.parse(s.evaluation).actions.filter((a) => a.by === 'buyer');

    const buttons = tracker.locator('button[part~="action"]');
    const count = await buttons.count();
    const shown = await buttons.evaluateAll((list) => list.map((b) => `${b.dataset.action}${b.dataset.case ? ` ${b.dataset.case}` : ''}`));
    const expected = [...s.buttons.map((b) => `${b.action}${b.case_id ? ` ${b.case_id}` : ''}`), ...s.help];
    expect([...shown].sort(), 'the buttons shown are the scenario\'s, each once').toEqual([...expected].sort());
    await shot(tracker, `actions-${s.name.replace(/\W+/g, '-')}`, testInfo);

    for (let i = 0; i < count; ++i) {
      const button = buttons.nth(i);
      const [action, caseId] = (await button.getAttribute('data-action')) === null ? [] : shown[i].split(' ');
      const want = s.buttons.find((b) => b.action === action && (b.case_id ?? undefined) === caseId);
      const before = (await actions()).length;
      await button.click();
      const dialog = tracker.locator('dialog[open]');
      if (want?.reason) {
        await expect(dialog, `${shown[i]} asks for a reason`).toBeVisible();
        // Exactly the reasons of the core's entry that gives this one, in its order.
        const entry = entries.find((a) => a.type === want.command.type && a.reasons.includes(want.reason));
        expect(await dialog.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.value)), shown[i]).toEqual(entry.reasons);
        await dialog.locator(`input[value="${want.reason}"]`).check();
        await dialog.locator('button[data-role="confirm"]').click();
      } else {
        await expect(dialog, `${shown[i]} opens no dialog`).toHaveCount(0);
      }
      await expect.poll(async () => (await actions()).length, shown[i]).toBe(before + 1);
      const detail = (await actions())[before];
      expect(detail.action).toBe(action);
      expect(detail.order_id).toBe(evaluation.order_id);
      if (!want) {
        expect(s.help, `${shown[i]} records nothing`).toContain(action);
        expect(detail.event).toBeNull();
        expect(detail.decision).toBeNull();
        continue;
      }
      expect(detail.case_id).toBe(want.case_id);
      expect(detail.reason).toBe(want.reason);
      const decision = JSON.parse(want.native);
      expect(decision.allowed, `the native core allows ${shown[i]}`).toBe(true);
      expect(JSON.stringify(detail.event), `${shown[i]}: the event of the native decide`).toBe(JSON.stringify(decision.event));
      expect(JSON.stringify(detail.decision), `${shown[i]}: the native decision`).toBe(canonical(want.native));
    }
  });
}

test('a stale widget: the cancellation confirmed after `now` passed the free cancellation is refused, shown as text, and fires nothing', async ({ page }, testInfo) => {
  const tracker = page.locator('#tracker');
  const actions = await recordActions(page);
  const { stale } = native;
  const refusal = JSON.parse(stale.native).refusal;
  expect(refusal.code).toBe('window_closed');

  await showOrder(page, { order: stale.order, now: stale.now });
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await expect(dialog).toBeVisible();
  // The host moves the clock on while the buyer is choosing.
  await page.evaluate((later) => document.querySelector('#tracker').setAttribute('now', later), stale.later);
  await dialog.getByLabel('I changed my mind').check();
  await dialog.getByRole('button', { name: 'Cancel order' }).click();

  const shown = tracker.locator('section.refusal');
  await expect(shown).toHaveAttribute('role', 'alert');
  await expect(shown).toHaveAttribute('data-code', refusal.code);
  await expect(shown.locator('.refusal-text')).toHaveText('This is not possible right now: the time for it has ended or has not begun yet.');
  // The native alternatives, in their order, each in words (never a code).
  await expect(shown.locator('li')).toHaveCount(refusal.alternatives.length);
  expect(await shown.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.action))).toEqual(refusal.alternatives.map((a) => a.code));
  await expect(shown.locator('li')).toHaveText([/^Wait for the seller to ship it\.$/, /^Request cancellation \(until Thu, Apr 17\)$/, /^Contact support$/]);
  // The panel now shows the order at the new instant: no cancel button any more.
  await expect(tracker.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
  await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  expect(await actions(), 'a refused decision fires no ordertrail-action').toEqual([]);
  // Text, never markup; and in the reader's language.
  expect(await shown.evaluate((el) => el.querySelectorAll('*:not(p, ul, li, time)').length)).toBe(0);
  await shot(tracker, 'actions-stale-refused', testInfo);
  await page.evaluate(() => document.querySelector('#tracker').setAttribute('locale', 'id'));
  await expect(shown.locator('.refusal-text')).toHaveText('Tindakan ini tidak dapat dilakukan saat ini: waktunya sudah berakhir atau belum dimulai.');
  await expect(shown.locator('li').last()).toHaveText('Hubungi bantuan');

  // A new order (or instant) clears it.
  await showOrder(page, { order: stale.order, now: stale.now });
  await expect(shown).toHaveCount(0);
});

test('a reason of a shop\'s own catalogue without a text is shown as its code, as text', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const { stale } = native;
  const policy = await page.evaluate(async () => (await (await import('/dist/ordertrail-widget.js')).ordertrail()).policies().US);
  const code = 'gift_<b>not</b>_wanted';
  policy.reasons = [{ code, initiators: ['buyer'], statuses: ['ON_HOLD'], responsibility: 'buyer' }];
  const { evaluation, error } = await showOrder(page, { order: stale.order, now: stale.now, policy });
  expect(error).toBeNull();
  expect(evaluation.actions.find((a) => a.type === 'cancelled' && a.by === 'buyer').reasons).toEqual([code]);
  await tracker.getByRole('button', { name: 'Cancel order' }).click();
  const dialog = tracker.getByRole('dialog', { name: 'Cancel this order?' });
  await expect(dialog.locator('label.choice')).toHaveText([code]);
  expect(await dialog.locator('label.choice b').count()).toBe(0);
  await dialog.getByRole('button', { name: 'Keep order' }).click();
});

// The widget's mechanics (issue 17): a render patches what is shown (an open
// "Why?", focus and handlers survive), attributes as properties, themes and
// partial theming, registered locales and right-to-left, the inline order,
// the phone layout of the steps, and unique region names.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, openEmbed, showOrder, showLive } from './fixtures.mjs';
import { DEMO_NOW, SAMPLE_ORDERS } from '../web/demo/orders.js';

const sample = (key) => structuredClone(SAMPLE_ORDERS.find((s) => s.key === key).order);
const root = (tracker) => tracker.evaluate((el) => el.shadowRoot.firstElementChild.tagName);

// The WCAG contrast of two CSS colours as the browser paints them (a 1x1
// canvas reads any syntax: rgb(), oklch(), color-mix() results).
async function contrast(page, a, b) {
  return page.evaluate(
    ([a, b]) => {
      const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
      const y = (color) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, bl] = [...ctx.getImageData(0, 0, 1, 1).data].map((c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
      };
      const [hi, lo] = [y(a), y(b)].sort((p, q) => q - p);
      return (hi + 0.05) / (lo + 0.05);
    },
    [a, b],
  );
}

test.beforeEach(async ({ page }) => {
  await openEmbed(page);
});

test.describe('a render patches the DOM shown (dom.js morph)', () => {
  test('morph keeps matching nodes, updates attributes, text and handlers, keeps <details open> and focus, replaces a closed dialog', async ({ page }) => {
    const result = await page.evaluate(async () => {
      const { h, morph } = await import('/src/dom.js');
      const host = document.createElement('div');
      document.body.append(host);
      const calls = [];
      const build = (n) =>
        h(
          'article',
          { class: `panel v${n}`, 'data-old': n === 1 ? 'yes' : null },
          h('p', { id: 'text' }, `Version ${n}`),
          h('p', { id: 'stable' }, 'Unchanged text'),
          h('button', { 'data-key': 'b', onclick: () => calls.push(n) }, `Button ${n}`),
          n === 1 ? h('span', { id: 'gone' }, 'gone in 2') : null,
          h('details', { part: 'explanation' }, h('summary', {}, 'Why?'), h('p', {}, `why ${n}`)),
          h('dialog', { 'data-action': 'x' }, `dialog ${n}`),
        );
      const live = build(1);
      host.append(live);
      const [text, stable, button, details, dialog] = ['#text', '#stable', 'button', 'details', 'dialog'].map((s) => live.querySelector(s));
      details.open = true;
      button.focus();
      // A selection in text that does not change.
      getSelection().setBaseAndExtent(stable.firstChild, 2, stable.firstChild, 8);
      const next = build(2);
      const kept = morph(live, next);
      button.click();
      const out = {
        samePanel: kept === live && host.firstElementChild === live,
        className: live.className,
        oldAttr: live.hasAttribute('data-old'),
        sameText: live.querySelector('#text') === text,
        text: text.textContent,
        sameButton: live.querySelector('button') === button,
        buttonText: button.textContent,
        focused: document.activeElement === button,
        calls,
        gone: live.querySelector('#gone') === null,
        sameDetails: live.querySelector('details') === details,
        open: details.open,
        why: details.querySelector('p').textContent,
        selection: getSelection().toString(),
        // A closed dialog is the one built (its handlers refer to it).
        dialogReplaced: live.querySelector('dialog') !== dialog && live.querySelector('dialog').textContent === 'dialog 2',
      };
      // An open dialog is left as it is.
      const openDialog = live.querySelector('dialog');
      openDialog.show();
      morph(live, build(3));
      out.openDialogKept = live.querySelector('dialog') === openDialog && openDialog.textContent === 'dialog 2';
      openDialog.close();
      // Keyed children move rather than being rebuilt.
      const list = h('ul', {}, h('li', { 'data-key': 'a' }, 'A'), h('li', { 'data-key': 'b' }, 'B'));
      host.append(list);
      const [a, b] = list.children;
      morph(list, h('ul', {}, h('li', { 'data-key': 'b' }, 'B'), h('li', { 'data-key': 'a' }, 'A'), h('li', { 'data-key': 'c' }, 'C')));
      out.reordered = list.children[0] === b && list.children[1] === a && list.textContent === 'BAC';
      host.remove();
      return out;
    });
    expect(result).toEqual({
      samePanel: true,
      className: 'panel v2',
      oldAttr: false,
      sameText: true,
      text: 'Version 2',
      sameButton: true,
      buttonText: 'Button 2',
      focused: true,
      calls: [2],
      gone: true,
      sameDetails: true,
      open: true,
      why: 'why 2',
      selection: 'change',
      dialogReplaced: true,
      openDialogKept: true,
      reordered: true,
    });
  });

  test('an open "Why?" stays open across the minute tick, a locale change and a now change; a focused button keeps focus across a tick', async ({ page }) => {
    await showLive(page, sample('awaiting-shipment'), { start: '2025-03-04T19:50:00Z', pause: '2025-03-04T19:51:00Z' });
    const tracker = page.locator('#tracker');
    await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'AWAITING_SHIPMENT');
    await tracker.locator('details summary').click();
    await tracker.getByRole('button', { name: 'Request cancellation' }).focus();
    // Marks on the nodes shown: a rebuilt node would not carry them.
    await tracker.evaluate((el) => {
      el.shadowRoot.querySelector('details').mark = 'kept';
      el.shadowRoot.activeElement.mark = 'kept';
    });
    const state = () =>
      tracker.evaluate((el) => {
        const d = el.shadowRoot.querySelector('details');
        return { now: el.evaluation.now, open: d.open, kept: d.mark, focus: el.shadowRoot.activeElement?.mark ?? null };
      });

    await page.clock.runFor('01:00');
    await expect.poll(() => tracker.evaluate((el) => el.evaluation.now)).toBe('2025-03-04T19:52:00Z');
    expect(await state()).toEqual({ now: '2025-03-04T19:52:00Z', open: true, kept: 'kept', focus: 'kept' });

    await tracker.evaluate((el) => el.setAttribute('locale', 'id-ID'));
    await expect(tracker.locator('.panel').first()).toHaveAttribute('lang', 'id');
    await expect(tracker.locator('ol.steps li').first()).toContainText('Dipesan');
    expect(await state()).toMatchObject({ open: true, kept: 'kept' });

    await tracker.evaluate((el) => el.setAttribute('now', '2025-03-05T01:00:00Z'));
    await expect.poll(() => tracker.evaluate((el) => el.evaluation.now)).toBe('2025-03-05T01:00:00Z');
    expect(await state()).toMatchObject({ open: true, kept: 'kept' });
  });
});

test('attributes have property accessors on both elements', async ({ page }) => {
  const tracker = page.locator('#tracker');
  const seen = await tracker.evaluate((el) => {
    const out = { orderSrc: el.orderSrc, now: el.now };
    el.now = '2025-03-05T01:00:00Z';
    el.locale = 'id-ID';
    el.theme = 'dark';
    el.eventsSrc = '/v1/orders/US-1003/events';
    out.attrs = ['now', 'locale', 'theme', 'events-src'].map((a) => el.getAttribute(a));
    el.setAttribute('locale', 'en-GB');
    out.locale = el.locale;
    el.theme = null;
    el.eventsSrc = undefined;
    out.removed = [el.hasAttribute('theme'), el.hasAttribute('events-src'), el.theme];
    return out;
  });
  expect(seen).toEqual({
    orderSrc: 'sample-order.json',
    now: '2025-03-04T20:00:00Z',
    attrs: ['2025-03-05T01:00:00Z', 'id-ID', 'dark', '/v1/orders/US-1003/events'],
    locale: 'en-GB',
    removed: [false, false, null],
  });
  await expect.poll(() => tracker.evaluate((el) => el.evaluation?.now)).toBe('2025-03-05T01:00:00Z');

  const checkout = page.locator('#checkout');
  await checkout.evaluate((el) => {
    el.market = 'US';
    el.handlingDays = 5;
    el.transitDays = '1-2';
  });
  expect(await checkout.evaluate((el) => [el.getAttribute('handling-days'), el.handlingDays, el.transitDays, el.market])).toEqual(['5', '5', '1-2', 'US']);
  // Handling 5 working days from Tue, Mar 4 (US): Tue, Mar 11 (as in checkout.spec).
  await expect(checkout.locator('dd[data-term="ships_by"]')).toHaveText('Tue, Mar 11');
});

test.describe('themes', () => {
  // Tall: axe's colour-contrast check is much faster when it need not scroll.
  test.use({ viewport: { width: 1280, height: 3000 } });
  const panelBg = (el) => el.evaluate((e) => getComputedStyle(e.shadowRoot.querySelector('.panel')).backgroundColor);
  const WHITE = 'rgb(255, 255, 255)';
  const DARK = 'rgb(23, 25, 29)';

  test('theme="light|dark|auto" and, without it, the page\'s color-scheme', async ({ page }) => {
    const tracker = page.locator('#tracker');
    await expect(tracker.locator('.headline')).toBeVisible();
    const set = (theme) => tracker.evaluate((el, theme) => (el.theme = theme), theme);
    const pageScheme = (value) => page.evaluate((value) => (document.documentElement.style.colorScheme = value), value);

    await page.emulateMedia({ colorScheme: 'light' });
    await set('dark');
    expect(await panelBg(tracker)).toBe(DARK);
    await set('auto');
    expect(await panelBg(tracker)).toBe(WHITE);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await panelBg(tracker)).toBe(DARK);
    await set('light');
    expect(await panelBg(tracker)).toBe(WHITE);

    // No theme: the page's color-scheme (embed.html declares "light dark").
    await set(null);
    expect(await panelBg(tracker)).toBe(DARK);
    // A light-only page on a dark OS: a light widget.
    await pageScheme('light');
    expect(await panelBg(tracker)).toBe(WHITE);
    // A dark page on a light OS: a dark widget.
    await page.emulateMedia({ colorScheme: 'light' });
    await pageScheme('dark');
    expect(await panelBg(tracker)).toBe(DARK);
  });

  // Pages that set only some colours, each on a light and a dark OS with a
  // page of "light dark": axe finds no contrast problem in the tracker (with
  // its boxes, buttons and "Why?" open) or the checkout.
  const PARTIAL = {
    'only --ot-surface: #111': { '--ot-surface': '#111' },
    'a light brand: bg, surface, border, accent (no text colours)': { '--ot-bg': '#fffaf3', '--ot-surface': '#f6ead8', '--ot-border': '#e0cfb5', '--ot-accent': '#8a3ffc' },
    'only --ot-accent: #fe2c55': { '--ot-accent': '#fe2c55' },
    'only --ot-fg: #fff': { '--ot-fg': '#fff' },
    'only a dark --ot-bg': { '--ot-bg': '#101418' },
    'only a yellow --ot-accent and --ot-muted: #999': { '--ot-accent': '#ffd000', '--ot-muted': '#999' },
  };
  for (const scheme of ['light', 'dark']) {
    test(`partial theming cannot give unreadable contrast (axe, ${scheme} OS)`, async ({ page }) => {
      test.setTimeout(60_000);
      await page.emulateMedia({ colorScheme: scheme });
      const tracker = page.locator('#tracker');
      await showOrder(page, { order: sample('return-approved'), now: DEMO_NOW });
      await tracker.evaluate((el) => (el.shadowRoot.querySelector('details').open = true));
      for (const [name, vars] of Object.entries(PARTIAL)) {
        await page.evaluate((vars) => {
          for (const id of ['tracker', 'checkout']) {
            const el = document.getElementById(id);
            el.removeAttribute('style');
            for (const [k, v] of Object.entries(vars)) el.style.setProperty(k, v);
            // The ground is read at render: re-render as a page's change of its styles would.
            el.setAttribute('now', el.getAttribute('now') === '2025-03-04T20:00:00Z' ? '2025-03-04T20:00:01Z' : '2025-03-04T20:00:00Z');
          }
        }, vars);
        await expect.poll(() => tracker.evaluate((el) => el.evaluation?.now)).toMatch(/^2025-03-04T20:00:0[01]Z$/);
        await page.waitForFunction(() => document.getElementById('tracker').evaluation && document.getElementById('checkout').evaluation);
        const { violations } = await new AxeBuilder({ page }).include('#tracker').include('#checkout').withRules(['color-contrast']).analyze();
        const summary = violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? ''}`)).slice(0, 5);
        expect(summary, `${name} (${scheme} OS)`).toEqual([]);
      }
      // The step markers, done and not yet, are 3:1 at least on the ground
      // (WCAG 1.4.11), with the last theme's yellow accent and light muted.
      await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW });
      const colours = await tracker.evaluate((el) => {
        const ground = getComputedStyle(el.shadowRoot.querySelector('.panel')).backgroundColor;
        return ['.step.done', '.step:not(.done)'].map((s) => [getComputedStyle(el.shadowRoot.querySelector(s), '::before').borderTopColor, ground]);
      });
      for (const pair of colours) expect(await contrast(page, ...pair), pair.join(' on ')).toBeGreaterThanOrEqual(3);
    });
  }
});

test.describe('languages', () => {
  test('registerLocale adds a language (right to left here) and overrides some messages of English', async ({ page }) => {
    const tracker = page.locator('#tracker');
    await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW });
    const first = tracker.locator('ol.steps li').first();
    await expect(first).toContainText('Placed');
    // An override of one English message: every element re-renders.
    await page.evaluate(async () => {
      const { registerLocale } = await import('/dist/ordertrail-widget.js');
      registerLocale('en', { 'step.placed': 'Ordered' });
    });
    await expect(first).toContainText('Ordered');
    await expect(tracker.locator('ol.steps li').nth(1)).toContainText('Paid');

    // A small Arabic table: its sentences, dates by Intl in ar-EG, dir="rtl".
    const refused = await page.evaluate(async () => {
      const { registerLocale } = await import('/dist/ordertrail-widget.js');
      registerLocale('ar', { 'step.placed': 'تم الطلب', 'step.state.done': 'تم', 'countdown.days.one': 'بقي يوم واحد', 'countdown.days.other': 'بقي {n} أيام' }, { dir: 'rtl' });
      try {
        registerLocale('not a tag!', {});
        return null;
      } catch (e) {
        return e.name;
      }
    });
    expect(refused).toBe('TypeError');
    await tracker.evaluate((el) => (el.locale = 'ar-EG'));
    await expect(first).toHaveText(/^تم الطلب \(تم\)/);
    const panel = tracker.locator('.panel').first();
    await expect(panel).toHaveAttribute('dir', 'rtl');
    await expect(panel).toHaveAttribute('lang', 'ar');
    expect(await panel.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    // Placed Mon, Mar 3 (PST) in ar-EG: Arabic-Indic digits ("٣ مارس"); the countdowns from the table.
    await expect(first.locator('time')).toHaveText(/٣/);
    await expect(tracker.locator('.countdown').filter({ hasText: /بقي [٠-٩]+ أيام/ })).not.toHaveCount(0);
    expect(await tracker.evaluate((el) => el.resolvedLocale)).toBe('ar-EG');

    // Without dir, a right-to-left language is found right to left by Intl.
    await page.evaluate(async () => (await import('/dist/ordertrail-widget.js')).registerLocale('he', { 'step.placed': 'ממתין' }));
    await tracker.evaluate((el) => (el.locale = 'he'));
    await expect(first).toContainText('ממתין');
    await expect(panel).toHaveAttribute('dir', 'rtl');
  });

  test('a locale not registered is English throughout: no French dates or countdowns in English sentences', async ({ page }) => {
    const tracker = page.locator('#tracker');
    // ON_HOLD at 20:00Z: free cancellation until 12:40 PM PST, 40 minutes away.
    await showOrder(page, { order: sample('on-hold'), now: DEMO_NOW, locale: 'fr-FR' });
    await expect(tracker.locator('.headline')).toHaveAttribute('data-status', 'ON_HOLD');
    expect(await tracker.evaluate((el) => [el.resolvedLocale, el.shadowRoot.querySelector('.panel').lang, el.shadowRoot.querySelector('.panel').dir])).toEqual(['en', 'en', 'ltr']);
    const text = await tracker.locator('.panel').first().innerText();
    expect(text).toContain('Tue, Mar 4');
    expect(text).toContain('in 40 minutes');
    expect(text).not.toMatch(/dans|mars|mar\. 4|minutes? restantes/);
  });
});

test.describe('the order from an inline <script type="application/json">', () => {
  const make = (page, order, attrs = {}) =>
    page.evaluate(
      ({ order, attrs }) => {
        const el = document.createElement('ordertrail-tracker');
        el.id = 'inline';
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        const script = document.createElement('script');
        script.type = 'application/json';
        script.textContent = typeof order === 'string' ? order : JSON.stringify(order);
        el.append(script);
        document.querySelector('main').append(el);
      },
      { order, attrs },
    );

  test('is shown, followed when its text changes, and ranks after the property and order-src', async ({ page }) => {
    await make(page, sample('unpaid'), { now: DEMO_NOW });
    const inline = page.locator('#inline');
    await expect(inline.locator('.headline')).toHaveAttribute('data-status', 'UNPAID');

    // The server renders the order anew (the script's text changes).
    await page.evaluate((order) => (document.querySelector('#inline script').textContent = JSON.stringify(order)), sample('in-transit'));
    await expect(inline.locator('.headline')).toHaveAttribute('data-status', 'IN_TRANSIT');

    // Precedence: the property over order-src over the inline order.
    await inline.evaluate((el) => (el.orderSrc = 'sample-order.json'));
    await expect.poll(() => inline.evaluate((el) => el.evaluation?.order_id)).toBe('US-1003');
    await inline.evaluate((el, order) => (el.order = order), sample('delivered'));
    await expect(inline.locator('.headline')).toHaveAttribute('data-status', 'DELIVERED');
    await inline.evaluate((el) => {
      el.order = null;
      el.orderSrc = null;
    });
    await expect(inline.locator('.headline')).toHaveAttribute('data-status', 'IN_TRANSIT');
  });

  test('bad JSON gives the error panel and .error', async ({ page }) => {
    await make(page, '{"order_id": "US-1", ', { now: DEMO_NOW });
    const inline = page.locator('#inline');
    await expect(inline.getByRole('alert')).toContainText('The details of this order could not be read.');
    expect(await inline.evaluate((el) => [el.evaluation, el.error?.schema, el.error?.code])).toEqual([null, 'ordertrail.error/1', 'invalid_json']);
    // Corrected by the server: shown.
    await page.evaluate((order) => (document.querySelector('#inline script').textContent = JSON.stringify(order)), sample('unpaid'));
    await expect(inline.locator('.headline')).toHaveAttribute('data-status', 'UNPAID');

    // The checkout takes its market from an inline order, and says when it is not JSON.
    await page.evaluate(() => {
      const el = document.createElement('ordertrail-checkout');
      el.id = 'inline-checkout';
      el.setAttribute('now', '2025-03-04T20:00:00Z');
      const script = document.createElement('script');
      script.type = 'application/json';
      script.textContent = '{"market": "ID"}';
      el.append(script);
      document.querySelector('main').append(el);
    });
    const checkout = page.locator('#inline-checkout');
    await expect.poll(() => checkout.evaluate((el) => el.evaluation?.market)).toBe('ID');
    await page.evaluate(() => (document.querySelector('#inline-checkout script').textContent = 'not json'));
    await expect(checkout.getByRole('alert')).toBeVisible();
    expect(await checkout.evaluate((el) => [el.evaluation, el.error?.schema, el.error?.code])).toEqual([null, 'ordertrail.error/1', 'invalid_json']);
  });
});

test.describe('the steps', () => {
  test('at 375 px a vertical stepper; each step says its state in text; small texts at least 13 px', async ({ page }) => {
    const tracker = page.locator('#tracker');
    await showOrder(page, { order: sample('awaiting-shipment'), now: DEMO_NOW });
    const steps = tracker.locator('ol.steps li');
    // 1280 px: one row.
    expect(await tracker.locator('ol.steps').evaluate((el) => getComputedStyle(el).flexDirection)).toBe('row');
    const rowTops = await steps.evaluateAll((lis) => lis.map((li) => Math.round(li.getBoundingClientRect().top)));
    expect(new Set(rowTops).size).toBe(1);

    await page.setViewportSize({ width: 375, height: 900 });
    await expect(tracker.locator('.panel').first()).toHaveAttribute('data-narrow', '');
    expect(await tracker.locator('ol.steps').evaluate((el) => getComputedStyle(el).flexDirection)).toBe('column');
    const boxes = await steps.evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect()).map((r) => ({ left: Math.round(r.left), top: r.top, bottom: r.bottom })));
    expect(new Set(boxes.map((b) => b.left)).size).toBe(1);
    for (let i = 1; i < boxes.length; ++i) expect(boxes[i].top).toBeGreaterThanOrEqual(boxes[i - 1].bottom - 0.5);

    // Placed (done), Paid (current: AWAITING_SHIPMENT), Shipped and Delivered (not yet).
    await expect(steps).toHaveText([/^Placed \(done\)/, /^Paid \(current step\)/, 'Shipped (not yet)', 'Delivered (not yet)']);
    await expect(steps.nth(1)).toHaveAttribute('aria-current', 'step');
    expect(await steps.evaluateAll((lis) => lis.filter((li) => li.hasAttribute('aria-current')).length)).toBe(1);
    // The state's text is for screen readers (1 px, clipped), not on screen.
    expect((await steps.nth(2).locator('.visually-hidden').boundingBox()).width).toBeLessThanOrEqual(1);

    const sizes = await tracker.evaluate((el) =>
      [...el.shadowRoot.querySelectorAll('h3, .step .when, .countdown, .meta')].map((n) => parseFloat(getComputedStyle(n).fontSize)),
    );
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(13);
  });

  test('several trackers on a page: every region is named with its order (axe landmark-unique)', async ({ page }) => {
    await page.evaluate((orders) => {
      for (const [i, order] of orders.entries()) {
        const el = document.createElement('ordertrail-tracker');
        el.id = `more-${i}`;
        el.setAttribute('now', '2025-03-04T20:00:00Z');
        el.order = order;
        document.querySelector('main').append(el);
      }
    }, [sample('unpaid'), sample('request-pending'), sample('delivered')]);
    await page.waitForFunction(() => [0, 1, 2].every((i) => document.getElementById(`more-${i}`).evaluation));
    const names = await page.locator('#more-0').evaluate((el) => [...el.shadowRoot.querySelectorAll('section[aria-label]')].map((s) => s.getAttribute('aria-label')));
    // With #tracker (US-1003, the embed page's) four trackers.
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) expect(name).toMatch(/^\S.*, order US-1001$/);
    const { violations } = await new AxeBuilder({ page }).withRules(['landmark-unique']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  });
});

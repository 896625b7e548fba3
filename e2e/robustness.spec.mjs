// The widgets when things go wrong (issue 11 items 4, 6, 16; reviews/hostile
// F3, F4, F10, F11): an order-src that fails (404, network, not JSON), a wasm
// that cannot be loaded, a new order the core refuses, order-src removed, money
// past 2^53, and clocks past 9999-12-31. Each time: nothing of the previous
// order stays on screen, the buyer reads what to do (never the engine's,
// the network's or Emscripten's text), `.error` is set, and the page gets
// `ordertrail-evaluated` with the error.
import { test as base, expect } from '@playwright/test';
import { DEMO_NOW, SAMPLE_ORDERS } from '../web/demo/orders.js';

const sample = (key) => structuredClone(SAMPLE_ORDERS.find((s) => s.key === key).order);

// Like fixtures.mjs (fail on any page error or dialog), but a test may expect
// some console errors: the browser logs every failed fetch, and Emscripten
// logs why its wasm could not be loaded.
const test = base.extend({
  allowConsole: [null, { option: true }],
  page: async ({ page, allowConsole }, use) => {
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !(allowConsole && allowConsole.test(m.text()))) problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', async (d) => {
      problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
      await d.dismiss();
    });
    await use(page);
    expect(problems, 'no page errors, dialogs or unexpected console errors').toEqual([]);
  },
});

// Texts no buyer should read on a panel.
const RAW = /404|Not Found|Failed to fetch|ERR_|invalid_json|load_failed|module_load_failed|internal_error|Aborted|WebAssembly|wasm|NaN|Invalid Date|undefined|null|byte offset/;

const ORDER_A = { ...sample('awaiting-shipment'), order_id: 'ORDER-A' };
const ORDER_B = { ...sample('awaiting-shipment'), order_id: 'ORDER-B' };

// Serves /dyn/* from the test: a good order, a 404, a network failure, HTML,
// and a slow order (released by calling the returned function).
async function routes(page) {
  let release;
  const slow = new Promise((r) => (release = r));
  await page.route('**/dyn/**', async (route) => {
    const url = new URL(route.request().url());
    const json = (o) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(o) });
    if (url.pathname.endsWith('/a.json')) return json(ORDER_A);
    if (url.pathname.endsWith('/b.json')) return json(ORDER_B);
    if (url.pathname.endsWith('/missing.json')) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' });
    if (url.pathname.endsWith('/down.json')) return route.abort('failed');
    if (url.pathname.endsWith('/html.json')) return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><h1>502 Bad Gateway</h1>' });
    if (url.pathname.endsWith('/slow.json')) {
      await slow;
      return json(ORDER_B);
    }
    return route.fulfill({ status: 500, body: 'unexpected' });
  });
  return release;
}

// Sets order-src (or removes it, for null) and resolves to the next ordertrail-evaluated detail.
function setSource(page, src) {
  return page.evaluate((src) => {
    const t = document.querySelector('#tracker');
    const done = new Promise((resolve) => t.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
    if (src === null) t.removeAttribute('order-src');
    else t.setAttribute('order-src', src);
    return done;
  }, src);
}

async function expectCleared(tracker, { code, text }) {
  const alert = tracker.getByRole('alert');
  await expect(alert).toContainText(text);
  await expect(alert).toHaveAttribute('data-code', code);
  const shown = await tracker.evaluate((el) => el.shadowRoot.textContent);
  expect(shown).not.toContain('ORDER-A');
  expect(shown).not.toMatch(RAW);
  await expect(tracker.locator('.headline')).toHaveCount(0);
  expect(await tracker.evaluate((el) => [el.evaluation, el.error?.schema, el.error?.code])).toEqual([null, 'ordertrail.error/1', code]);
}

test.describe('order-src failures', () => {
  test.use({ allowConsole: /Failed to load resource/ });

  test.beforeEach(async ({ page }) => {
    await page.goto('/demo/embed.html');
    await page.waitForFunction(() => document.querySelector('#tracker')?.evaluation);
  });

  for (const [name, src, code, text] of [
    ['a 404', 'dyn/missing.json', 'load_failed', 'We could not load this order just now. Please try again in a moment.'],
    ['a network failure', 'dyn/down.json', 'load_failed', 'We could not load this order just now. Please try again in a moment.'],
    ['a response that is not JSON', 'dyn/html.json', 'invalid_json', 'The details of this order could not be read.'],
  ]) {
    test(`${name} clears the previous order, tells the buyer, sets .error and fires ordertrail-evaluated`, async ({ page }) => {
      await routes(page);
      const tracker = page.locator('#tracker');
      const a = await setSource(page, 'dyn/a.json');
      expect(a.evaluation.order_id).toBe('ORDER-A');
      await expect(tracker.locator('.meta')).toContainText('ORDER-A');

      const detail = await setSource(page, src);
      expect(detail.evaluation).toBeNull();
      expect(detail.error).toMatchObject({ schema: 'ordertrail.error/1', code });
      await expectCleared(tracker, { code, text });
      // The page (not the buyer) gets the details.
      if (code === 'load_failed') expect(detail.error.message).toContain(src);

      // And the next good source shows again.
      const b = await setSource(page, 'dyn/b.json');
      expect([b.evaluation?.order_id, b.error]).toEqual(['ORDER-B', null]);
      await expect(tracker.locator('.meta')).toContainText('ORDER-B');
      expect(await tracker.evaluate((el) => el.error)).toBeNull();
    });
  }

  test('while a new order-src loads, the previous order is not shown', async ({ page }) => {
    const release = await routes(page);
    const tracker = page.locator('#tracker');
    await setSource(page, 'dyn/a.json');
    await page.evaluate(() => document.querySelector('#tracker').setAttribute('order-src', 'dyn/slow.json'));
    await expect(tracker.getByRole('status')).toHaveText('Loading order…');
    expect(await tracker.evaluate((el) => [el.evaluation, el.shadowRoot.textContent.includes('ORDER-A')])).toEqual([null, false]);
    const done = page.evaluate(() => new Promise((r) => document.querySelector('#tracker').addEventListener('ordertrail-evaluated', (e) => r(e.detail), { once: true })));
    release();
    expect((await done).evaluation.order_id).toBe('ORDER-B');
  });

  test('removing order-src clears the order', async ({ page }) => {
    await routes(page);
    const tracker = page.locator('#tracker');
    await setSource(page, 'dyn/a.json');
    await page.evaluate(() => document.querySelector('#tracker').removeAttribute('order-src'));
    await expect(tracker.locator('.headline')).toHaveCount(0);
    await expect.poll(() => tracker.evaluate((el) => [el.evaluation, el.error, el.shadowRoot.textContent.includes('ORDER-A')])).toEqual([null, null, false]);
  });

  test('a new order the core refuses replaces the previous one', async ({ page }) => {
    const tracker = page.locator('#tracker');
    const bad = { ...ORDER_B, events: [{ type: 'shipped', at: 'yesterday' }] };
    const detail = await page.evaluate((order) => {
      const t = document.querySelector('#tracker');
      const done = new Promise((resolve) => t.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      t.order = order;
      return done;
    }, bad);
    expect(detail).toMatchObject({ order_id: 'ORDER-B', evaluation: null, error: { code: 'invalid_instant', path: '/events/0/at' } });
    await expectCleared(tracker, { code: 'invalid_instant', text: 'The details of this order could not be read. Please contact the seller or our support team.' });
    expect(await tracker.evaluate((el) => el.shadowRoot.textContent)).not.toContain('yesterday');
  });
});

test.describe('the wasm cannot be loaded', () => {
  test.use({ allowConsole: /Failed to load resource|wasm|Aborted|WebAssembly|fetch/i });

  test('both widgets say so to the buyer, set .error and fire ordertrail-evaluated', async ({ page }) => {
    await page.route('**/dist/ordertrail.wasm', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
    await page.addInitScript(() => {
      window.__evaluated = [];
      document.addEventListener('ordertrail-evaluated', (e) => window.__evaluated.push({ id: e.target.id, detail: e.detail }));
    });
    await page.goto('/demo/embed.html');
    await page.waitForFunction(() => ['tracker', 'checkout'].every((id) => window.__evaluated.some((x) => x.id === id)));
    const events = await page.evaluate(() => window.__evaluated);
    const tracker = events.find((x) => x.id === 'tracker').detail;
    const checkout = events.find((x) => x.id === 'checkout').detail;
    expect(tracker).toMatchObject({ evaluation: null, error: { schema: 'ordertrail.error/1', code: 'module_load_failed' } });
    expect(checkout).toMatchObject({ quote: null, error: { schema: 'ordertrail.error/1', code: 'module_load_failed' } });
    await expectCleared(page.locator('#tracker'), { code: 'module_load_failed', text: 'Order tracking is not available just now. Please reload the page or try again later.' });
    const panel = page.locator('#checkout').getByRole('alert');
    await expect(panel).toContainText('The delivery promise cannot be computed');
    await expect(panel).toContainText('Delivery dates are not available just now. Please try again later.');
    expect(await page.locator('#checkout').evaluate((el) => [el.evaluation, el.error?.code, el.shadowRoot.textContent])).toEqual([
      null, 'module_load_failed', expect.not.stringMatching(RAW),
    ]);
  });

  test('a failed load is tried again on the next evaluation, and then works', async ({ page }) => {
    let fail = true;
    await page.route('**/dist/ordertrail.wasm', (route) => (fail ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
    await page.addInitScript(() => {
      window.__evaluated = [];
      document.addEventListener('ordertrail-evaluated', (e) => window.__evaluated.push({ id: e.target.id, detail: e.detail }));
    });
    await page.goto('/demo/embed.html');
    await page.waitForFunction(() => window.__evaluated.some((x) => x.id === 'tracker'));
    await expect(page.locator('#tracker').getByRole('alert')).toHaveAttribute('data-code', 'module_load_failed');
    fail = false;
    const detail = await page.evaluate(() => {
      const t = document.querySelector('#tracker');
      const done = new Promise((resolve) => t.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      t.setAttribute('now', '2025-03-04T20:01:00Z');
      return done;
    });
    expect([detail.error, detail.evaluation?.order_id]).toEqual([null, 'US-1003']);
    await expect(page.locator('#tracker .headline, #tracker >> .headline')).toHaveCount(1);
  });
});

test.describe('money and clocks the widget must write down', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/demo/embed.html');
    await page.waitForFunction(() => document.querySelector('#tracker')?.evaluation);
  });

  const show = (page, order, now = DEMO_NOW) =>
    page.evaluate(({ order, now }) => {
      const t = document.querySelector('#tracker');
      const done = new Promise((resolve) => t.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      t.removeAttribute('order-src');
      t.setAttribute('now', now);
      t.order = order;
      return done;
    }, { order, now });

  test('money is formatted from integers: exact past 2^53, never NaN', async ({ page }) => {
    // Worked by hand: 3 x 9,007,199,254,740,991 = 27,021,597,764,222,973 minor
    // units (a float product gives ...229.72); 1,000,000 x the same =
    // 9,007,199,254,740,991,000,000.
    const out = await page.evaluate(async () => {
      const { formatter, lineAmount } = await import('/src/format.js');
      const f = formatter('en-US', 'America/Los_Angeles');
      const id = formatter('id-ID', 'Asia/Jakarta');
      return {
        three: f.money(lineAmount(9007199254740991, 3), 'USD'),
        million: f.money(lineAmount(9007199254740991, 1000000), 'USD'),
        float: f.money(9007199254740991 * 3, 'USD'),
        nan: f.money(NaN, 'USD'),
        half: f.money(1.5, 'USD'),
        text: f.money(lineAmount('oops', 2), 'USD'),
        digits: f.money('12345', 'USD'),
        negative: f.money(-5, 'USD'),
        jpy: f.money(lineAmount(9007199254740991, 3), 'JPY'),
        idr: id.money(lineAmount(150000000, 3), 'IDR'),
        noQty: f.money(lineAmount(2499), 'USD'),
      };
    });
    expect(out).toEqual({
      three: '$270,215,977,642,229.73',
      million: '$90,071,992,547,409,910,000.00',
      float: '—',  // 27021597764222972 as a number is not a safe integer: refused, not rounded
      nan: '—',
      half: '—',
      text: '—',
      digits: '$123.45',
      negative: '-$0.05',
      jpy: '¥27,021,597,764,222,973',
      idr: 'Rp\u00a04.500.000',
      noQty: '$24.99',
    });
  });

  test('an item line of 3 x 90,071,992,547,409.91 is exact in the tracker, or refused cleanly', async ({ page }) => {
    const order = { ...sample('awaiting-shipment'), order_id: 'BIG-1', total_minor: 2499, items: [{ sku: 'BIG', name: 'Big', qty: 3, unit_price_minor: 9007199254740991 }] };
    const detail = await show(page, order);
    const tracker = page.locator('#tracker');
    const text = await tracker.evaluate((el) => el.shadowRoot.textContent);
    expect(text).not.toMatch(/NaN|Infinity|e\+/);
    if (detail.evaluation) {
      // A core that accepts the order: the line is the exact product.
      await expect(tracker.locator('.items .price')).toHaveText('$270,215,977,642,229.73');
    } else {
      // The checked-arithmetic core refuses the line (invalid_value at /items/0/...).
      expect(detail.error.path).toMatch(/^\/items\/0/);
      await expect(tracker.getByRole('alert')).toContainText('could not be read');
    }
    // A line the core always accepts (2^53 - 1 exactly: 3 x 3,002,399,751,580,330 + 1 x 1).
    const fits = { ...order, order_id: 'BIG-2', total_minor: 9007199254740991, items: [{ sku: 'A', name: 'A', qty: 3, unit_price_minor: 3002399751580330 }, { sku: 'B', name: 'B', qty: 1, unit_price_minor: 1 }] };
    const ok = await show(page, fits);
    expect(ok.error).toBeNull();
    await expect(tracker.locator('.items .price')).toHaveText(['$90,071,992,547,409.90', '$0.01']);
  });

  test('est_delivery 9999-12-31 (hostile F3): the tracker renders and fires ordertrail-evaluated', async ({ page }) => {
    const tracker = page.locator('#tracker');
    for (const key of ['awaiting-shipment', 'in-transit']) {
      const order = sample(key);
      order.promise = { ...order.promise, est_delivery: '9999-12-31' };
      const detail = await show(page, order);
      expect(detail.error, `${key}: ${JSON.stringify(detail.error)}`).toBeNull();
      expect(detail.evaluation.order_id).toBe(order.order_id);
      await expect(tracker.locator('.headline')).toHaveCount(1);
      const text = await tracker.evaluate((el) => el.shadowRoot.textContent);
      expect(text).not.toMatch(/NaN|Invalid|undefined/);
    }
  });

  test('clocks past 9999, missing or null: formatted as a date or "—", never a throw', async ({ page }) => {
    const out = await page.evaluate(async () => {
      const { formatter, instantMs } = await import('/src/format.js');
      const f = formatter('en-US', 'America/Los_Angeles');
      const now = '2025-03-04T20:00:00Z';
      return {
        ms: instantMs('10000-01-08T08:00:00Z'),
        lower: instantMs('2025-03-04t20:00:00.123456789z'),
        offset: instantMs('2025-03-04T12:00:00-08:00'),
        bad: [instantMs(null), instantMs(undefined), instantMs('soon'), instantMs('2025-03-04 20:00:00Z')].map(String),
        far: f.dateTime('10000-01-08T08:00:00Z'),
        deadline: f.deadline('10000-01-08T08:00:00Z').text,
        nullDeadline: f.deadline(null),
        missing: [f.dateTime(undefined), f.date(null), f.dateRange(null, '2025-03-05'), f.relative(undefined, now), f.relativeDays(null, now), f.number(NaN)],
        range: f.dateRange('2025-03-10', '2025-03-12'),
      };
    });
    expect(out.ms).toBe(Date.UTC(10000, 0, 8, 8));
    expect(out.lower).toBe(Date.UTC(2025, 2, 4, 20, 0, 0, 123));
    expect(out.offset).toBe(Date.UTC(2025, 2, 4, 20));
    expect(out.bad).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    expect(out.far).toContain('Jan');
    expect(out.deadline).not.toMatch(/NaN|Invalid/);
    expect(out.nullDeadline).toEqual({ text: '—', date: null, iso: null });
    expect(out.missing).toEqual(['—', '—', 'Wed, Mar 5', '—', '—', '—']);
    expect(out.range).toBe('Mon, Mar 10 – Wed, Mar 12');
  });

  test('a checkout at 9999-12-31T23:59:59Z answers (a promise or a clean error) and fires ordertrail-evaluated', async ({ page }) => {
    const detail = await page.evaluate(() => {
      const c = document.querySelector('#checkout');
      const done = new Promise((resolve) => c.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      c.setAttribute('now', '9999-12-31T23:59:59Z');
      return done;
    });
    const text = await page.locator('#checkout').evaluate((el) => el.shadowRoot.textContent);
    expect(text).not.toMatch(/NaN|Invalid|undefined/);
    if (detail.error) await expect(page.locator('#checkout').getByRole('alert')).toContainText('The delivery promise cannot be computed');
    else await expect(page.locator('#checkout dd[data-term="pay_by"]')).not.toHaveText('');
  });
});

test.describe("the steps follow the core's events list (issue 11 item 17)", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/demo/embed.html');
    await page.waitForFunction(() => document.querySelector('#tracker')?.evaluation);
  });

  test('a step is dated by the event the core applied, not by the raw document', async ({ page }) => {
    // Paid "before the order existed" (an anomaly: the core applies it at
    // placed_at), then a re-delivered webhook a minute later (a duplicate:
    // not applied), then shipped.
    const order = {
      ...sample('awaiting-shipment'),
      order_id: 'EV-1',
      events: [
        { id: 'p1', type: 'payment_succeeded', at: '2025-03-01T00:00:00Z', amount_minor: 4998 },
        { id: 'p1', type: 'payment_succeeded', at: '2025-03-03T18:06:00Z', amount_minor: 4998 },
        { id: 's1', type: 'shipped', at: '2025-03-04T18:00:00Z', carrier: 'UPS', tracking_number: '1Z999AA10123456784' },
      ],
    };
    const detail = await page.evaluate((order) => {
      const t = document.querySelector('#tracker');
      const done = new Promise((resolve) => t.addEventListener('ordertrail-evaluated', (e) => resolve(e.detail), { once: true }));
      t.removeAttribute('order-src');
      t.order = order;
      return done;
    }, order);
    const events = detail.evaluation?.events;
    expect(Array.isArray(events), 'the core lists every event with whether it was applied').toBe(true);
    const firstApplied = (type) => events.filter((x) => x.type === type && x.applied).map((x) => x.at).sort()[0];
    const steps = page.locator('#tracker').locator('ol.steps li');
    const datetimes = await steps.evaluateAll((lis) => lis.map((li) => li.querySelector('time')?.getAttribute('datetime') ?? null));
    // Placed, Paid, Shipped (Delivered not reached).
    expect(datetimes.slice(0, 3)).toEqual([order.placed_at, firstApplied('payment_succeeded'), firstApplied('shipped')]);
    expect(datetimes[1]).not.toBe('2025-03-01T00:00:00Z');
    expect(events.filter((x) => x.type === 'payment_succeeded').map((x) => x.applied)).toEqual([true, false]);
  });
});

// The importers in the browser (issue 18): web/ordertrail.js importOrder()
// loads web/dist/ordertrail-import.mjs on first use and gives, for every
// vector of tests/import, what the vector expects (the native unit test and
// the Node module check the same); the widget's page never downloads it.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, openEmbed } from './fixtures.mjs';

const IMPORTS = fileURLToPath(new URL('../tests/import', import.meta.url));
const vectors = fs
  .readdirSync(IMPORTS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(`${IMPORTS}/${f}`, 'utf8')) }));

// `expected` inside `actual`: objects as subsets, arrays element by element.
function within(expected, actual, where) {
  if (expected !== null && typeof expected === 'object') {
    if (Array.isArray(expected)) {
      expect(Array.isArray(actual) && actual.length === expected.length, `${where}: ${JSON.stringify(actual)}`).toBe(true);
      expected.forEach((x, i) => within(x, actual[i], `${where}/${i}`));
    } else for (const [k, v] of Object.entries(expected)) within(v, actual?.[k], `${where}/${k}`);
  } else expect(actual, where).toEqual(expected);
}

test('importOrder in the page: every tests/import vector, and the widget never loads the importers', async ({ page }) => {
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await openEmbed(page);
  await expect(page.locator('ordertrail-tracker').first()).toBeVisible();
  expect(fetched.filter((p) => p.includes('ordertrail-import')), 'the widget page alone').toEqual([]);
  const results = await page.evaluate(async (vs) => {
    const { importOrder } = await import('/ordertrail.js');
    const out = [];
    for (const v of vs) out.push(await importOrder(v.platform, v.payload, { market: v.market ?? '', sellerId: v.seller_id ?? '' }));
    return out;
  }, vectors);
  expect(fetched.filter((p) => p.endsWith('/dist/ordertrail-import.mjs'))).toHaveLength(1);
  vectors.forEach((v, i) => {
    const out = results[i];
    if (v.expected.error) {
      expect(out, v.file).toMatchObject({ schema: 'ordertrail.error/1', code: v.expected.error.code, path: v.expected.error.path });
      return;
    }
    expect(out.schema, v.file).toBe('ordertrail.import/1');
    if (v.expected.order) within(v.expected.order, out.order, `${v.file}: /order`);
    if (v.expected.warnings) expect(out.warnings.map((w) => w.code), v.file).toEqual(v.expected.warnings);
  });
});

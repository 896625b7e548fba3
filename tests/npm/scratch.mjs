// The npm package as a user gets it: `node web/build.mjs --pack`, then the
// tarball installed into an empty scratch project in a temporary folder
// (`npm install --offline` of a file: the package has no dependencies, so
// nothing is fetched). Used by tests/npm/package_test.mjs (Node and
// TypeScript) and e2e/npm-package.spec.mjs (Chromium).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Packs the package (unless `tgz` is given) and installs it into a new scratch project; returns {dir, tgz, pkg}. */
export async function installPackage({ tgz } = {}) {
  if (!tgz) {
    const { pack } = await import(path.join(root, 'web', 'build.mjs'));
    tgz = await pack();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrail-npm-'));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2)}\n`);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const pkg = path.join(dir, 'node_modules', 'ordertrail');
  if (!fs.existsSync(path.join(pkg, 'package.json'))) throw new Error(`npm install ${tgz} left no ${pkg}`);
  return { dir, tgz, pkg };
}

/** A paid, shipped order of the US market, and the instant it is in transit at. */
export const SHIPPED_ORDER = {
  order_id: 'NPM-1',
  market: 'US',
  seller_id: 'S-1',
  currency: 'USD',
  total_minor: 2599,
  items: [{ sku: 'MUG', name: 'Mug', qty: 1, unit_price_minor: 2599 }],
  payment_method: 'card',
  placed_at: '2025-03-03T18:00:00Z',
  promise: { handling_days: 2, transit_days: [3, 5], est_delivery: '2025-03-12' },
  events: [
    { type: 'payment_succeeded', at: '2025-03-03T18:05:00Z' },
    { type: 'shipped', at: '2025-03-04T18:00:00Z', by: 'seller', carrier: 'UPS', tracking_number: '1Z999' },
  ],
};
export const IN_TRANSIT_AT = '2025-03-06T12:00:00Z';

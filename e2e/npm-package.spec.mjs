// The npm package in Chromium, as a storefront uses it without a bundler
// (issue 19): `node web/build.mjs --pack`, the tarball installed into an
// empty scratch project (tests/npm/scratch.mjs), and a page of that project,
// served from its own folder under a strict Content-Security-Policy, that
// imports `ordertrail/widget` through an import map to
// node_modules/ordertrail/... and shows an order with <ordertrail-tracker>.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test, expect } from '@playwright/test';

import { installPackage, SHIPPED_ORDER, IN_TRANSIT_AT } from '../tests/npm/scratch.mjs';
import { projectVersion } from '../web/build.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

// The import map is an inline script: the page's CSP allows it by its hash,
// as a shop's would (web/README.md "Install from npm").
const IMPORT_MAP = JSON.stringify({ imports: { 'ordertrail/widget': '/node_modules/ordertrail/dist/ordertrail-widget.min.js' } });
const MAP_HASH = crypto.createHash('sha256').update(IMPORT_MAP).digest('base64');
const CSP = `default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${MAP_HASH}'; style-src 'self'; connect-src 'self'`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>scratch shop</title>
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/app.js"></script>
</head>
<body>
<ordertrail-tracker now="${IN_TRANSIT_AT}" order-src="/order.json"></ordertrail-tracker>
</body>
</html>
`;
const APP = `import { ordertrail } from 'ordertrail/widget';
const tracker = document.querySelector('ordertrail-tracker');
tracker.addEventListener('ordertrail-evaluated', (e) => { window.evaluated = e.detail; });
window.coreVersion = (await ordertrail()).version();
`;

let scratch;
let server;
let base;
const requests = [];

test.beforeAll(async () => {
  scratch = await installPackage();
  fs.writeFileSync(path.join(scratch.dir, 'index.html'), PAGE);
  fs.writeFileSync(path.join(scratch.dir, 'app.js'), APP);
  fs.writeFileSync(path.join(scratch.dir, 'order.json'), JSON.stringify(SHIPPED_ORDER));
  // A plain static server of the scratch folder: nothing is bundled or rewritten.
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    const file = path.join(scratch.dir, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(scratch.dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (scratch) fs.rmSync(scratch.dir, { recursive: true, force: true });
});

test('the installed package shows an order in Chromium, through an import map, with no bundler', async ({ page }) => {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/`);

  const tracker = page.locator('ordertrail-tracker');
  // The status in the buyer's words, and the core's status behind it.
  await expect(tracker.locator('[part~="status"]')).toHaveText('On its way');
  await expect(tracker.locator('[part~="headline"]')).toHaveAttribute('data-status', 'IN_TRANSIT');
  await expect(tracker.locator('[part~="tracking"]')).toContainText('1Z999');
  const detail = await page.evaluate(() => window.evaluated);
  expect(detail.error).toBeNull();
  expect(detail.evaluation.schema).toBe('ordertrail.evaluation/2');
  expect(detail.evaluation.effective_status).toBe('IN_TRANSIT');

  const version = projectVersion();
  expect(await page.evaluate(() => window.coreVersion)).toBe(version);
  // The widget, the glue and the wasm came from node_modules, the last two under versioned names.
  const dir = '/node_modules/ordertrail/dist/';
  expect(requests).toContain(`${dir}ordertrail-widget.min.js`);
  expect(requests).toContain(`${dir}ordertrail-${version}.mjs`);
  expect(requests).toContain(`${dir}ordertrail-${version}.wasm`);
  expect(requests.filter((r) => /\/ordertrail\.(mjs|wasm)$/.test(r))).toEqual([]);
  expect(problems).toEqual([]);
});

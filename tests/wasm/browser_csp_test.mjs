// The browser artifact in a real browser (Debian's headless Chromium): the
// browser example of wasm/README.md, as written, loads web/ordertrail.js and
// web/dist under a strict Content-Security-Policy (no 'unsafe-eval', only
// 'wasm-unsafe-eval', which browsers require to compile any WebAssembly) and
// must show the order's status. The same page under a policy that forbids
// WebAssembly must fail, which proves the policy is enforced.
//
//   node browser_csp_test.mjs <web folder> <wasm/README.md> [chromium]   (or CHROMIUM=...)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { readmeSnippet } from './readme_snippets.mjs';

const webDir = path.resolve(process.argv[2] ?? '');
const readme = path.resolve(process.argv[3] ?? '');
const chromium = process.argv[4] ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const STRICT = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
const NO_WASM = "default-src 'none'; script-src 'self'; connect-src 'self'";

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}
for (const f of ['ordertrail.js', 'dist/ordertrail.mjs', 'dist/ordertrail.wasm']) {
  if (!fs.existsSync(path.join(webDir, f))) fail(`${path.join(webDir, f)} is missing: build the wasm preset`);
}
if (!fs.existsSync(chromium)) fail(`no browser at ${chromium} (scripts/install-deps installs chromium)`);

const STATUSES = ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCELLED'];
const example = readmeSnippet(readme, 'Browser');
const page = `<!doctype html><meta charset=utf-8><title>ordertrail CSP test</title>
<pre id=status>pending</pre>
<script src="/probe.js"></script>
<script type=module src="/readme-example.js"></script>`;
// Reports a failed load on the page (the example itself does not catch).
const probe = `const show = (what) => { document.getElementById('status').textContent = 'REJECTED ' + what; };
addEventListener('error', (e) => show(e.message || e.error));
addEventListener('unhandledrejection', (e) => show(e.reason));`;
// The order the example fetches: paid a few minutes before the browser's now.
const order = () => {
  const placed = new Date(Date.now() - 10 * 60_000);
  const paid = new Date(placed.getTime() + 60_000);
  return JSON.stringify({
    order_id: 'W1', market: 'US', seller_id: 'S1', currency: 'USD', total_minor: 100,
    placed_at: placed.toISOString(), events: [{ type: 'payment_succeeded', at: paid.toISOString() }],
  });
};
const generated = { '/readme-example.js': () => example, '/probe.js': () => probe, '/orders/123.json': order };
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/strict.html' || url.pathname === '/no-wasm.html') {
    const csp = url.pathname === '/strict.html' ? STRICT : NO_WASM;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    return res.end(page);
  }
  if (generated[url.pathname]) {
    res.writeHead(200, { 'content-type': url.pathname.endsWith('.json') ? 'application/json' : 'text/javascript' });
    return res.end(generated[url.pathname]());
  }
  const file = path.join(webDir, path.normalize(url.pathname));
  if (!file.startsWith(webDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  return res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// The text of <pre id=status> once the page settled.
function visit(pathname) {
  const profile = fs.mkdtempSync('/tmp/ordertrail-chromium-');
  return new Promise((resolve) => {
    const args = [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-extensions', `--user-data-dir=${profile}`,
      '--virtual-time-budget=10000', '--dump-dom', `${base}${pathname}`,
    ];
    const child = spawn(chromium, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let dom = '';
    child.stdout.on('data', (d) => (dom += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      fs.rmSync(profile, { recursive: true, force: true });
      resolve(/<pre id="status">([^<]*)<\/pre>/.exec(dom)?.[1] ?? `no page (${dom.length} bytes of DOM)`);
    });
  });
}

const strict = await visit('/strict.html');
const noWasm = await visit('/no-wasm.html');
server.close();
console.log(`CSP "${STRICT}": ${strict}`);
console.log(`CSP "${NO_WASM}": ${noWasm.slice(0, 160)}`);
if (!STATUSES.includes(strict)) fail(`under a strict CSP the page says "${strict}", expected an order status`);
if (!noWasm.startsWith('REJECTED')) fail('a CSP without wasm-unsafe-eval did not stop the module: is the policy applied?');

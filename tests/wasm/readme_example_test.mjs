// Runs the Node example of wasm/README.md as written: only its import of
// './web/ordertrail.js' is pointed at this checkout, and `order.json` is a
// sample order in a scratch folder that serves as the working directory.
//
//   node readme_example_test.mjs <wasm/README.md> <web/ordertrail.js>
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { readmeSnippet } from './readme_snippets.mjs';

const [readme, wrapper] = process.argv.slice(2).map((p) => path.resolve(p));
const example = readmeSnippet(readme, 'Node');
if (!example.includes("'./web/ordertrail.js'")) {
  console.error("FAIL: the Node example no longer imports './web/ordertrail.js'");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrail-readme-'));
try {
  fs.writeFileSync(path.join(dir, 'example.mjs'), example.replace("'./web/ordertrail.js'", `'${pathToFileURL(wrapper).href}'`));
  fs.writeFileSync(path.join(dir, 'order.json'), JSON.stringify({
    order_id: 'R1', market: 'US', seller_id: 'S1', currency: 'USD', total_minor: 2500,
    placed_at: '2025-03-03T17:00:00Z', events: [{ type: 'payment_succeeded', at: '2025-03-03T17:05:00Z' }],
  }));
  const run = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  // Paid Monday, not shipped by Wednesday: waiting for shipment, the buyer may request a cancellation.
  const expected = "AWAITING_SHIPMENT request []";
  if (run.status !== 0 || run.stdout.trim() !== expected) {
    console.error(`FAIL: the README's Node example printed "${run.stdout.trim()}" (status ${run.status}), expected "${expected}"`);
    process.exit(1);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

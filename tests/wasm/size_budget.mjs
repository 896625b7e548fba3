// The browser artifact's size budget: wasm + JS glue, compressed with
// `gzip -9`, must not exceed the budget. Prints the sizes either way.
//
//   node size_budget.mjs <ordertrail.mjs> <ordertrail.wasm> <budget bytes>
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [js, wasm, budgetText] = process.argv.slice(2);
const budget = Number(budgetText);
if (!js || !wasm || !(budget > 0)) {
  console.error('usage: node size_budget.mjs <ordertrail.mjs> <ordertrail.wasm> <budget bytes>');
  process.exit(2);
}

function gzip9(file) {
  const res = spawnSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 30 });
  if (res.error || res.status !== 0) {
    console.error(`FAIL: gzip -9 ${file}: ${res.error?.message ?? res.stderr}`);
    process.exit(1);
  }
  return res.stdout.length;
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const row = (name, raw, gz) => console.log(`${name.padEnd(18)} ${String(raw).padStart(9)} B ${kb(raw).padStart(9)}   ${String(gz).padStart(8)} B ${kb(gz).padStart(8)}`);

let rawTotal = 0;
let gzTotal = 0;
console.log(`${'browser artifact'.padEnd(18)} ${'raw'.padStart(21)}   ${'gzip -9'.padStart(19)}`);
for (const file of [wasm, js]) {
  const raw = fs.statSync(file).size;
  const gz = gzip9(file);
  rawTotal += raw;
  gzTotal += gz;
  row(path.basename(file), raw, gz);
}
row('total', rawTotal, gzTotal);
console.log(`budget: ${budget} B (${kb(budget)}) gzip -9; ${gzTotal <= budget ? 'within' : 'OVER'} by ${Math.abs(budget - gzTotal)} B`);
if (gzTotal > budget) {
  console.error(`FAIL: the browser artifact is ${gzTotal} B gzip -9, over the ${budget} B budget`);
  process.exit(1);
}

// Seed corpora for the fuzz targets, from the repository's own data:
//   order        every golden vector's order (tests/vectors), compact and pretty
//   decide       every decision vector's order, a NUL byte and its command (tests/decisions)
//   policy       the shipped policies (policies/) and the vectors' custom policies
//   line_reader  NDJSON of the vectors' orders, with CRLF, blank and long lines,
//                behind the two parameter bytes the target reads first
//   sanitize     untrusted-text samples with escape sequences
//
//   node make_seeds.mjs SOURCE_DIR OUT_DIR
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error('usage: node make_seeds.mjs SOURCE_DIR OUT_DIR');
  process.exit(2);
}
const dirs = {};
for (const t of ['order', 'decide', 'policy', 'line_reader', 'sanitize', 'import']) {
  dirs[t] = path.join(out, t);
  mkdirSync(dirs[t], { recursive: true });
}
const put = (t, name, data) => writeFileSync(path.join(dirs[t], name), data);

const vectorsDir = path.join(source, 'tests/vectors');
const orders = [];
for (const f of readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort()) {
  const v = JSON.parse(readFileSync(path.join(vectorsDir, f), 'utf8'));
  const base = f.replace(/\.json$/, '');
  orders.push(JSON.stringify(v.order));
  put('order', `${base}.json`, JSON.stringify(v.order));
  if (orders.length % 10 === 0) put('order', `${base}.pretty.json`, JSON.stringify(v.order, null, 2));
  if (v.policy && typeof v.policy === 'object') put('policy', `${base}.json`, JSON.stringify(v.policy));
}
const decisionsDir = path.join(source, 'tests/decisions');
for (const f of readdirSync(decisionsDir).filter((f) => f.endsWith('.json')).sort()) {
  const v = JSON.parse(readFileSync(path.join(decisionsDir, f), 'utf8'));
  put('decide', f.replace(/\.json$/, ''), `${JSON.stringify(v.order)}\u0000${JSON.stringify(v.command)}`);
}
// import: every hand-worked payload of tests/import, behind its platform byte (0 TikTok, 1 Shopify).
const importDir = path.join(source, 'tests/import');
for (const f of readdirSync(importDir).filter((f) => f.endsWith('.json')).sort()) {
  const v = JSON.parse(readFileSync(path.join(importDir, f), 'utf8'));
  put('import', f.replace(/\.json$/, ''), Buffer.concat([Buffer.from([v.platform === 'shopify' ? 1 : 0]), Buffer.from(JSON.stringify(v.payload))]));
}
const policiesDir = path.join(source, 'policies');
for (const f of readdirSync(policiesDir).filter((f) => f.endsWith('.json'))) put('policy', f, readFileSync(path.join(policiesDir, f)));

const params = (maxLine, chunk) => Buffer.from([maxLine - 1, chunk - 1]);
const ndjson = orders.slice(0, 12).join('\n');
put('line_reader', 'orders_lf', Buffer.concat([params(256, 64), Buffer.from(ndjson + '\n')]));
put('line_reader', 'orders_crlf_no_final_newline', Buffer.concat([params(200, 7), Buffer.from(orders.slice(0, 6).join('\r\n'))]));
put('line_reader', 'blank_and_long', Buffer.concat([params(16, 3), Buffer.from('\n\n  \n' + 'x'.repeat(40) + '\nshort\n' + 'y'.repeat(17))]));
put('line_reader', 'exact_limits', Buffer.concat([params(8, 8), Buffer.from('12345678\n123456789\n1234567\n\n')]));

const ESC = '\u001b';
const samples = [
  'Ceramic mug, black', `${ESC}[31mRED${ESC}[0m`, `${ESC}]0;title\u0007x`, `${ESC}]8;;http://e/${ESC}\\link${ESC}]8;;${ESC}\\`,
  `${ESC}P1$r${ESC}\\`, '\u009b31m\u009d0;t\u009c', '\u202eevil\u202c \u2066iso\u2069', 'tab\tnl\ncr\rff\u000c',
  'caf\u00e9 \u4e2d\u6587 \u{1f600}', `end${ESC}`, `${ESC}(B${ESC}#8${ESC}c`,
];
samples.forEach((s, i) => put('sanitize', `sample_${i}`, s));
put('sanitize', 'invalid_utf8', Buffer.from([0x41, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0x1b, 0x5b]));
console.log(`make_seeds: ${Object.entries(dirs).map(([t, d]) => `${t} ${readdirSync(d).length}`).join(', ')}`);

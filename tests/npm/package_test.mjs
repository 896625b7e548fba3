// The npm package `ordertrail` as a user installs it (issue 19):
//
//   node tests/npm/package_test.mjs [--tgz build/ordertrail-X.tgz]
//
// Packs it (node web/build.mjs --pack) unless --tgz is given, installs the
// tarball into an empty scratch project (npm install --offline: it has no
// dependencies), and checks there, with nothing bundled: its manifest (name,
// the version of CMakeLists.txt's project(), MIT, no dependencies, the
// exports map, each target present), the files (LICENSE, the versioned glue
// and wasm and who refers to them, the source map), that Node resolves
// `ordertrail` to the Node entry and that it evaluates, decides, quotes and
// imports with documents its own schemas accept, that ot.version() is the
// package's version, custom-elements.json, and a TypeScript consumer
// type-checked by tsc --noEmit --strict, with lines that must be refused
// (so the types are not `any`). The browser side is e2e/npm-package.spec.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { installPackage, root, SHIPPED_ORDER, IN_TRANSIT_AT } from './scratch.mjs';
import { projectVersion } from '../../web/build.mjs';

const { values: opt } = parseArgs({ options: { tgz: { type: 'string' }, keep: { type: 'boolean', default: false } } });

let failures = 0;
let checks = 0;
function expect(ok, what) {
  ++checks;
  if (!ok) {
    ++failures;
    console.log(`FAIL ${what}`);
  }
  return ok;
}

const version = projectVersion();
const { dir, tgz, pkg } = await installPackage({ tgz: opt.tgz && path.resolve(opt.tgz) });
console.log(`installed ${path.relative(root, tgz)} into ${dir}`);
const inPkg = (...p) => path.join(pkg, ...p);
const readPkg = (...p) => fs.readFileSync(inPkg(...p), 'utf8');

// ---- the manifest
const manifest = JSON.parse(readPkg('package.json'));
expect(manifest.name === 'ordertrail', `name is ${manifest.name}`);
expect(manifest.version === version, `version ${manifest.version}, CMakeLists.txt project() says ${version}`);
expect(path.basename(tgz) === `ordertrail-${version}.tgz`, `the tarball is ${path.basename(tgz)}`);
expect(manifest.license === 'MIT', `license is ${manifest.license}`);
expect(!manifest.private, 'the package is not private');
for (const k of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies'])
  expect(manifest[k] === undefined, `the package has ${k}`);
expect(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8') === readPkg('LICENSE'), 'LICENSE is the repository\'s');
const scratchManifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
expect(Object.keys(scratchManifest.dependencies ?? {}).join() === 'ordertrail', 'the scratch project depends on ordertrail only');
expect(fs.readdirSync(path.join(dir, 'node_modules')).filter((f) => !f.startsWith('.')).join() === 'ordertrail', 'node_modules holds ordertrail only');

// Every target of the exports map exists (a pattern: its folder).
const targets = [];
const collect = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(collect));
collect(manifest.exports);
for (const t of targets) expect(fs.existsSync(inPkg(t.replace(/\*.*$/, ''))), `exports target ${t} is missing`);
for (const key of ['.', './widget', './schemas/*', './custom-elements.json', './package.json'])
  expect(key in manifest.exports, `exports has no ${key}`);
expect(manifest.exports['.'].node === './ordertrail.node.mjs' && manifest.exports['.'].default === './ordertrail.js', 'exports "." has node and default entries');
expect(Object.keys(manifest.exports['.'])[0] === 'types' && Object.keys(manifest.exports['./widget'])[0] === 'types', 'types come first in each condition map');

// ---- versioned files: the widget and the wrapper import the glue of this
// version, the glue fetches the wasm of this version, and no unversioned
// browser file is shipped.
const dist = fs.readdirSync(inPkg('dist')).sort();
for (const f of [`ordertrail-${version}.mjs`, `ordertrail-${version}.wasm`, `ordertrail-import-${version}.mjs`, `ordertrail-import-${version}.wasm`, 'ordertrail.node.cjs', 'ordertrail-import.node.cjs', 'ordertrail-widget.js', 'ordertrail-widget.min.js', 'ordertrail-widget.min.js.map'])
  expect(dist.includes(f), `dist/${f} is missing (dist: ${dist})`);
expect(!dist.some((f) => /^ordertrail(-import)?\.(mjs|wasm)$/.test(f)), `an unversioned browser module is shipped: ${dist}`);
const names = (text, ext) => [...new Set(text.match(new RegExp(`ordertrail[-\\w.]*?\\.${ext}\\b`, 'g')) ?? [])].sort();
expect(names(readPkg('dist', `ordertrail-${version}.mjs`), 'wasm').join() === `ordertrail-${version}.wasm`, 'the glue fetches the wasm of its version');
expect(names(readPkg('dist', `ordertrail-import-${version}.mjs`), 'wasm').join() === `ordertrail-import-${version}.wasm`, 'the importers\' glue fetches their wasm of its version');
const min = readPkg('dist', 'ordertrail-widget.min.js');
expect(names(min, 'mjs').join() === [`ordertrail-${version}.mjs`, `ordertrail-import-${version}.mjs`].sort().join(), `the widget imports ${names(min, 'mjs')}`);
expect(min.startsWith(`/*! ordertrail ${version} `), 'the minified widget starts with its version banner');
const wrapperCode = readPkg('ordertrail.js').replace(/^\s*\/\/.*$/gm, '');  // its comments name the repository's files
expect(names(wrapperCode, 'mjs').join() === [`ordertrail-${version}.mjs`, `ordertrail-import-${version}.mjs`].sort().join(), `the wrapper imports ${names(wrapperCode, 'mjs')}`);

// ---- the minified widget and its source map
const unminified = readPkg('dist', 'ordertrail-widget.js');
expect(min.length < unminified.length * 0.8, `the widget is not minified (${min.length} of ${unminified.length} bytes)`);
expect(min.trimEnd().endsWith('//# sourceMappingURL=ordertrail-widget.min.js.map'), 'the minified widget names its source map');
const map = JSON.parse(readPkg('dist', 'ordertrail-widget.min.js.map'));
expect(map.version === 3 && map.sources.join() === 'ordertrail-widget.js' && map.mappings.length > 1000, `the source map maps ${map.sources} (${map.mappings.length} chars)`);
expect(map.sourcesContent?.[0]?.includes('class OrdertrailTracker'), 'the source map carries the unminified source');
const parses = spawnSync(process.execPath, ['--check', inPkg('dist', 'ordertrail-widget.min.js')], { encoding: 'utf8' });
expect(parses.status === 0, `the minified widget does not parse: ${parses.stderr}`);

// ---- the schemas and custom-elements.json
const schemaDir = path.join(root, 'docs', 'schemas');
for (const f of fs.readdirSync(schemaDir)) expect(readPkg('schemas', f) === fs.readFileSync(path.join(schemaDir, f), 'utf8'), `schemas/${f} differs from docs/schemas`);
const cem = JSON.parse(readPkg('custom-elements.json'));
expect(manifest.customElements === './custom-elements.json' && cem.schemaVersion === '1.0.0', 'custom-elements.json, schema 1.0.0, named by package.json');
const decls = cem.modules.flatMap((m) => m.declarations.filter((d) => d.customElement).map((d) => ({ ...d, module: m.path })));
expect(decls.map((d) => d.tagName).sort().join() === 'ordertrail-checkout,ordertrail-tracker', `custom elements: ${decls.map((d) => d.tagName)}`);
for (const d of decls) {
  expect(fs.existsSync(inPkg(d.module)), `custom-elements.json names ${d.module}, which is not in the package`);
  const attrs = d.attributes.map((a) => a.name);
  for (const a of ['now', 'locale', 'order-src', 'theme']) expect(attrs.includes(a), `${d.tagName} has no attribute ${a}`);
  expect(d.events.some((e) => e.name === 'ordertrail-evaluated'), `${d.tagName} has no ordertrail-evaluated event`);
  expect(d.cssParts.some((p) => p.name === 'panel') && d.cssProperties.some((p) => p.name === '--ot-accent'), `${d.tagName}: parts and CSS properties`);
}

// ---- Node: resolution, and the core through the package's Node entry
fs.writeFileSync(
  path.join(dir, 'node-check.mjs'),
  `import { load, importOrder, isError } from 'ordertrail';
import fs from 'node:fs';
const [order, now, payload] = JSON.parse(fs.readFileSync(0, 'utf8'));
const ot = await load();
const out = {
  resolved: Object.fromEntries(['ordertrail', 'ordertrail/widget', 'ordertrail/schemas/evaluation-2.schema.json', 'ordertrail/custom-elements.json', 'ordertrail/package.json'].map((s) => [s, import.meta.resolve(s)])),
  version: ot.version(),
  exports: Object.keys(await import('ordertrail')).sort(),
  evaluation: ot.evaluate(order, now),
  decision: ot.decide(order, { type: 'delivered', by: 'carrier' }, now),
  refused: ot.decide(order, { type: 'cancelled', by: 'buyer', reason: 'changed_mind' }, now),
  quote: ot.quote({ market: 'US', at: now }),
  policies: Object.keys(ot.policies()),
  imported: await importOrder('tiktok', payload, { sellerId: 'S-1' }),
  isError: isError(ot.evaluate('{', now)),
};
process.stdout.write(JSON.stringify(out));
`,
);
const payload = JSON.parse(fs.readFileSync(path.join(root, 'tests', 'import', 't06_in_transit.json'), 'utf8')).payload;
const node = spawnSync(process.execPath, ['node-check.mjs'], { cwd: dir, input: JSON.stringify([SHIPPED_ORDER, IN_TRANSIT_AT, payload]), encoding: 'utf8' });
if (expect(node.status === 0, `node-check.mjs exited ${node.status}: ${node.stderr}`)) {
  const r = JSON.parse(node.stdout);
  const url = (f) => `file://${inPkg(f)}`;
  expect(r.resolved.ordertrail === url('ordertrail.node.mjs'), `Node resolves ordertrail to ${r.resolved.ordertrail}`);
  expect(r.resolved['ordertrail/widget'] === url('dist/ordertrail-widget.min.js'), `ordertrail/widget resolves to ${r.resolved['ordertrail/widget']}`);
  expect(r.resolved['ordertrail/schemas/evaluation-2.schema.json'] === url('schemas/evaluation-2.schema.json'), 'ordertrail/schemas/* resolves into schemas/');
  expect(r.version === version, `ot.version() is ${r.version}, the package ${version}`);
  // What the declarations say is exported is what the modules export.
  const declared = (file) => [...readPkg('types', file).matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((m) => m[1]).sort().join();
  expect(declared('ordertrail.d.ts') === r.exports.join(), `types/ordertrail.d.ts declares ${declared('ordertrail.d.ts')}, the module exports ${r.exports}`);
  const widgetExports = /export\s*\{([^}]*)\}/.exec(min)[1].split(',').map((x) => x.trim().split(/\s+as\s+/).pop()).sort().join();
  expect(declared('widget.d.ts') === widgetExports, `types/widget.d.ts declares ${declared('widget.d.ts')}, the widget exports ${widgetExports}`);
  expect(r.evaluation.effective_status === 'IN_TRANSIT', `the shipped order is ${r.evaluation.effective_status} at ${IN_TRANSIT_AT}`);
  expect(r.decision.allowed === true && r.decision.event.type === 'delivered' && r.decision.evaluation.effective_status === 'DELIVERED', 'a carrier may record the delivery');
  expect(r.refused.allowed === false && typeof r.refused.refusal?.code === 'string', 'the buyer may not cancel a parcel in transit');
  expect(r.policies.includes('US') && r.policies.includes('GB') && r.policies.includes('ID'), `policies: ${r.policies}`);
  expect(r.isError, 'isError of a refused document');
  // Each document against the package's own schemas (ajv from the repository: the scratch project installs nothing else).
  const Ajv2020 = createRequire(path.join(root, 'package.json'))('ajv/dist/2020').default;
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  for (const f of fs.readdirSync(inPkg('schemas'))) ajv.addSchema(JSON.parse(readPkg('schemas', f)));
  for (const [name, doc, schema] of [
    ['evaluation', r.evaluation, 'evaluation-2.schema.json'],
    ['decision', r.decision, 'decision-1.schema.json'],
    ['refusal', r.refused, 'decision-1.schema.json'],
    ['quote', r.quote, 'quote-1.schema.json'],
    ['import', r.imported, 'import-1.schema.json'],
  ]) {
    const ok = ajv.validate(schema, doc);
    expect(ok, `the ${name} is not valid against the package's ${schema}: ${ajv.errorsText()}`);
  }
}

// ---- TypeScript: a consumer type-checks with --strict, and what is wrong is refused
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
fs.writeFileSync(
  path.join(dir, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: [], skipLibCheck: false } }, null, 2),
);
const consumer = `import { load, isError, loader, importOrder, MAX_DOCUMENT_BYTES, type Ordertrail, type Evaluation, type Order, type Status } from 'ordertrail';
import type { OrdertrailTracker, ActionDetail } from 'ordertrail/widget';

const order: Order = ${JSON.stringify(SHIPPED_ORDER)};
const ot: Ordertrail = await load();
const e = ot.evaluate(order, new Date('${IN_TRANSIT_AT}'));
if (isError(e)) {
  const where: string = e.path;
  console.log(e.code, where);
} else {
  const status: Status = e.effective_status;
  const evaluation: Evaluation = e;
  const due: string = evaluation.obligations[0].due_at;
  const total: number = e.facts.total_minor;
  const mode: 'instant' | 'request' | 'contact_seller' | 'not_allowed' = e.cancellation.buyer.mode;
  const primary: string | undefined = e.next_actions.find((a) => a.primary)?.code;
  const carrier: string | null = e.packages[0].carrier;
  console.log(status, due, total, mode, primary, carrier, e.flags.delivery_late);
}
const d = ot.decide(JSON.stringify(order), { type: 'cancelled', by: 'buyer', reason: 'changed_mind' }, '${IN_TRANSIT_AT}');
if (!isError(d)) {
  const allowed: boolean = d.allowed;
  const at: string = d.event.at;
  const code = d.refusal?.code;
  if (code === 'window_closed' || code === 'not_allowed_in_status') console.log(allowed, at, d.refusal?.alternatives.map((a) => a.code));
  console.log(d.evaluation.effective_status);
}
const q = ot.quote({ market: 'US', at: '2025-03-03T18:00:00Z', transit_days: [2, 4] });
if (!isError(q)) {
  const range: [number, number] = q.transit_days;
  const shipBy: string = q.ship_by;
  console.log(range, shipBy, q.calendar_covered);
}
const imported = await importOrder('shopify', {}, { sellerId: 'S-1' });
if (!isError(imported)) console.log(imported.order.order_id, imported.warnings.length);
const get = loader();
console.log((await get()).version(), MAX_DOCUMENT_BYTES);
const tracker: OrdertrailTracker | null = document.querySelector('ordertrail-tracker');
tracker?.addEventListener('ordertrail-action', (event) => {
  const detail: ActionDetail = event.detail;
  console.log(detail.action, detail.event?.type);
});
if (tracker) tracker.order = order;
`;
// Each line must be refused with the error code given (the type is not any).
const WRONG = [
  ['a status is not a number', 'if (!isError(e)) { const s: number = e.effective_status; }', 'TS2322'],
  ['a member the evaluation does not have', "if (!isError(e)) console.log(e.effective_stauts);", 'TS2551'],
  ['an evaluation without the error check', 'const t: number = e.facts.total_minor;', 'TS2339'],
  ['a quote request without at', "ot.quote({ market: 'US' });", 'TS2345'],
  ['an unknown platform', "await importOrder('amazon', {});", 'TS2345'],
  ['a tracker\'s evaluation is not a quote', "const qq: import('ordertrail').Quote | null = document.querySelector('ordertrail-tracker')!.evaluation;", 'TS2322'],
];
const prelude = `import { load, isError, importOrder } from 'ordertrail';\nimport 'ordertrail/widget';\nconst ot = await load();\nconst e = ot.evaluate('{}', '2025-03-03T18:00:00Z');\n`;
fs.writeFileSync(path.join(dir, 'consumer.ts'), consumer);
WRONG.forEach(([, line], i) => fs.writeFileSync(path.join(dir, `wrong${i}.ts`), `${prelude}${line}\n`));
// One project per file: tsconfig's `files` says which.
const checkFile = (file) => {
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ ...cfg, files: [file] }, null, 2));
  return spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--strict'], { cwd: dir, encoding: 'utf8' });
};
const good = checkFile('consumer.ts');
expect(good.status === 0, `tsc --noEmit --strict refuses consumer.ts:\n${good.stdout}${good.stderr}`);
WRONG.forEach(([what, , code], i) => {
  const r = checkFile(`wrong${i}.ts`);
  const errors = [...r.stdout.matchAll(/wrong\d+\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  expect(r.status !== 0 && errors.length === 1 && errors[0] === `5:${code}`, `tsc on "${what}": expected exactly ${code} on line 5, got [${errors}] ${errors.length ? '' : r.stdout + r.stderr}`);
});

// ---- sizes, for the record (issue 21 owns the budget)
const gz = (f) => zlib.gzipSync(fs.readFileSync(inPkg('dist', f)), { level: 9 }).length;
const page = [`ordertrail-${version}.wasm`, `ordertrail-${version}.mjs`, 'ordertrail-widget.min.js'];
const sizes = page.map((f) => `${f} ${gz(f)}`);
console.log(`gzip -9 of what a page downloads: ${sizes.join(', ')}; total ${page.reduce((n, f) => n + gz(f), 0)} bytes; tarball ${fs.statSync(tgz).size} bytes`);

if (!opt.keep) fs.rmSync(dir, { recursive: true, force: true });
console.log(`${checks} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);

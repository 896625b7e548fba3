// The JSON Schemas of docs/schemas against what the core reads and writes.
//
//   node tests/schemas/schema_test.mjs --source-dir REPO [--native NATIVE_EVAL] [--cli ORDERTRAIL]
//
// Without a build: every input of the golden vectors (orders, policies,
// commands, the shipped and the v1 policies) must validate, every complete
// document in the CLI goldens (tests/cli/cases/*/stdout) must validate
// against the schema its `schema` names, and the bad-input corpus
// (tests/bad/cases.mjs) must be refused by the schema wherever the core's
// error is one a schema can see (a missing field, a wrong type, a
// malformed instant or date, an unknown event type or party).
// With --native (tests/wasm/native_eval): the complete output of every
// vector and decision vector (the goldens hold only the members they
// assert). With --cli: quotes for every market and order type, and the
// order/2 the importers make of every tests/import payload.
// Then mutated documents each schema must refuse, so that none is
// trivially permissive. Prints one line per group; exits 1 on a failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

function args() {
  const out = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    if (!a[i].startsWith('--') || a[i + 1] === undefined) throw new Error(`usage: schema_test.mjs --source-dir REPO [--native FILE] [--cli FILE] (at ${a[i]})`);
    out[a[i].slice(2)] = a[i + 1];
  }
  if (!out['source-dir']) throw new Error('--source-dir is required');
  return out;
}

const opts = args();
const root = path.resolve(opts['source-dir']);
// ajv is a devDependency of the repository's package.json.
const require = createRequire(path.join(root, 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;

const schemaDir = path.join(root, 'docs', 'schemas');
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort())
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')));

// The document kinds: the schema named by a document's `schema` member.
const BY_NAME = {
  'ordertrail.order/2': 'order-2.schema.json',
  'ordertrail.policy/2': 'policy-2.schema.json',
  'ordertrail.evaluation/2': 'evaluation-2.schema.json',
  'ordertrail.decision/1': 'decision-1.schema.json',
  'ordertrail.quote/1': 'quote-1.schema.json',
  'ordertrail.error/1': 'error-1.schema.json',
  'ordertrail.metrics/1': 'metrics-1.schema.json',
  'ordertrail.import/1': 'import-1.schema.json',
};
const COMMAND = 'order-2.schema.json#/$defs/command';
const POLICY = 'policy-2.schema.json';
const ORDER = 'order-2.schema.json';
const QUOTE_REQUEST = 'quote-request-1.schema.json';

let failures = 0;
const counts = new Map();
function check(group, id, doc, ok, label) {
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`no schema ${id}`);
  const valid = validate(doc);
  counts.set(group, (counts.get(group) ?? 0) + 1);
  if (valid !== ok) {
    ++failures;
    const why = valid ? 'accepted' : ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 600);
    console.log(`FAIL ${group}: ${label}: expected ${ok ? 'valid' : 'refused'} by ${id}, ${why}`);
  }
  return valid;
}
const schemaOf = (doc) => BY_NAME[doc?.schema];
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const jsonFiles = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
const asDoc = (v) => (typeof v === 'string' ? JSON.parse(v) : v);

// ---- inputs
for (const f of jsonFiles(path.join(root, 'policies'))) check('policies/*.json', POLICY, readJson(f), true, f);
for (const f of jsonFiles(path.join(root, 'tests', 'vectors', 'policies'))) check('v1 policies', POLICY, readJson(f), true, f);

const vectors = jsonFiles(path.join(root, 'tests', 'vectors')).map((f) => ({ f, v: readJson(f) }));
const decisions = jsonFiles(path.join(root, 'tests', 'decisions')).map((f) => ({ f, v: readJson(f) }));
// The error vectors' orders are refused by the core; those whose error is
// one a schema sees are refused by the order schema too (below).
const SCHEMA_VISIBLE = new Set(['missing_field', 'invalid_type', 'invalid_instant', 'invalid_date', 'unknown_event_type', 'unknown_party', 'no_working_days']);
for (const { f, v } of [...vectors, ...decisions]) {
  const label = path.relative(root, f);
  const order = asDoc(v.order);
  if (v.error) {
    if (SCHEMA_VISIBLE.has(v.error.code)) check('error vectors (refused)', ORDER, order, false, `${label} (${v.error.code} ${v.error.path})`);
  } else {
    check('vector orders', ORDER, order, true, label);
  }
  if (v.policy !== null && typeof v.policy === 'object') check('vector policies', POLICY, v.policy, true, label);
  if (v.command !== undefined) check('decision commands', COMMAND, asDoc(v.command), true, label);
}

// The bad-input corpus: valid cases validate; a case whose error a schema
// can see is refused by the schema of the document it breaks, but for the
// instants an offset carries out of years 0001..9999 in UTC, which no
// pattern can see (docs/schemas/defs.schema.json `input_instant`).
const SCHEMA_BLIND = /_via_(one_minute_)?offset$/;
const { buildCases } = await import(path.join(root, 'tests', 'bad', 'cases.mjs'));
let seen = 0;
for (const c of buildCases()) {
  const broken = c.policy ? c.policy : c.order;
  let doc;
  try {
    doc = JSON.parse(broken.toString('utf8'));
  } catch {
    continue;  // not JSON: no schema applies
  }
  const id = c.policy ? POLICY : ORDER;
  if (c.expect.ok) {
    check('bad corpus: valid cases', ORDER, JSON.parse(c.order.toString('utf8')), true, c.name);
    if (c.policy) check('bad corpus: valid cases', POLICY, doc, true, c.name);
  } else if (SCHEMA_VISIBLE.has(c.expect.code) && !SCHEMA_BLIND.test(c.name)) {
    check('bad corpus: refused', id, doc, false, `${c.name} (${c.expect.code} ${c.expect.path})`);
    ++seen;
  }
}
if (seen < 100) {
  ++failures;
  console.log(`FAIL bad corpus: only ${seen} cases with a schema-visible error (expected over 100): is tests/bad/cases.mjs read right?`);
}

// ---- complete outputs in the CLI goldens (one document, or NDJSON lines)
const outputs = [];  // {label, doc}: every output checked, the mutations' bases
let goldens = 0;
const casesDir = path.join(root, 'tests', 'cli', 'cases');
for (const name of fs.readdirSync(casesDir).sort()) {
  const file = path.join(casesDir, name, 'stdout');
  if (!fs.existsSync(file)) continue;
  const text = fs.readFileSync(file, 'utf8');
  const docs = [];
  try {
    docs.push(JSON.parse(text));
  } catch {
    for (const line of text.split('\n')) {
      try {
        docs.push(JSON.parse(line));
      } catch {
        /* a text answer */
      }
    }
  }
  for (const [k, doc] of docs.entries()) {
    const id = schemaOf(doc);
    if (!id) continue;
    check(`CLI goldens (${doc.schema})`, id, doc, true, `${name}/stdout[${k}]`);
    outputs.push({ label: `${name}/stdout[${k}]`, doc });
    ++goldens;
  }
}
if (goldens < 20) {
  ++failures;
  console.log(`FAIL CLI goldens: only ${goldens} documents found (expected at least 20)`);
}

// ---- complete outputs of every vector, from the native core
if (opts.native) {
  const { vectorCases, decisionCases, nativeLine } = await import(path.join(root, 'tests', 'wasm', 'golden_cases.mjs'));
  const embedded = Object.fromEntries(jsonFiles(path.join(root, 'policies')).map((f) => [path.basename(f, '.json'), readJson(f)]));
  const cases = [...vectorCases(root, embedded).cases, ...decisionCases(root, embedded).cases];
  const goldenCount = outputs.length;
  const out = execFileSync(opts.native, { input: cases.map(nativeLine).join('\n') + '\n', maxBuffer: 1 << 30 }).toString('utf8').split('\n');
  cases.forEach((c, i) => outputs.push({ label: `${c.command === undefined ? 'vectors' : 'decisions'}/${c.label}`, doc: JSON.parse(out[i]) }));
  const byFile = new Map([...vectors, ...decisions].map(({ f, v }) => [path.basename(f), v]));
  for (const { label, doc } of outputs.slice(goldenCount)) {
    const id = schemaOf(doc);
    const v = byFile.get(label.split('/')[1].split(' ')[0]);
    const wanted = v?.error ? 'ordertrail.error/1' : v?.command !== undefined ? 'ordertrail.decision/1' : 'ordertrail.evaluation/2';
    if (doc.schema !== wanted) {
      ++failures;
      console.log(`FAIL native outputs: ${label}: the core wrote ${doc.schema}, the vector expects ${wanted}`);
      continue;
    }
    check(`native outputs (${doc.schema})`, id, doc, true, label);
  }
}

// ---- quotes and imports, from the CLI
if (opts.cli) {
  const run = (argv) => {
    try {
      return execFileSync(opts.cli, argv, { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
    } catch (e) {
      return e.stdout?.toString('utf8') ?? '';
    }
  };
  const markets = jsonFiles(path.join(root, 'policies')).map((f) => path.basename(f, '.json'));
  const kinds = [[], ['--order-type', 'made_to_order', '--handling-days', '12'], ['--order-type', 'back_order'], ['--order-type', 'pre_order', '--release-date', '2025-12-24'], ['--handling-days', '0', '--transit-days', '1-9']];
  for (const m of markets)
    for (const at of ['2025-03-03T18:00:00Z', '2025-12-19T23:59:59Z', '2026-02-28T09:30:00+07:00'])
      for (const k of kinds) {
        const doc = JSON.parse(run(['quote', '--market', m, '--at', at, ...k, '--json']));
        if (doc.schema === 'ordertrail.quote/1') {
          outputs.push({ label: `quote ${m} ${at} ${k.join(' ')}`, doc });
          check('CLI quotes', BY_NAME[doc.schema], doc, true, `quote ${m} ${at} ${k.join(' ')}`);
        } else {
          ++failures;
          console.log(`FAIL CLI quotes: ${m} ${at} ${k.join(' ')}: ${JSON.stringify(doc)}`);
        }
      }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrail-schemas-'));
  for (const f of jsonFiles(path.join(root, 'tests', 'import'))) {
    const v = readJson(f);
    const payload = path.join(tmp, 'payload.json');
    fs.writeFileSync(payload, typeof v.payload === 'string' ? v.payload : JSON.stringify(v.payload));
    const text = run(['import', v.platform, payload, ...(v.seller_id ? ['--seller', v.seller_id] : []), ...(v.market ? ['--market', v.market] : [])]);
    const doc = JSON.parse(text.split('\n')[0] || 'null');
    const wanted = v.expected?.error ? 'ordertrail.error/1' : 'ordertrail.order/2';
    const id = schemaOf(doc);
    if (doc?.schema !== wanted && !(wanted === 'ordertrail.error/1' && doc === null)) {
      ++failures;
      console.log(`FAIL CLI imports: ${path.basename(f)}: wrote ${doc?.schema}, the vector expects ${wanted}`);
    } else if (id) {
      check(`CLI imports (${doc.schema})`, id, doc, true, path.basename(f));
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

// ---- mutations each schema must refuse
function mutated(group, id, base, mutations) {
  for (const [what, change] of Object.entries(mutations)) {
    const doc = structuredClone(base);
    change(doc);
    check(`mutations (${group})`, id, doc, false, what);
  }
}
const firstOf = (schema, pred = () => true) => outputs.find((o) => o.doc.schema === schema && pred(o.doc))?.doc;
const evaluation = firstOf('ordertrail.evaluation/2', (d) => d.packages.length && d.obligations.length);
mutated('evaluation/2', BY_NAME['ordertrail.evaluation/2'], evaluation, {
  'facts left out': (d) => delete d.facts,
  'a member the core never writes': (d) => (d.status_text = 'shipped'),
  'a status that is not one': (d) => (d.effective_status = 'SHIPPED'),
  'an instant with an offset (the core writes Z)': (d) => (d.now = d.now.replace('Z', '+00:00')),
  'a quantity as text': (d) => (d.lines[0].qty = String(d.lines[0].qty)),
  'an amount as a float': (d) => (d.facts.total_minor += 0.5),
  'an obligation state that is not one': (d) => (d.obligations[0].state = 'late'),
  'a null package list': (d) => (d.packages = null),
  'a flag left out': (d) => delete d.flags.lost,
  'an unknown member in a line': (d) => (d.lines[0].colour = 'red'),
});
const decision = firstOf('ordertrail.decision/1', (d) => !d.allowed);
mutated('decision/1', BY_NAME['ordertrail.decision/1'], decision, {
  'a refusal code that is not one': (d) => (d.refusal = { code: 'nope', message: 'm', alternatives: [] }),
  'allowed with a refusal': (d) => {
    d.allowed = true;
    d.refusal = { code: 'qty_exceeds', message: 'm', alternatives: [] };
  },
  'refused without a refusal': (d) => {
    d.allowed = false;
    d.refusal = null;
  },
  'the event without at': (d) => delete d.event.at,
  'an event member the core never writes': (d) => (d.event.colour = 'red'),
  'the evaluation of another schema': (d) => (d.evaluation.schema = 'ordertrail.evaluation/1'),
});
const quote = readJson(path.join(casesDir, 'quote_us_json', 'stdout'));
mutated('quote/1', BY_NAME['ordertrail.quote/1'], quote, {
  'ship_by left out': (d) => delete d.ship_by,
  'a member the core never writes': (d) => (d.ship_by_text = 'soon'),
  'a date with a time': (d) => (d.dispatch_date = d.dispatch_by),
  'transit_days of three': (d) => d.transit_days.push(9),
});
const err = { schema: 'ordertrail.error/1', code: 'missing_field', path: '/seller_id', message: 'required field "seller_id" is missing' };
check('error/1 as written', BY_NAME['ordertrail.error/1'], err, true, 'a missing field');
mutated('error/1', BY_NAME['ordertrail.error/1'], err, {
  'path left out': (d) => delete d.path,
  'a path that is not a JSON pointer': (d) => (d.path = 'seller_id'),
  'a code in capitals': (d) => (d.code = 'MISSING'),
  'an empty message': (d) => (d.message = ''),
  'another member': (d) => (d.hint = 'x'),
});
const order = asDoc(vectors.find(({ v }) => !v.error && typeof v.order === 'object' && v.order.events?.length && v.order.items?.length).v.order);
mutated('order/2', ORDER, order, {
  'placed_at left out': (d) => delete d.placed_at,
  'total_minor a float': (d) => (d.total_minor = 10.5),
  'total_minor negative': (d) => (d.total_minor = -1),
  'total_minor past 2^53-1': (d) => (d.total_minor = 2 ** 53),
  'an unknown event type': (d) => (d.events[0].type = 'teleported'),
  'an event without at': (d) => delete d.events[0].at,
  'a cancelled without by': (d) => d.events.push({ type: 'cancelled', at: '2025-03-04T00:00:00Z', reason: 'out_of_stock' }),
  'a refund without amount': (d) => d.events.push({ type: 'refunded', at: '2025-03-04T00:00:00Z' }),
  'an instant without offset': (d) => (d.placed_at = '2025-03-03T10:00:00'),
  'a leap second': (d) => (d.placed_at = '2025-03-03T23:59:60Z'),
  'qty 0': (d) => (d.items[0].qty = 0),
  'a pre_order without release_date': (d) => {
    d.order_type = 'pre_order';
    delete d.release_date;
  },
  'an unknown party': (d) => (d.events[0].by = 'courier'),
  'currency in lower case': (d) => (d.currency = 'usd'),
});
mutated('command', COMMAND, { type: 'cancelled', by: 'buyer', reason: 'changed_mind' }, {
  'a command with at': (d) => (d.at = '2025-03-04T00:00:00Z'),
  'no type': (d) => delete d.type,
});
const policy = readJson(path.join(root, 'policies', 'US.json'));
mutated('policy/2', POLICY, policy, {
  'tz_rule left out': (d) => delete d.tz_rule,
  'every day a weekend day': (d) => (d.weekend = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']),
  'a weekend day listed twice': (d) => (d.weekend = ['Sat', 'Sat']),
  'ship_by from an unknown start': (d) => (d.ship_by.from = 'shipped'),
  'a rate over 1': (d) => (d.metrics.max_late_dispatch_rate = 4),
  'a status name that is not one': (d) => (d.cancellation = { buyer_request_statuses: ['PACKED'] }),
  'another schema': (d) => (d.schema = 'ordertrail.policy/3'),
  'hours as text': (d) => (d.payment_window_hours = '48'),
  'a cutoff of 24:00': (d) => (d.cutoff = '24:00'),
});
check('quote requests', QUOTE_REQUEST, { market: 'US', at: '2025-03-03T18:00:00Z', handling_days: 1, transit_days: [1, 3] }, true, 'a market');
check('quote requests', QUOTE_REQUEST, { at: '2025-03-03T18:00:00Z', policy }, true, 'a policy');
mutated('quote request', QUOTE_REQUEST, { market: 'US', at: '2025-03-03T18:00:00Z' }, {
  'neither market nor policy': (d) => delete d.market,
  'no at': (d) => delete d.at,
  'transit_days as text': (d) => (d.transit_days = '3-5'),
});
const metrics = readJson(path.join(casesDir, 'metrics_json', 'stdout'));
mutated('metrics/1', BY_NAME['ordertrail.metrics/1'], metrics, {
  'a rate over 1': (d) => (d.sellers[0].late_dispatch_rate.value = 2),
  'sellers left out': (d) => delete d.sellers,
});

for (const [group, n] of counts) console.log(`${group}: ${n} checked`);
if (!opts.native) console.log('(no --native: the complete outputs of the vectors were not checked)');
if (!opts.cli) console.log('(no --cli: quotes and imports were not checked)');
if (failures) {
  console.log(`${failures} FAILED`);
  process.exit(1);
}
console.log('all passed');

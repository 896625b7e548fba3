// When the output cannot be written, every command fails loudly with exit 4
// and never reports success: stdout on a full disk (/dev/full), stdout into a
// pipe whose reader is gone (EPIPE, made deterministic with a FIFO whose read
// end is closed before the command starts), and sweep's other streams
// (-o FILE, --rejects FILE, rejects on stderr).
//
//   node write_failures.mjs --ordertrail BIN
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, openSync, closeSync, constants, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const opt = {};
for (let i = 2; i < process.argv.length; ++i) opt[process.argv[i].replace(/^--/, '')] = process.argv[++i];
if (!opt.ordertrail) {
  console.error('usage: node write_failures.mjs --ordertrail BIN');
  process.exit(2);
}
const BIN = path.resolve(opt.ordertrail);
const dir = mkdtempSync(path.join(tmpdir(), 'ordertrail-io-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const NOW = '2025-03-20T12:00:00Z';

const order = (i) => ({
  order_id: `W-${i}`, market: 'US', seller_id: `S-${i % 5}`, currency: 'USD', total_minor: 2599,
  items: [{ sku: 'SKU-1', name: 'Mug', qty: 1, unit_price_minor: 2599 }],
  placed_at: '2025-03-03T10:00:00-08:00',
  events: [{ type: 'payment_succeeded', at: '2025-03-03T18:05:00Z' }, { type: 'shipped', at: '2025-03-04T18:00:00Z' }],
});
const orderFile = path.join(dir, 'order.json');
writeFileSync(orderFile, JSON.stringify(order(1)));
const badFile = path.join(dir, 'bad.json');
writeFileSync(badFile, '{"order_id":');
// Enough lines that the output fills any pipe buffer, with some rejects.
const ndjson = path.join(dir, 'orders.ndjson');
writeFileSync(ndjson, Array.from({ length: 2000 }, (_, i) => (i % 100 === 7 ? 'not json' : JSON.stringify(order(i)))).join('\n') + '\n');
const policyFile = path.join(dir, 'policy.json');
const us = spawnSync(BIN, ['policy', 'show', 'US', '--json']);
writeFileSync(policyFile, us.stdout);

// A pipe whose reader is gone: a FIFO opened for reading (non-blocking), then
// for writing, then the reading end closed. Every write to it fails with EPIPE.
function brokenPipe() {
  const fifo = path.join(dir, `fifo-${Math.random().toString(36).slice(2)}`);
  const mk = spawnSync('mkfifo', [fifo]);
  if (mk.status !== 0) throw new Error('mkfifo failed');
  const r = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const w = openSync(fifo, constants.O_WRONLY);
  closeSync(r);
  return w;
}

let failures = 0;
let checked = 0;
function expectIoFailure(name, args, { stdout, stderr, expectStderr = /cannot write/ } = {}) {
  ++checked;
  const fds = [];
  const open = (spec) => {
    if (spec === 'full') { const fd = openSync('/dev/full', 'w'); fds.push(fd); return fd; }
    if (spec === 'epipe') { const fd = brokenPipe(); fds.push(fd); return fd; }
    return 'pipe';
  };
  const r = spawnSync(BIN, args, { stdio: ['ignore', open(stdout), open(stderr)], timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  fds.forEach((fd) => closeSync(fd));
  const err = r.stderr ? r.stderr.toString('utf8') : '';
  const problems = [];
  if (r.error) problems.push(`cannot run: ${r.error.message}`);
  if (r.signal) problems.push(`killed by ${r.signal}`);
  if (r.status !== 4) problems.push(`exit ${r.status}, expected 4`);
  if (r.stderr && expectStderr && !expectStderr.test(err)) problems.push(`stderr does not say why: ${JSON.stringify(err.slice(0, 300))}`);
  if (problems.length) {
    ++failures;
    console.log(`FAIL  ${name}: ${problems.join('; ')}`);
  } else {
    console.log(`PASS  ${name}: exit 4`);
  }
}

// Every command that writes to stdout, on /dev/full and into a broken pipe.
const commands = [
  ['status', ['status', orderFile, '--now', NOW]],
  ['status --json', ['status', orderFile, '--now', NOW, '--json']],
  ['status --explain', ['status', orderFile, '--now', NOW, '--explain']],
  ['status (invalid order) --json', ['status', badFile, '--now', NOW, '--json']],
  ['timeline', ['timeline', orderFile, '--now', NOW]],
  ['timeline --json', ['timeline', orderFile, '--now', NOW, '--json']],
  ['sweep --threads 1', ['sweep', ndjson, '--now', NOW, '--threads', '1', '--rejects', path.join(dir, 'r1')]],
  ['sweep --threads 3 --full', ['sweep', ndjson, '--now', NOW, '--threads', '3', '--full', '--rejects', path.join(dir, 'r2')]],
  ['metrics', ['metrics', ndjson, '--from', '2025-03-01', '--to', '2025-03-31', '--now', NOW]],
  ['metrics --json', ['metrics', ndjson, '--from', '2025-03-01', '--to', '2025-03-31', '--now', NOW, '--json']],
  ['metrics --csv', ['metrics', ndjson, '--from', '2025-03-01', '--to', '2025-03-31', '--now', NOW, '--csv']],
  ['quote', ['quote', '--market', 'US', '--at', NOW]],
  ['quote --json', ['quote', '--market', 'US', '--at', NOW, '--json']],
  ['policy list', ['policy', 'list']],
  ['policy list --json', ['policy', 'list', '--json']],
  ['policy show', ['policy', 'show', 'US']],
  ['policy show --json', ['policy', 'show', 'US', '--json']],
  ['policy show --month', ['policy', 'show', 'GB', '--month', '2025-03']],
  ['policy check', ['policy', 'check', policyFile]],
  ['policy check --json', ['policy', 'check', policyFile, '--json']],
  ['help', ['help']],
  ['help sweep', ['help', 'sweep']],
  ['--version', ['--version']],
];
for (const [name, args] of commands) {
  // metrics exits 1 when a line is invalid or a threshold is breached; 4 must win.
  expectIoFailure(`${name} > /dev/full`, args, { stdout: 'full' });
  expectIoFailure(`${name} | (reader gone)`, args, { stdout: 'epipe' });
}

// sweep's other streams.
expectIoFailure('sweep -o /dev/full --threads 2', ['sweep', ndjson, '--now', NOW, '--threads', '2', '-o', '/dev/full', '--rejects', path.join(dir, 'r3')]);
expectIoFailure('sweep --rejects /dev/full --threads 1', ['sweep', ndjson, '--now', NOW, '--threads', '1', '-o', path.join(dir, 'o4'), '--rejects', '/dev/full']);
expectIoFailure('sweep --rejects /dev/full --threads 3', ['sweep', ndjson, '--now', NOW, '--threads', '3', '-o', path.join(dir, 'o5'), '--rejects', '/dev/full']);
// Rejects on stderr, and stderr full: nothing can be said, but the exit code must still be 4.
expectIoFailure('sweep, rejects on stderr, 2> /dev/full', ['sweep', ndjson, '--now', NOW, '--threads', '2', '-o', path.join(dir, 'o6')], { stderr: 'full', expectStderr: null });
expectIoFailure('sweep, rejects on stderr, 2> (reader gone)', ['sweep', ndjson, '--now', NOW, '--threads', '1', '-o', path.join(dir, 'o7')], { stderr: 'epipe', expectStderr: null });
// A sweep that stops on a write error says the output is incomplete.
{
  ++checked;
  const fd = openSync('/dev/full', 'w');
  const r = spawnSync(BIN, ['sweep', ndjson, '--now', NOW, '--threads', '2', '--rejects', path.join(dir, 'r8')], { stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  if (r.status === 4 && /output is incomplete/.test(r.stderr.toString()) && !/lines read/.test(r.stderr.toString())) {
    console.log('PASS  sweep > /dev/full: says the output is incomplete, prints no success summary');
  } else {
    ++failures;
    console.log(`FAIL  sweep > /dev/full: exit ${r.status}, stderr ${JSON.stringify(r.stderr.toString().slice(0, 300))}`);
  }
}
// An unwritable -o path is exit 4 before anything is read.
expectIoFailure('sweep -o /nonexistent/dir/out', ['sweep', ndjson, '--now', NOW, '-o', '/nonexistent/dir/out']);

console.log(`write_failures: ${checked} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);

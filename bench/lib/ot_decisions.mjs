// The decisions bench/run compares, taken from ordertrail's own output.
//
//   ordertrail sweep ORDERS --full --now T | node ot_decisions.mjs [SUMMARY.ndjson] > decisions.tsv
//
// stdin: `ordertrail sweep --full` lines ({line, evaluation}). Writes, per
// order, the same tab-separated line as the alternatives:
//   line order_id status effective_status auto_cancel_reason auto_cancel_at refund_due_minor
// where refund_due_minor is the amount of an `automatic` refund (else 0).
// With SUMMARY (the output of the timed, default `ordertrail sweep` run), also
// checks that every summary line says the same status, effective status and
// automatic cancellation as the full evaluation: the timed run is the one
// whose decisions are compared. Exits 1 on any difference or reject.
import fs from 'node:fs';
import readline from 'node:readline';

const summaryPath = process.argv[2];
const lines = (stream) => readline.createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
const full = lines(process.stdin);
const summary = summaryPath ? lines(fs.createReadStream(summaryPath)) : null;

const cancelOf = (due) => due.find((d) => d.action === 'auto_cancel');
const out = [];
let n = 0;
let bad = 0;
const flush = () => {
  if (!process.stdout.write(out.join(''))) return new Promise((r) => process.stdout.once('drain', r));
  return null;
};
for (;;) {
  const { value, done } = await full.next();
  if (done) break;
  const r = JSON.parse(value);
  ++n;
  if (!r.evaluation) {
    console.error(`ot_decisions: line ${r.line}: rejected by ordertrail: ${JSON.stringify(r.error)}`);
    ++bad;
    continue;
  }
  const e = r.evaluation;
  const c = cancelOf(e.due);
  const refund = e.refund.kind === 'automatic' ? e.refund.amount_minor : 0;
  out.push(`${r.line}\t${e.order_id}\t${e.status}\t${e.effective_status}\t${c ? c.reason : '-'}\t${c ? c.at : '-'}\t${refund}\n`);
  if (summary) {
    const s = await summary.next();
    const sr = s.done ? null : JSON.parse(s.value);
    const sc = sr && cancelOf(sr.due ?? []);
    if (!sr || sr.line !== r.line || sr.order_id !== e.order_id || sr.status !== e.status ||
        sr.effective_status !== e.effective_status || (sc?.reason ?? '-') !== (c?.reason ?? '-') ||
        (sc?.at ?? '-') !== (c?.at ?? '-')) {
      if (bad++ < 10) console.error(`ot_decisions: line ${r.line}: the timed sweep output differs from --full: ${s.value}`);
    }
  }
  if (out.length >= 4096) {
    const p = flush();
    out.length = 0;
    if (p) await p;
  }
}
if (summary && !(await summary.next()).done) {
  console.error('ot_decisions: the timed sweep output has more lines than --full');
  ++bad;
}
const p = flush();
if (p) await p;
if (bad) {
  console.error(`ot_decisions: ${bad} problem(s) in ${n} lines`);
  process.exitCode = 1;
}

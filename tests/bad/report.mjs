// Shared by the JS runners of the bad-input corpus: reading the corpus, the
// problem categories, the known-bug marks, and the PASS/FAIL/XFAIL/XPASS report
// (the same rules as run_library.cpp).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function readCorpus(dir) {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  for (const c of manifest) {
    c.orderBytes = readFileSync(path.join(dir, c.order));
    c.policyBytes = c.policy ? readFileSync(path.join(dir, c.policy)) : null;
  }
  return manifest;
}

// Strict UTF-8 check of a Buffer.
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export function validUtf8(buf) {
  try {
    fatal.decode(buf);
    return true;
  } catch {
    return false;
  }
}

// Terminal control sequences and characters a human view must never contain:
// C0 (but \n and \t), DEL, C1, bidi embeddings/overrides/isolates.
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

export function show(value, max = 200) {
  const s = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
  const j = JSON.stringify(s.length > max ? s.slice(0, max) + '...' : s);
  return j;
}

// The value a check names in an evaluation: "/json/pointer" or "obligation:ID" (its due_at).
export function checkedValue(doc, key) {
  if (key.startsWith('obligation:')) {
    const o = (doc.obligations ?? []).find((x) => x.id === key.slice('obligation:'.length));
    return o ? o.due_at : undefined;
  }
  let v = doc;
  for (const part of key.split('/').slice(1)) {
    const k = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

// Collects the problems of one channel, case by case, and prints the verdicts.
export class Report {
  constructor(channel) {
    this.channel = channel;
    this.counts = { passed: 0, failed: 0, xfailed: 0, xpassed: 0 };
  }

  // problems: [[category, text]]; got: a short summary of what was seen.
  verdict(c, problems, got) {
    const marks = Object.entries(c.bugs ?? {}).filter(([k]) => k.startsWith(this.channel + ':'));
    const unexplained = problems.filter(([cat]) => !(`${this.channel}:${cat}` in (c.bugs ?? {})));
    for (const [cat, text] of unexplained) console.log(`FAIL  ${c.name}: [${cat}] ${text}`);
    if (unexplained.length) {
      ++this.counts.failed;
    } else if (problems.length) {
      ++this.counts.xfailed;
      const [cat, text] = problems[0];
      console.log(`XFAIL ${c.name}: ${c.bugs[`${this.channel}:${cat}`]}: ${text}`);
    } else if (marks.length) {
      ++this.counts.xpassed;
      console.log(`XPASS ${c.name}: known bug ${marks[0][1]} no longer shows (${got}): remove its "${marks[0][0]}" mark in cases.mjs`);
    } else {
      ++this.counts.passed;
      console.log(`PASS  ${c.name}: ${got}`);
    }
  }

  // Prints the summary; returns the exit status.
  finish(total, extra = '') {
    const n = this.counts;
    console.log(`${this.channel}: ${total} cases: ${n.passed} passed, ${n.failed} failed, ${n.xfailed} known bugs (XFAIL), ` +
      `${n.xpassed} fixed bugs still marked (XPASS)${extra}`);
    return n.failed === 0 && n.xpassed === 0 ? 0 : 1;
  }
}

export function expectation(c) {
  return c.ok ? 'ok' : `${c.code} at "${c.path}"`;
}

// Compares an `ordertrail.error/1` or evaluation document with the case:
// pushes problems, returns a summary.
export function judgeDocument(c, doc, problems, where) {
  if (doc === null || typeof doc !== 'object') {
    problems.push(['code', `${where}: not a JSON object`]);
    return '?';
  }
  if (doc.schema === 'ordertrail.error/1') {
    const got = `${doc.code} at "${doc.path}"`;
    if (c.ok) problems.push(['code', `${where}: expected a valid evaluation, got ${got}`]);
    else if (doc.code !== c.code || doc.path !== c.path) problems.push(['code', `${where}: expected ${expectation(c)}, got ${got}`]);
    if (typeof doc.message !== 'string' || doc.message === '') problems.push(['message', `${where}: the error has no message`]);
    return got;
  }
  if (doc.schema !== 'ordertrail.evaluation/2') {
    problems.push(['code', `${where}: unexpected document ${show(JSON.stringify(doc))}`]);
    return '?';
  }
  if (!c.ok) problems.push(['code', `${where}: expected ${expectation(c)}, got a valid evaluation`]);
  for (const [key, want] of Object.entries(c.checks ?? {})) {
    const got = checkedValue(doc, key);
    if (JSON.stringify(got) !== JSON.stringify(want))
      problems.push(['check', `${where}: check ${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`]);
  }
  return 'ok';
}

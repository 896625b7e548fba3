// The WebAssembly channel of the bad-input corpus (tests/bad/cases.mjs).
//
//   node run_wasm.mjs --corpus DIR --module ordertrail.node.cjs --wrapper web/ordertrail.js
//                     [--library BIN | --library-out FILE]
//
// Two reports:
//   wasm     the Node artifact's embind functions, given the case's exact bytes
//            (a Uint8Array, which embind copies byte for byte into a std::string):
//            the case's code and pointer, and — with the library's evaluate_json
//            output — the same bytes as the native core.
//   wrapper  web/ordertrail.js (`load({factory})`), given JSON text as a JS
//            string, as a page would: the case's code and pointer, never a
//            throw. Bytes that are not UTF-8 cannot be in a JS string; they are
//            passed as lone surrogates (each invalid byte b as U+DC00+b, like
//            Python's surrogateescape), which is how ill-formed text reaches a
//            page, and must be refused as invalid_json like the bytes are natively.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCorpus, validUtf8, show, Report, judgeDocument } from './report.mjs';

const opt = {};
for (let i = 2; i < process.argv.length; ++i) opt[process.argv[i].replace(/^--/, '')] = process.argv[++i];
if (!opt.corpus || !opt.module || !opt.wrapper) {
  console.error('usage: node run_wasm.mjs --corpus DIR --module ordertrail.node.cjs --wrapper ordertrail.js [--library BIN | --library-out FILE]');
  process.exit(2);
}
const cases = readCorpus(opt.corpus);

let library = null;
let libraryFile = opt['library-out'];
if (opt.library) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ordertrail-bad-wasm-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  libraryFile = path.join(scratch, 'library.out');
  spawnSync(path.resolve(opt.library), [opt.corpus, '--emit', libraryFile], { stdio: 'ignore', timeout: 600_000 });
}
if (libraryFile) {
  const lines = readFileSync(libraryFile).toString('latin1').split('\n');
  if (lines.length !== cases.length + 1) throw new Error(`the library wrote ${lines.length - 1} lines for ${cases.length} cases`);
  library = lines.slice(0, -1).map((l) => Buffer.from(l, 'latin1'));
}

const factory = createRequire(import.meta.url)(path.resolve(opt.module));
const raw = await factory();
const { load, isError } = await import(pathToFileURL(path.resolve(opt.wrapper)).href);
const wrapper = await load({ factory });

// Bytes as a JS string: UTF-8 where valid, each other byte b as the lone surrogate U+DC00+b.
function surrogateEscape(buf) {
  let out = '';
  let i = 0;
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });  // keep a U+FEFF
  while (i < buf.length) {
    let n = 1;
    const b = buf[i];
    if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) n = 3;
    else if (b >= 0xf0 && b <= 0xf4) n = 4;
    let ch = null;
    if (b < 0x80) ch = String.fromCharCode(b);
    else if (n > 1 && i + n <= buf.length) {
      try { ch = strict.decode(buf.subarray(i, i + n)); } catch { ch = null; }
    }
    if (ch === null) { out += String.fromCharCode(0xdc00 + b); i += 1; } else { out += ch; i += b < 0x80 ? 1 : n; }
  }
  return out;
}

const wasm = new Report('wasm');
console.log('== the Node artifact (embind, exact bytes)');
cases.forEach((c, i) => {
  const problems = [];
  let got = '?';
  try {
    const out = c.policyBytes ? raw.evaluate(c.orderBytes, c.now, c.policyBytes) : raw.evaluate(c.orderBytes, c.now);
    const bytes = Buffer.from(out, 'utf8');
    let doc = null;
    try { doc = JSON.parse(out); } catch (e) { problems.push(['json', `not JSON (${e.message}): ${show(out)}`]); }
    if (doc) got = judgeDocument(c, doc, problems, 'wasm');
    if (library && !library[i].equals(bytes)) {
      // The module hands out a JS string: bytes that are not UTF-8 cannot survive it.
      const category = validUtf8(library[i]) ? 'parity' : 'utf8';
      problems.push([category, `differs from the library's evaluate_json: ${show(bytes)} vs ${show(library[i])}`]);
    }
  } catch (e) {
    problems.push(['crash', `threw: ${e?.message ?? e}`]);
  }
  wasm.verdict(c, problems, got);
});

const wrapped = new Report('wrapper');
console.log('== web/ordertrail.js (JSON text as JS strings)');
for (const c of cases) {
  const problems = [];
  let got = '?';
  try {
    const order = surrogateEscape(c.orderBytes);
    const policy = c.policyBytes ? surrogateEscape(c.policyBytes) : undefined;
    const doc = wrapper.evaluate(order, c.now, policy);
    got = judgeDocument(c, doc, problems, 'wrapper');
    if (c.ok === isError(doc)) problems.push(['code', 'isError() disagrees with the document']);
  } catch (e) {
    problems.push(['crash', `threw: ${e?.message ?? e}`]);
  }
  wrapped.verdict(c, problems, got);
}

const status = [wasm.finish(cases.length), wrapped.finish(cases.length)];
process.exit(status.some((s) => s !== 0) ? 1 : 0);

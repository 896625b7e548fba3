// A tiny static server on 127.0.0.1 for the Chromium benchmarks:
//   /web/...      the repository's web/ (web/ordertrail.js, web/dist/...)
//   /bench/...    bench/wasm/page/ (the benchmark pages)
//   /cases.json   the mixed vector orders (cases.mjs)
// Every response is `no-store` (each load is a cold load) and carries
// COOP/COEP headers, so the page is cross-origin isolated and
// performance.now() has Chromium's finest resolution (5 us, not 100 us).
// `.wasm` is served as application/wasm (streaming compilation).
//
//   node bench/lib/serve.mjs [--port 8490]      (or import { serve })
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadCases } from '../wasm/cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MOUNTS = { '/web/': path.join(root, 'web'), '/bench/': path.join(root, 'bench', 'wasm', 'page') };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json' };

export function serve(port = 0) {
  const cases = JSON.stringify(loadCases(root));
  const server = http.createServer((req, res) => {
    const headers = { 'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' };
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/cases.json') {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.json'] });
      return res.end(cases);
    }
    for (const [prefix, dir] of Object.entries(MOUNTS)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.join(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) break;
      res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      return fs.createReadStream(file).pipe(res);
    }
    res.writeHead(404, headers);
    res.end('not found');
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({ port: server.address().port, close: () => server.close() }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--port');
  const { port } = await serve(at > 0 ? Number(process.argv[at + 1]) : 8490); // --port 0: any free port
  console.log(`http://127.0.0.1:${port}/bench/load.html  http://127.0.0.1:${port}/bench/latency.html`);
}

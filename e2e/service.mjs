// The order service for the e2e tests through it (e2e/service.spec.mjs): each
// test gets its own `ordertrail-serve` (ORDERTRAIL_SERVE, else the newest of
// build/native-asan, native-debug, native-release), on a free port of
// 127.0.0.1, with a fresh database in a temporary directory, a manual clock at
// the demo's DEMO_NOW, no periodic sweep (the tests move the clock and sweep),
// the demo's sample orders seeded and `--web web`; and its tokens, made with
// `ordertrail-serve token create`, in web/demo/session-e2e-<port>.json (what
// the demo pages open with `?session=`), removed afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_NOW, createSession, findServe, waitForHealth, writeOrders } from '../scripts/demo-service.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a service; resolves to {url, port, session, sessionFile, log(),
 * api(method, path, {token, body, headers}), stop()}.
 */
export async function startService() {
  const serve = findServe();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrail-e2e-'));
  const ordersDir = path.join(dir, 'orders');
  writeOrders(ordersDir);
  const db = path.join(dir, 'ordertrail.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['--db', db, '--host', '127.0.0.1', '--port', String(port), '--web', path.join(root, 'web'), '--clock', DEMO_NOW, '--sweep-every', '0', '--seed-orders', ordersDir];
  const child = spawn(serve, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  try {
    await Promise.race([
      waitForHealth(url),
      new Promise((_, reject) => child.on('exit', (code) => reject(new Error(`ordertrail-serve exited with ${code}: ${output}`)))),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${serve} ${args.join(' ')}: ${e.message}\n${output}`);
  }
  const session = createSession(serve, db);
  const sessionName = `session-e2e-${port}.json`;
  const sessionFile = path.join(root, 'web', 'demo', sessionName);
  fs.writeFileSync(sessionFile, JSON.stringify(session));

  async function api(method, p, { token = session.agent, body, headers = {} } = {}) {
    const init = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const r = await fetch(`${url}${p}`, init);
    const text = await r.text();
    let doc = null;
    try {
      doc = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: r.status, doc, text, etag: r.headers.get('etag'), headers: r.headers };
  }

  async function stop() {
    fs.rmSync(sessionFile, { force: true });
    if (exited === null) {
      const gone = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  return { url, port, session, sessionName, sessionFile, api, stop, log: () => output, exited: () => exited };
}

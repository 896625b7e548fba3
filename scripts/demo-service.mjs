#!/usr/bin/env node
// The demo's order service, set up: the sample orders of web/demo/orders.js
// as JSON files (for `ordertrail-serve --seed-orders DIR`), and the session
// the demo pages act with: a buyer token per sample order (and for the ids
// the storefront gives the orders it places), a seller token per seller, and
// an agent token, made with `ordertrail-serve token create`. Used by
// scripts/demo and by the e2e tests through the service (e2e/service-setup.mjs).
//
//   scripts/demo-service.mjs orders DIR
//   scripts/demo-service.mjs session --serve BIN --db FILE --out FILE
//   scripts/demo-service.mjs find-serve        (prints the ordertrail-serve binary)
//   scripts/demo-service.mjs demo-now          (prints DEMO_NOW)
//
// The session file holds bearer tokens: it is for a demo on 127.0.0.1, served
// as a static file to whoever opens the pages (web/demo/session*.json is
// gitignored). A shop gives each buyer only the token of their own order.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_NOW, SAMPLE_ORDERS, placedOrderId } from '../web/demo/orders.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SESSION_SCHEMA = 'ordertrail.demo-session/1';
/** How many orders per market the storefront may place on the service (each needs its buyer token before). */
export const PLACED_PER_MARKET = 3;
const MARKETS = ['US', 'GB', 'ID'];

export { DEMO_NOW };

/** ORDERTRAIL_SERVE, else the newest ordertrail-serve of build/<preset>/native-cli (asan, debug, release). */
export function findServe() {
  if (process.env.ORDERTRAIL_SERVE) {
    if (!fs.existsSync(process.env.ORDERTRAIL_SERVE)) throw new Error(`ORDERTRAIL_SERVE=${process.env.ORDERTRAIL_SERVE} does not exist`);
    return path.resolve(process.env.ORDERTRAIL_SERVE);
  }
  const found = ['native-asan', 'native-debug', 'native-release']
    .flatMap((preset) => ['ordertrail-serve', 'serve/ordertrail-serve'].map((f) => path.join(root, 'build', preset, 'native-cli', f)))
    .filter((f) => fs.existsSync(f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!found.length) throw new Error('no build/*/native-cli/ordertrail-serve: build a native preset (cmake --build --preset native-debug), or set ORDERTRAIL_SERVE');
  return found[0];
}

/** Writes each sample order as DIR/<order_id>.json (DIR emptied of *.json first). Returns the ids. */
export function writeOrders(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.json')) fs.rmSync(path.join(dir, f));
  for (const { order } of SAMPLE_ORDERS) fs.writeFileSync(path.join(dir, `${order.order_id}.json`), `${JSON.stringify(order, null, 2)}\n`);
  return SAMPLE_ORDERS.map((s) => s.order.order_id);
}

/** One `token create` run: the token it printed. */
export function createToken(serve, db, args) {
  const res = spawnSync(serve, ['token', 'create', ...args, '--db', db], { encoding: 'utf8' });
  if (res.error) throw new Error(`cannot run ${serve}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${serve} token create ${args.join(' ')} exited with ${res.status}: ${res.stderr.trim()}`);
  const token = res.stdout.trim();
  if (!/^otk_[A-Za-z0-9_-]{43}$/.test(token)) throw new Error(`${serve} token create ${args.join(' ')} printed no token: ${JSON.stringify(res.stdout)}`);
  return token;
}

/**
 * The demo's tokens on database `db`: {schema, now, buyers: {order_id: token},
 * sellers: {seller_id: token}, agent}. `buyers` has the sample orders and
 * the ids the storefront gives the orders it places (placedOrderId).
 */
export function createSession(serve, db) {
  const buyers = {};
  for (const { order } of SAMPLE_ORDERS) buyers[order.order_id] = createToken(serve, db, ['--buyer', order.order_id]);
  for (const market of MARKETS) {
    for (let n = 0; n < PLACED_PER_MARKET; ++n) {
      const id = placedOrderId(market, n);
      buyers[id] = createToken(serve, db, ['--buyer', id]);
    }
  }
  const sellers = {};
  for (const id of new Set(SAMPLE_ORDERS.map((s) => s.order.seller_id))) sellers[id] = createToken(serve, db, ['--seller', id]);
  return { schema: SESSION_SCHEMA, demo_now: DEMO_NOW, buyers, sellers, agent: createToken(serve, db, ['--agent']) };
}

/** Resolves once GET `${base}/v1/health` answers 200, or rejects after `ms`. */
export async function waitForHealth(base, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(`${base}/v1/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${base}/v1/health did not answer within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  const arg = (name) => {
    const i = rest.indexOf(name);
    if (i < 0 || i + 1 >= rest.length) throw new Error(`demo-service ${command}: ${name} is missing`);
    return rest[i + 1];
  };
  try {
    if (command === 'orders') {
      const ids = writeOrders(rest[0]);
      console.log(`wrote ${ids.length} sample orders to ${rest[0]}`);
    } else if (command === 'session') {
      const session = createSession(arg('--serve'), arg('--db'));
      fs.writeFileSync(arg('--out'), `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
      console.log(`wrote ${Object.keys(session.buyers).length} buyer, ${Object.keys(session.sellers).length} seller and 1 agent token to ${arg('--out')}`);
    } else if (command === 'find-serve') {
      console.log(findServe());
    } else if (command === 'demo-now') {
      console.log(DEMO_NOW);
    } else {
      console.error('usage: scripts/demo-service.mjs orders DIR | session --serve BIN --db FILE --out FILE | find-serve | demo-now');
      process.exit(2);
    }
  } catch (e) {
    console.error(`demo-service: ${e.message}`);
    process.exit(1);
  }
}

// The mixed vector orders the WebAssembly latency benchmarks evaluate: every
// golden vector of tests/vectors that has an expected evaluation (158 orders
// over every status, deadline and refund kind, markets US/GB/ID and custom
// policies), each with its own `now` and policy, in a fixed shuffled order.
import fs from 'node:fs';
import path from 'node:path';

export function loadCases(repoRoot) {
  const dir = path.join(repoRoot, 'tests', 'vectors');
  const cases = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const v = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (!v.expected) continue; // the error vectors: not what a widget evaluates
    // A policy given by market id is the embedded one (no policy argument).
    cases.push({ name, order: v.order, now: v.now, policy: typeof v.policy === 'string' ? undefined : v.policy });
  }
  return cases;
}

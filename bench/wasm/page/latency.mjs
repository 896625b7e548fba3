// evaluate() latency, the same code in Node and in the browser: `calls` timed
// calls after `warmup` untimed ones, cycling through the cases in a fixed
// shuffled order, each call timed alone with `clock()` (milliseconds).
export function sequence(n, count, seed = 20250620) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0; // mulberry32
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Uint32Array(count);
  for (let i = 0; i < count; ++i) out[i] = Math.floor(next() * n);
  return out;
}

export function summarize(samples) {
  const s = Float64Array.from(samples).sort();
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  let sum = 0;
  for (const v of s) sum += v;
  return { calls: s.length, min_ms: s[0], p50_ms: q(0.5), p90_ms: q(0.9), p99_ms: q(0.99), max_ms: s[s.length - 1], mean_ms: sum / s.length };
}

// call(c) evaluates case c and returns something truthy to check.
export function measure(cases, call, { warmup = 1000, calls = 10000, clock }) {
  const warm = sequence(cases.length, warmup, 1);
  for (let i = 0; i < warmup; ++i) call(cases[warm[i]]);
  const seq = sequence(cases.length, calls);
  const samples = new Float64Array(calls);
  let failures = 0;
  for (let i = 0; i < calls; ++i) {
    const c = cases[seq[i]];
    const t0 = clock();
    const r = call(c);
    samples[i] = clock() - t0;
    if (!r) ++failures;
  }
  return { ...summarize(samples), failures };
}

// The smallest step of `clock` seen over a few thousand reads (ms).
export function resolution(clock) {
  let best = Infinity;
  let last = clock();
  for (let i = 0; i < 20000 && best > 0.0005; ++i) {
    const t = clock();
    if (t > last) {
      best = Math.min(best, t - last);
      last = t;
    }
  }
  return best;
}

/**
 * The benchmark harness every suite uses (ecosystem.md §b.7).
 *
 * - Cases are *batches* (e.g. decode 1,024 records per call) and report records per second:
 *   timer resolution makes single-call timings of a 20 ns function meaningless (tinybench reports
 *   a 37 ns median for an empty function).
 * - benny is the declared harness: each suite runs under it and its JSON lands in bench/results/
 *   (gitignored) for trend tracking. benny wraps the archived benchmark.js and is unreliable for
 *   tiny functions (it ranked a 5-element reduce above a 2-element one), so the same cases also run
 *   under tinybench, whose median is the number the summary reports (authoritative).
 *
 * A case: `{ group, name, records, bytes, fn }` where `fn()` runs one batch of `records` records
 * totalling `bytes` bytes, and returns something (so the work is not dead code).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { add, complete, configure, save, suite } from 'benny';
import { Bench } from 'tinybench';

/** bench/results, next to this file (benny's `folder` is relative to the working directory). */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** `BENCH_QUICK=1`: short budgets and a subset of schemas, for a smoke run. */
export const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

/**
 * Budgets, chosen so a full `npm run bench` stays under ~3 minutes on a 2-core machine:
 * ~90 cases × (benny ≈ 0.4 s + tinybench ≈ 3 rounds × (0.1 s + warmup)).
 */
const BUDGET = QUICK
  ? { bennyMaxTime: 0.08, bennyMinSamples: 3, tinyTime: 80, tinyWarmup: 20, rounds: 1 }
  : { bennyMaxTime: 0.25, bennyMinSamples: 5, tinyTime: 300, tinyWarmup: 30, rounds: 3 };

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Runs `cases` under benny (saving `bench/results/<file>.json`) and then under tinybench.
 * Returns one row per case: records/s and MB/s from tinybench's median batch time, plus benny's
 * records/s for comparison.
 */
export async function runCases(title, cases, file = slug(title)) {
  let bennyOps = new Map();
  mkdirSync(RESULTS_DIR, { recursive: true });
  await suite(
    title,
    configure({ cases: { maxTime: BUDGET.bennyMaxTime, minSamples: BUDGET.bennyMinSamples, delay: 0 } }),
    ...cases.map((c) => add(c.name, c.fn)),
    complete((summary) => {
      bennyOps = new Map(summary.results.map((r) => [r.name, r.ops]));
    }),
    save({ file, folder: RESULTS_DIR, format: 'json', version: process.env.npm_package_version ?? null }),
  );

  // tinybench in interleaved rounds (fast, reference, fast, reference, ...), keeping each case's
  // best median: a burst of load from another process then skews one round, not the ratio.
  const best = new Map();
  for (let round = 0; round < BUDGET.rounds; round++) {
    const bench = new Bench({ name: title, time: BUDGET.tinyTime / BUDGET.rounds, warmupTime: BUDGET.tinyWarmup });
    for (const c of cases) bench.add(c.name, c.fn);
    await bench.run();
    for (const c of cases) {
      const res = bench.getTask(c.name)?.result;
      if (!res || res.state !== 'completed') continue;
      const prev = best.get(c.name);
      if (!prev || res.latency.p50 < prev.latency.p50) best.set(c.name, res);
    }
  }

  return cases.map((c) => {
    const res = best.get(c.name);
    // Median batch latency (ms): robust against the odd GC pause.
    const ms = res ? res.latency.p50 : NaN;
    const recordsPerSec = (c.records * 1000) / ms;
    return {
      group: c.group,
      name: c.name,
      records: c.records,
      recordsPerSec,
      mbPerSec: (recordsPerSec * (c.bytes / c.records)) / 1e6,
      nsPerRecord: (ms * 1e6) / c.records,
      rme: res?.latency?.rme,
      bennyRecordsPerSec: (bennyOps.get(c.name) ?? NaN) * c.records,
    };
  });
}

/** Writes a JSON file into bench/results/. */
export function writeResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, name);
  writeFileSync(path, `${JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? `${v}` : v), 2)}\n`);
  return path;
}

/** `12.3M`, `456k`: records per second for humans. */
export function si(n) {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return n.toFixed(0);
}

/** A plain-text table (console.table cannot right-align numbers). */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/**
 * fast ÷ reference measured the way a loaded machine cannot skew: rounds that each time both
 * (CPU time of this process, so time spent descheduled does not count), the ratio taken per
 * round, the median over rounds. tinybench's medians come from blocks seconds apart, and with
 * other work on the cores their ratio swung 2-5× between runs.
 */
export function interleavedRatio(fast, ref, rounds = QUICK ? 5 : 15) {
  const cpuMs = (fn, n) => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1000 / n;
  };
  // Enough batches per timing to be far above the clock's resolution (~1 ms of work each).
  const nFast = Math.max(1, Math.ceil(2 / Math.max(cpuMs(fast, 20), 1e-3)));
  const nRef = Math.max(1, Math.ceil(2 / Math.max(cpuMs(ref, 2), 1e-3)));
  const ratios = [];
  for (let r = 0; r < rounds; r++) ratios.push(cpuMs(ref, nRef) / cpuMs(fast, nFast));
  ratios.sort((a, b) => a - b);
  return ratios[ratios.length >> 1];
}

/**
 * cilium-map-codec benchmarks: `npm run bench` (builds dist/ first, then runs this file);
 * `BENCH_QUICK=1 npm run bench` for a short smoke run; `BENCH_SUITES=1,3` to pick suites;
 * `BENCH_FILTER=<regex>` to pick suite 1's schemas by label.
 * Imports only the built package (`../dist/index.js`), as a user would.
 *
 * Suites
 *  1. Per-struct decode and encode, for every map's key and value (newest layout of each map;
 *     bench/struct.js, one child process per schema): the compiled fast path (`decodeAt`
 *     straight from a dump buffer; `encode`) against the restructure reference
 *     (`decodeReference`, `encodeReference`), plus a hand-written DataView decoder as a sanity
 *     line. Batches of 1,024 records; records/s, MB/s and fast ÷ reference.
 *     Target: fast ≥ 30× reference for every schema (style-anchors.md §7, practices 3 and 9).
 *  2. Whole-dump decode (a 512,000-entry ipcache dump, plain and `-j`; a 512,000-entry CT dump
 *     (scripts/gen-ct-dump.mjs); a 65,535-entry lxc dump;
 *     bench/dump.js): in process against the restructure reference, and as whole processes
 *     against the read-and-count-lines floor and the peers an operator would use instead (an awk
 *     and a python script in bench/peers/), with peak RSS.
 *  3. Key hex generation: `resolveMap('ipcache').key.encode({ cidr })` then `bytesToHex`, keys/s.
 *
 * Harness notes (bench/harness.js; ecosystem.md §b.7): benny is the declared harness and saves
 * JSON to bench/results/ (gitignored); tinybench runs the same cases (3 interleaved rounds, best
 * median) and is what the summary tables report, because benny/benchmark.js is unreliable for
 * tiny functions. A full run takes about 1.5-2 minutes on 2 cores; BENCH_QUICK=1 about 15 s.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as pkg from '../dist/index.js';
import { makeDump, rng } from './fixtures.js';
import { QUICK, interleavedRatio, runCases, si, table, writeResult } from './harness.js';
import { BATCH, runSuite1 } from './struct.js';

const TARGET_RATIO = 30;
const wanted = new Set((process.env.BENCH_SUITES ?? '1,2,3').split(',').map((s) => s.trim()));
const context = { pkg, runCases, table, si, writeResult, makeDump, QUICK };

async function suite1() {
  const rows = await runSuite1();
  console.log('\nSuite 1: per-struct decode and encode (tinybench median of 1,024-record batches, one process per schema; authoritative)\n');
  console.log(
    table(
      ['schema', 'B', 'fast rec/s', 'fast MB/s', 'ns/rec', 'restructure ref rec/s', 'fast÷ref', 'fast÷ref interleaved', `≥${TARGET_RATIO}×`, 'DataView rec/s', 'enc fast rec/s', 'enc ref rec/s', 'enc ÷', 'enc ÷ interleaved'],
      rows.map((r) => {
        // The interleaved ratio (bench/struct.js) decides: it is what load swings cannot skew.
        const ratio = r.interleaved?.decode ?? r.decodeFast.recordsPerSec / r.decodeRef.recordsPerSec;
        return [
          r.schema,
          r.size,
          si(r.decodeFast.recordsPerSec),
          r.decodeFast.mbPerSec.toFixed(0),
          r.decodeFast.nsPerRecord.toFixed(0),
          si(r.decodeRef.recordsPerSec),
          `${(r.decodeFast.recordsPerSec / r.decodeRef.recordsPerSec).toFixed(1)}×`,
          `${ratio.toFixed(1)}×`,
          ratio >= TARGET_RATIO ? 'yes' : 'NO',
          r.decodeHand ? si(r.decodeHand.recordsPerSec) : '—',
          si(r.encodeFast.recordsPerSec),
          si(r.encodeRef.recordsPerSec),
          `${(r.encodeFast.recordsPerSec / r.encodeRef.recordsPerSec).toFixed(1)}×`,
          r.interleaved ? `${r.interleaved.encode.toFixed(1)}×` : '—',
        ];
      }),
    ),
  );
  const modes = [...new Set(rows.map((r) => r.mode))];
  console.log(`\nDecoder mode: ${modes[0] === undefined ? '(compileDecoder not exported from dist; Schema.decode compiles on first use)' : modes.join(', ')}`);
  console.log('benny (declared harness) records/s for the same cases: bench/results/suite1-*.json and the summary JSON.');
  return rows;
}

/** 1,024 CIDRs as an ipcache holds them: pod /32s and /128s, node /24s, IPv6 /64s. */
function cidrList() {
  const rand = rng(7);
  return Array.from({ length: BATCH }, (_, i) => {
    // Non-zero parts keep the IPv6 text canonical (`::0` would not round-trip as the same cidr).
    const a = (rand() & 0xff) | 1;
    const b = (rand() & 0xff) | 1;
    switch (i % 8) {
      case 0:
        return `10.${a}.${b}.0/24`;
      case 1:
        return `fd00:10:244:${a.toString(16)}::${b.toString(16)}/128`;
      case 2:
        return `fd00:10:${a.toString(16)}:${b.toString(16)}::/64`;
      default:
        return `10.244.${a}.${b}/32`;
    }
  });
}

/** Fallback for a dist without `bytesToHex` (src/bpftool/hex.ts): the same table approach. */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => (i + 0x100).toString(16).slice(1));
function localBytesToHex(bytes) {
  if (bytes.length === 0) return '';
  let out = BYTE_HEX[bytes[0]];
  for (let i = 1; i < bytes.length; i++) out += ` ${BYTE_HEX[bytes[i]]}`;
  return out;
}

async function suite3() {
  const key = pkg.resolveMap('ipcache').key;
  const hexFrom = typeof pkg.bytesToHex === 'function' ? 'package bytesToHex' : 'local table copy (bytesToHex not exported from dist yet)';
  const toHex = typeof pkg.bytesToHex === 'function' ? pkg.bytesToHex : localBytesToHex;
  const cidrs = cidrList();
  const keys = cidrs.map((cidr) => key.encode({ cidr }));
  for (let i = 0; i < BATCH; i++) {
    deepStrictEqual(key.encodeReference({ cidr: cidrs[i] }), keys[i]);
    if (toHex(keys[i]) !== localBytesToHex(keys[i])) throw new Error('bytesToHex disagrees with the table approach');
  }
  const bytes = BATCH * key.sizeof;
  const cases = [
    { name: 'CIDR → key → hex', fn: () => { let h; for (let i = 0; i < BATCH; i++) h = toHex(key.encode({ cidr: cidrs[i] })); return h; } },
    { name: 'CIDR → key → hex (reference encoder)', fn: () => { let h; for (let i = 0; i < BATCH; i++) h = toHex(key.encodeReference({ cidr: cidrs[i] })); return h; } },
    { name: 'encode { cidr } only', fn: () => { let k; for (let i = 0; i < BATCH; i++) k = key.encode({ cidr: cidrs[i] }); return k; } },
    { name: 'bytesToHex only', fn: () => { let h; for (let i = 0; i < BATCH; i++) h = toHex(keys[i]); return h; } },
  ].map((c) => ({ ...c, group: 'ipcache key hex', records: BATCH, bytes }));
  const rows = await runCases('suite 3: ipcache key hex generation (CIDR → hex)', cases, 'suite3-key-hex');
  // Friendly encoding against the restructure reference, interleaved (harness.js): the issue-10 target is ≥ 3×.
  const friendly = interleavedRatio(
    () => { let k; for (let i = 0; i < BATCH; i++) k = key.encode({ cidr: cidrs[i] }); return k; },
    () => { let k; for (let i = 0; i < BATCH; i++) k = key.encodeReference({ cidr: cidrs[i] }); return k; },
  );
  console.log(`\nSuite 3: key hex generation, ipcache_key (IK-C); hex: ${hexFrom}\n`);
  console.log(table(['case', 'keys/s', 'ns/key', 'benny keys/s'], rows.map((r) => [r.name, si(r.recordsPerSec), r.nsPerRecord.toFixed(0), si(r.bennyRecordsPerSec)])));
  console.log(`Friendly encoding { cidr } → key bytes, fast ÷ restructure reference (interleaved CPU time, median of rounds): ${friendly.toFixed(1)}× (target ≥ 3×)`);
  return { hexFrom, rows, friendlyEncodeRatio: friendly };
}

async function main() {
  const started = Date.now();
  console.log(`cilium-map-codec bench: node ${process.version}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}${QUICK ? ', BENCH_QUICK' : ''}`);
  const summary = { date: new Date().toISOString(), node: process.version, quick: QUICK, batch: BATCH, suites: {} };
  if (wanted.has('1')) summary.suites[1] = await suite1();
  const dumpSuite = new URL('./dump.js', import.meta.url);
  if (wanted.has('2') && existsSync(dumpSuite)) {
    const { default: suite2 } = await import(dumpSuite.href);
    summary.suites[2] = await suite2(context);
  }
  if (wanted.has('3')) summary.suites[3] = await suite3();
  const path = writeResult(`summary-${summary.date.replace(/[:.]/g, '-')}.json`, summary);
  console.log(`\nSummary saved to ${path} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

await main();

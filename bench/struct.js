/**
 * Suite 1: per-struct decode and encode, one schema per child process.
 *
 * Why a process per schema: in one shared process the JIT and GC state left by earlier schemas
 * occasionally skewed a later one by an order of magnitude (lb_service SV-C once measured 175
 * ns/record instead of 22, in benny and tinybench alike, and not reproducibly). A fresh process
 * per schema is also what a real run looks like: a dump holds one map's keys and values.
 *
 * `node bench/struct.js <schema id>` (its label, or `label @ first map` where labels repeat) runs one schema and reports its row to the parent over
 * IPC; `runSuite1()` forks one child per schema and collects the rows.
 */
import { fork } from 'node:child_process';
import { deepStrictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as pkg from '../dist/index.js';
import { makeDump } from './fixtures.js';
import { handwrittenDecoders } from './handwritten.js';
import { QUICK, interleavedRatio, runCases } from './harness.js';

export const BATCH = 1024;

/** JSON with bigints, keeping key order: records must match exactly, order included. */
const canon = (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

/** The newest layout's key and value of every map, each schema once, in catalogue order. */
export function suite1Schemas() {
  const out = new Map();
  for (const m of pkg.MAPS) {
    const { key, value } = pkg.resolveMap(m.name);
    for (const s of [key, value]) {
      const entry = out.get(s) ?? { schema: s, maps: [] };
      entry.maps.push(m.name);
      out.set(s, entry);
    }
  }
  let all = [...out.values()];
  // Two schemas can share a label (ct_entry CE-D of the IPv4 and of the IPv6 maps): those are
  // told apart by their first map, so each child benchmarks the schema it was forked for.
  const seen = new Map();
  for (const e of all) seen.set(e.schema.label, (seen.get(e.schema.label) ?? 0) + 1);
  for (const e of all) e.id = seen.get(e.schema.label) > 1 ? `${e.schema.label} @ ${e.maps[0]}` : e.schema.label;
  // BENCH_FILTER=<regex> keeps the schemas whose label matches (e.g. `BENCH_FILTER='ipcache|SV-C'`).
  if (process.env.BENCH_FILTER) all = all.filter((e) => new RegExp(process.env.BENCH_FILTER).test(e.schema.label));
  if (!QUICK) return all;
  const quick = new Set(['ipcache_key (IK-C)', 'remote_endpoint_info (RE-F)', 'endpoint_info (EI-D)', 'lb6_backend (BE-E)']);
  return all.filter((e) => quick.has(e.schema.label));
}

/** Benchmarks one schema (in this process) and returns its row. */
export async function benchSchema(id) {
  const entry = suite1Schemas().find((e) => e.id === id);
  if (!entry) throw new Error(`no schema ${id}`);
  const { schema: s, maps } = entry;
  const byHand = handwrittenDecoders(pkg)[s.label];
  const size = s.sizeof;
  const dump = makeDump(s, BATCH);
  const views = Array.from({ length: BATCH }, (_, i) => dump.subarray(i * size, (i + 1) * size));
  const dv = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
  const derived = new Set(s.derivedKeys());
  const inputs = views.map((v) => Object.fromEntries(Object.entries(s.decodeReference(v)).filter(([k]) => !derived.has(k))));

  // Sanity before timing: all decoders agree (key order included), both encoders give the dump back.
  for (let i = 0; i < BATCH; i++) {
    const fast = s.decodeAt(dump, i * size);
    deepStrictEqual(fast, s.decodeReference(views[i]));
    if (byHand) {
      const h = byHand(dump, dv, i * size);
      deepStrictEqual(h, fast);
      if (canon(h) !== canon(fast)) throw new Error(`hand-written ${s.label} differs in key order`);
    }
    deepStrictEqual(s.encode(inputs[i]), views[i].slice());
    deepStrictEqual(s.encodeReference(inputs[i]), views[i].slice());
  }

  // Each batch returns its last result so nothing is dead code. The reference gets exact-size
  // views made beforehand (it cannot read at an offset), so only decoding is timed.
  const cases = [
    {
      name: 'decode fast (decodeAt)',
      fn: () => {
        let r;
        for (let i = 0, o = 0; i < BATCH; i++, o += size) r = s.decodeAt(dump, o);
        return r;
      },
    },
    {
      name: 'decode reference',
      fn: () => {
        let r;
        for (let i = 0; i < BATCH; i++) r = s.decodeReference(views[i]);
        return r;
      },
    },
    byHand && {
      name: 'decode hand-written DataView',
      fn: () => {
        let r;
        for (let i = 0, o = 0; i < BATCH; i++, o += size) r = byHand(dump, dv, o);
        return r;
      },
    },
    {
      name: 'encode fast',
      fn: () => {
        let r;
        for (let i = 0; i < BATCH; i++) r = s.encode(inputs[i]);
        return r;
      },
    },
    {
      name: 'encode reference',
      fn: () => {
        let r;
        for (let i = 0; i < BATCH; i++) r = s.encodeReference(inputs[i]);
        return r;
      },
    },
  ]
    .filter(Boolean)
    .map((c) => ({ ...c, group: s.label, records: BATCH, bytes: BATCH * size }));
  const got = await runCases(`suite 1: ${id} (${size} B; ${maps.join(', ')})`, cases, `suite1-${id.replace(/[^A-Za-z0-9]+/g, '-')}`);
  const by = Object.fromEntries(got.map((r) => [r.name, r]));
  const named = Object.fromEntries(cases.map((c) => [c.name, c.fn]));
  return {
    interleaved: {
      decode: interleavedRatio(named['decode fast (decodeAt)'], named['decode reference']),
      encode: interleavedRatio(named['encode fast'], named['encode reference']),
    },
    schema: id,
    size,
    maps,
    mode: typeof pkg.compileDecoder === 'function' ? pkg.compileDecoder(s).mode : undefined,
    decodeFast: by['decode fast (decodeAt)'],
    decodeRef: by['decode reference'],
    decodeHand: by['decode hand-written DataView'],
    encodeFast: by['encode fast'],
    encodeRef: by['encode reference'],
  };
}

/** Forks one child per schema (sequentially: two cores, and timings must not overlap). */
export async function runSuite1() {
  const rows = [];
  const self = fileURLToPath(import.meta.url);
  for (const { id } of suite1Schemas()) {
    rows.push(
      await new Promise((resolve, reject) => {
        let row;
        const child = fork(self, [id], { stdio: 'inherit' });
        child.on('message', (m) => (row = m));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 && row ? resolve(row) : reject(new Error(`suite 1 child for ${id} exited with ${code}`))));
      }),
    );
  }
  return rows;
}

// Child mode: `node bench/struct.js <id>` (forked by runSuite1).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) {
  const row = await benchSchema(process.argv[2]);
  process.send?.(row);
  if (!process.send) console.log(JSON.stringify(row, null, 2));
}

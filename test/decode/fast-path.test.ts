/**
 * The text fast path against the general parser: identical records and summaries on every real
 * capture, every generated dump (plain, -j, -p), any chunking, and fuzzed/mutated dumps.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DumpError, DumpPipeline, resolveMap, type DecodedRecord, type DumpPipelineOptions } from '../../src/index';
import { plainDump, jsonDump } from '../helpers/bpftool-text';
import { generatedMaps, hasShared, readShared, sharedPath } from '../helpers/shared';
import { fixtureVersions } from '../helpers/truth-compare';

function run(chunks: Iterable<string | Uint8Array>, opts: DumpPipelineOptions) {
  try {
    const p = new DumpPipeline(opts);
    const records: DecodedRecord[] = [];
    for (const c of chunks) records.push(...p.push(c));
    records.push(...p.end());
    return { records, summary: p.finish() };
  } catch (e) {
    if (e instanceof DumpError) return { error: e.message };
    throw e;
  }
}

function same(chunks: (string | Uint8Array)[], opts: DumpPipelineOptions): void {
  const fast = run(chunks, { ...opts, fast: true });
  const general = run(chunks, { ...opts, fast: false });
  expect(fast).toEqual(general);
}

function chunked(text: string, size: number): Uint8Array[] {
  const b = Buffer.from(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/**
 * The text in chunks of `size` bytes that all share one buffer, as the CLI reads (read-chunks.ts):
 * each is overwritten by the next, and the last is poisoned once the parser has had it. A parser
 * that kept a view of a chunk past push() decodes garbage.
 */
function* reused(text: string, size: number): Generator<Uint8Array> {
  const b = Buffer.from(text);
  const buf = new Uint8Array(size);
  for (let i = 0; i < b.length; i += size) {
    const n = Math.min(size, b.length - i);
    buf.fill(0x7e);
    buf.set(b.subarray(i, i + n));
    yield buf.subarray(0, n);
  }
  buf.fill(0x7e);
}

/** Fast path fed from one reused buffer == general parser fed the whole text. */
function sameReused(text: string, size: number, opts: DumpPipelineOptions): void {
  expect(run(reused(text, size), { ...opts, fast: true })).toEqual(run([text], { ...opts, fast: false }));
}

describe.skipIf(!hasShared)('fast path == general parser', () => {
  for (const map of generatedMaps) {
    for (const ext of ['dump.txt', 'dump.json', 'dump.pretty.json.gz']) {
      it(`${map}.${ext}, whole and in odd chunks, named and identified by size`, () => {
        const text = readShared('fixtures', 'generated', `${map}.${ext}`);
        const v = fixtureVersions[map]!;
        same([text], { map, version: v });
        same(chunked(text, 977), { map, version: v });
        same(chunked(text, 61), { map, version: v });
        if (map !== 'cilium_ipcache') same(chunked(text, 4096), { version: v });
      });
      it(`${map}.${ext} read into one reused buffer (the CLI's reads)`, () => {
        const text = readShared('fixtures', 'generated', `${map}.${ext}`);
        const v = fixtureVersions[map]!;
        sameReused(text, 1 << 16, { map, version: v });
        sameReused(text, 333, { map, version: v });
      });
    }
  }
  const captures = readdirSync(sharedPath('fixtures', 'bpftool-formats')).filter((f) => f.endsWith('.out'));
  it(`every bpftool-formats capture (${captures.length}), for every map whose sizes could apply`, () => {
    for (const f of captures) {
      const text = readShared('fixtures', 'bpftool-formats', f);
      for (const map of ['cilium_ipcache', 'cilium_lxc', 'lb4-services', 'lb4-backends', 'lb4-backends-v2', 'lb4-revnat']) {
        same([text], { map });
        same(chunked(text, 7), { map });
        sameReused(text, 7, { map });
      }
    }
  });
});

describe('fuzzed and mutated dumps', () => {
  const ipc = resolveMap('ipcache');
  const base: [Uint8Array, Uint8Array][] = [0, 1, 2, 3, 4].map((i) => [ipc.key.encode({ cidr: `10.0.${i}.0/24` }), ipc.value.encode({ sec_identity: i + 100 })]);
  // Hex digits only: plain `0a` columns and the `0x0a` items of -j (not `0x` itself, nor `key`).
  const upperHex = (t: string) => t.replace(/\b[0-9a-f]{2}\b/g, (h) => h.toUpperCase()).replace(/"0x([0-9a-f]{2})"/g, (_m, h: string) => `"0x${h.toUpperCase()}"`);
  const texts = [plainDump(base), jsonDump(base), `Defaulted container "x"\n${plainDump(base)}`, upperHex(plainDump(base))];
  it('upper-case hex digits read as the same bytes on both paths', () => {
    for (const t of [plainDump(base), jsonDump(base)]) {
      const lower = run([t], { map: 'ipcache', fast: true });
      expect(upperHex(t)).not.toBe(t);
      expect(run([upperHex(t)], { map: 'ipcache', fast: true })).toEqual(lower);
      expect(run([upperHex(t)], { map: 'ipcache', fast: false })).toEqual(lower);
    }
  });
  it('blanks before the [ of a -j dump are quoted when the fast path hands over (found by the property below, seed 743308713)', () => {
    // ` [{"` + newline: the general parser quotes the whole line, leading space included.
    const t = ` ${jsonDump(base).slice(0, 3)}\n${jsonDump(base).slice(3)}`;
    for (const chunk of [1, 2, 7, 300]) {
      same(chunked(t, chunk), { map: 'ipcache' });
      sameReused(t, chunk, { map: 'ipcache' });
    }
    expect(run([t], { map: 'ipcache', fast: true }).summary?.issues[0]?.message).toContain('" [{\\""');
    // The same kind: blanks before text that ends the fast path outside an array (a second,
    // broken document on the next line, whose malformed line is quoted whole).
    const two = `${jsonDump(base)}  [{"\n`;
    for (const chunk of [1, 5, 300]) same(chunked(two, chunk), { map: 'ipcache' });
  });
  it('random edits (insert, delete, replace bytes; CRLF; truncation) give the same result on both paths', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('\n', ' ', 'x', '0', '\r\n', 'key:', 'Found 9 elements\n', '<no entry>', ',', ']', '{')), { maxLength: 4 }),
        fc.integer({ min: 1, max: 300 }),
        (text, edits, chunk) => {
          let t = text;
          for (const [at, del, ins] of edits) {
            const p = at % (t.length + 1);
            t = t.slice(0, p) + ins + t.slice(p + del);
          }
          same(chunked(t, chunk), { map: 'ipcache' });
          sameReused(t, chunk, { map: 'ipcache' });
        },
      ),
      { numRuns: 1500 },
    );
  });
});

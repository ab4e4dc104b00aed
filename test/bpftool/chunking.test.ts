/**
 * Chunk boundaries must not matter: feeding the same input in 1-byte, 7-byte or random chunks, as
 * bytes or as strings, gives exactly the events of the whole text. Splits fall inside multi-byte
 * UTF-8 characters, hex bytes, `\r\n`, JSON tokens and `"0xNN"` items.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDumpParser, parseDump, parseDumpText } from '../../src/bpftool/parse';
import type { DumpEvent } from '../../src/bpftool/events';
import { readShared } from '../helpers/shared';

const enc = new TextEncoder();

function feed(chunks: (string | Uint8Array)[]): DumpEvent[] {
  const out: DumpEvent[] = [];
  const p = createDumpParser((e) => out.push(e));
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

function cutBytes(bytes: Uint8Array, sizes: (i: number) => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0, i = 0; o < bytes.length; i++) {
    const n = Math.max(1, sizes(i));
    out.push(bytes.slice(o, o + n)); // copies: the parser must not depend on the caller's buffer
    o += n;
  }
  return out;
}

function cutString(s: string, sizes: (i: number) => number): string[] {
  const out: string[] = [];
  for (let o = 0, i = 0; o < s.length; i++) {
    const n = Math.max(1, sizes(i));
    out.push(s.slice(o, o + n));
    o += n;
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so failures are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fixture = (f: string) => readShared('fixtures', 'bpftool-formats', f);
const firstLines = (text: string, n: number) => text.split('\n').slice(0, n).join('\n') + '\n';

const inputs: Record<string, string> = {
  'plain ipcache (form C) + CRLF + kubectl noise with UTF-8':
    'Defaulted container "cilium-agent" out of: cilium-agent, mount-cgroup (init) — ✓ 🚀\r\n' +
    fixture('dump_ipcache.out').replace(/\n/g, '\r\n'),
  'plain form A (services)': fixture('dump_svc.out'),
  'plain per-CPU': fixture('dump_pcpu_big.out') + fixture('dump_pcpu.out'),
  'plain multi-map': fixture('dump_byname_one.out'),
  'plain lookup miss + getnext': fixture('err_lpm_missing.out') + fixture('getnext_small_first.out'),
  '-j multi-map with formatted': fixture('jdump_byname_multi.out'),
  '-p per-CPU BTF': fixture('btf_pdump_metrics.out'),
  'BTF plain (bare hex, (nil), u64)': fixture('btf_dump_btf_misc.out'),
  'BTF plain lxc (duplicate "" keys)': fixture('btf_dump_lxc.out'),
  'concatenated: plain dump, -j lookup, null, BTF lookup, plain miss, error':
    fixture('dump_small.out') +
    fixture('jlookup_small.out') +
    'null\n' +
    fixture('btf_lookup_be3.out') +
    fixture('btf_lookup_missing.out') +
    fixture('err_jdump_nopin.out') +
    'Error: can\'t get next key: No such file or directory\n',
  'generated lxc, 40 entries': firstLines(readShared('fixtures', 'generated', 'cilium_lxc.dump.txt'), 7 * 40),
  'generated -j ipcache, cut mid-entry': readShared('fixtures', 'generated', 'cilium_ipcache.dump.json').slice(0, 9000),
  'generated -p services, 30 entries': firstLines(readShared('fixtures', 'generated', 'cilium_lb4_services_v2.dump.pretty.json.gz'), 150),
};

describe('chunk boundaries do not change the events', () => {
  for (const [name, text] of Object.entries(inputs)) {
    describe(name, () => {
      const whole = parseDumpText(text);
      const bytes = enc.encode(text);

      it('has something to compare', () => {
        expect(whole.filter((e) => e.kind === 'entry' || e.kind === 'btf' || e.kind === 'not-found' || e.kind === 'getnext').length).toBeGreaterThan(0);
      });
      it('1-byte Uint8Array chunks', () => expect(feed(cutBytes(bytes, () => 1))).toEqual(whole));
      it('1-character string chunks', () => expect(feed(cutString(text, () => 1))).toEqual(whole));
      it('7-byte chunks, bytes and strings', () => {
        expect(feed(cutBytes(bytes, () => 7))).toEqual(whole);
        expect(feed(cutString(text, () => 7))).toEqual(whole);
      });
      it('random chunk sizes (seeded), bytes and strings', () => {
        for (let seed = 1; seed <= 5; seed++) {
          const r = rng(seed);
          expect(feed(cutBytes(bytes, () => 1 + Math.floor(r() * 300)))).toEqual(whole);
          expect(feed(cutString(text, () => 1 + Math.floor(r() * 300)))).toEqual(whole);
        }
      });
    });
  }

  it('random cut points anywhere (fast-check), bytes', () => {
    const text = inputs['concatenated: plain dump, -j lookup, null, BTF lookup, plain miss, error'];
    const bytes = enc.encode(text);
    const whole = parseDumpText(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const pts = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = pts.slice(1).map((p, i) => bytes.subarray(pts[i], p));
        expect(feed(chunks)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('a Uint8Array chunk reused (overwritten) by the caller after push does not change earlier entries', () => {
    const bytes = enc.encode(fixture('dump_small.out'));
    const out: DumpEvent[] = [];
    const p = createDumpParser((e) => out.push(e));
    const buf = new Uint8Array(5);
    for (let o = 0; o < bytes.length; o += 5) {
      buf.fill(0x7a);
      buf.set(bytes.subarray(o, o + 5));
      p.push(buf.subarray(0, Math.min(5, bytes.length - o)));
    }
    p.end();
    expect(out).toEqual(parseDumpText(fixture('dump_small.out')));
  });

  it('returned byte arrays are independent copies', () => {
    const events = parseDumpText(fixture('dump_ipcache.out') + fixture('jdump_ipcache.out'));
    const arrays = events.flatMap((e) => (e.kind === 'entry' ? [e.entry.key, e.entry.value!] : []));
    expect(arrays).toHaveLength(12);
    const snapshot = arrays.map((a) => Array.from(a));
    for (const a of arrays) a.fill(0xee);
    // Parsing again (the parsers reuse scratch buffers) must not see or cause the changes.
    const again = parseDumpText(fixture('dump_ipcache.out') + fixture('jdump_ipcache.out'));
    const arrays2 = again.flatMap((e) => (e.kind === 'entry' ? [e.entry.key, e.entry.value!] : []));
    expect(arrays2.map((a) => Array.from(a))).toEqual(snapshot);
    // No two returned arrays share bytes.
    for (let i = 0; i < arrays.length; i++) for (let j = i + 1; j < arrays.length; j++) {
      const a = arrays[i];
      const b = arrays[j];
      const overlap = a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
      expect(overlap).toBe(false);
    }
  });

  it('parseDump yields one batch per chunk that produced events, from sync and async sources', async () => {
    const text = fixture('dump_small.out');
    const lines = text.split(/(?<=\n)/);
    const batches: DumpEvent[][] = [];
    for await (const b of parseDump(lines)) batches.push(b);
    expect(batches.map((b) => b.map((e) => e.kind))).toEqual([['entry'], ['entry', 'trailer']]);

    async function* gen() {
      for (const l of lines) yield enc.encode(l);
    }
    const flat: DumpEvent[] = [];
    for await (const b of parseDump(gen())) flat.push(...b);
    expect(flat).toEqual(parseDumpText(text));
  });
});

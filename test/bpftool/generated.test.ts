/**
 * The generated 1000-entry Cilium-shaped dumps (shared/fixtures/generated/, bpftool-formats.md §7)
 * in plain, -j and -p form decode to exactly the ground-truth bytes.
 *
 * Note: the truth files are not in dump order (hash maps come out in bucket order, LPM tries in
 * post-order, §1.8), so bytes are matched by key; the order is checked across the three formats,
 * which bpftool prints in the same order for an unchanged map.
 */
import { describe, expect, it } from 'vitest';
import { createDumpParser, parseDumpText } from '../../src/bpftool/parse';
import type { DumpEvent, RawEntry } from '../../src/bpftool/events';
import { BYTE_TO_HEX } from '../../src/bpftool/hex';
import { generatedMaps, readShared, readTruth } from '../helpers/shared';

const compact = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += BYTE_TO_HEX[b[i]];
  return s;
};

function entries(events: DumpEvent[]): RawEntry[] {
  return events.filter((e): e is Extract<DumpEvent, { kind: 'entry' }> => e.kind === 'entry').map((e) => e.entry);
}

const forms = [
  ['plain', 'dump.txt'],
  ['-j', 'dump.json'],
  ['-p', 'dump.pretty.json.gz'],
] as const;

describe('generated dumps match the ground truth', () => {
  for (const map of generatedMaps) {
    describe(map, () => {
      const truth = readTruth(map);
      const want = new Map(truth.map((t) => [t.key_hex, t.value_hex]));
      const orders: string[][] = [];

      for (const [form, file] of forms) {
        it(`${form}: every entry's bytes equal the truth, the trailer counts them`, () => {
          const text = readShared('fixtures', 'generated', `${map}.${file}`);
          const events = parseDumpText(text);
          const got = entries(events);
          expect(got).toHaveLength(truth.length);
          const keys: string[] = [];
          for (const e of got) {
            const k = compact(e.key);
            keys.push(k);
            expect(want.get(k), `${form} key ${k} (line ${e.line})`).toBe(compact(e.value!));
          }
          expect(new Set(keys).size).toBe(truth.length);
          orders.push(keys);
          const others = events.filter((e) => e.kind !== 'entry');
          if (form === 'plain') {
            expect(others).toEqual([{ kind: 'trailer', count: got.length, line: text.split('\n').length - 1 }]);
            // Every entry of a non-BTF map has the same number of lines (§1.2): line numbers step evenly.
            const step = got[1].line - got[0].line;
            got.forEach((e, i) => expect(e.line).toBe(1 + i * step));
          } else {
            expect(others).toEqual([]);
          }
        });
      }

      it('plain, -j and -p list the entries in the same order', () => {
        expect(orders).toHaveLength(3);
        expect(orders[1]).toEqual(orders[0]);
        expect(orders[2]).toEqual(orders[0]);
      });
    });
  }

  it('the same text fed as 64 KiB byte chunks gives the same entries (ipcache -p)', () => {
    const text = readShared('fixtures', 'generated', 'cilium_ipcache.dump.pretty.json.gz');
    const bytes = new TextEncoder().encode(text);
    const got: DumpEvent[] = [];
    const p = createDumpParser((e) => got.push(e));
    for (let o = 0; o < bytes.length; o += 65536) p.push(bytes.subarray(o, o + 65536));
    p.end();
    expect(got).toEqual(parseDumpText(text));
    expect(p.format).toBe('json');
  });
});

/**
 * recordToJSONText prints exactly JSON.stringify(recordToJSON(r)) (bigint as decimal strings), for
 * every record form: ordinary, per-CPU, getnext, multi-map, a lookup's key without a value.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDumpText, DumpError, recordToJSON, recordToJSONText, type DecodedRecord } from '../../src/index';
import { generatedMaps, hasShared, readShared, sharedPath } from '../helpers/shared';
import { fixtureVersions } from '../helpers/truth-compare';

const ref = (r: DecodedRecord, indent?: number) => JSON.stringify(recordToJSON(r), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);

function records(text: string, opts: Parameters<typeof decodeDumpText>[1]): DecodedRecord[] {
  try {
    return decodeDumpText(text, opts).records;
  } catch (e) {
    if (e instanceof DumpError) return [];
    throw e;
  }
}

describe.skipIf(!hasShared)('recordToJSONText', () => {
  it('every generated fixture record, interleaved across maps', () => {
    const all = generatedMaps.flatMap((m) => records(readShared('fixtures', 'generated', `${m}.dump.txt`), { map: m, version: fixtureVersions[m] }));
    expect(all.length).toBeGreaterThan(1000);
    for (let i = 0; i < all.length; i++) {
      const r = all[(i * 7919) % all.length]!;
      expect(recordToJSONText(r)).toBe(ref(r));
    }
    expect(recordToJSONText(all[0]!, 2)).toBe(ref(all[0]!, 2));
  });

  it('every record of every bpftool-formats capture (per-CPU values, getnext, multi-map, lookups)', () => {
    const forms = new Set<string>();
    for (const f of readdirSync(sharedPath('fixtures', 'bpftool-formats')).filter((f) => f.endsWith('.out'))) {
      const text = readShared('fixtures', 'bpftool-formats', f);
      for (const map of [undefined, 'cilium_ipcache', 'cilium_lxc', 'lb4-services', 'lb4-backends', 'lb4-revnat']) {
        for (const r of records(text, { map })) {
          forms.add(['map', 'value', 'values', 'next_key'].filter((k) => (r as unknown as Record<string, unknown>)[k] !== undefined).join('+'));
          expect(recordToJSONText(r)).toBe(ref(r));
        }
      }
    }
    expect([...forms].sort()).toEqual(expect.arrayContaining(['value', 'values', 'next_key', 'map+value']));
  });
});

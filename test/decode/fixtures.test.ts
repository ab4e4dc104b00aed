/**
 * Every generated dump (plain, -j, -p) decodes through the library to exactly its ground truth,
 * in order, with no diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { decodeDump, decodeDumpText, resolveMap, type DecodedRecord } from '../../src/index';
import { toHex } from '../helpers/bytes';
import { plainDump } from '../helpers/bpftool-text';
import { generatedMaps, hasShared, readShared, readTruth } from '../helpers/shared';
import { compareTruth, fixtureVersions } from '../helpers/truth-compare';

const forms = [
  ['plain', 'dump.txt'],
  ['-j', 'dump.json'],
  ['-p', 'dump.pretty.json.gz'],
] as const;

describe.skipIf(!hasShared)('generated dumps decode to their ground truth', () => {
  for (const map of generatedMaps) {
    const truth = readTruth(map);
    for (const [form, ext] of forms) {
      it(`${map} ${form}`, () => {
        const { records, summary } = decodeDumpText(readShared('fixtures', 'generated', `${map}.${ext}`), { map, version: fixtureVersions[map], strict: true });
        // Dumps come out in hash-bucket / LPM post-order, truth in insertion order: match by key.
        const byKey = new Map(truth.map((t) => [t.key_hex, t]));
        const spec = resolveMap(map, fixtureVersions[map]);
        expect(records).toHaveLength(truth.length);
        const seen = new Set<string>();
        records.forEach((r, i) => {
          const keyHex = toHex(spec.key.encode(r.key));
          const t = byKey.get(keyHex);
          expect(t, `${map}#${i}: key ${keyHex} is not in the truth set`).toBeDefined();
          seen.add(keyHex);
          compareTruth(t!.key, r.key, `${map}#${i}.key`);
          compareTruth(t!.value, r.value!, `${map}#${i}.value`);
          expect(toHex(spec.value.encode(r.value!))).toBe(t!.value_hex);
        });
        expect(seen.size).toBe(truth.length);
        expect(summary).toMatchObject({ records: truth.length, skipped: 0, repeatedKeys: 0, issues: [], padding: [] });
        if (form === 'plain') expect(summary.found).toBe(truth.length);
      });
    }
  }

  it('streams: the async API gives the same records and summary as the string API, in 1-byte, odd and large chunks', async () => {
    const text = readShared('fixtures', 'generated', 'cilium_ipcache.dump.json');
    const whole = decodeDumpText(text, { map: 'ipcache', version: '1.14.0' });
    for (const size of [1, 4093, 65536]) {
      const chunks = function* () {
        for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size));
      };
      const got: DecodedRecord[] = [];
      const gen = decodeDump(chunks(), { map: 'ipcache', version: '1.14.0' });
      let res = await gen.next();
      while (!res.done) {
        got.push(...res.value);
        res = await gen.next();
      }
      expect(got, `chunks of ${size}`).toEqual(whole.records);
      expect(res.value).toEqual(whole.summary);
      expect(res.value.records).toBe(1000);
    }
  });

  it('without a version, node_id bytes are reported as padding that other versions use', () => {
    // A v1.13.0 node (RE-B) writes node_id at bytes 8-9; decoded with the newest 12-byte layout
    // (RE-D) those bytes are padding.
    const old = resolveMap('ipcache', '1.13.0');
    const entries: [Uint8Array, Uint8Array][] = [0, 1, 2].map((i) => [
      old.key.encode({ cidr: `10.0.${i}.5/32` }),
      old.value.encode({ sec_identity: 1000 + i, tunnel_endpoint: '172.18.0.3', node_id: i }),
    ]);
    const text = plainDump(entries);
    const { records, summary } = decodeDumpText(text, { map: 'cilium_ipcache' });
    expect(records.map((r) => r.value!.sec_identity)).toEqual([1000, 1001, 1002]);
    expect(summary.padding).toHaveLength(1);
    const p = summary.padding[0]!;
    expect(p).toMatchObject({ schema: 'remote_endpoint_info (RE-D)', field: 'pad', offset: 8, size: 2, count: 2, line: 6 });
    expect(p.meaning.join('; ')).toMatch(/node_id in v1\.11\.14 – v1\.11\.19, v1\.12\.8 – v1\.12\.12, v1\.13\.0 – v1\.13\.5 \(remote_endpoint_info \(RE-B\)\)/);
    expect(p.meaning.join('; ')).toMatch(/key in .*\(remote_endpoint_info \(RE-A\)\)/);
    expect(() => decodeDumpText(text, { map: 'cilium_ipcache', strict: true })).toThrow(/line 6: .*non-zero padding in bytes 8-9 \(pad\)/);
    // With the right version the same bytes are node_id and nothing is reported.
    const right = decodeDumpText(text, { map: 'cilium_ipcache', version: '1.13.0', strict: true });
    expect(right.records.map((r) => r.value!.node_id)).toEqual([0, 1, 2]);
  });
});

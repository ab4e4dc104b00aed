/**
 * Every entry of the generated fixtures (real bpftool dumps of Cilium-shaped maps, with ground
 * truth) decodes to its stated fields and encodes back to the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { hasShared, readTruth } from '../helpers/shared';
import { h, toHex } from '../helpers/bytes';

// The fixture generator's layouts: ipcache values carry node_id (RE-B, v1.14.0 has it with the
// u8 cluster_id key), lxc values have sec_id but no parent_ifindex (EI-B), services have pad
// (SV-B), v2 backends have a state byte (BE-B, v1.12), v3 backends have zone (BE-E).
const versions: Record<string, string> = {
  cilium_ipcache: '1.14.0',
  cilium_lxc: '1.16',
  cilium_lb4_services_v2: '1.16',
  cilium_lb4_backends_v2: '1.12',
  cilium_lb4_backends_v3: '1.16',
  cilium_lb4_reverse_nat: '1.16',
};

function compare(truth: Record<string, unknown>, rec: Record<string, unknown>, where: string): void {
  for (const [k, want] of Object.entries(truth)) {
    if (k === 'pad') continue; // padding is not part of a record; the byte round trip covers it
    if (k === 'prefix_len') {
      expect(rec.prefixlen, `${where}.prefixlen`).toBe((want as number) + 32);
      continue;
    }
    expect(rec, `${where} lacks ${k}`).toHaveProperty(k);
    const got = rec[k];
    if (got !== null && typeof got === 'object' && 'raw' in got) expect((got as { raw: number }).raw, `${where}.${k}`).toBe(want);
    else expect(got, `${where}.${k}`).toEqual(want);
  }
}

describe.skipIf(!hasShared)('generated fixture ground truth', () => {
  for (const [map, version] of Object.entries(versions)) {
    it(`${map} (Cilium ${version}): every entry decodes to its truth and re-encodes byte-exact`, () => {
      const spec = resolveMap(map, version);
      const lines = readTruth(map);
      expect(lines.length).toBeGreaterThan(100);
      lines.forEach((t, i) => {
        const kb = h(t.key_hex);
        const vb = h(t.value_hex);
        const key = spec.key.decode(kb, { strictPadding: true }) as Record<string, unknown>;
        const value = spec.value.decode(vb, { strictPadding: true }) as Record<string, unknown>;
        compare(t.key, key, `${map}#${i}.key`);
        compare(t.value, value, `${map}#${i}.value`);
        expect(toHex(spec.key.encode(key))).toBe(t.key_hex);
        expect(toHex(spec.value.encode(value))).toBe(t.value_hex);
      });
    });
  }
});

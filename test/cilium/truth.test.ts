/**
 * Every entry of the generated fixtures (real bpftool dumps of Cilium-shaped maps, with ground
 * truth) decodes to its stated fields and encodes back to the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { hasShared, readTruth } from '../helpers/shared';
import { h, toHex } from '../helpers/bytes';
import { compareTruth as compare, fixtureVersions as versions } from '../helpers/truth-compare';

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

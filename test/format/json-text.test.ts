/** The shape-cached JSON writer prints exactly what JSON.stringify (bigint → decimal string) prints. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonText } from '../../src/format/json-text';
import { decodeDumpText } from '../../src/index';
import { generatedMaps, hasShared, readShared } from '../helpers/shared';
import { fixtureVersions } from '../helpers/truth-compare';

const ref = (o: unknown) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe('createJsonText', () => {
  it.skipIf(!hasShared)('every generated fixture record, interleaved across maps (shape changes)', () => {
    const w = createJsonText();
    const all = generatedMaps.flatMap((m) => decodeDumpText(readShared('fixtures', 'generated', `${m}.dump.txt`), { map: m, version: fixtureVersions[m] }).records);
    for (let i = 0; i < all.length; i++) {
      const r = all[(i * 7919) % all.length]!;
      const o = { key: r.key, value: r.value };
      expect(w(o)).toBe(ref(o));
    }
  });
  it('arbitrary JSON-like values, including strings that need escaping, bigint, undefined and odd keys', () => {
    const w = createJsonText();
    const val = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.double(),
        fc.string({ unit: 'binary' }),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.bigInt(),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), val, { maxKeys: 6 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer(), { maxKeys: 3 }), (o, same) => {
        expect(w(o)).toBe(ref(o));
        expect(w(same)).toBe(ref(same)); // a shape, then another shape in the same slot
      }),
      { numRuns: 2000 },
    );
  });
});

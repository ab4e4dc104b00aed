/** The de-duplication set against a Map of hex strings, as an oracle. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySet, Seen } from '../../src/decode/key-set';

describe('KeySet', () => {
  it('agrees with a Map oracle through growth, repeats and changed values', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(3)), { maxLength: 3000 }), (ops) => {
        const set = new KeySet(4, 16);
        const oracle = new Map<string, number>();
        for (const [k, fp] of ops) {
          const hex = Buffer.from(k).toString('hex');
          const prev = oracle.get(hex);
          const want = prev === undefined ? Seen.New : prev === fp ? Seen.SameValue : Seen.ChangedValue;
          expect(set.add(k, fp)).toBe(want);
          oracle.set(hex, fp);
        }
        expect(set.size).toBe(oracle.size);
      }),
      { numRuns: 60 },
    );
  });
});

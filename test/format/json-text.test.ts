/** The shape-cached JSON writer prints exactly what JSON.stringify (bigint → decimal string) prints. */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_EVAL_ENV } from '../../src/compile/eval-policy';
import { createJsonText } from '../../src/format/json-text';
import { decodeDumpText } from '../../src/index';
import { generatedMaps, hasShared, readShared } from '../helpers/shared';
import { fixtureVersions } from '../helpers/truth-compare';

const ref = (o: unknown) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

const modes = [
  ['generated', undefined],
  ['no-eval', '1'],
] as const;
afterEach(() => vi.unstubAllEnvs());

describe.each(modes)('createJsonText (%s)', (_mode, noEval) => {
  // The mode is read when a shape's serializer is built, so each test makes its writer after this.
  const writer = () => {
    if (noEval) vi.stubEnv(NO_EVAL_ENV, noEval);
    return createJsonText();
  };

  it.skipIf(!hasShared)('every generated fixture record, interleaved across maps (shape changes)', () => {
    const w = writer();
    const all = generatedMaps.flatMap((m) => decodeDumpText(readShared('fixtures', 'generated', `${m}.dump.txt`), { map: m, version: fixtureVersions[m] }).records);
    for (let i = 0; i < all.length; i++) {
      const r = all[(i * 7919) % all.length]!;
      const o = { key: r.key, value: r.value };
      expect(w(o)).toBe(ref(o));
    }
  });
  it('arbitrary JSON-like values, including strings that need escaping, bigint, undefined and odd keys', () => {
    const w = writer();
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

  it('one shape whose values change type: every guard falls back correctly', () => {
    const w = writer();
    const v = fc.oneof(fc.integer(), fc.double(), fc.string({ unit: 'binary', maxLength: 5 }), fc.constantFrom('10.0.0.1', 'fd00::1', 'a"b', '\u2028'), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt(), fc.record({ raw: fc.integer(), x: fc.boolean() }), fc.array(fc.integer(), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(v, v, v), { minLength: 1, maxLength: 20 }), (rows) => {
        for (const [a, b, c] of rows) {
          const o = { prefixlen: a, ip: b, flags: { raw: c, skip: b } };
          expect(w(o)).toBe(ref(o));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('many shapes at one position (more than are cached), keys outside the allowlist, nested and empty objects', () => {
    const w = writer();
    for (let i = 0; i < 40; i++) {
      const o: Record<string, unknown> = { [`k${i}`]: i, [`odd key ${i}`]: { '': [], 'a-b': {} }, __proto_x: 'x' };
      expect(w(o)).toBe(ref(o));
      expect(w({})).toBe('{}');
      const p = { key: { a: i }, value: { b: `${i}` } };
      expect(w(p)).toBe(ref(p));
    }
  });

  it('objects with a prototype other than Object.prototype or null go to JSON.stringify (toJSON is honoured)', () => {
    const w = writer();
    class C {
      a = 1;
      toJSON() {
        return 'custom';
      }
    }
    const plain = { a: 1 };
    expect(w(plain)).toBe('{"a":1}');
    expect(w(new C() as never)).toBe('"custom"');
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 2 });
    expect(w(bare)).toBe('{"a":2}');
  });
});

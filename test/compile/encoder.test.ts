/**
 * Differential tests of the compiled field writer: `Schema.encode` against
 * `Schema.encodeReference` (restructure), for every catalogue schema in both byte orders — the
 * same bytes, or the same error class, message and site — on decoded records, friendly inputs and
 * junk (values at and past every integer edge, wrong types, strings, bigints, flag objects).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileFieldWriter, compilePick } from '../../src/compile/encoder';
import { NO_EVAL_ENV } from '../../src/compile/eval-policy';
import { defineStruct, u8, u16, type AnySchema } from '../../src/schema/index';
import { makeValid } from '../helpers/valid-bytes';
import { catalogueSchemas, encodeOutcome } from './harness';

const schemas = catalogueSchemas();

const edgy = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, Number.NaN, Infinity, 255, 256, 0xffff, 0x10000, 0xffffffff, 2 ** 32, 2 ** 53, -(2 ** 31)),
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom('10', '0x1f', ' 7 ', '-1', '', '10.0.0.1', '10.0.0.300', 'fd00::1', '::ffff:1.2.3.4', 'ea:c4:71:d6:4f:a0', '10.0.0.0/8', 'fd00::/64'),
  fc.constantFrom(1n, 0n, 2n ** 64n, -1n, true, false, null, [], [0, 0], {}, { raw: 3 }, { raw: 1, unknown: 0 }, { bogus: true }),
  fc.string({ maxLength: 6 }),
);

function junkFor(s: AnySchema) {
  const names = [...s.inputNames, ...s.derivedKeys(), 'bogus'];
  const flagNames = s.layout.flatMap((f) => (f.kind === 'flags' ? Object.keys((f.type.params as { bits: object }).bits) : []));
  const flagObj = fc.dictionary(fc.constantFrom('raw', 'unknown', ...flagNames, 'nope'), fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxKeys: 3 });
  return fc.dictionary(fc.constantFrom(...names), fc.oneof(edgy, flagObj), { maxKeys: 5 });
}

describe('the compiled field writer agrees with restructure', () => {
  it('is used for every catalogue schema', () => {
    for (const { name, schema } of schemas) expect(compileFieldWriter(schema).ok, name).toBe(true);
  });

  for (const { name, schema: s } of schemas) {
    it(`${name}: records, records without derived fields, and junk`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), fc.nat(), junkFor(s), (raw, seed, junk) => {
          const rec = s.decodeReference(makeValid(s, raw, seed)) as Record<string, unknown>;
          const bare = Object.fromEntries(Object.entries(rec).filter(([k]) => !s.derivedKeys().includes(k)));
          for (const input of [rec, bare, junk, { ...bare, ...junk }]) {
            expect(encodeOutcome(() => s.encode(input))).toStrictEqual(encodeOutcome(() => s.encodeReference(input)));
          }
        }),
        { numRuns: 25 },
      );
    });
  }

  it('the generated and the no-eval writer agree with each other and with restructure', () => {
    for (const { name, schema: s } of schemas) {
      const gen = compileFieldWriter(s);
      const loop = compileFieldWriter(s, { noEval: true });
      expect(gen.ok && gen.mode, name).toBe('eval');
      expect(loop.ok && loop.mode, name).toBe('closure');
      if (!gen.ok || !loop.ok) continue;
      fc.assert(
        fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), fc.nat(), junkFor(s), (raw, seed, junk) => {
          const rec = s.decodeReference(makeValid(s, raw, seed)) as Record<string, unknown>;
          const bare = Object.fromEntries(Object.entries(rec).filter(([k]) => !s.derivedKeys().includes(k)));
          const run = (w: typeof gen.write, input: Record<string, unknown>) =>
            encodeOutcome(() => {
              const buf = new Uint8Array(s.sizeof);
              w(buf, input);
              return buf;
            });
          expect(run(gen.write, bare)).toStrictEqual(encodeOutcome(() => s.encodeReference(bare)));
          for (const input of [bare, junk, { ...bare, ...junk }]) expect(run(loop.write, input), name).toStrictEqual(run(gen.write, input));
        }),
        { numRuns: 10 },
      );
    }
  });

  it('integer fast paths stop exactly at the range edges', () => {
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { a: u8, b: u8, c: u16 } });
    for (const v of [-0, 0, 255, 256, -1, 0.5, 65535, 65536, Number.NaN]) {
      for (const input of [{ a: v }, { c: v }]) expect(encodeOutcome(() => s.encode(input))).toStrictEqual(encodeOutcome(() => s.encodeReference(input)));
    }
  });
});

describe('compilePick (the prepared input of every encode)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    delete (Object.prototype as Record<string, unknown>).ip;
  });
  const names = ['prefixlen', 'cluster_id', 'pad1', 'family', 'ip'];
  const forms = () => {
    const gen = compilePick(names);
    vi.stubEnv(NO_EVAL_ENV, '1');
    const loop = compilePick(names);
    vi.unstubAllEnvs();
    return { gen, loop };
  };

  it('every name, in order, own values only (a polluted prototype is not read), extra keys dropped; both forms alike', () => {
    const { gen, loop } = forms();
    expect(gen.toString()).toMatch(/return \{ prefixlen: H\(p, "prefixlen"\)/);
    expect(loop.toString()).not.toMatch(/prefixlen/);
    (Object.prototype as Record<string, unknown>).ip = '6.6.6.6';
    for (const input of [{}, { ip: '10.0.0.1', cidr: undefined, extra: 1 }, { family: 2, prefixlen: 160, ip: undefined }, Object.create({ family: 9 })]) {
      const want = Object.fromEntries(names.map((n) => [n, Object.hasOwn(input, n) ? (input as Record<string, unknown>)[n] : undefined]));
      for (const pick of [gen, loop]) {
        const got = pick(input);
        expect(Object.keys(got)).toEqual(names);
        expect(got).toEqual(want);
        expect(got.ip === '6.6.6.6').toBe(false);
      }
    }
  });

  it('a name that is not allowlisted gets the loop form, with the same result', () => {
    const odd = ['a', 'b c', '__proto__'];
    const pick = compilePick(odd);
    const got = pick({ a: 1, 'b c': 2 });
    expect(Object.keys(got)).toEqual(['a', 'b c']);
    expect(Object.hasOwn(got, '__proto__')).toBe(false);
  });
});

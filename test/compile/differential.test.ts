/**
 * Differential tests (style-anchors.md §7, practice 10): the compiled decoders — generated code
 * (`eval`), the no-eval closures, and `Schema.decode`/`decodeAt` that use them — against
 * `Schema.decodeReference` (restructure), for every schema and layout variant in the catalogue,
 * both byte orders. Identical means `toStrictEqual` on the whole outcome: the record (key order
 * included), or the error's class, message and site; and every padding notice, in order.
 *
 * Inputs: real-shaped entries (test/helpers/valid-bytes.ts), arbitrary bytes of the right length
 * (biased to zero so discriminants and padding take every branch), wrong lengths, a `Buffer`, and
 * every entry again at an offset inside a larger buffer full of other bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDecoder } from '../../src/compile/compile-decoder';
import type { AnySchema, DecodeOptions } from '../../src/schema/index';
import { makeValid } from '../helpers/valid-bytes';
import { OPTS_KINDS, catalogueSchemas, outcome, type Outcome } from './harness';

const schemas = catalogueSchemas();

/** A byte that is zero half the time (reaches padding-clean and family-0 paths), else anything. */
const byte = fc.oneof(fc.constant(0), fc.constant(1), fc.constant(2), fc.integer({ min: 0, max: 255 }));

function decodersOf(s: AnySchema) {
  const ev = compileDecoder(s);
  const cl = compileDecoder(s, { noEval: true });
  return { ev, cl };
}

/** Every way of decoding `bytes` (exactly sizeof long) that must agree with the reference. */
function allOutcomes(s: AnySchema, bytes: Uint8Array, off: number, fill: number): Record<string, Outcome[]> {
  const { ev, cl } = decodersOf(s);
  // Same class as `bytes`: padding notices hold `bytes.slice(...)`, a Buffer for a Buffer.
  const big = Buffer.isBuffer(bytes) ? Buffer.alloc(off + bytes.length + 7, fill) : new Uint8Array(off + bytes.length + 7).fill(fill);
  big.set(bytes, off);
  const out: Record<string, Outcome[]> = {};
  const ways: Record<string, (o: DecodeOptions | undefined) => unknown> = {
    reference: (o) => s.decodeReference(bytes, o),
    'Schema.decode': (o) => s.decode(bytes, o),
    'eval decode(bytes)': (o) => ev.decode(bytes, undefined, o),
    'closure decode(bytes)': (o) => cl.decode(bytes, 0, o),
    'Schema.decodeAt(big, off)': (o) => s.decodeAt(big, off, o),
    'eval decode(big, off)': (o) => ev.decode(big, off, o),
    'closure decode(big, off)': (o) => cl.decode(big, off, o),
  };
  for (const [name, run] of Object.entries(ways)) out[name] = OPTS_KINDS.map((k) => outcome(k, run));
  return out;
}

/** What the reference did across all runs, so the suite can show it reached every branch. */
const seen = { records: 0, errors: 0, notices: 0, checkErrors: 0, strictErrors: 0, callbackErrors: 0 };

function expectAllAgree(all: Record<string, Outcome[]>): void {
  const ref = all.reference!;
  for (const o of ref) {
    if (o.ok) seen.records++;
    else {
      seen.errors++;
      if (/non-zero padding/.test(o.error.message)) seen.strictErrors++;
      else if (/user callback refused|plain string|Cannot read properties of null/.test(o.error.message)) seen.callbackErrors++;
      else seen.checkErrors++;
    }
    if (o.notices.length > 0) seen.notices++;
  }
  for (const [name, got] of Object.entries(all)) expect(got, name).toStrictEqual(ref);
}

describe('compiled decoders agree with the restructure reference', () => {
  it('compiles every catalogue schema to generated code, and to closures on request', () => {
    for (const { name, schema } of schemas) {
      const { ev, cl } = decodersOf(schema);
      expect(ev.mode, name).toBe('eval');
      expect(cl.mode, name).toBe('closure');
      expect(ev.reason, name).toBeUndefined();
    }
  });

  for (const { name, schema: s } of schemas) {
    it(`${name}: real-shaped, arbitrary and wrong-length bytes, in place and at an offset`, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }),
          fc.array(byte, { minLength: s.sizeof, maxLength: s.sizeof }),
          fc.nat(),
          fc.integer({ min: 1, max: 40 }),
          fc.boolean(),
          (raw, fuzz, seed, off, asBuffer) => {
            const real = makeValid(s, raw, seed);
            for (const b of [real, Uint8Array.from(fuzz)]) {
              const bytes = asBuffer ? Buffer.from(b) : b;
              expectAllAgree(allOutcomes(s, bytes, off, seed & 0xff));
            }
          },
        ),
        { numRuns: 10 },
      );
      // Wrong lengths: Schema.decode throws the reference's error; the compiled decoders read
      // `sizeof` bytes at an offset, so compare them with the reference on the same slice.
      fc.assert(
        fc.property(fc.array(byte, { maxLength: s.sizeof + 9 }), fc.nat({ max: s.sizeof + 12 }), (arr, off) => {
          const bytes = Uint8Array.from(arr);
          const { ev, cl } = decodersOf(s);
          const ref = outcome('notices', (o) => s.decodeReference(bytes, o));
          expect(outcome('notices', (o) => s.decode(bytes, o))).toStrictEqual(ref);
          const slice = outcome('notices', (o) => s.decodeReference(bytes.subarray(off, off + s.sizeof), o));
          expect(outcome('notices', (o) => ev.decode(bytes, off, o))).toStrictEqual(slice);
          expect(outcome('notices', (o) => cl.decode(bytes, off, o))).toStrictEqual(slice);
          expect(outcome('notices', (o) => s.decodeAt(bytes, off, o))).toStrictEqual(slice);
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe('coverage of the comparison', () => {
  it('reached records, padding notices, strict errors, callback errors and check() refusals', () => {
    expect(seen.records).toBeGreaterThan(100);
    expect(seen.notices).toBeGreaterThan(100);
    expect(seen.strictErrors).toBeGreaterThan(100);
    expect(seen.callbackErrors).toBeGreaterThan(100);
    expect(seen.checkErrors).toBeGreaterThan(10);
  });
});

describe('input errors of decodeAt and the compiled decoders', () => {
  const s = schemas[0]!.schema;
  const { ev, cl } = decodersOf(s);
  const buf = new Uint8Array(s.sizeof * 2);
  it.each([-1, 1.5, Number.NaN, Infinity, '3', null, 2 ** 53])('offset %s is a DecodeError naming the offset', (off) => {
    for (const d of [ev, cl]) {
      const o = outcome('none', () => d.decode(buf, off as never));
      expect(o.ok).toBe(false);
      expect(!o.ok && o.error).toMatchObject({ cls: 'DecodeError', message: expect.stringMatching(/offset .* is not a byte index/) });
    }
  });
  it('not a Uint8Array: the reference message', () => {
    const ref = outcome('none', () => s.decodeReference('00 01' as never));
    for (const d of [ev, cl]) expect(outcome('none', () => d.decode('00 01' as never))).toStrictEqual(ref);
    expect(outcome('none', () => s.decodeAt([1, 2] as never, 0))).toStrictEqual(outcome('none', () => s.decodeReference([1, 2] as never)));
  });
  it('an offset past 2^32 - 1 is still read correctly (slow-path check)', () => {
    expect(outcome('none', () => ev.decode(buf, 2 ** 32))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/got 0 \(too short\)/) } });
  });
});

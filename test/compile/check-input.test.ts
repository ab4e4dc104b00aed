/**
 * `encode` runs a declared check (`checkReading`) on the fields it reads, read from the encoded
 * bytes (compile/check-input.ts), instead of decoding them. That must refuse exactly the bytes the
 * decoder refuses, with the same reason: checked against `decodeReference` for every catalogue
 * schema with such a check, over random, near-valid and one-byte-mutated bytes.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileCheckInput } from '../../src/compile/check-input';
import { NO_EVAL_ENV } from '../../src/compile/eval-policy';
import { resolveMap } from '../../src/cilium/catalog';
import { checkReading, DecodeError, EncodeError, defineStruct, u8, u16, type AnySchema } from '../../src/schema/index';
import { makeValid } from '../helpers/valid-bytes';
import { catalogueSchemas } from './harness';

/** The decoder's verdict: the reason it refuses the bytes, or undefined. */
function decodeVerdict(s: AnySchema, b: Uint8Array): string | undefined {
  try {
    s.decodeReference(b);
    return undefined;
  } catch (e) {
    if (e instanceof DecodeError) return e.detail;
    throw e;
  }
}

afterEach(() => vi.unstubAllEnvs());

describe('compileCheckInput', () => {
  const withCheck = catalogueSchemas().filter(({ schema }) => compileCheckInput(schema) !== null);

  it('the ipcache keys (the LPM prefix check) are among them, in both byte orders', () => {
    for (const v of ['1.10', '1.14', undefined]) {
      for (const e of ['le', 'be'] as const) expect(compileCheckInput(resolveMap('cilium_ipcache', v).key.withEndian(e)), `${v} ${e}`).not.toBeNull();
    }
  });

  it.each(withCheck.map(({ name, schema }) => [name, schema] as const))('%s: the check on the read fields = the decoder', (_n, s) => {
    const read = compileCheckInput(s)!;
    const check = s.definition.check!;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), fc.nat(), fc.nat(), fc.nat(5), (raw, seed, flip, at) => {
        const valid = makeValid(s, raw, seed);
        const mutated = Uint8Array.from(valid);
        if (mutated.length) mutated[flip % mutated.length] ^= 1 << (seed % 8);
        for (const b of [raw, valid, mutated]) {
          const buf = new Uint8Array(at + s.sizeof);
          buf.set(b, at);
          expect(check(read(buf, at) as never)).toBe(decodeVerdict(s, b));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('no reader (so encode decodes) without declared reads, for a derive that may throw, or without eval', () => {
    const base = { name: 't', header: 'test', sizeof: 4, fields: { a: u8, b: u8, c: u16 } };
    expect(compileCheckInput(defineStruct({ ...base, check: () => undefined }) as AnySchema)).toBeNull();
    const ipcacheKey = resolveMap('cilium_ipcache').key;
    const { check } = ipcacheKey.definition;
    expect(compileCheckInput(defineStruct({ ...base, fields: { prefixlen: u16, family: u8, x: u8 }, check: check as never, derive: () => ({ y: 1 }) }) as AnySchema)).toBeNull();
    vi.stubEnv(NO_EVAL_ENV, '1');
    expect(compileCheckInput(ipcacheKey)).toBeNull();
    // And encode still refuses what the decoder refuses, by decoding.
    expect(() => ipcacheKey.encode({ prefixlen: 20, family: 1, ip: '10.0.0.0' })).toThrow(/the decoder refuses such bytes/);
  });
});

describe('encode keeps its promise with a check that misbehaves', () => {
  const fields = { a: u8, b: u8, c: u16 };
  it('a check that throws: the reason of the EncodeError, as when encode decoded to find out', () => {
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields, check: checkReading<{ a: number }>(['a'], (r) => {
      if (r.a === 5) throw new Error('boom');
      return undefined;
    }) }) as AnySchema;
    expect(compileCheckInput(s)).not.toBeNull();
    expect(() => s.encode({ a: 5 })).toThrow(EncodeError);
    expect(() => s.encode({ a: 5 })).toThrow(/Error: boom \(the decoder refuses such bytes/);
    expect(s.encode({ a: 4 })).toEqual(Uint8Array.of(4, 0, 0, 0));
  });
  it('a check that reads a field it did not declare gets no reader: encode decodes, and refuses what decode refuses', () => {
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields, check: checkReading<{ a: number; b: number }>(['a'], (r) => (r.b === 2 ? 'saw b' : undefined)) }) as AnySchema;
    expect(compileCheckInput(s)).toBeNull();
    expect(() => s.decode(Uint8Array.of(1, 2, 0, 0))).toThrow(/saw b/);
    expect(() => s.encode({ a: 1, b: 2 })).toThrow(/saw b \(the decoder refuses such bytes/);
  });
});

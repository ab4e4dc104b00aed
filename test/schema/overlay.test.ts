/**
 * `deriveOverlay`: derived fields that read the struct's own bytes at an offset (a C union member
 * overlapping a field). The compiled decoders plan them as fields; they must give the reference's
 * record, key order included, at any offset in a larger buffer and in both byte orders. A derive
 * hook written as a function gets the same bytes in every decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDecoder } from '../../src/compile/compile-decoder';
import { compileJsonWriter } from '../../src/compile/json-writer';
import { ctEntryCED4, ctEntryCED6 } from '../../src/cilium/ct-entry';
import { ByteSink } from '../../src/schema/byte-sink';
import { overlayOf } from '../../src/schema/overlay';
import { makeValid } from '../helpers/valid-bytes';
import { be32, defineStruct, deriveOverlay, ipv4, ipv6, mac, pad, SchemaError, u16, u32, u64, u8, type AnySchema } from '../../src/schema/index';

const canon = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

const made = defineStruct({
  name: 'overlaid',
  header: 'test',
  sizeof: 32,
  fields: { a: u64, b: ipv6, c: u32, d: pad(4) },
  derive: deriveOverlay({ a_hi: { offset: 4, type: u32 }, b_v4: { offset: 20, type: ipv4 }, b_mac: { offset: 8, type: mac }, b_be: { offset: 12, type: be32 }, c_lo: { offset: 24, type: u16 }, z: { offset: 31, type: u8 } }),
}) as AnySchema;

const schemas: AnySchema[] = [made, made.withEndian('be'), ctEntryCED4, ctEntryCED4.withEndian('be'), ctEntryCED6, ctEntryCED6.withEndian('be')];

describe('deriveOverlay', () => {
  it.each(schemas.map((s) => [`${s.label} ${s.endian}`, s] as const))('%s: compiled (eval, closure) = reference, at any offset', (_n, s) => {
    const evalDec = compileDecoder(s);
    const closure = compileDecoder(s, { noEval: true });
    expect(evalDec.mode).toBe('eval');
    expect(closure.mode).toBe('closure');
    // Planned as fields: the generated code calls no derive hook.
    expect(evalDec.source).not.toMatch(/DX\(/);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), fc.nat(7), (raw, at) => {
        const buf = new Uint8Array(at + s.sizeof + 3).fill(0xa5);
        buf.set(raw, at);
        let want: string;
        try {
          want = canon(s.decodeReference(raw));
        } catch (e) {
          // Padding is not strict by default; anything else thrown here is a bug in the test input.
          throw e;
        }
        expect(canon(evalDec.decode(buf, at))).toBe(want);
        expect(canon(closure.decode(buf, at))).toBe(want);
        expect(Object.keys(s.decodeAt(buf, at))).toEqual(Object.keys(JSON.parse(want)));
      }),
      { numRuns: 300 },
    );
  });

  it('the readings are the bytes at their offsets (not the record rebuilt)', () => {
    const b = new Uint8Array(56);
    b.set([1, 2, 3, 4, 10, 0, 0, 7], 8); // backend_id bytes 8–15, LE: nat_addr.p4 = 10.0.0.7
    expect(ctEntryCED4.decode(b).nat_addr).toBe('10.0.0.7');
    expect(ctEntryCED4.decode(b).backend_id).toBe(0x0700000a04030201n);
    expect(ctEntryCED4.withEndian('be').decode(b).backend_id).toBe(0x010203040a000007n);
    expect(ctEntryCED6.decode(b).backend_id).toBe(0x0700000a04030201n);
    expect(ctEntryCED6.decode(b).nat_addr).toBe('::102:304:a00:7');
  });

  it('the JSON writer writes them as the decoder reads them', () => {
    for (const s of schemas) {
      const w = compileJsonWriter(s);
      expect(w, s.label).not.toBeNull();
      fc.assert(
        fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), fc.nat(), (raw, seed) => {
          // Padding zeroed (a MAC's two high bytes too, overlays included), so the writer writes
          // instead of handing the entry back to the decoder.
          const valid = makeValid(s, raw, seed);
          for (const o of Object.values(overlayOf(s.definition.derive) ?? {})) if (o.type.kind === 'mac') valid.fill(0, o.offset + 6, o.offset + 8);
          const sink = new ByteSink();
          expect(w!.write(valid, 0, sink)).toBe(true);
          expect(sink.text()).toBe(JSON.stringify(s.decodeReference(valid), (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
          // With non-zero padding it refuses (the decoder then reports the padding).
          if (s.layout.some((f) => f.padding) && raw.some((x, i) => x !== valid[i])) expect(w!.write(raw, 0, new ByteSink())).toBe(false);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('a reading outside the struct, on a field name, or of padding is refused at definition', () => {
    const base = { name: 'bad', header: 'test', sizeof: 8, fields: { a: u32, b: u32 } };
    expect(() => defineStruct({ ...base, derive: deriveOverlay({ x: { offset: 6, type: u32 } }) })).toThrow(SchemaError);
    expect(() => defineStruct({ ...base, derive: deriveOverlay({ x: { offset: -1, type: u8 } }) })).toThrow(/not a plain field inside sizeof 8/);
    expect(() => defineStruct({ ...base, derive: deriveOverlay({ a: { offset: 0, type: u8 } }) })).toThrow(/has the name of a field/);
    expect(() => defineStruct({ ...base, derive: deriveOverlay({ x: { offset: 0, type: pad(2) } }) })).toThrow(SchemaError);
  });
});

describe('a derive function reports padding through its context in every decoder', () => {
  const s = defineStruct({
    name: 'pad_derive',
    header: 'test',
    sizeof: 4,
    fields: { a: u8, b: u8, c: u16 },
    derive: (_rec, bytes, start, ctx) => {
      if (bytes[start + 3] !== 0) ctx.padding('c.hi', 3, 1);
      return { d: 1 };
    },
  }) as AnySchema;
  it('the same notices, and the same strict error, as the reference', () => {
    const bytes = Uint8Array.of(1, 2, 3, 4);
    const run = (f: (o: object) => unknown) => {
      const notices: unknown[] = [];
      const rec = f({ onPadding: (n: unknown) => notices.push(n) });
      let strict: unknown;
      try {
        f({ strictPadding: true });
      } catch (e) {
        strict = (e as Error).message;
      }
      return { rec, notices, strict };
    };
    const want = run((o) => s.decodeReference(bytes, o));
    expect(want.notices).toHaveLength(1);
    expect(want.strict).toMatch(/non-zero padding bytes 04/);
    const buf = Uint8Array.of(9, 9, ...bytes);
    expect(run((o) => compileDecoder(s).decode(buf, 2, o))).toEqual(want);
    expect(run((o) => compileDecoder(s, { noEval: true }).decode(buf, 2, o))).toEqual(want);
  });
});

describe('a derive function gets the struct bytes in every decoder', () => {
  const s = defineStruct({
    name: 'bytes_derive',
    header: 'test',
    sizeof: 4,
    fields: { a: u8, b: u8, c: u16 },
    derive: (rec, bytes, start, ctx) => ({ first: bytes[start]!, last: bytes[start + 3]!, le: ctx.le, same: rec.a === bytes[start] }),
  }) as AnySchema;
  it.each([0, 1, 5])('at offset %i', (at) => {
    const buf = Uint8Array.from({ length: 12 }, (_, i) => i * 7 + 1);
    const want = s.decodeReference(buf.subarray(at, at + 4));
    expect(want).toMatchObject({ first: buf[at], last: buf[at + 3], le: true, same: true });
    expect(compileDecoder(s).decode(buf, at)).toEqual(want);
    expect(compileDecoder(s, { noEval: true }).decode(buf, at)).toEqual(want);
  });
});

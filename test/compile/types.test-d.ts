/** The compiled decoder and the new Schema methods keep the inferred record types. */
import { describe, expectTypeOf, it } from 'vitest';
import { ipcacheKeyIKC } from '../../src/cilium/ipcache-key';
import { compileDecoder } from '../../src/compile/index';
import { defineStruct, u16, u32, type AnySchema, type Decoded, type Encodable } from '../../src/schema/index';

describe('compiled decoder types', () => {
  it('compileDecoder(schema).decode returns the schema record type', () => {
    expectTypeOf(compileDecoder(ipcacheKeyIKC).decode).returns.toEqualTypeOf<Decoded<typeof ipcacheKeyIKC>>();
    const s = defineStruct({ name: 't', header: 'x.h', sizeof: 8, fields: { a: u32, b: u16, c: u16 } });
    expectTypeOf(compileDecoder(s).decode).returns.toEqualTypeOf<{ a: number; b: number; c: number }>();
    expectTypeOf(compileDecoder(s).decode).parameters.toMatchTypeOf<[Uint8Array, number?, { strictPadding?: boolean }?]>();
  });
  it('decodeAt, decodeReference and encodeReference share decode/encode types', () => {
    const s = ipcacheKeyIKC;
    expectTypeOf(s.decodeAt).returns.toEqualTypeOf<Decoded<typeof s>>();
    expectTypeOf(s.decodeReference).returns.toEqualTypeOf<Decoded<typeof s>>();
    expectTypeOf(s.encodeReference).parameter(0).toEqualTypeOf<Encodable<typeof s>>();
    expectTypeOf(compileDecoder({} as AnySchema).decode).returns.toBeAny();
  });
});

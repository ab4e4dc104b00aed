/** Error paths: every failure is a DecodeError/EncodeError/SchemaError naming schema, field, offset and sizes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { uniqueSchemas } from '../helpers/schemas';
import { CodecError, DecodeError, EncodeError, SchemaError, defineStruct, pad, u16, u32 } from '../../src/schema/index';

function catchErr(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('decode errors', () => {
  const ipcache = resolveMap('cilium_ipcache');
  it('wrong length names schema, expected and actual sizes', () => {
    const e = catchErr(() => ipcache.key.decode(new Uint8Array(20))) as DecodeError;
    expect(e).toBeInstanceOf(DecodeError);
    expect(e).toMatchObject({ schema: 'ipcache_key (IK-C)', offset: 0, expected: 24, actual: 20 });
    expect(e.message).toMatch(/^cilium-map-codec: ipcache_key \(IK-C\) @ offset 0: expected 24 bytes .*got 20 \(too short\)/);
    expect((catchErr(() => ipcache.value.decode(new Uint8Array(13))) as DecodeError).message).toMatch(/trailing bytes/);
  });
  it('an lxc key read as an ipcache key is refused, never a wrong record', () => {
    const lxcKey = new Uint8Array(24);
    lxcKey.set([10, 10, 2, 121]);
    const e = catchErr(() => ipcache.key.decode(lxcKey)) as DecodeError;
    expect(e).toBeInstanceOf(DecodeError);
    expect(e.message).toMatch(/prefixlen \d+ is not 32 \+ 0\.\.\d+ .*is this really an ipcache key/);
  });
  it('non-zero padding: silent by default, reported with onPadding, an error with strictPadding', () => {
    const v = new Uint8Array(12);
    v.set([1, 0, 0, 0, 172, 18, 0, 3, 7, 0, 0, 0]); // node_id 7 in a v1.16 (RE-D) value
    const notices: unknown[] = [];
    expect(ipcache.value.decode(v, { onPadding: (n) => notices.push(n) })).toMatchObject({ sec_identity: 1 });
    expect(notices).toEqual([{ schema: 'remote_endpoint_info (RE-D)', field: 'pad', offset: 8, size: 2, bytes: new Uint8Array([7, 0]) }]);
    const e = catchErr(() => ipcache.value.decode(v, { strictPadding: true })) as DecodeError;
    expect(e).toMatchObject({ path: 'pad', offset: 8 });
  });
  it('not a Uint8Array', () => {
    expect(catchErr(() => ipcache.key.decode('40 00' as never))).toBeInstanceOf(DecodeError);
  });
});

describe('encode errors', () => {
  const svc = resolveMap('cilium_lb4_services_v2');
  it.each([
    [{ dport: 70000 }, 'dport', 4, /70000 is out of range for u16/],
    [{ address: '10.0.0.300' }, 'address', 0, /expected an IPv4 address/],
    [{ backend_slot: -1 }, 'backend_slot', 6, /out of range/],
    [{ proto: 1.5 }, 'proto', 8, /expected an unsigned 8-bit integer/],
    [{ scope: 'x' }, 'scope', 9, /expected an unsigned 8-bit integer, got "x"/],
  ])('%o → %s', (input, path, offset, msg) => {
    const e = catchErr(() => svc.key.encode(input as never)) as EncodeError;
    expect(e).toBeInstanceOf(EncodeError);
    expect(e).toMatchObject({ schema: 'lb4_key', path, offset });
    expect(e.message).toMatch(msg);
  });
  it('unknown fields and fields of other versions are refused with the list of valid ones', () => {
    const e = catchErr(() => resolveMap('ipcache', '1.12').key.encode({ cluster_id: 3 } as never)) as EncodeError;
    expect(e.message).toMatch(/unknown field "cluster_id"; ipcache_key \(IK-A\) has: prefixlen, family, ip, cidr/);
  });
  it('host bits past the prefix are refused, not cleared', () => {
    expect((catchErr(() => resolveMap('ipcache').key.encode({ cidr: '10.1.2.3/8' })) as Error).message).toMatch(/bits set past \/8/);
  });
  it('derived fields that disagree with the raw ones are refused', () => {
    expect((catchErr(() => resolveMap('ipcache').key.encode({ cidr: '10.0.0.0/8', prefixlen: 48 } as never)) as Error).message).toMatch(/disagrees/);
    const v = resolveMap('lb4-backends').value;
    expect((catchErr(() => v.encode({ address: '10.0.0.1', proto: 6, proto_name: 'UDP' })) as Error).message).toMatch(/proto_name="UDP" disagrees .* proto_name="TCP"/);
  });
  it('flags: raw and named bits must agree; unknown names are refused', () => {
    const v = resolveMap('lb4-services').value;
    expect(v.encode({ flags: { routable: true, nodeport: true } })[8]).toBe(0x42);
    expect((catchErr(() => v.encode({ flags: { raw: 0x40, routable: false } })) as Error).message).toMatch(/disagrees with raw=0x40/);
    expect((catchErr(() => v.encode({ flags: { bogus: true } as never })) as Error).message).toMatch(/unknown flag "bogus"/);
  });
  it('an IPv6 address where the family says IPv4 is refused', () => {
    expect((catchErr(() => resolveMap('lxc').key.encode({ ip: 'fd00::1', family: 1 })) as Error).message).toMatch(/family says IPv4/);
  });
});

describe('schema definition errors', () => {
  it('a size that differs from sizeof throws at definition time', () => {
    expect(() => defineStruct({ name: 't', header: 'x.h', sizeof: 8, fields: { a: u32, b: u16 } })).toThrow(SchemaError);
    expect(() => defineStruct({ name: 't', header: 'x.h', sizeof: 8, fields: { a: u32, b: u16 } })).toThrow(/add up to 6 bytes but sizeof\(t\) is 8/);
  });
  it('a misaligned field (forgotten implicit padding) throws unless packed', () => {
    expect(() => defineStruct({ name: 't', header: 'x.h', sizeof: 8, fields: { a: u16, b: u32, c: pad(2) } })).toThrow(/not 4-byte aligned/);
    expect(() => defineStruct({ name: 't', header: 'x.h', sizeof: 8, packed: true, fields: { a: u16, b: u32, c: pad(2) } })).not.toThrow();
    expect(() => defineStruct({ name: 't', header: 'x.h', sizeof: 1, fields: { a: {} as never } })).toThrow(/not a field type/);
  });
});

describe('nothing but CodecError escapes', () => {
  const schemas = uniqueSchemas();
  it('decoding random bytes of random lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
        for (const s of schemas) {
          try {
            s.decode(b, { strictPadding: b.length % 2 === 0 });
          } catch (e) {
            if (!(e instanceof CodecError)) throw e;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
  it('encoding random junk objects', () => {
    const junk = fc.dictionary(
      fc.constantFrom('ip', 'family', 'cidr', 'prefixlen', 'address', 'dport', 'flags', 'tunnel_endpoint', 'sec_identity', 'mac', 'backend_id', 'lb_algorithm', 'bogus'),
      fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constantFrom('10.0.0.1', 'fd00::1', '1.2.3.4/8', 'ea:c4:71:d6:4f:a0')),
    );
    fc.assert(
      fc.property(junk, (obj) => {
        for (const s of schemas) {
          try {
            s.encode(obj);
          } catch (e) {
            if (!(e instanceof CodecError)) throw e;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

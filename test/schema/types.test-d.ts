/** Record types are inferred from schemas, never written by hand. */
import { describe, expectTypeOf, it } from 'vitest';
import { endpointKeyEKA, endpointKeyEKC } from '../../src/cilium/endpoint-key';
import { ipcacheKeyIKC } from '../../src/cilium/ipcache-key';
import { lbServiceSVC } from '../../src/cilium/lb-service';
import { remoteEndpointInfoREF } from '../../src/cilium/remote-endpoint-info';
import { defineStruct, flags, mac, pad, u16, u32, u64, type Decoded, type Encodable, type FlagsValue } from '../../src/schema/index';

describe('inferred types', () => {
  it('a user-defined struct', () => {
    const s = defineStruct({ name: 'ct', header: 'x.h', sizeof: 24, fields: { a: u32, b: u16, _p: pad(2), m: mac, n: u64 } });
    expectTypeOf<Decoded<typeof s>>().toEqualTypeOf<{ a: number; b: number; m: string; n: bigint }>();
    expectTypeOf<Encodable<typeof s>>().toEqualTypeOf<{ a?: number; b?: number; m?: string; n?: bigint | number | string }>();
    expectTypeOf(s.decode).returns.toEqualTypeOf<{ a: number; b: number; m: string; n: bigint }>();
  });
  it('padding never appears; derived and friendly fields do', () => {
    type K = Decoded<typeof ipcacheKeyIKC>;
    expectTypeOf<K>().toEqualTypeOf<{ prefixlen: number; cluster_id: number; family: number; ip: string; cidr: string }>();
    expectTypeOf<Encodable<typeof ipcacheKeyIKC>>().toHaveProperty('cidr');
    expectTypeOf<Decoded<typeof endpointKeyEKA>>().toEqualTypeOf<{ ip: string; family: number; key: number }>();
    expectTypeOf<Decoded<typeof endpointKeyEKC>>().toHaveProperty('cluster_id').toEqualTypeOf<number>();
  });
  it('flags decode to named booleans plus raw and unknown', () => {
    type V = Decoded<typeof remoteEndpointInfoREF>;
    expectTypeOf<V['flags']>().toEqualTypeOf<FlagsValue<'flag_skip_tunnel' | 'flag_has_tunnel_ep' | 'flag_ipv6_tunnel_ep' | 'flag_remote_cluster'>>();
    expectTypeOf<V['flags']['flag_remote_cluster']>().toEqualTypeOf<boolean>();
    expectTypeOf<Decoded<typeof lbServiceSVC>['qcount']>().toEqualTypeOf<number>();
    const f = flags({ a: 0, b: 3 });
    expectTypeOf<Decoded<ReturnType<typeof defineStruct<{ f: typeof f }>>>>().toEqualTypeOf<{ f: { raw: number } & { a: boolean; b: boolean } & { unknown: number } }>();
  });
});

/**
 * Typed records: catalogue names and aliases are literal types, and every API that takes a map
 * name hands out records typed from that map's schemas — narrowed by a literal version, the union
 * of the layouts otherwise, generic for a name the catalogue does not know (a pinned path).
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  decodeDump,
  decodeDumpText,
  resolveMap,
  type DecodedRecord,
  type EndpointInfo,
  type FlagsValue,
  type KnownMapName,
  type Lb4Key,
  type MapKey,
  type MapName,
  type MapRecord,
  type MapValue,
} from '../../src/index';
import type { Decoded } from '../../src/schema/index';
import { lbServiceSVA, lbServiceSVB } from '../../src/cilium/lb-service';

const b = new Uint8Array(24);

describe('resolveMap', () => {
  it('types key and value from the schemas of the named map and version', () => {
    const spec = resolveMap('cilium_ipcache', '1.16');
    const key = spec.key.decode(b);
    expectTypeOf(key.cidr).toEqualTypeOf<string>();
    expectTypeOf(key.prefixlen).toEqualTypeOf<number>();
    // @ts-expect-error not a field of ipcache_key
    void key.definitely_not_a_field;
    const value = spec.value.decode(new Uint8Array(12));
    expectTypeOf(value.sec_identity).toEqualTypeOf<number>();
    expectTypeOf(value.tunnel_endpoint).toEqualTypeOf<string>();
    // v1.16 (RE-D) has the skip-tunnel flag and no node_id.
    expectTypeOf(value.flags).toMatchTypeOf<FlagsValue<'flag_skip_tunnel'>>();
    expectTypeOf(value).not.toHaveProperty('node_id');
  });

  it('an alias gives the same types as the name', () => {
    expectTypeOf(resolveMap('ipcache', '1.16').key).toEqualTypeOf(resolveMap('cilium_ipcache', '1.16').key);
    expectTypeOf(resolveMap('lb4-services').key.decode(b)).toEqualTypeOf<Lb4Key>();
  });

  it('a literal version selects its layout: node_id only where the layout has it', () => {
    expectTypeOf(resolveMap('ipcache', '1.14.0').value.decode(b).node_id).toEqualTypeOf<number>();
    expectTypeOf(resolveMap('ipcache', '1.13.0').value.decode(b).node_id).toEqualTypeOf<number>();
    expectTypeOf(resolveMap('ipcache', '1.13').value.decode(b)).not.toHaveProperty('node_id'); // newest 1.13.x: RE-C
    expectTypeOf(resolveMap('ipcache', 'v1.14.0').value.decode(b).node_id).toEqualTypeOf<number>();
    expectTypeOf(resolveMap('lxc', '1.13').value.decode(b)).not.toHaveProperty('sec_id'); // EI-A
    expectTypeOf(resolveMap('lxc', '1.16').value.decode(b).sec_id).toEqualTypeOf<number>();
  });

  it('no version: the newest layout, as at run time', () => {
    expectTypeOf(resolveMap('cilium_lxc').value.decode(b)).toEqualTypeOf<EndpointInfo>();
    expectTypeOf(resolveMap('cilium_lxc').value.decode(b).rt_info).toEqualTypeOf<number>();
  });

  it('a version that is not a literal: the union of every layout of the map', () => {
    const version: string = '1.14.0';
    const v = resolveMap('ipcache', version).value.decode(b);
    expectTypeOf(v.sec_identity).toEqualTypeOf<number>();
    // node_id exists in one layout only: narrowing is needed before reading it.
    // @ts-expect-error not in every layout
    void v.node_id;
    expectTypeOf<Extract<typeof v, { node_id: number }>>().not.toBeNever();
    expectTypeOf<Extract<typeof v, { flags: FlagsValue<'flag_skip_tunnel'> }>>().not.toBeNever();
  });

  it('a name the catalogue does not know at compile time (a pinned path) gives generic records', () => {
    const path: string = '/sys/fs/bpf/tc/globals/cilium_ipcache';
    expectTypeOf(resolveMap(path).key.decode(b)).toBeAny();
  });

  it('map names and aliases are literal types', () => {
    expectTypeOf<'cilium_ipcache'>().toMatchTypeOf<MapName>();
    expectTypeOf<'lb6-revnat'>().toMatchTypeOf<KnownMapName>();
    expectTypeOf<'cilium_nonsense'>().not.toMatchTypeOf<KnownMapName>();
    // lb6 maps have IPv6 fields (strings) and the same record names as lb4.
    expectTypeOf<MapKey<'cilium_lb6_services_v2'>['address']>().toEqualTypeOf<string>();
  });
});

describe('decodeDumpText / decodeDump', () => {
  it('records typed from the map named in the options', () => {
    const { records } = decodeDumpText('', { map: 'cilium_lxc' });
    expectTypeOf(records).toEqualTypeOf<MapRecord<'cilium_lxc'>[]>();
    const r = records[0]!;
    expectTypeOf(r.key.ip).toEqualTypeOf<string>();
    expectTypeOf(r.value!.sec_id).toEqualTypeOf<number>();
    expectTypeOf(r.value!.mac).toEqualTypeOf<string>();
    // @ts-expect-error not a field of endpoint_info
    void r.value!.definitely_not_a_field;
    expectTypeOf(r.line).toEqualTypeOf<number>();
  });

  it('a literal version narrows; a string version gives the union', () => {
    const old = decodeDumpText('', { map: 'ipcache', version: '1.14.0' }).records[0]!;
    expectTypeOf(old.value!.node_id).toEqualTypeOf<number>();
    const version = process.env.V ?? '1.16';
    const any = decodeDumpText('', { map: 'ipcache', version }).records[0]!;
    expectTypeOf(any.value!.sec_identity).toEqualTypeOf<number>();
    expectTypeOf(any.value).toEqualTypeOf<MapValue<'ipcache', string> | undefined>();
  });

  it('service values carry the fields derived from the whole entry', () => {
    const r = decodeDumpText('', { map: 'lb4-services', version: '1.16' }).records[0]!;
    expectTypeOf(r.value!.affinity_timeout).toEqualTypeOf<number | undefined>();
    expectTypeOf(r.value!.count).toEqualTypeOf<number>();
  });

  it('the stream form yields batches of the same record type', async () => {
    for await (const batch of decodeDump([''], { map: 'cilium_ipcache', version: '1.16' })) {
      expectTypeOf(batch).toEqualTypeOf<MapRecord<'cilium_ipcache', '1.16'>[]>();
      expectTypeOf(batch[0]!.key.cidr).toEqualTypeOf<string>();
    }
  });

  it('without a catalogue name (a pinned path, or nothing) the records are generic', () => {
    const path: string = '/sys/fs/bpf/tc/globals/cilium_lxc';
    expectTypeOf(decodeDumpText('', { map: path }).records).toEqualTypeOf<DecodedRecord[]>();
    expectTypeOf(decodeDumpText('').records).toEqualTypeOf<DecodedRecord[]>();
    expectTypeOf(decodeDump([''])).toEqualTypeOf<AsyncGenerator<DecodedRecord[], ReturnType<typeof decodeDumpText>['summary'], undefined>>();
  });
});

describe('no phantom fields: padding arrays are not record fields', () => {
  it('lb4 key, endpoint info and the SV-A/SV-B service values have no pad', () => {
    expectTypeOf<Lb4Key>().not.toHaveProperty('pad');
    expectTypeOf<EndpointInfo>().not.toHaveProperty('pad');
    expectTypeOf<Decoded<typeof lbServiceSVA>>().not.toHaveProperty('pad');
    expectTypeOf<Decoded<typeof lbServiceSVB>>().not.toHaveProperty('pad');
    expectTypeOf<keyof Lb4Key>().toEqualTypeOf<'address' | 'dport' | 'backend_slot' | 'proto' | 'scope' | 'proto_name'>();
  });
});

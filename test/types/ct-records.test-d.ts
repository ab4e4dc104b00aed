/**
 * The conntrack, NAT and metrics maps are literal catalogue entries too: their names and aliases
 * are MapName/MapAlias, and their records are typed from their layouts.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { decodeDumpText, resolveMap, type MapAlias, type MapName } from '../../src/index';

describe('CT / NAT / metrics records are typed', () => {
  it('names and aliases are literal types', () => {
    expectTypeOf<'cilium_ct4_global'>().toMatchTypeOf<MapName>();
    expectTypeOf<'cilium_snat_v6_external'>().toMatchTypeOf<MapName>();
    expectTypeOf<'cilium_metrics'>().toMatchTypeOf<MapName>();
    expectTypeOf<'ct-any6'>().toMatchTypeOf<MapAlias>();
    expectTypeOf<'nat4'>().toMatchTypeOf<MapAlias>();
  });
  it('a CT key has its tuple fields; an unknown field is an error', () => {
    const k = resolveMap('cilium_ct4_global', '1.16').key.decode(new Uint8Array(14));
    expectTypeOf(k.daddr).toEqualTypeOf<string>();
    expectTypeOf(k.dport).toEqualTypeOf<number>();
    // @ts-expect-error not a field of ipv4_ct_tuple
    void k.no_such_field;
  });
  it('CT values and NAT values from their layouts; dumps of an alias are typed', () => {
    const v = resolveMap('ct6', '1.16').value.decode(new Uint8Array(56));
    expectTypeOf(v.packets).toEqualTypeOf<bigint>();
    const rec = decodeDumpText('', { map: 'nat4', version: '1.16' }).records[0];
    const saddr: string | undefined = rec?.key.saddr;
    void saddr;
    // @ts-expect-error not a field of the NAT tuple
    void rec?.key.no_such_field;
  });
});

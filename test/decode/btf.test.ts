/**
 * BTF plain output (typed JSON, no hex) maps onto the same records as the raw bytes: checked
 * against `-j` captures of the same maps, whose hex arrays are the oracle.
 */
import { describe, expect, it } from 'vitest';
import { decodeDumpText } from '../../src/index';
import { hasShared, readShared } from '../helpers/shared';

const pairs = [
  ['btf_dump_lxc.out', 'btf_jdump_lxc.out', 'cilium_lxc', '1.16'],
  ['btf_dump_ipcache.out', 'btf_jdump_ipcache.out', 'cilium_ipcache', '1.16'],
  // -p of a BTF map: hex arrays plus "formatted", which must be skipped, not decoded.
  ['btf_pdump_ipcache.out', 'btf_jdump_ipcache.out', 'cilium_ipcache', '1.16'],
] as const;

describe.skipIf(!hasShared)('BTF-formatted dumps', () => {
  for (const [btf, hex, map, version] of pairs) {
    it(`${btf} decodes to the same records as the hex of ${hex}`, () => {
      // The ipcache capture's test struct has node_id and flag_skip_tunnel at once (no release
      // has both), so its node_id bytes are padding in every real layout: not strict there.
      const strict = map !== 'cilium_ipcache';
      const fromBtf = decodeDumpText(readShared('fixtures', 'bpftool-formats', btf), { map, version, strict });
      const fromHex = decodeDumpText(readShared('fixtures', 'bpftool-formats', hex), { map, version, strict });
      // Whatever the layout has no place for is reported on both paths (bytes vs BTF member names).
      expect(fromBtf.summary.padding.length).toBe(fromHex.summary.padding.length);
      if (btf === 'btf_dump_ipcache.out') {
        expect(fromHex.summary.padding[0]).toMatchObject({ field: 'pad', offset: 8 });
        expect(fromBtf.summary.padding[0]!.field).toMatch(/^node_id \(BTF member = \d+\)$/);
        expect(fromBtf.summary.padding[0]!.meaning.join()).toMatch(/node_id in v1\.11\.14/);
      }
      expect(fromHex.records.length).toBeGreaterThan(0);
      expect(fromBtf.records.map((r) => ({ key: r.key, value: r.value }))).toEqual(fromHex.records.map((r) => ({ key: r.key, value: r.value })));
    });
  }
  it('LB maps: services (anonymous union under ""), backends and reverse NAT (bare-number keys)', () => {
    const svc = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'btf_dump_cilium_lb4_services_v2.out'), { map: 'lb4-services', version: '1.16', strict: true });
    expect(svc.records.map((r) => [r.key.address, r.key.dport, r.key.backend_slot, r.key.proto, r.value!.backend_id, r.value!.count])).toEqual([
      ['10.96.0.10', 53, 1, 17, 7, 0],
      ['10.96.0.10', 53, 0, 17, 0, 2],
    ]);
    const be = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'btf_dump_cilium_lb4_backends_v3.out'), { map: 'lb4-backends', strict: true });
    expect(be.records[0]).toMatchObject({ key: { backend_id: 7 }, value: { address: '10.0.1.5', port: 53, proto: 17, cluster_id: 1, zone: 2 } });
    const rn = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'btf_dump_cilium_lb4_reverse_nat.out'), { map: 'lb4-revnat', strict: true });
    // bpftool printed the u16 key as 5: bytes 05 00, which Cilium (network order) reads as 1280.
    expect(rn.records[0]).toMatchObject({ key: { rev_nat_index: 1280 }, value: { address: '10.96.0.10', port: 53 } });
  });
  it('without a map name, BTF output is decoded by its member names, as its -j twin is', () => {
    const btf = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'btf_dump_lxc.out'));
    const hex = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'btf_jdump_lxc.out'));
    expect(btf.summary.maps.map((m) => m.name)).toEqual(['cilium_lxc']);
    expect(btf.records.length).toBeGreaterThan(0);
    expect(btf.records.map((r) => ({ key: r.key, value: r.value }))).toEqual(hex.records.map((r) => ({ key: r.key, value: r.value })));
  });
});

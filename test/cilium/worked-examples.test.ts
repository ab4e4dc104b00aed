/** The worked encodings of cilium-layouts.md §4, §5, §6, §7.3 and §10, both directions. */
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { endpointInfoEIB, endpointInfoEIC, endpointInfoEID } from '../../src/cilium/endpoint-info';
import { ipcacheKeyIKA, ipcacheKeyIKB, ipcacheKeyIKC } from '../../src/cilium/ipcache-key';
import { remoteEndpointInfoREC, remoteEndpointInfoRED } from '../../src/cilium/remote-endpoint-info';
import { h, toHex } from '../helpers/bytes';

const lxcValue = h('0b 00 00 00 00 00 33 06 00 00 00 00 00 00 00 00 ea c4 71 d6 4f a0 00 00 f6 87 b6 c3 a6 45 00 00 2c 0d 00 00' + ' 00'.repeat(12));

describe('§4 endpoint_info', () => {
  it('decodes as EI-B with sec_id 3372 and the MACs in wire order', () => {
    const v = endpointInfoEIB.decode(lxcValue);
    expect(v).toMatchObject({ ifindex: 11, unused: 0, lxc_id: 1587, mac: 'ea:c4:71:d6:4f:a0', node_mac: 'f6:87:b6:c3:a6:45', sec_id: 3372 });
    expect(v.flags).toEqual({ raw: 0, host: false, unknown: 0 });
    expect(toHex(endpointInfoEIB.encode(v))).toBe(toHex(lxcValue));
  });
  it('decodes as EI-C with parent_ifindex 0 and as EI-D with rt_info 0', () => {
    expect(endpointInfoEIC.decode(lxcValue)).toMatchObject({ sec_id: 3372, parent_ifindex: 0 });
    expect(endpointInfoEID.decode(lxcValue)).toMatchObject({ rt_info: 0, mac: 'ea:c4:71:d6:4f:a0', sec_id: 3372 });
    expect(toHex(endpointInfoEID.encode(endpointInfoEID.decode(lxcValue)))).toBe(toHex(lxcValue));
  });
});

describe('§5 ipcache_key', () => {
  const key = h('40 00 00 00 00 00 00 01 0a 0a 01 9b 00 00 00 00 00 00 00 00 00 00 00 00');
  for (const s of [ipcacheKeyIKA, ipcacheKeyIKB, ipcacheKeyIKC]) {
    it(`${s.label}: prefixlen 64 is 10.10.1.155/32, and encodes back (also from { cidr })`, () => {
      const k = s.decode(key);
      expect(k).toMatchObject({ prefixlen: 64, family: 1, ip: '10.10.1.155', cidr: '10.10.1.155/32' });
      expect(toHex(s.encode(k))).toBe(toHex(key));
      expect(toHex(s.encode({ cidr: '10.10.1.155/32' }))).toBe(toHex(key));
    });
  }
  it('a cidr in any spelling is accepted (prepare consumes it; the decoded cidr is canonical)', () => {
    const k = ipcacheKeyIKC.encode({ cidr: 'FD00:0::1' });
    expect(toHex(k)).toBe(toHex(ipcacheKeyIKC.encode({ cidr: 'fd00::1/128' })));
    expect(ipcacheKeyIKC.decode(k)).toMatchObject({ ip: 'fd00::1', cidr: 'fd00::1/128', prefixlen: 160, family: 2 });
    expect(toHex(ipcacheKeyIKC.encodeReference({ cidr: 'FD00:0::1' }))).toBe(toHex(k));
    // Still refused: a cidr that disagrees with the fields given beside it.
    expect(() => ipcacheKeyIKC.encode({ cidr: 'fd00::1', family: 1 })).toThrow(/family 1 disagrees with cidr/);
  });
  it('world is prefixlen 32, an IPv6 /128 is 160', () => {
    expect(toHex(ipcacheKeyIKC.encode({ cidr: '0.0.0.0/0' }))).toBe('20000000000000010000000000000000' + '0'.repeat(16));
    const v6 = ipcacheKeyIKC.encode({ cidr: 'f00d::a0f:0:0:1234/128' });
    expect(v6[0]).toBe(160);
    expect(ipcacheKeyIKC.decode(v6).cidr).toBe('f00d::a0f:0:0:1234/128');
  });
});

describe('§6 remote_endpoint_info', () => {
  const val = h('94 28 00 00 ac 12 00 04 00 00 00 00');
  it('RE-C and RE-D: identity 10388, tunnel 172.18.0.4', () => {
    expect(remoteEndpointInfoREC.decode(val)).toEqual({ sec_identity: 10388, tunnel_endpoint: '172.18.0.4', key: 0 });
    const d = remoteEndpointInfoRED.decode(val);
    expect(d).toEqual({ sec_identity: 10388, tunnel_endpoint: '172.18.0.4', key: 0, flags: { raw: 0, flag_skip_tunnel: false, unknown: 0 } });
    expect(toHex(remoteEndpointInfoRED.encode({ sec_identity: 10388, tunnel_endpoint: '172.18.0.4' }))).toBe(toHex(val));
  });
  it('the key byte moves from offset 8 (RE-A) to offset 10 (RE-B..D)', () => {
    const a = resolveMap('cilium_ipcache', '1.12.0').value;
    const c = resolveMap('cilium_ipcache', '1.12.13').value;
    expect(toHex(a.encode({ key: 3 }))).toBe('000000000000000003000000');
    expect(toHex(c.encode({ key: 3 }))).toBe('000000000000000000000300');
  });
  it('24-byte v2: an IPv6 tunnel endpoint sets has_tunnel_ep and ipv6_tunnel_ep like Go NewValue', () => {
    const v = resolveMap('cilium_ipcache_v2').value;
    const b = v.encode({ sec_identity: 13789, tunnel_endpoint: 'fd00::5' });
    expect(toHex(b)).toBe('dd350000' + 'fd000000000000000000000000000005' + '0000' + '00' + '06');
    expect(v.decode(b)).toMatchObject({ tunnel_endpoint: 'fd00::5', flags: { flag_has_tunnel_ep: true, flag_ipv6_tunnel_ep: true, raw: 6 } });
    const v4 = v.encode({ sec_identity: 1, tunnel_endpoint: '172.18.0.5' });
    expect(toHex(v4)).toBe('01000000' + 'ac120005' + '0'.repeat(24) + '0000' + '00' + '02');
  });
});

describe('§10 load balancing (v1.16 layout)', () => {
  const svc = resolveMap('cilium_lb4_services_v2', '1.16');
  it('master and slot entries', () => {
    const mk = svc.key.decode(h('0a 60 00 0a 00 35 00 00 00 00 00 00'));
    expect(mk).toEqual({ address: '10.96.0.10', dport: 53, backend_slot: 0, proto: 0, scope: 0, proto_name: 'ANY' });
    const mv = svc.value.decode(h('00 00 00 00 01 00 00 02 00 00 00 00'));
    expect(mv).toMatchObject({ backend_id: 0, count: 1, rev_nat_index: 2, flags: { raw: 0, routable: false } });
    const sk = svc.key.encode({ address: '10.96.0.10', dport: 53, backend_slot: 1 });
    expect(toHex(sk)).toBe('0a60000a0035010000000000');
    expect(toHex(svc.value.encode({ backend_id: 4, rev_nat_index: 2 }))).toBe('040000000000000200000000');
  });
  it('backend v3, reverse NAT (key stored big-endian), v1.10 u16 backend key', () => {
    const be = resolveMap('cilium_lb4_backends_v3', '1.16');
    expect(be.key.decode(h('04 00 00 00'))).toEqual({ backend_id: 4 });
    expect(be.value.decode(h('0a 00 02 e6 00 35 00 00 00 00 00 00'))).toEqual({
      address: '10.0.2.230', port: 53, proto: 0, flags: 0, cluster_id: 0, zone: 0, proto_name: 'ANY', state: 'active',
    });
    const rn = resolveMap('cilium_lb4_reverse_nat');
    expect(toHex(rn.key.encode({ rev_nat_index: 2 }))).toBe('0002');
    expect(rn.value.decode(h('0a 60 00 0a 00 35'))).toEqual({ address: '10.96.0.10', port: 53 });
    const v110 = resolveMap('cilium_lb4_backends', '1.10');
    expect(toHex(v110.key.encode({ backend_id: 4 }))).toBe('0400');
    // cilium/cilium#13243's raw dump: backend 2 → 10.0.0.85:53.
    expect(v110.key.decode(h('02 00'))).toEqual({ backend_id: 2 });
    expect(v110.value.decode(h('0a 00 00 55 00 35 00 00'))).toMatchObject({ address: '10.0.0.85', port: 53, proto: 0 });
  });
  it('an L7 LB master entry starts with the proxy port in network order', () => {
    const s = resolveMap('cilium_lb4_services_v2', '1.16');
    const v = s.value.encode({ l7_lb_proxy_port: 15735, flags2: { l7_loadbalancer: true } });
    expect(toHex(v.subarray(0, 4))).toBe('3d770000');
    const derived = s.deriveEntry!({ backend_slot: 0 }, s.value.decode(v) as Record<string, unknown>);
    expect(derived).toEqual({ l7_lb_proxy_port: 15735 });
  });
  it('v1.17+: proto UDP is 0x11 at key offset 8; master splits LB algorithm and affinity timeout', () => {
    const s = resolveMap('lb4-services', '1.17');
    expect(toHex(s.key.encode({ address: '10.96.0.10', dport: 53, proto: 17 }))).toBe('0a60000a0035000011000000');
    const v = s.value.decode(s.value.encode({ lb_algorithm: 'maglev', affinity_timeout: 10800, count: 2, rev_nat_index: 7, flags: { affinity: true, routable: true } }));
    expect(v.backend_id).toBe(0x02000000 + 10800);
    expect(s.deriveEntry!({ backend_slot: 0 }, v as Record<string, unknown>)).toEqual({ lb_algorithm: 'maglev', affinity_timeout: 10800 });
    expect(s.deriveEntry!({ backend_slot: 1 }, v as Record<string, unknown>)).toEqual({});
  });
});

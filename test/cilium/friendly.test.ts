/**
 * CLI-style arguments → key/value bytes (src/cilium/friendly.ts): the worked encodings of
 * cilium-layouts.md §5, §6, §7 and §10, every shorthand, every error, and a fast-check property
 * over every map and layout: random record → arguments → the same bytes as `schema.encode(record)`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAPS, resolveMap, type MapSpec } from '../../src/cilium/catalog';
import {
  ArgumentError,
  acceptedFields,
  encodeKeyArgs,
  encodeValueArgs,
  keyInputFromArgs,
  parseHostPort,
  parseIntegerText,
  valueInputFromArgs,
  type KeyArgOptions,
} from '../../src/cilium/friendly';
import { PROTO_NAMES } from '../../src/cilium/names';
import { CodecError, EncodeError, type AnySchema } from '../../src/schema/index';
import { h, toHex } from '../helpers/bytes';
import { makeValid } from '../helpers/valid-bytes';

const key = (map: string, args: string[], opts?: KeyArgOptions, version?: string) => toHex(encodeKeyArgs(resolveMap(map, version), args, opts));
const value = (map: string, args: string[], version?: string) => toHex(encodeValueArgs(resolveMap(map, version), args));
const hx = (s: string) => toHex(h(s));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('worked examples (cilium-layouts.md §5, §6, §10)', () => {
  it('ipcache key 10.10.1.155/32 and the bare IP', () => {
    const want = hx('40 00 00 00 00 00 00 01 0a 0a 01 9b 00 00 00 00 00 00 00 00 00 00 00 00');
    expect(key('ipcache', ['10.10.1.155/32'])).toBe(want);
    expect(key('ipcache', ['10.10.1.155'])).toBe(want);
    expect(key('cilium_ipcache_v2', ['10.10.1.155/32'])).toBe(want);
    expect(key('/sys/fs/bpf/tc/globals/cilium_ipcache', ['cidr=10.10.1.155/32'])).toBe(want);
    expect(key('ipcache', ['ip=10.10.1.155', 'prefixlen=64', 'family=ipv4'])).toBe(want);
    for (const v of ['1.10', '1.14', '1.15', '1.17']) expect(key('ipcache', ['10.10.1.155/32'], {}, v)).toBe(want);
  });
  it('ipcache world, IPv6 /128 and ::/0, prefixes, cluster IDs', () => {
    expect(key('ipcache', ['0.0.0.0/0'])).toBe(hx('20 00 00 00 00 00 00 01' + ' 00'.repeat(16)));
    expect(key('ipcache', ['::/0'])).toBe(hx('20 00 00 00 00 00 00 02' + ' 00'.repeat(16)));
    expect(key('ipcache', ['fd00::1'])).toBe(hx('a0 00 00 00 00 00 00 02 fd 00' + ' 00'.repeat(13) + ' 01'));
    expect(key('ipcache', ['10.0.0.0/8'])).toBe(hx('28 00 00 00 00 00 00 01 0a' + ' 00'.repeat(15)));
    // IK-C: cluster_id u16 at 4; IK-B: u8 at 6.
    expect(key('ipcache', ['10.0.0.0/8', 'cluster_id=0x102'])).toBe(hx('28 00 00 00 02 01 00 01 0a' + ' 00'.repeat(15)));
    expect(key('ipcache', ['10.0.0.0/8', 'cluster_id=3'], {}, '1.14')).toBe(hx('28 00 00 00 00 00 03 01 0a' + ' 00'.repeat(15)));
  });
  it('lxc key 10.10.2.121 and an IPv6 endpoint', () => {
    expect(key('lxc', ['10.10.2.121'])).toBe(hx('0a 0a 02 79 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00'));
    expect(key('lxc', ['10.10.2.121/32'])).toBe(hx('0a 0a 02 79 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00'));
    expect(key('lxc', ['fd00::a0f:0:0:1234', 'cluster_id=65535'])).toBe(hx('fd 00 00 00 00 00 00 00 0a 0f 00 00 00 00 12 34 02 00 ff ff'));
    expect(key('lxc', ['10.10.2.121', 'cluster_id=2'], {}, '1.14')).toBe(hx('0a 0a 02 79 00 00 00 00 00 00 00 00 00 00 00 00 01 00 02 00'));
  });
  it('lb4 service keys: master, slot 1, proto, scope, Cilium key text', () => {
    expect(key('lb4-services', ['10.96.0.10:53'])).toBe(hx('0a 60 00 0a 00 35 00 00 00 00 00 00'));
    expect(key('lb4-services', ['10.96.0.10:53'], { slot: 1 })).toBe(hx('0a 60 00 0a 00 35 01 00 00 00 00 00'));
    expect(key('lb4-services', ['10.96.0.10:53'], { slot: '1' })).toBe(hx('0a 60 00 0a 00 35 01 00 00 00 00 00'));
    expect(key('lb4-services', ['10.96.0.10:53/udp'])).toBe(hx('0a 60 00 0a 00 35 00 00 11 00 00 00'));
    expect(key('lb4-services', ['10.96.0.10:53'], { proto: 'UDP', scope: 'int', slot: '0x100' })).toBe(hx('0a 60 00 0a 00 35 00 01 11 01 00 00'));
    expect(key('lb4-services', ['10.96.0.10:53/TCP/i'])).toBe(hx('0a 60 00 0a 00 35 00 00 06 01 00 00'));
    expect(key('lb4-services', ['address=10.96.0.10', 'dport=53', 'backend_slot=1', 'proto=17', 'scope=ext'])).toBe(hx('0a 60 00 0a 00 35 01 00 11 00 00 00'));
    expect(key('lb4-services', ['vip=10.96.0.10', 'port=0x35', 'slot=1'])).toBe(hx('0a 60 00 0a 00 35 01 00 00 00 00 00'));
    expect(key('lb4-services', ['10.96.0.10:53', 'proto_name=sctp'])).toBe(hx('0a 60 00 0a 00 35 00 00 84 00 00 00'));
  });
  it('lb6 service key [fd00::a]:443/tcp', () => {
    expect(key('lb6-services', ['[fd00::a]:443/tcp'], { slot: 2 })).toBe(hx('fd 00' + ' 00'.repeat(13) + ' 0a 01 bb 02 00 06 00 00 00'));
  });
  it('backend and reverse-NAT keys', () => {
    expect(key('lb4-revnat', ['2'])).toBe('0002');
    expect(key('lb4-revnat', ['0xfffe'])).toBe('fffe');
    expect(key('lb6-revnat', ['id=2'])).toBe('0002');
    expect(key('lb4-backends', ['4'])).toBe('04000000');
    expect(key('cilium_lb4_backends', ['4'])).toBe('0400');
    expect(key('lb4-backends', ['4294967295'])).toBe('ffffffff');
  });
  it('ipcache 12-byte value: identity 10388, tunnel 172.18.0.4', () => {
    expect(value('ipcache', ['sec_identity=10388', 'tunnel_endpoint=172.18.0.4'])).toBe(hx('94 28 00 00 ac 12 00 04 00 00 00 00'));
    expect(value('ipcache', ['identity=0x2894', 'tunnelendpoint=172.18.0.4', 'flags=skiptunnel', 'encryptkey=3'])).toBe(hx('94 28 00 00 ac 12 00 04 00 00 03 01'));
    // RE-A: key at 8; RE-B: node_id at 8-9, key at 10.
    expect(value('ipcache', ['sec_identity=1', 'key=3'], '1.10')).toBe(hx('01 00 00 00 00 00 00 00 03 00 00 00'));
    expect(value('ipcache', ['sec_identity=1', 'node_id=0x102', 'key=3'], '1.13.0')).toBe(hx('01 00 00 00 00 00 00 00 02 01 03 00'));
  });
  it('ipcache_v2 value: IPv4 and IPv6 tunnel endpoints set the flags like Go NewValue', () => {
    expect(value('ipcache-v2', ['sec_identity=10388', 'tunnel_endpoint=172.18.0.4'])).toBe(hx('94 28 00 00 ac 12 00 04' + ' 00'.repeat(12) + ' 00 00 00 02'));
    expect(value('ipcache-v2', ['sec_identity=6', 'tunnel_endpoint=fd00::5'])).toBe(hx('06 00 00 00 fd 00' + ' 00'.repeat(13) + ' 05 00 00 00 06'));
    expect(value('ipcache-v2', ['sec_identity=6', 'tunnel_endpoint=fd00::5', 'flags=hastunnel,ipv6tunnel,remotecluster'])).toBe(
      hx('06 00 00 00 fd 00' + ' 00'.repeat(13) + ' 05 00 00 00 0e'),
    );
    expect(value('ipcache-v2', ['flags=0x10'])).toBe(hx(' 00'.repeat(23) + ' 10'));
  });
  it('lb4 service values (§10), L7 proxy port, LB algorithm', () => {
    expect(value('lb4-services', ['count=1', 'rev_nat_index=2'], '1.16')).toBe(hx('00 00 00 00 01 00 00 02 00 00 00 00'));
    expect(value('lb4-services', ['backend_id=4', 'rev_nat_index=2'])).toBe(hx('04 00 00 00 00 00 00 02 00 00 00 00'));
    expect(value('lb4-services', ['l7_lb_proxy_port=15735', 'flags2=l7_loadbalancer', 'flags=nodeport,routable'])).toBe(hx('3d 77 00 00 00 00 00 00 42 04 00 00'));
    expect(value('lb4-services', ['lb_algorithm=maglev', 'affinity_timeout=10800', 'flags=sessionAffinity', 'qcount=2'])).toBe(hx('30 2a 00 02 00 00 00 00 10 00 02 00'));
    expect(value('lb4-services', ['flags=0x40', 'flags2=two_scopes,int_local_scope'])).toBe(hx('00 00 00 00 00 00 00 00 40 30 00 00'));
    expect(value('lb4-services', ['flags=ExternalIPs,NodePort,Local,HostPort,sessionAffinity,LoadBalancer,routable,source_range', 'flags2=0xff'])).toBe(hx('00 00 00 00 00 00 00 00 ff ff 00 00'));
  });
  it('backend values: v3 with cluster and zone, state names, Cilium shorthand', () => {
    expect(value('lb4-backends', ['address=10.0.2.230', 'port=53'])).toBe(hx('0a 00 02 e6 00 35 00 00 00 00 00 00'));
    expect(value('lb4-backends', ['10.0.2.230:53/udp', 'state=terminating', 'cluster_id=0x102', 'zone=3'])).toBe(hx('0a 00 02 e6 00 35 11 01 02 01 03 00'));
    expect(value('lb4-backends', ['10.0.2.230:53', 'flags=maintenance', 'proto_name=tcp'])).toBe(hx('0a 00 02 e6 00 35 06 03 00 00 00 00'));
    expect(value('cilium_lb4_backends_v2', ['10.0.2.230:53', 'state=quarantined'], '1.12')).toBe(hx('0a 00 02 e6 00 35 00 02'));
    expect(value('cilium_lb4_backends', ['ip=10.0.0.85', 'port=53'])).toBe(hx('0a 00 00 55 00 35 00 00'));
    expect(value('lb6-backends', ['[fd00::1]:80/tcp', 'state=active'])).toBe(hx('fd 00' + ' 00'.repeat(13) + ' 01 00 50 06 00 00 00 00 00'));
  });
  it('reverse-NAT values', () => {
    expect(value('lb4-revnat', ['10.96.0.10:53'])).toBe(hx('0a 60 00 0a 00 35'));
    expect(value('lb4-revnat', ['address=10.96.0.10', 'port=53'])).toBe(hx('0a 60 00 0a 00 35'));
    expect(value('lb6-revnat', ['[fd00::a]:53'])).toBe(hx('fd 00' + ' 00'.repeat(13) + ' 0a 00 35'));
  });
  it('lxc value (§4 worked example) with names and hex', () => {
    const want = hx('0b 00 00 00 00 00 33 06 00 00 00 00 00 00 00 00 ea c4 71 d6 4f a0 00 00 f6 87 b6 c3 a6 45 00 00 2c 0d 00 00' + ' 00'.repeat(12));
    expect(value('lxc', ['ifindex=11', 'lxc_id=0x633', 'mac=EA:C4:71:D6:4F:A0', 'nodemac=f6-87-b6-c3-a6-45', 'sec_id=3372'], '1.16')).toBe(want);
    expect(value('lxc', ['flags=host,athostns,no_snat_v4,no_snat_v6,0x100'])).toBe(hx('00 00 00 00 00 00 00 00 0f 01 00 00' + ' 00'.repeat(36)));
    expect(value('lxc', ['rt_info=0xffffffff'])).toBe(hx(' 00'.repeat(12) + ' ff ff ff ff' + ' 00'.repeat(32)));
  });
});

describe('errors name the field and what is accepted', () => {
  const spec = (m: string, v?: string) => resolveMap(m, v);
  it('unknown field: ArgumentError listing the fields', () => {
    const e = thrown(() => encodeValueArgs(spec('ipcache'), ['bogus=1']));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e).toBeInstanceOf(CodecError);
    expect((e as ArgumentError).field).toBe('bogus');
    expect(e.message).toMatch(/bogus: unknown field of cilium_ipcache value/);
    expect(e.message).toMatch(/sec_identity, tunnel_endpoint, key, flags/);
  });
  it('a field of another Cilium version says where it exists', () => {
    const e = thrown(() => encodeValueArgs(spec('lb4-services', '1.16'), ['qcount=1']));
    expect(e.message).toMatch(/qcount: does not exist in Cilium 1\.16.*SV-B.*exists in v1\.17 → main/);
    expect(thrown(() => encodeKeyArgs(spec('ipcache', '1.12'), ['10.0.0.0/8', 'cluster_id=1'])).message).toMatch(/cluster_id: does not exist in Cilium 1\.12.*v1\.14/);
    expect(thrown(() => encodeValueArgs(spec('lxc', '1.13'), ['sec_id=1'])).message).toMatch(/sec_id: does not exist in Cilium 1\.13/);
    expect(thrown(() => encodeValueArgs(spec('cilium_lb4_backends_v2', '1.11'), ['state=terminating'])).message).toMatch(/state: does not exist in Cilium 1\.11.*v1\.12/);
    expect(thrown(() => encodeValueArgs(spec('lb4-services', '1.16'), ['lb_algorithm=maglev'])).message).toMatch(/lb_algorithm exists only from Cilium v1\.17/);
  });
  it('padding is not a field', () => {
    expect(thrown(() => encodeKeyArgs(spec('lb4-services'), ['10.96.0.10:53', 'pad=1'])).message).toMatch(/pad: is padding/);
  });
  it('out-of-range numbers come through as EncodeError naming the field and range', () => {
    const e = thrown(() => encodeValueArgs(spec('lb4-services'), ['count=65536']));
    expect(e).toBeInstanceOf(EncodeError);
    expect((e as EncodeError).path).toBe('count');
    expect(e.message).toMatch(/count @ offset 4: 65536 is out of range for u16 \(0\.\.65535\)/);
    expect(thrown(() => encodeKeyArgs(spec('lb4-services'), ['10.96.0.10:53'], { slot: 70000 })).message).toMatch(/backend_slot.*out of range for u16/);
    expect(thrown(() => encodeKeyArgs(spec('cilium_lb4_backends'), ['65536'])).message).toMatch(/backend_id.*out of range for u16/);
    expect(thrown(() => encodeValueArgs(spec('lxc'), ['ifindex=0x100000000'])).message).toMatch(/ifindex.*out of range for u32/);
    expect(thrown(() => encodeValueArgs(spec('lxc'), ['ifindex=99999999999999999999999'])).message).toMatch(/ifindex.*out of range for u32/);
  });
  it('malformed numbers, IPs, MACs, CIDRs, ports and flags', () => {
    const cases: [MapSpec, 'k' | 'v', string[], RegExp][] = [
      [spec('lxc'), 'v', ['ifindex=eleven'], /ifindex: "eleven" is not a number; accepted: decimal or 0x-hex integer 0\.\.4294967295/],
      [spec('lxc'), 'v', ['ifindex=-1'], /ifindex: "-1" is not a number/],
      [spec('lxc'), 'v', ['ifindex=011'], /ifindex: "011" is not a number/],
      [spec('lxc'), 'v', ['mac=ea:c4:71'], /mac: "ea:c4:71" is not a MAC address; accepted: a MAC address like/],
      [spec('ipcache'), 'v', ['tunnel_endpoint=172.18.0.300'], /tunnel_endpoint: "172\.18\.0\.300" is not an IP address/],
      [spec('ipcache'), 'v', ['tunnel_endpoint=fd00::1'], /tunnel_endpoint: fd00::1 is IPv6/],
      [spec('ipcache'), 'k', ['10.0.0.0/33'], /cidr: "10\.0\.0\.0\/33" is not a CIDR or IP address; accepted: a CIDR/],
      [spec('ipcache'), 'k', ['10.0.0.1/8'], /bits set past \/8/],
      [spec('ipcache'), 'k', ['banana'], /cidr: "banana" is not a CIDR/],
      [spec('lxc'), 'k', ['10.0.0.0/24'], /ip: 10\.0\.0\.0\/24: cilium_lxc keys are single addresses/],
      [spec('lb4-services'), 'k', ['10.96.0.10'], /address: "10\.96\.0\.10" has no port; accepted: IPv4:port/],
      [spec('lb4-services'), 'k', ['10.96.0.10:65536'], /port: "65536" in "10\.96\.0\.10:65536" is not a port; accepted: a port 0\.\.65535/],
      [spec('lb4-services'), 'k', ['10.96.0.10:http'], /port: "http"/],
      [spec('lb4-services'), 'k', ['10.96.0.10:53/quic'], /proto: unknown protocol "quic"; accepted: any, icmp, tcp, udp/],
      [spec('lb4-services'), 'k', ['fd00::a:53'], /write an IPv6 address in brackets/],
      [spec('lb4-services'), 'k', ['[fd00::a]:53'], /address: fd00::a is IPv6 but cilium_lb4_services_v2 holds IPv4 entries; accepted: an IPv4 address, or use cilium_lb6_services_v2/],
      [spec('lb6-services'), 'k', ['[fd00::a:53'], /has "\[" without "\]"/],
      [spec('lb4-services'), 'k', ['10.96.0.10:53', 'scope=sideways'], /scope: unknown scope "sideways"; accepted: ext/],
      [spec('lb4-services'), 'v', ['flags=routable,bogus'], /flags: unknown flag "bogus"; accepted: .*external_ip, nodeport/],
      [spec('lb4-services'), 'v', ['flags=routable,,nodeport'], /flags: empty flag name/],
      [spec('lb4-backends'), 'v', ['state=dead'], /state: unknown backend state "dead"; accepted: active, terminating, quarantined, maintenance/],
      [spec('lb4-backends'), 'k', ['x'], /backend_id: "x" is not a number/],
      [spec('lb4-revnat'), 'v', ['10.96.0.10:53/udp'], /proto: cilium_lb4_reverse_nat values have no protocol/],
      [spec('ipcache'), 'v', ['10.0.0.1'], /10\.0\.0\.1: cilium_ipcache values are given as FIELD=VALUE pairs/],
      [spec('ipcache'), 'k', ['=5'], /expected FIELD=VALUE/],
    ];
    for (const [s, part, args, re] of cases) {
      const e = thrown(() => (part === 'k' ? encodeKeyArgs(s, args) : encodeValueArgs(s, args)));
      expect(e, args.join(' ')).toBeInstanceOf(CodecError);
      expect(e.message, args.join(' ')).toMatch(re);
    }
  });
  it('options, repeats and missing keys', () => {
    expect(thrown(() => encodeKeyArgs(spec('ipcache'), ['10.0.0.0/8'], { slot: 1 })).message).toMatch(/--slot: applies only to service maps/);
    expect(thrown(() => encodeKeyArgs(spec('lb4-services'), ['10.96.0.10:53/udp'], { proto: 'tcp' })).message).toMatch(/proto: --proto tcp disagrees with "10\.96\.0\.10:53\/udp"/);
    expect(thrown(() => encodeKeyArgs(spec('lb4-services'), ['10.96.0.10:53', 'dport=80'])).message).toMatch(/dport: given twice/);
    expect(thrown(() => encodeValueArgs(spec('lb4-backends'), ['flags=1', 'state=active'])).message).toMatch(/flags: given twice/);
    expect(thrown(() => encodeKeyArgs(spec('ipcache'), ['10.0.0.0/8', '10.1.0.0/16'])).message).toMatch(/only one key argument without "="/);
    expect(thrown(() => encodeKeyArgs(spec('ipcache'), [])).message).toMatch(/key: no key given for cilium_ipcache; accepted: a CIDR or IP/);
    expect(thrown(() => encodeKeyArgs(spec('lb4-services'), ['10.96.0.10:53'], { slot: '-1' })).message).toMatch(/--slot: "-1" is not a number/);
    expect(thrown(() => encodeKeyArgs(spec('ipcache'), ['10.0.0.0/8', 'prefixlen=64'])).message).toMatch(/prefixlen 64 disagrees with cidr/);
  });
});

describe('helpers', () => {
  it('parseIntegerText', () => {
    expect(parseIntegerText('0')).toBe(0);
    expect(parseIntegerText('0x1F')).toBe(31);
    expect(parseIntegerText(' 42 ')).toBe(42);
    expect(parseIntegerText('18446744073709551615')).toBe(18446744073709551615n);
    for (const bad of ['', '-1', '1.5', '08', '0x', '1e3', 'abc']) expect(parseIntegerText(bad), bad).toBeUndefined();
  });
  it('parseHostPort', () => {
    expect(parseHostPort('10.96.0.10:53')).toEqual({ address: '10.96.0.10', family: 4, port: 53 });
    expect(parseHostPort('[fd00::a]:443/tcp')).toEqual({ address: 'fd00::a', family: 6, port: 443, proto: 6 });
    expect(parseHostPort('10.96.0.10:53/UDP/i')).toEqual({ address: '10.96.0.10', family: 4, port: 53, proto: 17, scope: 1 });
    expect(parseHostPort('10.96.0.10:53/i')).toEqual({ address: '10.96.0.10', family: 4, port: 53, scope: 1 });
  });
  it('keyInputFromArgs / valueInputFromArgs give schema inputs', () => {
    expect(keyInputFromArgs(resolveMap('lb4-services'), ['10.96.0.10:53/udp'], { slot: 1 })).toEqual({ address: '10.96.0.10', dport: 53, proto: 17, backend_slot: 1 });
    expect(valueInputFromArgs(resolveMap('lb4-backends'), ['10.0.2.230:53', 'state=terminating'])).toEqual({ address: '10.0.2.230', port: 53, flags: 1 });
    expect(keyInputFromArgs(resolveMap('ipcache'), ['10.0.0.0/8', 'cluster_id=2'])).toEqual({ cidr: '10.0.0.0/8', cluster_id: 2 });
    expect(keyInputFromArgs(resolveMap('ipcache'), ['FD00:0::1'])).toEqual({ cidr: 'fd00::1/128' });
  });
  it('acceptedFields lists every data field and the friendly names', () => {
    const names = acceptedFields(resolveMap('lb4-services'), 'value').map((f) => f.name);
    expect(names).toEqual(['backend_id', 'count', 'rev_nat_index', 'flags', 'flags2', 'qcount', 'lb_algorithm', 'affinity_timeout', 'l7_lb_proxy_port']);
    expect(acceptedFields(resolveMap('lb4-backends'), 'value').map((f) => f.name)).toEqual(['address', 'port', 'proto', 'flags', 'cluster_id', 'zone', 'proto_name', 'state']);
    expect(acceptedFields(resolveMap('ipcache'), 'key').map((f) => f.name)).toEqual(['prefixlen', 'cluster_id', 'family', 'ip', 'cidr']);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: record → arguments → bytes, for every map and every layout.

type Style = { hex: boolean; names: boolean; shorthand: boolean; upper: boolean };

function num(n: number, s: Style): string {
  return s.hex ? `0x${n.toString(16)}` : String(n);
}

function fieldArgs(schema: AnySchema, rec: Record<string, unknown>, s: Style, skip: Set<string>): string[] {
  const out: string[] = [];
  for (const f of schema.layout) {
    if (f.padding || skip.has(f.name)) continue;
    const v = rec[f.name];
    if (f.kind === 'flags') {
      const fv = v as Record<string, number | boolean> & { raw: number; unknown: number };
      const names = Object.keys(fv).filter((k) => k !== 'raw' && k !== 'unknown' && fv[k] === true);
      if (s.names && fv.unknown === 0) out.push(`${f.name}=${names.length ? names.join(',') : 'none'}`);
      else if (s.names) out.push(`${f.name}=${[...names, num(fv.unknown, s)].join(',')}`);
      else out.push(`${f.name}=${num(fv.raw, s)}`);
    } else if (typeof v === 'number') {
      if (s.names && f.name === 'proto' && PROTO_NAMES[v] !== undefined) out.push(`${s.upper ? 'proto_name' : 'proto'}=${s.upper ? PROTO_NAMES[v] : PROTO_NAMES[v]!.toLowerCase()}`);
      else if (s.names && f.name === 'scope' && v <= 1) out.push(`scope=${v === 0 ? 'ext' : 'int'}`);
      else if (s.names && f.name === 'family' && (v === 1 || v === 2)) out.push(`family=${v === 1 ? 'ipv4' : 'ipv6'}`);
      else if (s.names && f.name === 'flags' && typeof rec.state === 'string' && !rec.state.startsWith('unknown')) out.push(`state=${rec.state}`);
      else out.push(`${f.name}=${num(v, s)}`);
    } else if (typeof v === 'bigint') {
      out.push(`${f.name}=${s.hex ? `0x${v.toString(16)}` : String(v)}`);
    } else if (typeof v === 'string') {
      out.push(`${f.name}=${s.upper && f.kind === 'mac' ? v.toUpperCase() : v}`);
    } else {
      throw new Error(`unexpected ${f.name}=${String(v)}`);
    }
  }
  return out;
}

function keyArgs(spec: MapSpec, rec: Record<string, unknown>, s: Style): { args: string[]; opts: KeyArgOptions } {
  if (!s.shorthand) return { args: fieldArgs(spec.key, rec, s, new Set()), opts: {} };
  switch (spec.def.kind) {
    case 'ipcache':
      return { args: [rec.cidr as string, ...fieldArgs(spec.key, rec, s, new Set(['prefixlen', 'family', 'ip']))], opts: {} };
    case 'endpoint':
      return { args: [rec.ip as string, ...fieldArgs(spec.key, rec, s, new Set(['family', 'ip']))], opts: {} };
    case 'service': {
      const a = rec.address as string;
      const host = a.includes(':') ? `[${a}]` : a;
      const proto = s.names && PROTO_NAMES[rec.proto as number] ? PROTO_NAMES[rec.proto as number]! : String(rec.proto);
      return { args: [`${host}:${num(rec.dport as number, s)}/${proto}`], opts: { slot: num(rec.backend_slot as number, s), scope: rec.scope === 1 && s.names ? 'int' : num(rec.scope as number, s) } };
    }
    case 'backend':
      return { args: [num(rec.backend_id as number, s)], opts: {} };
    case 'revnat':
      return { args: [num(rec.rev_nat_index as number, s)], opts: {} };
    case 'ct':
    case 'nat': {
      // Connection text when the flags are a direction the text can say; the raw fields otherwise.
      const f = (rec.flags as { raw: number }).raw;
      const ok = spec.def.kind === 'ct' ? (f & ~7) === 0 && !(f & 4 && f & 1) : f <= 1;
      if (!ok || rec.nexthdr === 0) return { args: fieldArgs(spec.key, rec, s, new Set()), opts: {} };
      const ends = spec.def.kind === 'ct' ? `${rec.client as string} -> ${rec.server as string}` : `${rec.from as string} -> ${rec.to as string}`;
      const proto = s.names ? (rec.proto_name as string) : String(rec.nexthdr);
      const related = f & 2 ? ' related' : '';
      return s.upper ? { args: [`${proto} ${rec.direction as string} ${ends}${related}`], opts: {} } : { args: [`${proto} ${ends}${related}`], opts: { dir: (rec.direction as string).toLowerCase() } };
    }
    case 'metrics':
      return { args: fieldArgs(spec.key, rec, s, new Set()), opts: {} };
  }
}

describe('property: random record → arguments → the bytes schema.encode(record) gives', () => {
  const style = fc.record({ hex: fc.boolean(), names: fc.boolean(), shorthand: fc.boolean(), upper: fc.boolean() });
  for (const m of MAPS) {
    for (const l of m.layouts) {
      const version = l.versions[0]!.from;
      const spec = resolveMap(m.name, version);
      it(`${m.name} @ ${version}: key ${spec.key.label}, value ${spec.value.label}`, () => {
        fc.assert(
          fc.property(
            fc.uint8Array({ minLength: spec.key.sizeof, maxLength: spec.key.sizeof }),
            fc.uint8Array({ minLength: spec.value.sizeof, maxLength: spec.value.sizeof }),
            fc.nat(),
            style,
            (kraw, vraw, seed, s) => {
              const kb = makeValid(spec.key, kraw, seed);
              const vb = makeValid(spec.value, vraw, seed >> 1);
              const krec = spec.key.decode(kb) as Record<string, unknown>;
              const vrec = spec.value.decode(vb) as Record<string, unknown>;
              const { args, opts } = keyArgs(spec, krec, s);
              expect(toHex(encodeKeyArgs(spec, args, opts)), args.join(' ')).toBe(toHex(spec.key.encode(krec)));
              expect(toHex(spec.key.encode(krec))).toBe(toHex(kb));
              const vargs = fieldArgs(spec.value, vrec, s, new Set());
              expect(toHex(encodeValueArgs(spec, vargs)), vargs.join(' ')).toBe(toHex(spec.value.encode(vrec)));
              expect(toHex(spec.value.encode(vrec))).toBe(toHex(vb));
            },
          ),
          { numRuns: 120 },
        );
      });
    }
  }
});

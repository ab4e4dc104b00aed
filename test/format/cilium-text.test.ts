/**
 * Cilium's own key/value text (cilium-layouts.md §9), per version. Every record is decoded from
 * bytes with the package's schemas, so a change of record shape breaks these tests.
 */
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { ciliumKeyString, ciliumKeyTo, ciliumLbListEntry, ciliumListTitles, ciliumValueString, ciliumValueTo, serviceFlagsText } from '../../src/format/cilium-text';
import { ByteSink } from '../../src/schema/byte-sink';
import { h } from '../helpers/bytes';
import { hasShared, readTruth } from '../helpers/shared';

const z = (n: number) => '00'.repeat(n);

/** Key and value strings of one entry of `map` at `version`, decoded from hex. */
function text(map: string, version: string | undefined, keyHex: string | undefined, valueHex?: string, opts?: Parameters<typeof ciliumValueString>[3]) {
  const spec = resolveMap(map, version);
  const key = keyHex === undefined ? undefined : spec.key.decode(h(keyHex));
  const value = valueHex === undefined ? undefined : spec.value.decode(h(valueHex));
  const out = {
    key: key && ciliumKeyString(spec, key),
    value: value && ciliumValueString(spec, value, key, opts),
  };
  // The CLI writes the same text into its output buffer piece by piece (ipcache) or as the string.
  const sink = new ByteSink(4);
  if (key) {
    ciliumKeyTo(spec, key, sink);
    expect(sink.text(), 'ciliumKeyTo').toBe(out.key);
  }
  if (value) {
    sink.pos = 0;
    ciliumValueTo(spec, value, key, sink, opts);
    expect(sink.text(), 'ciliumValueTo').toBe(out.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// §9.2 cilium_lxc

/** endpoint_key: IPv4 10.0.1.51, family 1, key 0, bytes 18-19 as given. */
const lxcKey4 = (b18 = '0000') => `0a000133 ${z(12)} 01 00 ${b18}`;
/** f00d::a0f:0:0:1234 */
const lxcKey6 = `f00d0000000000000a0f000000001234 02 00 0000`;
/** The worked example of §4 (ifindex 11, lxc_id 1587, sec_id 3372). */
const lxcValue = `0b000000 0000 3306 00000000 00000000 eac471d64fa00000 f687b6c3a6450000 2c0d0000 ${z(12)}`;
/** The v1.12 blog entry: ifindex 8, lxc_id 51, no sec_id. */
const lxcBlogValue = `08000000 0000 3300 00000000 00000000 ae3a52a3ecb30000 0a5adeb8d8f40000 ${z(16)}`;
/** A host entry: flags = ENDPOINT_F_HOST, everything else 0. */
const lxcHost = `00000000 0000 0000 01000000 ${z(36)}`;

describe('§9.2 cilium_lxc', () => {
  it('v1.12: the blog row (id=%-5d flags ifindex=%-3d, uppercase MACs, JoinHostPort key)', () => {
    expect(text('cilium_lxc', '1.12', lxcKey4(), lxcBlogValue)).toEqual({
      key: '10.0.1.51:0',
      value: 'id=51    flags=0x0000 ifindex=8   mac=AE:3A:52:A3:EC:B3 nodemac=0A:5A:DE:B8:D8:F4',
    });
  });
  it('v1.10 – v1.13: IPv6 keys are bracketed', () => {
    expect(text('cilium_lxc', '1.13', lxcKey6).key).toBe('[f00d::a0f:0:0:1234]:0');
    expect(text('cilium_lxc', '1.10', lxcKey6).key).toBe('[f00d::a0f:0:0:1234]:0');
  });
  it('v1.14+: AddrCluster keys, no brackets, @cluster when non-zero (u8 in v1.14, u16 from v1.15)', () => {
    expect(text('cilium_lxc', '1.14', lxcKey6).key).toBe('f00d::a0f:0:0:1234:0');
    expect(text('cilium_lxc', '1.14', lxcKey4('0200')).key).toBe('10.0.1.51@2:0');
    expect(text('cilium_lxc', '1.15', lxcKey4('0201')).key).toBe('10.0.1.51@258:0');
    expect(text('cilium_lxc', '1.20', lxcKey4()).key).toBe('10.0.1.51:0');
  });
  it('an unknown family prints nil', () => {
    expect(text('cilium_lxc', '1.16', `0a000133 ${z(12)} 07 00 0000`).key).toBe('nil');
  });
  it('v1.14 – v1.17: the §4 worked example', () => {
    const want = 'id=1587  sec_id=3372  flags=0x0000 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45';
    for (const v of ['1.14', '1.15', '1.16', '1.16.0', '1.17']) expect(text('cilium_lxc', v, undefined, lxcValue).value).toBe(want);
  });
  it('v1.18 – v1.19: plus parent_ifindex=%-3d (two trailing spaces)', () => {
    const want = 'id=1587  sec_id=3372  flags=0x0000 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45 parent_ifindex=0  ';
    expect(text('cilium_lxc', '1.18', undefined, lxcValue).value).toBe(want);
    expect(text('cilium_lxc', '1.19', undefined, lxcValue).value).toBe(want);
  });
  it('v1.20+ and newest: plus " rt_info:%d" (colon)', () => {
    const want = 'id=1587  sec_id=3372  flags=0x0000 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45 parent_ifindex=0   rt_info:0';
    expect(text('cilium_lxc', '1.20', undefined, lxcValue).value).toBe(want);
    expect(text('cilium_lxc', undefined, undefined, lxcValue).value).toBe(want);
    const rt = lxcValue.replace('00000000 00000000 eac4', '02000000 fe000000 eac4');
    expect(text('cilium_lxc', 'main', undefined, rt).value).toBe(
      'id=1587  sec_id=3372  flags=0x0002 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45 parent_ifindex=0   rt_info:254',
    );
  });
  it('wide numbers are not truncated by %-5d / %-3d', () => {
    const v = `39300000 0000 3930 00000000 00000000 ${z(16)} a0860100 ${z(12)}`; // ifindex 12345, id 12345, sec_id 100000
    expect(text('cilium_lxc', '1.16', undefined, v).value).toBe(
      'id=12345 sec_id=100000 flags=0x0000 ifindex=12345 mac=00:00:00:00:00:00 nodemac=00:00:00:00:00:00',
    );
  });
  it('host entries print (localhost) in every version', () => {
    for (const v of ['1.10', '1.14', '1.18', 'main']) expect(text('cilium_lxc', v, undefined, lxcHost).value).toBe('(localhost)');
  });
});

// ---------------------------------------------------------------------------------------------
// §9.3 ipcache

const ipcKey = (cluster = '0000 00', prefix = '40') => `${prefix}000000 ${cluster} 01 0a00029e ${z(12)}`;
/** identity 13789, tunnel 172.18.0.5; the 4 last bytes vary by layout. */
const ipc12 = (tail = '00000000') => `dd350000 ac120005 ${tail}`;
/** §6 worked example: identity 10388, tunnel 172.18.0.4. */
const ipcWorked = '94280000 ac120004 00000000';
/** 24-byte v2 value: identity 13789, tunnel endpoint (16 bytes), pad, key, flags. */
const ipc24 = (tunnel: string, flags: string) => `dd350000 ${tunnel} 0000 00 ${flags}`;
const tun4 = `ac120005 ${z(12)}`;

describe('§9.3 ipcache keys', () => {
  it('v1.10 – v1.13: "%s/%d"', () => {
    expect(text('cilium_ipcache', '1.12', ipcKey()).key).toBe('10.0.2.158/32');
    expect(text('cilium_ipcache', '1.10', `20000000 000000 01 ${z(16)}`).key).toBe('0.0.0.0/0');
    expect(text('cilium_ipcache', '1.13', `a0000000 000000 02 f00d0000000000000a0f000000001234`).key).toBe('f00d::a0f:0:0:1234/128');
  });
  it('v1.14+: PrefixCluster, @cluster when non-zero (u8 at 6 in v1.14, u16 at 4 from v1.15)', () => {
    expect(text('cilium_ipcache', '1.14', ipcKey('0000 03')).key).toBe('10.0.2.158/32@3');
    expect(text('cilium_ipcache', '1.15', ipcKey('0300 00')).key).toBe('10.0.2.158/32@3');
    expect(text('cilium_ipcache_v2', '1.18', ipcKey()).key).toBe('10.0.2.158/32');
    expect(text('cilium_ipcache_v2', undefined, ipcKey('0100 00', '38')).key).toBe('10.0.2.158/24@1');
  });
  it('an unknown family prints <unknown>', () => {
    // The schema rejects such bytes, so start from a decoded key and change its family.
    for (const [map, v] of [['cilium_ipcache', '1.12'], ['cilium_ipcache_v2', 'main']] as const) {
      const spec = resolveMap(map, v);
      expect(ciliumKeyString(spec, { ...spec.key.decode(h(ipcKey())), family: 5 })).toBe('<unknown>');
    }
  });
});

describe('§9.3 / §6.1 ipcache values, patch by patch', () => {
  it('v1.10 – v1.11.13, v1.11.20: "%d %d %s"', () => {
    for (const v of ['1.10', '1.10.0', '1.11.0', '1.11.13']) expect(text('cilium_ipcache', v, undefined, ipc12()).value).toBe('13789 0 172.18.0.5');
    expect(text('cilium_ipcache', '1.11.20', undefined, ipc12()).value).toBe('13789 0 172.18.0.5');
    expect(text('cilium_ipcache', '1.11', undefined, ipc12()).value).toBe('13789 0 172.18.0.5');
  });
  it('v1.11.14 – v1.11.18: node ID "%d"; v1.11.19: "0x%s"', () => {
    expect(text('cilium_ipcache', '1.11.14', undefined, ipc12('03000000')).value).toBe('13789 0 172.18.0.5 3');
    expect(text('cilium_ipcache', '1.11.18', undefined, ipc12('1a000000')).value).toBe('13789 0 172.18.0.5 26');
    expect(text('cilium_ipcache', '1.11.19', undefined, ipc12('1a000000')).value).toBe('13789 0 172.18.0.5 0x1a');
  });
  it('v1.12.0 – .7, v1.12.13+, v1.13.6+, v1.14.1 – v1.15: identity=… encryptkey=… tunnelendpoint=…', () => {
    const want = 'identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5';
    for (const v of ['1.12.0', '1.12.7', '1.12.13', '1.12', '1.13.6', '1.13', '1.14.1', '1.14', '1.15']) {
      expect(text('cilium_ipcache', v, undefined, ipc12()).value, v).toBe(want);
    }
  });
  it('the encryption key moves from offset 8 (RE-A) to offset 10 (RE-B/C/D)', () => {
    expect(text('cilium_ipcache', '1.12.0', undefined, ipc12('03000000')).value).toBe('identity=13789 encryptkey=3 tunnelendpoint=172.18.0.5');
    expect(text('cilium_ipcache', '1.12.13', undefined, ipc12('00000300')).value).toBe('identity=13789 encryptkey=3 tunnelendpoint=172.18.0.5');
  });
  it('node-ID builds: nodeid=%d (v1.12.8 – .11, v1.13.0 – .4), nodeid=0x%s (v1.12.12, v1.13.5, v1.14.0)', () => {
    const base = 'identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5';
    for (const v of ['1.12.8', '1.12.11', '1.13.0', '1.13.4']) expect(text('cilium_ipcache', v, undefined, ipc12('03000000')).value, v).toBe(`${base} nodeid=3`);
    for (const v of ['1.12.12', '1.13.5', '1.14.0']) expect(text('cilium_ipcache', v, undefined, ipc12('03000000')).value, v).toBe(`${base} nodeid=0x3`);
    // strconv.FormatUint(id, 16): lowercase, no leading zeros
    expect(text('cilium_ipcache', '1.14.0', undefined, ipc12('ab010000')).value).toBe(`${base} nodeid=0x1ab`);
  });
  it('v1.16.0: ", flags=" (comma); v1.17: " flags=" — skiptunnel or <none>', () => {
    expect(text('cilium_ipcache', '1.16.0', undefined, ipc12()).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5, flags=<none>');
    expect(text('cilium_ipcache', '1.16.0', undefined, ipc12('00000001')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5, flags=skiptunnel');
    expect(text('cilium_ipcache', '1.17', undefined, ipc12()).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=<none>');
    expect(text('cilium_ipcache', '1.17', undefined, ipc12('00000001')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=skiptunnel');
    // bits v1.17 does not name are not printed
    expect(text('cilium_ipcache', '1.17', undefined, ipc12('00000002')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=<none>');
  });
  it('the §6 worked example with each version\'s suffix', () => {
    const base = 'identity=10388 encryptkey=0 tunnelendpoint=172.18.0.4';
    expect(text('cilium_ipcache', '1.15', undefined, ipcWorked).value).toBe(base);
    expect(text('cilium_ipcache', '1.16.0', undefined, ipcWorked).value).toBe(`${base}, flags=<none>`);
    expect(text('cilium_ipcache', '1.17', undefined, ipcWorked).value).toBe(`${base} flags=<none>`);
    expect(text('cilium_ipcache', undefined, undefined, ipcWorked).value).toBe(`${base} flags=<none>`);
  });
  it('v1.18+: the flag list (hastunnel, ipv6tunnel; remotecluster from v1.19)', () => {
    expect(text('cilium_ipcache_v2', '1.18', undefined, ipc24(tun4, '02')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=hastunnel');
    expect(text('cilium_ipcache_v2', '1.18', undefined, ipc24('fd000000000000000000000000000005', '06')).value).toBe(
      'identity=13789 encryptkey=0 tunnelendpoint=fd00::5 flags=hastunnel,ipv6tunnel',
    );
    expect(text('cilium_ipcache_v2', '1.18', undefined, ipc24(tun4, '0b')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=skiptunnel,hastunnel');
    expect(text('cilium_ipcache_v2', '1.19', undefined, ipc24(tun4, '0b')).value).toBe(
      'identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=skiptunnel,hastunnel,remotecluster',
    );
    expect(text('cilium_ipcache_v2', 'main', undefined, ipc24(z(16), '00')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>');
  });
  it('v1.18 – v1.19 agents print the legacy 12-byte map with the new flag names', () => {
    expect(text('cilium_ipcache', '1.19', undefined, ipc12('00000001')).value).toBe('identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=skiptunnel');
  });
});

// ---------------------------------------------------------------------------------------------
// §9.4 services, backends, reverse NAT (the §10 encodings)

const svcKey = (slot = '0000', proto = '00', scope = '00') => `0a60000a 0035 ${slot} ${proto} ${scope} 0000`;
const svcKey6 = (slot = '0000', proto = '00', scope = '00') => `fd00000000000000000000000000000a 0035 ${slot} ${proto} ${scope} 0000`;
/** backend_id, count, rev_nat_index (BE), flags, flags2, pad/qcount. */
const svcValue = (id = '00000000', count = '0100', revnat = '0002', flags = '00', flags2 = '00', tail = '0000') => `${id} ${count} ${revnat} ${flags} ${flags2} ${tail}`;

describe('§9.4 service keys', () => {
  it('v1.10 – v1.13.15, v1.14.0 – .9, v1.15.0 – .3: addr:port [/i]', () => {
    for (const v of ['1.10', '1.12', '1.13.15', '1.14.9', '1.15.3']) expect(text('cilium_lb4_services_v2', v, svcKey()).key, v).toBe('10.96.0.10:53');
    expect(text('cilium_lb4_services_v2', '1.12', svcKey('0000', '00', '01')).key).toBe('10.96.0.10:53/i');
    expect(text('cilium_lb6_services_v2', '1.12', svcKey6()).key).toBe('[fd00::a]:53');
    expect(text('cilium_lb6_services_v2', '1.11', svcKey6('0000', '00', '01')).key).toBe('[fd00::a]:53/i');
  });
  it('v1.13.16+, v1.14.10+, v1.15.4+, v1.16: plus " (slot)"', () => {
    for (const v of ['1.13.16', '1.13', '1.14.10', '1.15.4', '1.16', '1.16.0']) expect(text('cilium_lb4_services_v2', v, svcKey()).key, v).toBe('10.96.0.10:53 (0)');
    expect(text('cilium_lb4_services_v2', '1.16', svcKey('0100', '00', '01')).key).toBe('10.96.0.10:53/i (1)');
    expect(text('cilium_lb6_services_v2', '1.15.4', svcKey6('0200', '00', '01')).key).toBe('[fd00::a]:53/i (2)');
  });
  it('v1.17+: addr:port/PROTO[/i] (slot)', () => {
    expect(text('cilium_lb4_services_v2', '1.17', svcKey('0000', '11')).key).toBe('10.96.0.10:53/UDP (0)');
    expect(text('cilium_lb4_services_v2', '1.19', svcKey('0100', '06', '01')).key).toBe('10.96.0.10:53/TCP/i (1)');
    expect(text('cilium_lb4_services_v2', undefined, svcKey()).key).toBe('10.96.0.10:53/ANY (0)');
    expect(text('cilium_lb6_services_v2', 'main', svcKey6('0100', '84', '01')).key).toBe('[fd00::a]:53/SCTP/i (1)');
    expect(text('cilium_lb4_services_v2', 'main', svcKey('0000', '2f')).key).toBe('10.96.0.10:53/47 (0)');
  });
});

describe('§9.4 service values', () => {
  it('v1.10 – v1.11: "%d (%d) [FLAGS: 0x%x]"', () => {
    expect(text('cilium_lb4_services_v2', '1.10', undefined, svcValue('00000000', '0100', '0002', '40')).value).toBe('0 (2) [FLAGS: 0x40]');
  });
  it('v1.12 – v1.16: "%d %d (%d) [0x%x 0x%x]" (the blog row and §10)', () => {
    expect(text('cilium_lb4_services_v2', '1.12', undefined, svcValue('00000000', '0200')).value).toBe('0 2 (2) [0x0 0x0]');
    expect(text('cilium_lb4_services_v2', '1.16', undefined, svcValue('00000000', '0100', '0001')).value).toBe('0 1 (1) [0x0 0x0]');
    expect(text('cilium_lb4_services_v2', '1.16', undefined, svcValue('04000000', '0000')).value).toBe('4 0 (2) [0x0 0x0]');
    expect(text('cilium_lb4_services_v2', '1.13', undefined, svcValue('00000000', '0100', '0002', 'c2', '14')).value).toBe('0 1 (2) [0xc2 0x14]');
  });
  it('v1.17+: "%d %d[%d] (%d) [0x%x 0x%x]" with qcount; the first u32 is printed raw', () => {
    expect(text('cilium_lb4_services_v2', '1.17', undefined, svcValue('00000000', '0100', '0001')).value).toBe('0 1[0] (1) [0x0 0x0]');
    expect(text('cilium_lb4_services_v2', 'main', undefined, svcValue('00000000', '0300', '0007', '40', '00', '0200')).value).toBe('0 3[2] (7) [0x40 0x0]');
    // L7 master entry: the port 15735 stored as uint32(HostToNetwork16(port)) prints as 30525
    expect(text('cilium_lb4_services_v2', 'main', undefined, svcValue('3d770000', '0000', '0021', '42', '04')).value).toBe('30525 0[0] (33) [0x42 0x4]');
  });
});

describe('§9.4 backends', () => {
  it('keys are "%d" (u16 in v1.10, u32 after)', () => {
    expect(text('cilium_lb4_backends', '1.10', '0400').key).toBe('4');
    expect(text('cilium_lb4_backends_v2', '1.12', '04000000').key).toBe('4');
    expect(text('cilium_lb4_backends_v3', undefined, '00000100').key).toBe('65536');
  });
  it('v1.10 – v1.12: "%s://%s:%d" (the blog row), IPv6 "%s://[%s]:%d"', () => {
    expect(text('cilium_lb4_backends', '1.10', undefined, '0a0002e6 0035 00 00').value).toBe('ANY://10.0.2.230:53');
    expect(text('cilium_lb4_backends_v2', '1.11', undefined, '0a0002e6 0035 00 00').value).toBe('ANY://10.0.2.230:53');
    expect(text('cilium_lb4_backends_v2', '1.12', undefined, '0a0002e6 0035 00 01').value).toBe('ANY://10.0.2.230:53');
    expect(text('cilium_lb6_backends_v2', '1.12', undefined, 'fd000000000000000000000000000005 0050 06 00').value).toBe('TCP://[fd00::5]:80');
  });
  it('v1.13+: "%s://%s" of AddrCluster (no port); zone as [name]', () => {
    expect(text('cilium_lb4_backends_v3', '1.13', undefined, '0a0002e6 0035 00 00 00 000000').value).toBe('ANY://10.0.2.230');
    expect(text('cilium_lb4_backends_v3', '1.16', undefined, '0a0002e6 0035 00 00 0000 00 00').value).toBe('ANY://10.0.2.230');
    expect(text('cilium_lb4_backends_v3', '1.17', undefined, '0a0002e6 0035 11 00 0000 00 00').value).toBe('UDP://10.0.2.230');
    expect(text('cilium_lb4_backends_v3', '1.14', undefined, '0a0002e6 0035 06 00 02 000000').value).toBe('TCP://10.0.2.230@2');
    const zoned = '0a0002e6 0035 06 00 0200 01 00';
    expect(text('cilium_lb4_backends_v3', '1.16', undefined, zoned, { zoneName: (z) => (z === 1 ? 'zone-a' : '?') }).value).toBe('TCP://10.0.2.230@2[zone-a]');
    // without the agent's zone mapping the ID is printed
    expect(text('cilium_lb4_backends_v3', '1.16', undefined, zoned).value).toBe('TCP://10.0.2.230@2[1]');
    expect(text('cilium_lb6_backends_v3', 'main', undefined, 'fd000000000000000000000000000005 0050 06 00 0000 00 00').value).toBe('TCP://fd00::5');
  });
});

describe('§9.4 reverse NAT', () => {
  it('key "%d" after the BE swap, value JoinHostPort', () => {
    expect(text('cilium_lb4_reverse_nat', '1.12', '0002', '0a60000a 0035')).toEqual({ key: '2', value: '10.96.0.10:53' });
    expect(text('cilium_lb4_reverse_nat', undefined, '0400', '0a60000a 0035').key).toBe('1024');
    expect(text('cilium_lb6_reverse_nat', '1.16', '0002', 'fd00000000000000000000000000000a 0035')).toEqual({ key: '2', value: '[fd00::a]:53' });
  });
});

// ---------------------------------------------------------------------------------------------
// ServiceFlags text and `cilium bpf lb list`

describe('§9.4 ServiceFlags text', () => {
  it('the type comes from the first matching bit', () => {
    expect(serviceFlagsText(0x00)).toBe('ClusterIP, non-routable');
    expect(serviceFlagsText(0x43)).toBe('ExternalIPs');
    expect(serviceFlagsText(0x42)).toBe('NodePort');
    expect(serviceFlagsText(0x68)).toBe('LoadBalancer');
    expect(serviceFlagsText(0x48)).toBe('HostPort');
    expect(serviceFlagsText(0x0140, '1.10')).toBe('LocalRedirect');
  });
  it('the attribute order of ServiceFlags.String()', () => {
    expect(serviceFlagsText(0x3274 | 0x0080, 'main')).toBe('LoadBalancer, Local, InternalLocal, two-scopes, sessionAffinity, check source-range, 46x64');
    expect(serviceFlagsText(0x0442)).toBe('NodePort, l7-load-balancer');
    expect(serviceFlagsText(0x0400, '1.16')).toBe('ClusterIP, non-routable, l7-load-balancer');
  });
  it('bits a version does not know are not printed', () => {
    expect(serviceFlagsText(0x1000, '1.12')).toBe('ClusterIP, non-routable');
    expect(serviceFlagsText(0x1000, '1.13')).toBe('ClusterIP, InternalLocal, non-routable');
    expect(serviceFlagsText(0x0600, '1.11')).toBe('ClusterIP, non-routable');
    expect(serviceFlagsText(0x0200, '1.12')).toBe('ClusterIP, non-routable, 46x64');
    expect(serviceFlagsText(0x8042, '1.16')).toBe('NodePort');
    expect(serviceFlagsText(0x8042, '1.17')).toBe('NodePort, dsr');
  });
  it('flags2 bit 6: deny after check source-range, else quarantined (v1.17+)', () => {
    expect(serviceFlagsText(0x40c0, '1.17')).toBe('ClusterIP, check source-range, deny');
    expect(serviceFlagsText(0x40c0, '1.16')).toBe('ClusterIP, check source-range');
    expect(serviceFlagsText(0x4040, '1.17')).toBe('ClusterIP, quarantined');
  });
  it('loopback (v1.13+); delegate-if-local for non-HostPort services from v1.18', () => {
    expect(serviceFlagsText(0x0848, '1.13')).toBe('HostPort, loopback');
    expect(serviceFlagsText(0x0848, '1.18')).toBe('HostPort, loopback');
    expect(serviceFlagsText(0x0840, '1.17')).toBe('ClusterIP, loopback');
    expect(serviceFlagsText(0x0840, '1.18')).toBe('ClusterIP, delegate-if-local');
    expect(serviceFlagsText(0x0840, '1.12')).toBe('ClusterIP');
  });
});

describe('§9.4 cilium bpf lb list lines', () => {
  function entry(map: string, version: string | undefined, keyHex: string, valueHex: string, backend?: { map: string; hex: string }) {
    const spec = resolveMap(map, version);
    const b = backend && resolveMap(backend.map, version).value.decode(h(backend.hex));
    return ciliumLbListEntry(spec, spec.key.decode(h(keyHex)), spec.value.decode(h(valueHex)), b);
  }
  const be8 = { map: 'cilium_lb4_backends_v2', hex: '0a0002e6 0035 00 00' };
  const be12 = { map: 'cilium_lb4_backends_v3', hex: '0a0002e6 0035 00 00 0000 00 00' };

  it('v1.10 – v1.11: "%s:%d (%d) [%s]" and "%s:%d (%d)"', () => {
    expect(entry('cilium_lb4_services_v2', '1.11', svcKey(), svcValue())).toBe('0.0.0.0:0 (2) [ClusterIP, non-routable]');
    expect(entry('cilium_lb4_services_v2', '1.11', svcKey('0100'), svcValue('04000000', '0000'), be8)).toBe('10.0.2.230:53 (2)');
    expect(entry('cilium_lb6_services_v2', '1.10', svcKey6(), svcValue())).toBe('[::]:0 (2) [ClusterIP, non-routable]');
  });
  it('v1.12 – v1.13.13: with the slot, no L7 suffix', () => {
    expect(entry('cilium_lb4_services_v2', '1.12', svcKey(), svcValue())).toBe('0.0.0.0:0 (2) (0) [ClusterIP, non-routable]');
    expect(entry('cilium_lb4_services_v2', '1.12', svcKey('0100'), svcValue('04000000', '0000'), be8)).toBe('10.0.2.230:53 (2) (1)');
    expect(entry('cilium_lb4_services_v2', '1.13.13', svcKey(), svcValue('3d770000', '0000', '0021', '42', '04'))).toBe('0.0.0.0:0 (33) (0) [NodePort, l7-load-balancer]');
  });
  it('v1.13.14+ / v1.16: the "%s" extra (a trailing space, or the L7LB proxy port) — PR #31503', () => {
    expect(entry('cilium_lb4_services_v2', '1.16', svcKey(), svcValue('00000000', '0100', '0001'))).toBe('0.0.0.0:0 (1) (0) [ClusterIP, non-routable] ');
    expect(entry('cilium_lb4_services_v2', '1.14.9', svcKey(), svcValue('3d770000', '0000', '0021', '42', '04'))).toBe(
      '0.0.0.0:0 (33) (0) [NodePort, l7-load-balancer] (L7LB Proxy Port: 15735)',
    );
    expect(entry('cilium_lb4_services_v2', '1.16', svcKey('0100'), svcValue('04000000', '0000', '0001'), be12)).toBe('10.0.2.230:53 (1) (1)');
  });
  it('v1.17+: backend lines carry /PROTO; unknown backends', () => {
    const udp = { map: 'cilium_lb4_backends_v3', hex: '0a0002e6 0035 11 00 0000 00 00' };
    expect(entry('cilium_lb4_services_v2', '1.17', svcKey('0100', '11'), svcValue('04000000', '0000'), udp)).toBe('10.0.2.230:53/UDP (2) (1)');
    expect(entry('cilium_lb4_services_v2', 'main', svcKey('0100', '11'), svcValue('04000000', '0000'))).toBe('backend 4 not found');
    const v6 = { map: 'cilium_lb6_backends_v3', hex: 'fd000000000000000000000000000005 0035 11 00 0000 00 00' };
    expect(entry('cilium_lb6_services_v2', 'main', svcKey6('0100', '11'), svcValue('04000000', '0000'), v6)).toBe('[fd00::5]:53/UDP (2) (1)');
  });
});

describe('CLI titles', () => {
  it('per map kind and version', () => {
    expect(ciliumListTitles(resolveMap('cilium_lxc'))).toEqual(['IP ADDRESS', 'LOCAL ENDPOINT INFO']);
    expect(ciliumListTitles(resolveMap('cilium_ipcache', '1.12'))).toEqual(['IP PREFIX/ADDRESS', 'IDENTITY']);
    expect(ciliumListTitles(resolveMap('cilium_lb4_services_v2', '1.16'))).toEqual(['SERVICE ADDRESS', 'BACKEND ID']);
    expect(ciliumListTitles(resolveMap('cilium_lb4_reverse_nat', '1.10'))).toEqual(['ID', 'BACKEND ADDRESS']);
    expect(ciliumListTitles(resolveMap('cilium_lb4_backends_v3'))).toEqual(['ID', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)']);
  });
});

describe('IPv4-mapped IPv6 addresses: net.IP text vs netip text', () => {
  const mapped = '00000000000000000000ffff0a000001';
  it('net.IP (v1.10 – v1.13 ipcache keys, reverse NAT, service keys) unmaps; netip (v1.14+ ipcache keys, v1.13+ backends) does not', () => {
    expect(text('cilium_ipcache', '1.12', `a0000000 000000 02 ${mapped}`).key).toBe('10.0.0.1/128');
    expect(text('cilium_ipcache', '1.15', `a0000000 000000 02 ${mapped}`).key).toBe('::ffff:10.0.0.1/128');
    expect(text('cilium_lb6_reverse_nat', 'main', '0001', `${mapped} 0035`).value).toBe('10.0.0.1:53');
    expect(text('cilium_lb6_services_v2', 'main', `${mapped} 0035 0000 06 00 0000`).key).toBe('[10.0.0.1]:53/TCP (0)');
    expect(text('cilium_lb6_backends_v3', 'main', undefined, `${mapped} 0035 06 00 0000 00 00`).value).toBe('TCP://::ffff:10.0.0.1');
  });
});

describe('record shape drift fails loudly', () => {
  it('a missing field names the field', () => {
    const spec = resolveMap('cilium_lxc', '1.16');
    expect(() => ciliumValueString(spec, { flags: { raw: 0 } })).toThrow(/no "lxc_id" field/);
    expect(() => ciliumKeyString(resolveMap('cilium_ipcache'), { family: 1, prefixlen: 64 })).toThrow(/no "ip" field/);
  });
});

describe.skipIf(!hasShared)('every generated fixture entry formats, for every version of its map', () => {
  const versions = ['1.10', '1.11.14', '1.12', '1.12.12', '1.13.4', '1.14.0', '1.15', '1.16.0', '1.17', '1.18', '1.19', 'main'];
  const maps = ['cilium_lxc', 'cilium_ipcache', 'cilium_lb4_services_v2', 'cilium_lb4_backends_v2', 'cilium_lb4_backends_v3', 'cilium_lb4_reverse_nat'];
  for (const map of maps) {
    it(map, () => {
      const truth = readTruth(map);
      let formatted = 0;
      for (const version of versions) {
        let spec;
        try {
          spec = resolveMap(map, version);
        } catch {
          continue; // the map does not exist in this version
        }
        for (const t of truth) {
          const key = spec.key.decode(h(t.key_hex));
          const value = spec.value.decode(h(t.value_hex));
          const k = ciliumKeyString(spec, key);
          const v = ciliumValueString(spec, value, key);
          expect(`${k} ${v}`).not.toMatch(/undefined|NaN|\[object/);
          if (map === 'cilium_lxc' && t.kind === 'host') expect(v).toBe('(localhost)');
          if (map === 'cilium_lb4_reverse_nat') expect(k).toBe(String(t.key.rev_nat_index));
          if (map === 'cilium_lb4_services_v2') expect(k.startsWith(`${t.key.address}:${t.key.dport}`)).toBe(true);
          formatted++;
        }
      }
      expect(formatted).toBeGreaterThan(0);
    });
  }
});

describe('-o cilium rows are written whole', () => {
  it('an ipcache value the version cannot print leaves neither its half nor its key in the buffer', async () => {
    const { writeCiliumRow } = await import('../../src/cli/cilium-output');
    const spec = resolveMap('cilium_ipcache', '1.17');
    const key = spec.key.decode(spec.key.encode({ cidr: '10.0.0.1/32' }));
    const value = spec.value.decode(spec.value.encode({ sec_identity: 7, tunnel_endpoint: '172.18.0.1' }));
    const { key: _k, ...noKeyField } = value as Record<string, unknown>;
    const sink = new ByteSink(4);
    sink.ascii('before\n');
    expect(() => writeCiliumRow(spec, { key, value: noKeyField, line: 1 }, sink)).toThrow(/"key"/);
    expect(sink.pos).toBe('before\n'.length);
    expect(() => ciliumValueTo(spec, noKeyField, key, sink)).toThrow(/"key"/);
    expect(sink.pos).toBe('before\n'.length);
    writeCiliumRow(spec, { key, value, line: 1 }, sink);
    expect(sink.text()).toBe(`before\n${ciliumKeyString(spec, key)}\t${ciliumValueString(spec, value, key)}\n`);
  });
});

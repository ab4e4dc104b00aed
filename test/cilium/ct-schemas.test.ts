/**
 * Conntrack, NAT and metrics layouts against the byte-level spec (datapath-maps.md §3.7, §4.4 worked
 * encodings), the CT key swap in both directions, connection text → keys (with the direction
 * required), the CE-D IPv6 union per byte order, metrics names per version, and times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { h as hexToBytes } from '../helpers/bytes';
import { bytesToHex } from '../../src/bpftool/hex';
import { MAPS, resolveMap } from '../../src/cilium/catalog';
import { ctEntryCED6 } from '../../src/cilium/ct-entry';
import { ctKeyFromText, natKeyFromText, parseTupleText, TupleTextError } from '../../src/cilium/ct-tuple-text';
import { ctTimes, monoDiffSeconds, natAge, parseBpfClock } from '../../src/cilium/ct-time';
import { ctTuple4, ctTuple6, natTuple4 } from '../../src/cilium/ct-tuple';
import { encodeKeyArgs } from '../../src/cilium/friendly';
import { bpfFileName, dropReasonName } from '../../src/cilium/metrics-names';
import { formatIPv4, formatIPv6 } from '../../src/schema/ip-text';

const hex = (b: Uint8Array) => bytesToHex(b);

describe('catalogue', () => {
  it('lists the seven maps with their aliases, types and sizes', () => {
    const got = MAPS.filter((m) => ['ct', 'nat', 'metrics'].includes(m.kind)).map((m) => [m.name, m.aliases[0], m.type, m.keySize, m.valueSize]);
    expect(got).toEqual([
      ['cilium_ct4_global', 'ct4', 'lru_hash', 14, 56],
      ['cilium_ct_any4_global', 'ct-any4', 'lru_hash', 14, 56],
      ['cilium_ct6_global', 'ct6', 'lru_hash', 38, 56],
      ['cilium_ct_any6_global', 'ct-any6', 'lru_hash', 38, 56],
      ['cilium_snat_v4_external', 'nat4', 'lru_hash', 14, 40],
      ['cilium_snat_v6_external', 'nat6', 'lru_hash', 38, 56],
      ['cilium_metrics', 'metrics', 'percpu_hash', 8, 16],
    ]);
  });
  it('maps versions to CE-A … CE-D, host_local/needs_ct and MK-A/MK-B', () => {
    const layout = (map: string, v: string) => `${resolveMap(map, v).value.variant}`;
    expect(['1.10', '1.11', '1.15', '1.16', '1.17', '1.18', '1.19', 'main'].map((v) => layout('ct4', v))).toEqual(['CE-A', 'CE-B', 'CE-B', 'CE-C', 'CE-C', 'CE-C', 'CE-D', 'CE-D']);
    expect(resolveMap('ct4', '1.17').value.layout.some((f) => f.name === 'ifindex')).toBe(true);
    expect(resolveMap('ct4', '1.18').value.layout.some((f) => f.name === 'ifindex')).toBe(false);
    expect(['1.13', '1.14'].map((v) => layout('nat4', v))).toEqual(['host_local', 'needs_ct']);
    expect(['1.15', '1.16'].map((v) => resolveMap('metrics', v).key.variant)).toEqual(['MK-A', 'MK-B']);
  });
});

describe('worked encodings (datapath-maps.md §3.7, §4.4)', () => {
  it('CT egress key of 10.0.1.5:43210 → 10.0.2.7:80 TCP', () => {
    const key = ctKeyFromText('tcp 10.0.1.5:43210 -> 10.0.2.7:80', 'OUT');
    expect(hex(ctTuple4.encode(key))).toBe('0a 00 01 05 0a 00 02 07 00 50 a8 ca 06 00');
    const rec = ctTuple4.decode(hexToBytes('0a 00 01 05 0a 00 02 07 00 50 a8 ca 06 00'));
    expect(rec).toMatchObject({ daddr: '10.0.1.5', saddr: '10.0.2.7', dport: 80, sport: 43210, direction: 'OUT', client: '10.0.1.5:43210', server: '10.0.2.7:80', proto_name: 'TCP' });
  });
  it('CT service key and value (revnat 5 big-endian at 38, backend 7 at 8) under CE-C', () => {
    const key = ctKeyFromText('tcp 10.0.1.5:43210 -> 10.96.0.10:80', 'SVC');
    expect(hex(ctTuple4.encode(key))).toBe('0a 60 00 0a 0a 00 01 05 a8 ca 00 50 06 04');
    const spec = resolveMap('ct4', '1.16');
    const v = spec.value.encode({ backend_id: 7, rev_nat_index: 5, flags: { seen_non_syn: true } });
    expect(hex(v.subarray(8, 16))).toBe('07 00 00 00 00 00 00 00');
    expect(hex(v.subarray(36, 40))).toBe('10 00 00 05');
    const k = ctTuple4.decode(ctTuple4.encode(key));
    expect({ client: k.client, server: k.server, direction: k.direction }).toEqual({ client: '10.0.1.5:43210', server: '10.96.0.10:80', direction: 'SVC' });
  });
  it('NAT egress/ingress pair of 10.0.1.5:43210 → 1.1.1.1:443 masqueraded to 192.168.1.10 (not swapped)', () => {
    expect(hex(natTuple4.encode(natKeyFromText('tcp 10.0.1.5:43210 -> 1.1.1.1:443', 'OUT')))).toBe('01 01 01 01 0a 00 01 05 01 bb a8 ca 06 00');
    expect(hex(natTuple4.encode(natKeyFromText('TCP IN 1.1.1.1:443 -> 192.168.1.10:43210')))).toBe('c0 a8 01 0a 01 01 01 01 a8 ca 01 bb 06 01');
    const v = resolveMap('nat4').value.encode({ created: 100, needs_ct: 1, to_addr: '192.168.1.10', to_port: 43210 });
    expect(hex(v.subarray(32))).toBe('c0 a8 01 0a a8 ca 00 00');
    expect(natTuple4.decode(hexToBytes('c0 a8 01 0a 01 01 01 01 a8 ca 01 bb 06 01'))).toMatchObject({ direction: 'IN', from: '1.1.1.1:443', to: '192.168.1.10:43210', union_member: 'to_daddr,to_dport' });
  });
  it('ICMP echo: the identifier is the client port, stored in sport (errata §3.2)', () => {
    expect(ctKeyFromText('ICMP OUT 10.0.0.1:1234 -> 10.0.0.2:0')).toEqual({ daddr: '10.0.0.1', saddr: '10.0.0.2', dport: 0, sport: 1234, nexthdr: 1, flags: 0 });
  });
  it('CT key flags: IN, related, and the ≤ v1.14 "service" suffix read as printed', () => {
    expect(ctKeyFromText('udp 10.0.0.1:53 -> 10.0.0.2:5353 related', 'IN').flags).toBe(3);
    expect(ctKeyFromText('TCP OUT 10.96.0.10:80 -> 10.0.1.5:43210 service')).toEqual({ daddr: '10.96.0.10', saddr: '10.0.1.5', dport: 43210, sport: 80, nexthdr: 6, flags: 4 });
    // v1.15+ SVC text and the old text name the same stored key.
    expect(ctKeyFromText('TCP SVC 10.0.1.5:43210 -> 10.96.0.10:80')).toEqual(ctKeyFromText('TCP OUT 10.96.0.10:80 -> 10.0.1.5:43210 service'));
  });
});

describe('connection text', () => {
  it('refuses text without a direction, a protocol, or with mixed families', () => {
    expect(() => ctKeyFromText('tcp 10.0.0.1:1 -> 10.0.0.2:2')).toThrow(/--dir out/);
    expect(() => ctKeyFromText('10.0.0.1:1 -> 10.0.0.2:2', 'OUT')).toThrow(/names no protocol/);
    expect(() => ctKeyFromText('tcp 10.0.0.1:1 -> fd00::2:2', 'OUT')).toThrow(/different IP families/);
    expect(() => ctKeyFromText('tcp OUT 10.0.0.1:1 -> 10.0.0.2:2', 'IN')).toThrow(/says OUT/);
    expect(() => natKeyFromText('tcp 10.0.0.1:1 -> 10.0.0.2:2', 'SVC')).toThrow(TupleTextError);
    expect(() => parseTupleText('tcp 10.0.0.1 -> 10.0.0.2:2')).toThrow(/no port/);
    expect(() => parseTupleText('tcp 10.0.0.1:70000 -> 10.0.0.2:2')).toThrow(/not 0..65535/);
  });
  it('reads IPv6 bracketed and bare (split at the last colon, as the CT list prints it)', () => {
    const a = ctKeyFromText('TCP OUT fd85::1:fe5:8000 -> 2001:db8::1:443');
    const b = ctKeyFromText('tcp [fd85::1:fe5]:8000 -> [2001:db8::1]:443', 'OUT');
    expect(a).toEqual(b);
    expect(a).toMatchObject({ daddr: 'fd85::1:fe5', sport: 8000, saddr: '2001:db8::1', dport: 443 });
  });
  it('decode-map key arguments: --dir on the text, and on FIELD=VALUE pairs only the direction bits', () => {
    const spec = resolveMap('ct4');
    expect(hex(encodeKeyArgs(spec, ['tcp 10.0.1.5:43210 -> 10.0.2.7:80'], { dir: 'in' }))).toBe('0a 00 01 05 0a 00 02 07 00 50 a8 ca 06 01');
    expect(hex(encodeKeyArgs(spec, ['daddr=10.0.1.5', 'saddr=10.0.2.7', 'dport=80', 'sport=43210', 'nexthdr=6'], { dir: 'svc' }))).toBe('0a 00 01 05 0a 00 02 07 00 50 a8 ca 06 04');
    expect(() => encodeKeyArgs(resolveMap('ipcache'), ['10.0.0.0/8'], { dir: 'out' })).toThrow(/only to conntrack and NAT/);
    expect(() => encodeKeyArgs(resolveMap('ct6'), ['tcp 10.0.1.5:1 -> 10.0.2.7:80'], { dir: 'out' })).toThrow(/IPv4 but cilium_ct6_global/);
  });

  const ep4 = fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 65535 })).map(([b, p]) => ({ a: formatIPv4(b), p }));
  const ep6 = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 65535 })).map(([b, p]) => ({ a: formatIPv6(b), p }));
  const hp = (e: { a: string; p: number }) => (e.a.includes(':') ? `[${e.a}]:${e.p}` : `${e.a}:${e.p}`);
  for (const [fam, ep, schema] of [[4, ep4, ctTuple4], [6, ep6, ctTuple6]] as const) {
    it(`property (IPv${fam}): client → server text, any direction → stored key → decoded client/server are the input`, () => {
      fc.assert(
        fc.property(ep, ep, fc.constantFrom('OUT', 'IN', 'SVC'), fc.constantFrom('tcp', 'udp', 'sctp', '132', 'icmp'), fc.boolean(), (c, s, dir, proto, related) => {
          const key = ctKeyFromText(`${proto} ${hp(c)} -> ${hp(s)}${related ? ' related' : ''}`, dir as 'OUT');
          const rec = schema.decode(schema.encode(key));
          expect({ client: rec.client, server: rec.server, direction: rec.direction, related: rec.flags.related }).toEqual({ client: hp(c), server: hp(s), direction: dir, related });
          // The swap: OUT/IN entries store the client in daddr, SERVICE entries in saddr.
          expect(dir === 'SVC' ? rec.saddr : rec.daddr).toBe(c.a);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('CE-D IPv4: nat_addr is nat_addr.p4, bytes 12–15 of the union (not 0–3)', () => {
  it('encodes the address at 12, derives it back per byte order, and shares the bytes with backend_id', () => {
    for (const e of ['le', 'be'] as const) {
      const s = resolveMap('ct4', 'main', { endian: e }).value;
      const bytes = s.encode({ nat_addr: '172.19.0.1', nat_port: 443 });
      expect(hex(bytes.subarray(0, 16))).toBe('00 00 00 00 00 00 00 00 00 00 00 00 ac 13 00 01');
      expect(hex(bytes.subarray(40, 42))).toBe('01 bb');
      expect(s.decode(bytes)).toMatchObject({ nat_addr: '172.19.0.1', nat_port: 443 });
      // A service entry: backend 7 in host order, no address.
      expect(s.decode(s.encode({ backend_id: 7 }))).toMatchObject({ backend_id: 7n, nat_addr: e === 'le' ? '0.0.0.0' : '0.0.0.7' });
    }
    expect(() => resolveMap('ct4').value.encode({ backend_id: 0x0200000000000000n, nat_addr: '172.19.0.1' })).toThrow(/share bytes 12–15/);
  });
});

describe('CE-D IPv6: nat_addr and backend_id share bytes 8–15', () => {
  it('derives backend_id in host order, per byte order, and accepts it as input', () => {
    for (const e of ['le', 'be'] as const) {
      const s = ctEntryCED6.withEndian(e);
      const bytes = s.encode({ backend_id: 0x0102030405060708n, packets: 1 });
      expect(hex(bytes.subarray(8, 16))).toBe(e === 'le' ? '08 07 06 05 04 03 02 01' : '01 02 03 04 05 06 07 08');
      expect(s.decode(bytes).backend_id).toBe(0x0102030405060708n);
      expect(s.withEndian(e)).toBe(s);
    }
    expect(ctEntryCED6.decode(ctEntryCED6.encode({ nat_addr: '2001:db8:ffff::c', nat_port: 443 })).nat_addr).toBe('2001:db8:ffff::c');
    expect(() => ctEntryCED6.encode({ nat_addr: '2001:db8::1:2:3:4', backend_id: 9 })).toThrow(/share bytes 8–15/);
  });
});

describe('metrics names per version', () => {
  it('reasons, directions and file IDs', () => {
    const k = resolveMap('metrics', '1.16').key.decode(hexToBytes('85 01 2c 01 69 00 00 00'));
    expect(k).toMatchObject({ reason: 133, dir: 1, line: 300, file: 105, reason_name: 'Policy denied', direction: 'INGRESS', file_name: 'nodeport.h' });
    // main renumbered the header IDs (cb92b91416): 105 is lb.h there.
    expect(bpfFileName(105, { minor: 21 })).toBe('lb.h');
    expect(bpfFileName(250, { minor: 16 })).toBe('unknown(250)');
    expect(dropReasonName(136, { minor: 10 })).toBe('CT: Missing TCP ACK flag');
    expect(dropReasonName(136, { minor: 16 })).toBe('Fragmentation needed');
    expect(dropReasonName(194, { minor: 10 })).toBe('194');
    const a = resolveMap('metrics', '1.12').key.decode(hexToBytes('b1 03 00 00 00 00 00 00'));
    expect(a).toEqual({ reason: 177, dir: 3, reason_name: 'Denied by LB src range check', direction: 'SERVICE' });
  });
});

describe('times (§3.5)', () => {
  it('ktime seconds and jiffies >> 8', () => {
    expect(ctTimes({ lifetime: 1100, last_tx_report: 990, last_rx_report: 0 }, 1000)).toEqual({ expires_in: 100, last_tx_report_age: 10 });
    expect(monoDiffSeconds(1000 + 250, 1000, parseBpfClock('jiffies:250'))).toBe(256);
    expect(natAge(900n, 1000)).toBe(100);
    expect(parseBpfClock('jiffies [100 Hz]')).toEqual({ source: 'jiffies', hz: 100 });
    expect(() => parseBpfClock('tsc')).toThrow(/ktime or jiffies/);
  });
});

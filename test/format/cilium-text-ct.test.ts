/**
 * `cilium-dbg bpf ct list global` / `bpf nat list` / `bpf metrics list` text per version, against the
 * lines datapath-maps.md §3.6, §4.3 and §6 quote (real lines from #40820 and #38221, rebuilt from
 * their decoded fields) and the Go format strings cited there.
 */
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { ctKeyFromText, natKeyFromText } from '../../src/cilium/ct-tuple-text';
import type { DecodedRecord } from '../../src/decode/dump-decoder';
import { CiliumDatapathText, ciliumCtKeyText, ciliumCtValueText, ciliumMetricsTable, ctFlagsText } from '../../src/format/cilium-text-ct';
import { ByteSink } from '../../src/schema/byte-sink';

/** A record as the decoder makes it: encode the inputs, decode the bytes. */
function rec(map: string, version: string, key: Record<string, unknown>, value: Record<string, unknown>): DecodedRecord {
  const s = resolveMap(map, version);
  return { key: s.key.decode(s.key.encode(key)), value: s.value.decode(s.value.encode(value)), line: 1 };
}

describe('bpf ct list', () => {
  it('v1.18 SVC line (#40820): client first, no IfIndex, BackendID, trailing space', () => {
    const r = rec('ct6', '1.18', ctKeyFromText('TCP SVC 2603:8080::304f:44564 -> 2a03:3f40:88:1::24:80'), {
      lifetime: 26806933, tx_flags_seen: 0x1b, last_tx_report: 26806929, flags: 0x13, rev_nat_index: 218, backend_id: 98,
    });
    const out = new CiliumDatapathText().add(resolveMap('ct6', '1.18'), r);
    expect(out).toBe(
      'TCP SVC 2603:8080::304f:44564 -> 2a03:3f40:88:1::24:80 expires=26806933 Packets=0 Bytes=0 RxFlagsSeen=0x00 LastRxReport=0 TxFlagsSeen=0x1b LastTxReport=26806929 Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ] RevNAT=218 SourceSecurityID=0 BackendID=98 \n',
    );
  });
  it('the same service entry before v1.15: VIP first, "service " suffix; v1.10 – v1.15 value with rx/tx counters and IfIndex', () => {
    const spec = resolveMap('ct4', '1.14');
    const r = rec('ct4', '1.14', ctKeyFromText('tcp 10.0.1.5:43210 -> 10.96.0.10:80', 'SVC'), {
      lifetime: 500, rx_packets: 1, rx_bytes: 7, tx_packets: 2, tx_bytes: 120, rx_flags_seen: 0x12, last_rx_report: 400, tx_flags_seen: 2, last_tx_report: 401, flags: 0x410, rev_nat_index: 5, src_sec_id: 4242, ifindex: 3,
    });
    expect(ciliumCtKeyText(spec, r.key)).toBe('TCP OUT 10.96.0.10:80 -> 10.0.1.5:43210 service ');
    expect(ciliumCtValueText(spec, r.value!)).toBe(
      'expires=500 RxPackets=1 RxBytes=7 RxFlagsSeen=0x12 LastRxReport=400 TxPackets=2 TxBytes=120 TxFlagsSeen=0x02 LastTxReport=401 Flags=0x0410 [ SeenNonSyn FromTunnel ] RevNAT=5 SourceSecurityID=4242 IfIndex=3 ',
    );
  });
  it('v1.19+: NatPort after BackendID (an IPv4 nat_addr.p4 shares its bytes 12–15); --now gives the remaining lifetime', () => {
    const spec = resolveMap('ct4', 'main');
    const r = rec('ct4', 'main', ctKeyFromText('udp 10.0.0.7:5353 -> 10.0.1.9:53 related', 'IN'), { lifetime: 1060, nat_addr: '172.19.0.1', nat_port: 443, packets: 3, bytes: 300 });
    expect(new CiliumDatapathText({ now: 1000 }).add(spec, r)).toBe(
      'UDP IN 10.0.0.7:5353 -> 10.0.1.9:53 related expires=1060 (remaining: 60 sec(s)) Packets=3 Bytes=300 RxFlagsSeen=0x00 LastRxReport=0 TxFlagsSeen=0x00 LastTxReport=0 Flags=0x0000 [ ] RevNAT=0 SourceSecurityID=0 BackendID=72079223493230592 NatPort=443 \n',
    );
  });
  it('flag words per version, unknown bits as Unknown=%#04x', () => {
    expect(ctFlagsText(0x1ff, { minor: 12, patch: 0 })).toBe('Flags=0x01ff [ RxClosing TxClosing Nat64 LBLoopback SeenNonSyn NodePort ProxyRedirect DSR Unknown=0x0100 ]');
    expect(ctFlagsText(0x380, { minor: 13, patch: 0 })).toBe('Flags=0x0380 [ DSR FromL7LB AuthRequired ]');
    expect(ctFlagsText(0x8480, { minor: 16, patch: 0 })).toBe('Flags=0x8480 [ DSRInternal FromTunnel Unknown=0x8000 ]');
  });
});

describe('bpf nat list', () => {
  it('v1.17 line (#38221): XLATE_SRC, Created=Nsec ago, NeedsCT', () => {
    const r = rec('nat4', '1.17', natKeyFromText('tcp 10.15.0.8:443 -> 10.15.5.1:58471', 'OUT'), { created: 10_000, needs_ct: 1, to_addr: '80.77.124.102', to_port: 50034 });
    expect(new CiliumDatapathText({ now: 10_465 }).add(resolveMap('nat4', '1.17'), r)).toBe('TCP OUT 10.15.0.8:443 -> 10.15.5.1:58471 XLATE_SRC 80.77.124.102:50034 Created=465sec ago NeedsCT=1\n');
    expect(new CiliumDatapathText().add(resolveMap('nat4', '1.17'), r)).toContain('Created=? (raw 10000) NeedsCT=1');
  });
  it('IPv6 in brackets, XLATE_DST for ingress; v1.10 – v1.13 HostLocal and the now_ns/1e9 − created/1e9 Created', () => {
    const r = rec('nat6', '1.12', natKeyFromText('tcp [2001:db8::1]:443 -> [fc00::2]:40000', 'IN'), { created: 900, host_local: 0, to_addr: 'fd00:10::5', to_port: 43210 });
    expect(new CiliumDatapathText({ now: 1000 }).add(resolveMap('nat6', '1.12'), r)).toBe('TCP IN [2001:db8::1]:443 -> [fc00::2]:40000 XLATE_DST [fd00:10::5]:43210 Created=1000sec HostLocal=0\n');
  });
});

describe('bpf metrics list', () => {
  it('sums CPUs, sorts rows as strings, v1.16+ adds LINE and FILE', () => {
    const spec = resolveMap('metrics', '1.16');
    const mk = (key: Record<string, unknown>, counts: [number, number][]): DecodedRecord => ({
      key: spec.key.decode(spec.key.encode(key)),
      values: counts.map(([count, bytes], cpu) => ({ cpu, value: spec.value.decode(spec.value.encode({ count, bytes })) })),
      line: 1,
    });
    const out = ciliumMetricsTable(spec, [mk({ reason: 133, dir: 1, line: 300, file: 2 }, [[1, 60], [2, 120]]), mk({ reason: 0, dir: 2, line: 1331, file: 105 }, [[10, 1000], [5, 500]])]);
    expect(out).toBe(
      'REASON          DIRECTION   PACKETS   BYTES   LINE   FILE\n' +
        'Policy denied   INGRESS     3         180     300    bpf_lxc.c\n' +
        'Success         EGRESS      15        1500    1331   nodeport.h\n',
    );
    const old = resolveMap('metrics', '1.15');
    const r: DecodedRecord = { key: old.key.decode(old.key.encode({ reason: 0, dir: 1 })), values: [{ cpu: 0, value: { count: 4n, bytes: 40n } }], line: 1 };
    expect(ciliumMetricsTable(old, [r])).toBe('REASON    DIRECTION   PACKETS   BYTES\nSuccess   INGRESS     4         40\n');
  });
});

describe('-o cilium writes the same text into the output buffer (addTo) as add() returns', () => {
  it('CT and NAT entries of every version and direction, with and without now', () => {
    const versions = ['1.10', '1.12', '1.13', '1.14', '1.15', '1.16', '1.17', '1.18', '1.19', 'main'];
    let checked = 0;
    for (const v of versions) {
      for (const [map, text, dir] of [['ct4', 'tcp 10.0.1.5:43210 -> 10.96.0.10:80', 'SVC'], ['ct4', 'udp 10.0.0.7:5353 -> 10.0.1.9:53 related', 'IN'], ['ct6', 'tcp [fd00::1]:1 -> [fd00::2]:2', 'OUT'], ['nat4', 'tcp 10.0.0.1:1 -> 1.1.1.1:443', 'OUT'], ['nat6', 'udp [fd00::1]:1 -> [2001:db8::1]:53', 'IN']] as const) {
        const spec = resolveMap(map, v);
        const key = map.startsWith('ct') ? ctKeyFromText(text, dir) : natKeyFromText(text, dir);
        const value = map.startsWith('ct') ? { lifetime: 1060, flags: 0x0fff, rev_nat_index: 7, src_sec_id: 9, tx_flags_seen: 0x1b } : { to_port: 80, created: 5_000_000_000n };
        const input = map.startsWith('nat') ? { ...value, to_addr: map === 'nat6' ? 'fd00::9' : '10.0.0.9' } : value;
        let r: DecodedRecord;
        try {
          r = rec(map, v, key, input);
        } catch {
          continue; // a field this version's layout does not have
        }
        for (const opts of [{}, { now: 2000 }]) {
          const d = new CiliumDatapathText(opts);
          const sink = new ByteSink(4);
          expect(d.addTo(spec, r, sink)).toBe(true);
          expect(sink.text(), `${map} ${v}`).toBe(d.add(spec, r));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(new CiliumDatapathText().addTo(resolveMap('cilium_ipcache'), { key: {}, value: {}, line: 1 }, new ByteSink())).toBe(false);
  });
});

describe('addTo leaves no half line behind', () => {
  it('a record without a field its line needs: the sink is as before, and the error is thrown', () => {
    const spec = resolveMap('ct4', '1.19');
    const r = rec('ct4', '1.19', ctKeyFromText('tcp 10.0.0.1:1 -> 10.0.0.2:2', 'OUT'), { lifetime: 5 });
    const { nat_port: _dropped, ...value } = r.value as Record<string, unknown>;
    const sink = new ByteSink(4);
    sink.ascii('before\n');
    const d = new CiliumDatapathText();
    expect(() => d.addTo(spec, { ...r, value }, sink)).toThrow(/nat_port/);
    expect(sink.pos).toBe('before\n'.length);
    expect(d.addTo(spec, r, sink)).toBe(true);
    expect(sink.text()).toBe(`before\n${d.add(spec, r)}`); // text() empties the sink
  });
});

describe('CT counters and hex fields written straight into the buffer', () => {
  it('u64 counters at and past 2^53 keep every digit; hex fields keep their width', () => {
    const spec = resolveMap('ct4', '1.19');
    for (const packets of [0n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const r = rec('ct4', '1.19', ctKeyFromText('tcp 10.0.0.1:1 -> 10.0.0.2:2', 'OUT'), { lifetime: 5, packets, bytes: 2n ** 64n - 1n - packets, flags: 0xfffe, rx_flags_seen: 0xab, tx_flags_seen: 0 });
      const text = ciliumCtValueText(spec, r.value!);
      expect(text).toContain(`Packets=${packets} Bytes=${2n ** 64n - 1n - packets} RxFlagsSeen=0xab`);
      expect(text).toContain('TxFlagsSeen=0x00');
      expect(text).toMatch(/Flags=0xfffe \[ TxClosing /);
      expect(text).toContain('Unknown=0xf800');
    }
  });
});

/**
 * CT and NAT entries → `cilium-dbg bpf ct list global` / `bpf nat list` lines (the -o cilium
 * formatter) → records, for every CT/NAT map and text-format boundary: every field the line gives
 * back equals the original; only `nat_addr` (CT, v1.19+) and the relative `created` (NAT) are absent.
 */
import { describe, expect, it } from 'vitest';
import { ciliumCtKeyText, ciliumCtValueText, ciliumNatKeyText, ciliumNatValueText } from '../../src/index';
import { readCiliumText } from '../../src/cilium-text/index';
import { mapVersions } from './map-versions';
import { makeValid } from '../helpers/valid-bytes';

const VERSIONS = ['1.10', '1.13', '1.14', '1.15', '1.16', '1.17', '1.18', '1.19', 'main'];

describe('CT / NAT records → Cilium text → records', () => {
  for (const { def, v, spec } of mapVersions(['ct', 'nat'], VERSIONS)) {
    it(`${def.name} v${v}`, () => {
      const lines: string[] = [];
      const originals: { key: Record<string, unknown>; value: Record<string, unknown> }[] = [];
      for (let seed = 0; originals.length < 60 && seed < 4000; seed++) {
        const rnd = Uint8Array.from({ length: spec.key.sizeof + spec.value.sizeof }, (_, i) => ((Math.imul(seed + 7, 2246822519) >>> ((i * 5) % 24)) ^ (i * 17 + seed)) & 0xff);
        // CT rows land in ct*_global when TCP, ct_any* otherwise: give the TCP map TCP entries.
        const nh = spec.key.layout.find((f) => f.name === 'nexthdr')!.offset;
        if (def.kind === 'ct' && !def.name.includes('_any')) rnd[nh] = 6;
        let key: Record<string, unknown>;
        let value: Record<string, unknown>;
        try {
          key = spec.key.decode(makeValid(spec.key, rnd.subarray(0, spec.key.sizeof), seed)) as Record<string, unknown>;
          value = spec.value.decode(makeValid(spec.value, rnd.subarray(spec.key.sizeof), seed)) as Record<string, unknown>;
        } catch {
          continue;
        }
        // The map a CT row lands in follows its protocol: keep the entries this map can hold.
        const p = key.nexthdr as number;
        if (def.kind === 'ct' && (p === 6) !== !def.name.includes('_any')) continue;
        const text = def.kind === 'ct' ? ciliumCtKeyText(spec, key) : ciliumNatKeyText(spec, key);
        if (text === undefined) continue; // nexthdr 0: Cilium's dump skips it
        lines.push(text + (def.kind === 'ct' ? ciliumCtValueText(spec, value) : ciliumNatValueText(spec, key, value)));
        originals.push({ key, value });
      }
      expect(originals.length).toBeGreaterThan(20);
      const { records, summary } = readCiliumText(`${lines.join('\n')}\n`, { version: v });
      expect(summary.issues.map((i) => i.message)).toEqual([]);
      expect(records).toHaveLength(originals.length);
      const minor = v === 'main' ? 99 : Number(v.split('.')[1]);
      const absent = def.kind === 'ct' ? ['nat_addr'] : minor >= 15 ? [] : ['created'];
      records.forEach((r, i) => {
        expect(r.map).toBe(def.name);
        for (const part of ['key', 'value'] as const) {
          const schema = part === 'key' ? spec.key : spec.value;
          for (const f of schema.layout) {
            if (f.padding) continue;
            const where = `${def.name} v${v} line ${i} ${part}.${f.name}: ${lines[i]}`;
            if (part === 'value' && absent.includes(f.name)) {
              expect(r[part], where).not.toHaveProperty(f.name);
              continue;
            }
            const got = r[part]![f.name];
            const want = originals[i]![part][f.name];
            // Key flags: the line names IN/OUT/SVC, related and service; other bits are not printed.
            if (got && typeof got === 'object' && 'raw' in got) expect((got as { raw: number }).raw & ~(want as { raw: number }).raw, where).toBe(0);
            else expect(got, where).toEqual(want);
          }
        }
      });
    });
  }
});

describe('real lines from Cilium issues (datapath-maps.md §3.6, §4.3)', () => {
  it('v1.18 ct list SVC line with IPv6 without brackets (#40820)', () => {
    const line = 'TCP SVC 2603:8080:1:2::304f:44564 -> 2a03:3f40:88:1::24:80 expires=26806933 Packets=0 Bytes=0 RxFlagsSeen=0x00 LastRxReport=0 TxFlagsSeen=0x1b LastTxReport=26806929 Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ] RevNAT=218 SourceSecurityID=0 BackendID=98\n';
    const { records, summary } = readCiliumText(line, { version: '1.18' });
    expect(summary.issues).toEqual([]);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.map).toBe('cilium_ct6_global');
    // SVC prints saddr:dport -> daddr:sport.
    expect(r.key).toMatchObject({ saddr: '2603:8080:1:2::304f', dport: 44564, daddr: '2a03:3f40:88:1::24', sport: 80, nexthdr: 6, flags: { raw: 4 } });
    expect(r.value).toMatchObject({ lifetime: 26806933, tx_flags_seen: 0x1b, last_tx_report: 26806929, flags: { raw: 0x13 }, rev_nat_index: 218, backend_id: 98n });
  });
  it('the key text is read by the connection-text parser: a bad address or port is that line\'s reported error, the next line still reads', () => {
    const good = 'TCP OUT 10.15.0.8:443 -> 10.15.5.1:58471 XLATE_SRC 80.77.124.102:50034 Created=465sec ago NeedsCT=1\n';
    const badNat = good.replace('10.15.5.1', '10.15.5.999');
    const badCt = 'TCP OUT 10.0.0.1:99999 -> 10.0.0.2:80 expires=1 Packets=0 Bytes=0 RxFlagsSeen=0x00 LastRxReport=0 TxFlagsSeen=0x00 LastTxReport=0 Flags=0x0000 [ ] RevNAT=0 SourceSecurityID=0 BackendID=0\n';
    const { records, summary } = readCiliumText(badNat + badCt + good, { version: '1.17' });
    expect(records).toHaveLength(1);
    expect(records[0]!.line).toBe(3);
    expect(summary.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/line 1: destination: "10\.15\.5\.999" is not an IP address/),
      expect.stringMatching(/line 2: source: port "99999" is not 0\.\.65535/),
    ]);
  });
  it('v1.17 nat list line (#38221)', () => {
    const { records } = readCiliumText('TCP OUT 10.15.0.8:443 -> 10.15.5.1:58471 XLATE_SRC 80.77.124.102:50034 Created=465sec ago NeedsCT=1\n', { version: '1.17' });
    expect(records[0]!.map).toBe('cilium_snat_v4_external');
    expect(records[0]!.key).toMatchObject({ saddr: '10.15.0.8', sport: 443, daddr: '10.15.5.1', dport: 58471, flags: { raw: 0 } });
    expect(records[0]!.value).toEqual({ needs_ct: 1n, to_addr: '80.77.124.102', to_port: 50034 });
  });
});

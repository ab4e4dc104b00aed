/** Bad and odd input: clear, counted messages; never a wrong record. */
import { describe, expect, it } from 'vitest';
import { DumpError, decodeDumpText, resolveMap } from '../../src/index';
import { jsonDump, plainDump, plainEntry } from '../helpers/bpftool-text';
import { hasShared, readShared } from '../helpers/shared';

const ipc = resolveMap('cilium_ipcache');
const entry = (i: number, id = 100 + i): [Uint8Array, Uint8Array] => [ipc.key.encode({ cidr: `10.1.${i >> 8}.${i & 255}/32` }), ipc.value.encode({ sec_identity: id })];

describe('live dumps', () => {
  it('repeated keys: identical repeats are dropped and counted, Found N is not the distinct count', () => {
    const es = [0, 1, 2, 3].map((i) => entry(i));
    // get_next_key restarted from the first key after a deletion (bpftool-formats.md §1.7).
    const text = plainDump([...es, es[0]!, es[1]!]);
    const { records, summary } = decodeDumpText(text, { map: 'ipcache' });
    expect(records.map((r) => r.key.cidr)).toEqual(['10.1.0.0/32', '10.1.0.1/32', '10.1.0.2/32', '10.1.0.3/32']);
    expect(summary).toMatchObject({ records: 4, repeatedKeys: 2, changedKeys: 0, found: 6, skipped: 0 });
  });
  it('a repeated key with a new value is printed again (the later one wins) and counted', () => {
    const { records, summary } = decodeDumpText(plainDump([entry(0), entry(1), entry(0, 999)]), { map: 'ipcache' });
    expect(records.map((r) => r.value!.sec_identity)).toEqual([100, 101, 999]);
    expect(summary).toMatchObject({ repeatedKeys: 0, changedKeys: 1 });
  });
  it('<no entry> lines are skipped and reported, plain and -j', () => {
    const [k] = entry(7);
    const text = plainDump([entry(0)]).replace(/^Found.*\n/m, '') + `key:\n${plainEntry(k, new Uint8Array(12)).split('\n')[1]}\n${plainEntry(k, new Uint8Array(12)).split('\n')[2]}\nvalue:\n<no entry>\nFound 1 element\n`;
    const { records, summary } = decodeDumpText(text, { map: 'ipcache' });
    expect(records).toHaveLength(1);
    expect(summary.skipped).toBe(1);
    expect(summary.issues[0]).toMatchObject({ kind: 'lookup-error', skipped: true });
    expect(summary.issues[0]!.message).toMatch(/line 6: .*<no entry>.*deleted while the map was dumped/);
  });
});

describe('the wrong map', () => {
  it('an lxc dump decoded as ipcache: one message per size mismatch, naming sizes and the map that fits', () => {
    const lxc = resolveMap('lxc');
    const es: [Uint8Array, Uint8Array][] = [1, 2, 3].map((i) => [lxc.key.encode({ ip: `10.0.0.${i}` }), lxc.value.encode({ lxc_id: i })]);
    const { records, summary } = decodeDumpText(plainDump(es), { map: 'ipcache' });
    expect(records).toEqual([]);
    expect(summary.skipped).toBe(3);
    expect(summary.issues).toHaveLength(1);
    expect(summary.issues[0]).toMatchObject({ kind: 'size', count: 3, line: 1 });
    expect(summary.issues[0]!.message).toBe(
      'line 1: cilium_ipcache entries have 24-byte keys and 12-byte values (ipcache_key (IK-C), remote_endpoint_info (RE-D)), but this entry has a 20-byte key and a 48-byte value; those sizes fit cilium_lxc — try: decode-map cilium_lxc',
    );
    expect(() => decodeDumpText(plainDump(es), { map: 'ipcache', strict: true })).toThrow(DumpError);
  });
  it('no map named: identified from sizes, or refused when several fit', () => {
    expect(decodeDumpText(jsonDump([entry(1)].map(([k]) => [k.subarray(0, 4), new Uint8Array(12)] as [Uint8Array, Uint8Array]))).summary.maps[0]!.name).toBe('cilium_lb4_backends_v3');
    let err: DumpError | undefined;
    try {
      decodeDumpText(plainDump([entry(1)]));
    } catch (e) {
      err = e as DumpError;
    }
    expect(err).toBeInstanceOf(DumpError);
    expect(err!.kind).toBe('ambiguous-map');
    expect(err!.message).toMatch(/24-byte keys and 12-byte values fit several maps: cilium_ipcache, cilium_lb6_services_v2/);
  });
  it('sizes no map has', () => {
    expect(() => decodeDumpText('key: 01 02 03  value: 04\nFound 1 element\n')).toThrow(/no known Cilium map has 3-byte keys and 1-byte values/);
  });
  it('an ipcache key that is not one (prefixlen out of range) is skipped, not mis-decoded', () => {
    const bad = new Uint8Array(24);
    bad[0] = 200;
    bad[7] = 1;
    const { records, summary } = decodeDumpText(plainDump([entry(0), [bad, new Uint8Array(12)]]), { map: 'ipcache' });
    expect(records).toHaveLength(1);
    expect(summary.issues[0]!.message).toMatch(/line 6: cannot decode as cilium_ipcache: .*prefixlen 200 is not 32 \+ 0\.\.32/);
  });
});

describe('pipeline noise', () => {
  it('kubectl chatter, CRLF, blank lines and a | head cut', () => {
    const text = 'Defaulted container "cilium-agent" out of: cilium-agent, config (init)\r\n' + plainDump([entry(0), entry(1), entry(2)]).replace(/\n/g, '\r\n');
    const cut = text.split('\r\n').slice(0, 14).join('\r\n');
    const { records, summary } = decodeDumpText(cut, { map: 'ipcache' });
    expect(records).toHaveLength(2);
    const kinds = summary.issues.map((i) => i.kind);
    expect(kinds).toContain('noise');
    expect(kinds).toContain('malformed');
    expect(summary.issues.find((i) => i.kind === 'malformed')!.line).toBe(12);
  });
});

describe.skipIf(!hasShared)('real captures', () => {
  it('a lookup miss is reported', () => {
    const { records, summary } = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'err_lookup_missing.out'), { map: 'lb4-backends' });
    expect(records).toEqual([]);
    expect(summary.issues[0]!.kind).toBe('not-found');
  });
  it('an ipcache lookup (LPM) decodes the key that was given', () => {
    const { records } = decodeDumpText(readShared('fixtures', 'bpftool-formats', 'lookup_ipcache_lpm.out'), { map: 'ipcache' });
    // bpftool prints the key it was given (8.8.8.8/32) with the value of the entry that matched
    // (the world entry, identity 2): bpftool-formats.md §3.1.
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toMatchObject({ cidr: '8.8.8.8/32', family: 1, prefixlen: 64 });
    expect(records[0]!.value).toMatchObject({ sec_identity: 2, tunnel_endpoint: '0.0.0.0' });
  });
});

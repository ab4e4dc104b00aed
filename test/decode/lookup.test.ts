/**
 * `lookupEntry`: the LPM answer against a brute-force reference written from the definition
 * (the longest stored CIDR that contains the address, by integer arithmetic, not by bytes), over
 * random tables; exact match for hash maps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDumpText, encodeKeyArgs, lookupEntry, resolveMap, type DecodedRecord } from '../../src/index';
import { plainDump } from '../helpers/bpftool-text';

const ipc = resolveMap('cilium_ipcache', '1.16');
const v2 = resolveMap('cilium_ipcache_v2', 'main');

const ipText = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const network = (n: number, bits: number) => (bits === 0 ? 0 : (n & (~0 << (32 - bits))) >>> 0);

describe('lookupEntry', () => {
  it('LPM: the same entry as the longest containing CIDR (random IPv4 tables)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.nat(0xffffffff), fc.nat(32)).map(([a, b]) => ({ net: network(a >>> 0, b), bits: b })), { selector: (p) => `${p.net}/${p.bits}`, maxLength: 40 }),
        fc.nat(0xffffffff),
        fc.boolean(),
        (prefixes, addr, useV2) => {
          const spec = useV2 ? v2 : ipc;
          const records: DecodedRecord[] = prefixes.map((p, i) => ({ key: spec.key.decode(spec.key.encode({ cidr: `${ipText(p.net)}/${p.bits}` })), value: { sec_identity: i }, line: i + 1 }));
          const hit = lookupEntry(records, encodeKeyArgs(spec, [ipText(addr)]), spec);
          // Reference: containment by integers, the longest wins.
          let best: { net: number; bits: number } | undefined;
          for (const p of prefixes) if (network(addr >>> 0, p.bits) === p.net && (!best || p.bits > best.bits)) best = p;
          if (!best) expect(hit).toBeUndefined();
          else {
            expect(hit?.record.key.cidr).toBe(`${ipText(best.net)}/${best.bits}`);
            expect(hit?.match).toBe(best.bits === 32 ? 'exact' : 'longest-prefix');
            expect(hit?.prefixlen).toBe(best.bits + 32);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('IPv6 and IPv4 entries do not match each other (family is part of the key)', () => {
    const { records } = decodeDumpText(plainDump([[ipc.key.encode({ cidr: '::/0' }), ipc.value.encode({ sec_identity: 6 })]]), { map: 'cilium_ipcache', version: '1.16' });
    expect(lookupEntry(records, encodeKeyArgs(ipc, ['10.0.0.1']), ipc)).toBeUndefined();
    expect(lookupEntry(records, encodeKeyArgs(ipc, ['fd00::1']), ipc)?.record.value?.sec_identity).toBe(6);
  });

  it('hash maps: exact key bytes only; the later of two equal keys wins', () => {
    const svc = resolveMap('lb4-services');
    const k = (a: string) => svc.key.encode(svc.key.decode(encodeKeyArgs(svc, [a])) as never);
    const { records } = decodeDumpText(
      plainDump([
        [k('10.96.0.10:53/udp'), svc.value.encode({ backend_id: 1 } as never)],
        [k('10.96.0.10:53/tcp'), svc.value.encode({ backend_id: 2 } as never)],
        [k('10.96.0.10:53/udp'), svc.value.encode({ backend_id: 3 } as never)],
      ]),
      { map: 'lb4-services', dedupe: false },
    );
    expect(lookupEntry(records, encodeKeyArgs(svc, ['10.96.0.10:53/udp']), svc)?.record.value?.backend_id).toBe(3);
    expect(lookupEntry(records, encodeKeyArgs(svc, ['10.96.0.10:53/tcp']), svc)).toMatchObject({ match: 'exact' });
    expect(lookupEntry(records, encodeKeyArgs(svc, ['10.96.0.10:54/tcp']), svc)).toBeUndefined();
  });
});

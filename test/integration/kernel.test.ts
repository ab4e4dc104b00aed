/**
 * The generated keys, values and commands against the real kernel and the real bpftool.
 *
 * Maps are created with Cilium's types, sizes and flags (cilium-layouts.md §2; an LPM trie needs
 * BPF_F_NO_PREALLOC) under a scratch bpffs directory, filled with thousands of entries through
 * `bpftool batch file` lines that only the package wrote (friendly arguments → encodeKeyArgs /
 * encodeValueArgs → batchLine), then dumped in the plain, `-j` and `-p` forms and compared
 * byte-exact and field-exact. LPM lookups are checked against a longest-prefix oracle, and the
 * commands `decode-map key|update` prints are run through `sh -c` as printed.
 *
 * Runs as root with bpftool. Without them the suite is skipped with the reason printed, unless
 * CI is set: then it fails.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchLine, type UpdateFlag } from '../../src/bpftool/commands';
import type { DumpEvent } from '../../src/bpftool/events';
import { bytesToHex } from '../../src/bpftool/hex';
import { parseDumpText } from '../../src/bpftool/parse';
import { resolveMap } from '../../src/cilium/catalog';
import { encodeKeyArgs, encodeValueArgs } from '../../src/cilium/friendly';
import { formatIPv4, formatIPv6, parseCidr } from '../../src/schema/ip-text';
import { ensureCliBuilt, runCli } from './cli';
import { entriesFor, fieldDiffs, type GenEntry } from './entries';
import { Scratch, entriesOf, useScratch, bpftool, createMap, ensureBpffs, kernelTestsRunnable, mapShow, prng, runBatch, sh } from './kernel-env';

const env = kernelTestsRunnable();
const inCI = !!process.env.CI;
if (!env.runnable && !inCI) console.log(`[test/integration/kernel.test.ts skipped: ${env.reason}; set CI=true to make this a failure]`);
const suite = env.runnable || inCI ? describe : describe.skip;

/** Maps under test: name, Cilium version whose layout is written, entries generated. */
const CASES: [string, string, number][] = [
  ['cilium_ipcache', '1.16', 3000],
  ['cilium_ipcache_v2', 'main', 2500],
  ['cilium_lxc', 'main', 3000],
  ['cilium_lb4_services_v2', 'main', 3000],
  ['cilium_lb4_backends_v2', '1.12', 2000],
  ['cilium_lb4_backends_v3', 'main', 2000],
  ['cilium_lb4_reverse_nat', 'main', 2000],
  ['cilium_lb6_services_v2', 'main', 1500],
  ['cilium_lb6_backends_v3', 'main', 1500],
  ['cilium_lb6_reverse_nat', 'main', 1500],
];

interface Expected {
  key: Uint8Array;
  value: Uint8Array;
  gen: GenEntry;
}

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  expect({ what, status: r.status, stderr: r.stderr }).toEqual({ what, status: 0, stderr: '' });
  return r.stdout;
}

/** Longest-prefix match over the inserted ipcache entries: the LPM trie's answer for a full-length key. */
function lpmOracle(expected: Iterable<Expected>, probe: Uint8Array): Uint8Array | undefined {
  let best: Expected | undefined;
  let bestBits = -1;
  for (const e of expected) {
    const prefixlen = e.key[0]! | (e.key[1]! << 8);
    // The 32 static bits (cluster_id, pad, family: bytes 4-7) must be equal (IPCACHE_STATIC_PREFIX).
    if (e.key[4] !== probe[4] || e.key[5] !== probe[5] || e.key[6] !== probe[6] || e.key[7] !== probe[7]) continue;
    const bits = prefixlen - 32;
    let match = true;
    for (let i = 0; i < 16 && match; i++) {
      const keep = Math.max(0, Math.min(8, bits - 8 * i));
      const mask = (0xff << (8 - keep)) & 0xff;
      if ((e.key[8 + i]! & mask) !== (probe[8 + i]! & mask)) match = false;
    }
    if (match && bits > bestBits) {
      best = e;
      bestBits = bits;
    }
  }
  return best?.value;
}

describe('kernel test environment', () => {
  // A failed test (not only a failed hook) when CI is set but the kernel tests cannot run.
  it.skipIf(!env.runnable && !inCI)('is root with a working bpftool and a BPF filesystem', () => {
    expect(env.reason).toBe('');
    ensureBpffs();
  });
});

suite('real kernel and bpftool', () => {
  const getScratch = useScratch(env);
  let scratch: Scratch | undefined;
  beforeAll(() => {
    scratch = getScratch();
  });

  for (const [name, version, n] of CASES) {
    const spec = resolveMap(name, version);
    const d = spec.def;
    it(`${name} (${d.type} ${d.keySize}/${d.valueSize} flags ${d.flags}, ${spec.key.label} / ${spec.value.label}): ${n} generated entries in, plain/-j/-p dumps out, byte- and field-exact`, () => {
      const path = scratch!.path(name);
      createMap(path, d);
      const show = mapShow(path);
      expect(show).toMatchObject({ type: d.type, name: name.slice(0, 15), flags: d.flags, bytes_key: d.keySize, bytes_value: d.valueSize, max_entries: d.maxEntries });

      // Arguments → bytes, de-duplicated by key (the last one wins, as it would in the map).
      const r = prng(0x5eed + n + name.length);
      const gen = entriesFor(spec, r, n);
      const expected = new Map<string, Expected>();
      for (const g of gen) {
        const key = encodeKeyArgs(spec, g.keyArgs, g.keyOpts);
        const value = encodeValueArgs(spec, g.valueArgs);
        const kh = bytesToHex(key);
        expected.delete(kh);
        expected.set(kh, { key, value, gen: g });
      }
      expect(expected.size).toBeGreaterThan(n * 0.9);
      const flags: (UpdateFlag | undefined)[] = ['noexist', undefined, 'any', 'noexist'];
      runBatch(
        scratch!.file(`${name}.batch`),
        [...expected.values()].map((e, i) => batchLine(path, { op: 'update', key: e.key, value: e.value, flag: flags[i % flags.length] })),
      );

      // Replace every tenth value with BPF_EXIST, using another generated entry's value.
      const all = [...expected.values()];
      const updates: string[] = [];
      for (let i = 0; i < all.length; i += 10) {
        const e = all[i]!;
        const donor = all[(i * 7 + 3) % all.length]!;
        e.value = encodeValueArgs(spec, donor.gen.valueArgs);
        e.gen = { ...e.gen, value: donor.gen.value, valueArgs: donor.gen.valueArgs };
        updates.push(batchLine(path, { op: 'update', key: e.key, value: e.value, flag: 'exist' }));
      }
      runBatch(scratch!.file(`${name}.exist.batch`), updates);

      const want = new Map([...expected].map(([k, e]) => [k, bytesToHex(e.value)]));
      const orders: string[][] = [];
      for (const fmt of [[], ['-j'], ['-p']]) {
        const dump = bpftool([...fmt, 'map', 'dump', 'pinned', path]);
        expect(dump.status, `${fmt.join(' ')} dump: ${dump.stderr}`).toBe(0);
        const events = parseDumpText(dump.stdout);
        const got = entriesOf(events, `${name} ${fmt.join(' ') || 'plain'}`);
        if (fmt.length === 0) expect(events.at(-1)).toMatchObject({ kind: 'trailer', count: expected.size });
        else expect(events.some((e) => e.kind === 'trailer')).toBe(false);
        const gotMap = new Map(got.map((e) => [bytesToHex(e.key), bytesToHex(e.value!)]));
        expect(gotMap.size, 'no key twice in a dump').toBe(got.length);
        expect(gotMap).toEqual(want);
        orders.push(got.map((e) => bytesToHex(e.key)));
        // Field-exact: every dumped entry decodes (padding must be zero) to the intended record.
        const diffs: string[] = [];
        for (const e of got) {
          const x = expected.get(bytesToHex(e.key))!;
          const k = spec.key.decode(e.key, { strictPadding: true }) as Record<string, unknown>;
          const v = spec.value.decode(e.value!, { strictPadding: true }) as Record<string, unknown>;
          for (const dd of [...fieldDiffs(spec.key, k, x.gen.key), ...fieldDiffs(spec.value, v, x.gen.value)]) {
            diffs.push(`${x.gen.keyArgs.join(' ')} -- ${x.gen.valueArgs.join(' ')}: ${dd}`);
          }
        }
        expect(diffs.slice(0, 10)).toEqual([]);
      }
      // Hash-bucket / trie order is the same in every output form (bpftool-formats.md §1.8).
      expect(orders[1]).toEqual(orders[0]);
      expect(orders[2]).toEqual(orders[0]);

      if (d.type === 'lpm_trie') {
        // Longest-prefix matching: full-length lookups of addresses inside the inserted prefixes
        // and random ones (caught by the 0.0.0.0/0 and ::/0 worlds of clusters 0 and 65535).
        const probes: Uint8Array[] = [];
        const pr = prng(77);
        const inserted = [...expected.values()];
        for (let i = 0; i < 400; i++) {
          const rec = pr.pick(inserted).gen.key as { ip: string; family: number; cluster_id: number };
          const c = parseCidr(rec.ip)!;
          const b = Uint8Array.from(c.bytes);
          for (let j = pr.int(b.length - 1); j < b.length; j++) b[j] = pr.int(255);
          const text = c.family === 4 ? formatIPv4(b) : formatIPv6(b);
          const cluster = i % 3 === 0 ? pr.pick([0, 65535]) : rec.cluster_id;
          probes.push(encodeKeyArgs(spec, [text, `cluster_id=${cluster}`]));
        }
        for (let i = 0; i < 100; i++) {
          const v6 = pr.bool();
          const b = pr.bytes(v6 ? 16 : 4);
          const text = v6 ? formatIPv6(b) : formatIPv4(b);
          probes.push(encodeKeyArgs(spec, [text, `cluster_id=${pr.pick([0, 65535])}`]));
        }
        // Probes of a cluster without a world entry may miss; a miss would stop the batch (rc 254),
        // so only probes the oracle says hit are looked up.
        const hits = probes.map((p) => ({ p, v: lpmOracle(expected.values(), p) })).filter((x): x is { p: Uint8Array; v: Uint8Array } => x.v !== undefined);
        expect(hits.length).toBeGreaterThan(400);
        const out = runBatch(scratch!.file(`${name}.lookup.batch`), hits.map(({ p }) => batchLine(path, { op: 'lookup', key: p })));
        const looked = parseDumpText(out).filter((e): e is Extract<DumpEvent, { kind: 'entry' }> => e.kind === 'entry');
        // bpftool prints the key it was given and the value of the longest matching prefix.
        expect(looked.map((e) => bytesToHex(e.entry.key))).toEqual(hits.map(({ p }) => bytesToHex(p)));
        expect(looked.map((e) => bytesToHex(e.entry.value!))).toEqual(hits.map(({ v }) => bytesToHex(v)));
      }
    });
  }

  describe('the commands decode-map prints, run through sh -c as printed', () => {
    beforeAll(() => ensureCliBuilt(), 180_000);
    const cli = (args: string[]): string => ok(runCli(args), `decode-map ${args.join(' ')}`).trimEnd();

    it('LPM: 10.1.2.3 finds 10.1.0.0/16, 10.200.0.1 finds 10.0.0.0/8, the world catches the rest', () => {
      // A directory with a blank in its name, so the printed commands must quote the path.
      mkdirSync(scratch!.path('lpm test'));
      const pin = scratch!.path('lpm test', 'cilium_ipcache');
      createMap(pin, resolveMap('cilium_ipcache').def, 1024);
      const rows: [string, string[]][] = [
        ['0.0.0.0/0', ['sec_identity=2']],
        ['::/0', ['sec_identity=2', 'key=6']],
        ['10.0.0.0/8', ['sec_identity=16777217', 'tunnel_endpoint=172.18.0.8']],
        ['10.1.0.0/16', ['sec_identity=16777218', 'tunnel_endpoint=172.18.0.16', 'flags=skiptunnel']],
      ];
      const valueHex = new Map<string, string>();
      for (const [cidr, fields] of rows) {
        const cmd = cli(['update', 'ipcache', cidr, '--pin', pin, '--flag', 'noexist', '--', ...fields]);
        expect(cmd).toContain(`pinned '${pin}' key hex `);
        expect(ok(sh(cmd), cmd)).toBe('');
        valueHex.set(cidr, cli(['value', 'ipcache', ...fields]));
      }
      const lookup = (addr: string) => {
        const cmd = cli(['key', 'ipcache', addr, '--cmd', 'lookup', '--pin', pin]);
        const r = sh(cmd);
        const events = parseDumpText(r.stdout);
        return { r, events, cmd };
      };
      const expectHit = (addr: string, cidr: string) => {
        const { r, events, cmd } = lookup(addr);
        ok(r, cmd);
        expect(events).toHaveLength(1);
        const e = (events[0] as Extract<DumpEvent, { kind: 'entry' }>).entry;
        // bpftool prints the key it was given, not the stored prefix (bpftool-formats.md §3.1).
        expect(bytesToHex(e.key)).toBe(cli(['key', 'ipcache', addr]));
        expect(bytesToHex(e.value!), `${addr} → ${cidr}`).toBe(valueHex.get(cidr));
      };
      expectHit('10.1.2.3/32', '10.1.0.0/16');
      expectHit('10.200.0.1/32', '10.0.0.0/8');
      expectHit('10.0.0.0', '10.0.0.0/8');
      expectHit('8.8.8.8', '0.0.0.0/0');
      expectHit('fd00::1', '::/0');

      // noexist on an existing key: EEXIST → rc 239.
      const again = sh(cli(['update', 'ipcache', '10.1.0.0/16', '--pin', pin, '--flag', 'noexist', '--', 'sec_identity=1']));
      expect([again.status, again.stderr.trim()]).toEqual([239, 'Error: update failed: File exists']);

      // getnext without a position error: from a key that is in the map.
      const gn = sh(cli(['key', 'ipcache', '10.1.0.0/16', '--cmd', 'getnext', '--pin', pin]));
      expect(parseDumpText(ok(gn, 'getnext')).map((e) => e.kind)).toEqual(['getnext']);

      // delete the /16: 10.1.2.3 now falls back to the /8; a second delete is ENOENT (rc 254).
      const del = cli(['key', 'ipcache', '10.1.0.0/16', '--cmd', 'delete', '--pin', pin]);
      expect(ok(sh(del), del)).toBe('');
      expectHit('10.1.2.3/32', '10.0.0.0/8');
      const del2 = sh(del);
      expect([del2.status, del2.stderr.trim()]).toEqual([254, 'Error: delete failed: No such file or directory']);

      // Without the worlds, a miss prints "Not found" on stdout with rc 254.
      for (const w of ['0.0.0.0/0', '::/0']) ok(sh(cli(['key', 'ipcache', w, '--cmd', 'delete', '--pin', pin])), `delete ${w}`);
      const miss = lookup('8.8.8.8');
      expect(miss.r.status).toBe(254);
      expect(miss.r.stdout).toMatch(/\n\nNot found\n$/);
      expect(miss.events.map((e) => e.kind)).toEqual(['not-found']);
    }, 180_000); // it runs ~40 CLI processes: a loaded machine needs more than the default minute

    it('a key with host bits past its prefix is the same trie node: it replaces the masked entry (why key generation refuses it)', () => {
      const pin = scratch!.path('hostbits');
      createMap(pin, resolveMap('cilium_ipcache').def, 16);
      const spec = resolveMap('cilium_ipcache');
      const clean = encodeKeyArgs(spec, ['10.0.0.0/8']);
      const dirty = Uint8Array.from(clean);
      dirty[11] = 1; // 10.0.0.1 with prefixlen 40 (/8)
      runBatch(scratch!.file('hostbits.batch'), [
        batchLine(pin, { op: 'update', key: clean, value: encodeValueArgs(spec, ['sec_identity=1']) }),
        batchLine(pin, { op: 'update', key: dirty, value: encodeValueArgs(spec, ['sec_identity=2']) }),
      ]);
      const got = entriesOf(parseDumpText(ok(bpftool(['map', 'dump', 'pinned', pin]), 'dump')), 'hostbits');
      expect(got).toHaveLength(1);
      expect(bytesToHex(got[0]!.key)).toBe(bytesToHex(dirty));
      expect(bytesToHex(got[0]!.value!)).toBe(bytesToHex(encodeValueArgs(spec, ['sec_identity=2'])));
      expect(runCli(['key', 'ipcache', '10.0.0.1/8']).status).toBe(2);
    });

    it('hash maps: update then lookup shows the value; exist/noexist; delete then lookup is Not found (rc 254)', () => {
      mkdirSync(scratch!.path('cli'));
      const lxc = scratch!.path('cli', 'cilium_lxc');
      createMap(lxc, resolveMap('cilium_lxc').def, 1024);
      const v1 = ['ifindex=11', 'lxc_id=1587', 'mac=ea:c4:71:d6:4f:a0', 'node_mac=f6:87:b6:c3:a6:45', 'sec_id=3372'];
      const v2 = ['ifindex=12', 'lxc_id=0x633', 'flags=host', 'sec_id=4'];
      for (const ip of ['10.10.2.121', 'fd00:10:0:1::5']) {
        ok(sh(cli(['update', 'lxc', ip, '--pin', lxc, '--', ...v1])), 'update');
        const look = cli(['key', 'lxc', ip, '--cmd', 'lookup', '--pin', lxc]);
        const hit = parseDumpText(ok(sh(look), look));
        expect(hit.map((e) => e.kind)).toEqual(['entry']);
        const entry = (hit[0] as Extract<DumpEvent, { kind: 'entry' }>).entry;
        expect(bytesToHex(entry.key)).toBe(cli(['key', 'lxc', ip]));
        expect(bytesToHex(entry.value!)).toBe(cli(['value', 'lxc', ...v1]));
        expect(resolveMap('lxc').value.decode(entry.value!)).toMatchObject({ ifindex: 11, lxc_id: 1587, mac: 'ea:c4:71:d6:4f:a0', sec_id: 3372 });

        ok(sh(cli(['update', 'lxc', ip, '--pin', lxc, '--flag', 'exist', '--', ...v2])), 'update exist');
        const hit2 = parseDumpText(ok(sh(look), look))[0] as Extract<DumpEvent, { kind: 'entry' }>;
        expect(bytesToHex(hit2.entry.value!)).toBe(cli(['value', 'lxc', ...v2]));

        const del = cli(['key', 'lxc', ip, '--cmd', 'delete', '--pin', lxc]);
        expect(ok(sh(del), del)).toBe('');
        const miss = sh(look);
        expect(miss.status).toBe(254);
        expect(miss.stdout).toMatch(/\n\nNot found\n$/);
        const nf = parseDumpText(miss.stdout);
        expect(nf).toMatchObject([{ kind: 'not-found' }]);
        expect(bytesToHex((nf[0] as Extract<DumpEvent, { kind: 'not-found' }>).key!)).toBe(cli(['key', 'lxc', ip]));
        // BPF_EXIST on a missing key: ENOENT, rc 254.
        const ex = sh(cli(['update', 'lxc', ip, '--pin', lxc, '--flag', 'exist', '--', ...v2]));
        expect([ex.status, ex.stderr.trim()]).toEqual([254, 'Error: update failed: No such file or directory']);
      }

      // Services and reverse NAT; the --batch lines of the CLI run through bpftool batch as well.
      const svc = scratch!.path('cli', 'cilium_lb4_services_v2');
      const rev = scratch!.path('cli', 'cilium_lb4_reverse_nat');
      createMap(svc, resolveMap('lb4-services').def, 1024);
      createMap(rev, resolveMap('lb4-revnat').def, 1024);
      const lines = [
        cli(['update', 'lb4-services', '10.96.0.10:53/udp', '--pin', svc, '--batch', '--', 'count=1', 'rev_nat_index=2', 'flags=routable']),
        cli(['update', 'lb4-services', '10.96.0.10:53/udp', '--slot', '1', '--pin', svc, '--batch', '--', 'backend_id=4', 'rev_nat_index=2']),
        cli(['update', 'lb4-revnat', '2', '--pin', rev, '--batch', '--', '10.96.0.10:53']),
      ];
      runBatch(scratch!.file('cli.batch'), lines);
      const slot1 = sh(cli(['key', 'lb4-services', '10.96.0.10:53/udp', '--slot', '1', '--cmd', 'lookup', '--pin', svc]));
      const e1 = parseDumpText(ok(slot1, 'lookup slot 1'))[0] as Extract<DumpEvent, { kind: 'entry' }>;
      expect(bytesToHex(e1.entry.key)).toBe('0a 60 00 0a 00 35 01 00 11 00 00 00');
      expect(bytesToHex(e1.entry.value!)).toBe('04 00 00 00 00 00 00 02 00 00 00 00');
      const rn = sh(cli(['key', 'lb4-revnat', '2', '--cmd', 'lookup', '--pin', rev]));
      const e2 = parseDumpText(ok(rn, 'lookup revnat'))[0] as Extract<DumpEvent, { kind: 'entry' }>;
      expect([bytesToHex(e2.entry.key), bytesToHex(e2.entry.value!)]).toEqual(['00 02', '0a 60 00 0a 00 35']);
      const first = sh(cli(['key', 'lb4-revnat', '2', '--cmd', 'getnext', '--pin', rev]));
      expect([first.status, first.stderr.trim()]).toEqual([254, "Error: can't get next key: No such file or directory"]);
    });
  });

});

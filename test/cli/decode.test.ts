/**
 * `decode-map [MAP] [FILE...]` through the built binary: the record output of every generated
 * dump, the output modes, exit codes, pipes and diagnostics.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/index';
import { ensureCliBuilt, cliPath } from '../integration/cli';
import { plainDump } from '../helpers/bpftool-text';
import { toHex } from '../helpers/bytes';
import { generatedMaps, hasShared, readShared, readTruth, repoRoot, sharedPath } from '../helpers/shared';
import { compareTruth, fixtureVersions } from '../helpers/truth-compare';

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', input, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => ensureCliBuilt(), 180_000);

type CliRecord = { key: Record<string, unknown>; value: Record<string, unknown> };

/** Every truth entry exactly once: its key, its fields, and its value bytes re-encoded. */
function expectTruth(map: string, spec: ReturnType<typeof resolveMap>, records: CliRecord[]): void {
  const truth = new Map(readTruth(map).map((t) => [t.key_hex, t]));
  const seen = new Set<string>();
  for (const rec of records) {
    expect(Object.keys(rec)).toEqual(['key', 'value']);
    const keyHex = toHex(spec.key.encode(rec.key as never));
    const t = truth.get(keyHex);
    expect(t, `${map}: key ${keyHex} is not in the truth set`).toBeDefined();
    seen.add(keyHex);
    compareTruth(t!.key, rec.key, map);
    compareTruth(t!.value, rec.value, map);
    expect(toHex(spec.value.encode(rec.value as never))).toBe(t!.value_hex);
  }
  expect(seen.size).toBe(truth.size);
}

describe.skipIf(!hasShared)('every generated dump through the CLI (-o ndjson)', () => {
  for (const map of generatedMaps) {
    for (const ext of ['dump.txt', 'dump.json']) {
      it(`${map}.${ext}`, () => {
        const r = cli([map, sharedPath('fixtures', 'generated', `${map}.${ext}`), '--cilium-version', fixtureVersions[map]!, '-o', 'ndjson', '--strict']);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        const truth = new Map(readTruth(map).map((t) => [t.key_hex, t]));
        const spec = resolveMap(map, fixtureVersions[map]);
        const lines = r.out.trimEnd().split('\n');
        expect(lines).toHaveLength(truth.size);
        expectTruth(map, spec, lines.map((line) => JSON.parse(line) as CliRecord));
      });
    }
  }
  it('-p (pretty) input from stdin', () => {
    const map = 'cilium_lb4_reverse_nat';
    const r = cli([map, '-o', 'json', '--cilium-version', fixtureVersions[map]!, '--strict'], readShared('fixtures', 'generated', `${map}.dump.pretty.json.gz`));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.out) as CliRecord[];
    expect(arr).toHaveLength(readTruth(map).length);
    expectTruth(map, resolveMap(map, fixtureVersions[map]), arr);
  });
});

describe('output modes', () => {
  const ipc = resolveMap('ipcache', '1.16');
  const dump = plainDump([
    [ipc.key.encode({ cidr: '10.0.2.158/32' }), ipc.value.encode({ sec_identity: 13789, tunnel_endpoint: '172.18.0.5' })],
    [ipc.key.encode({ cidr: '0.0.0.0/0' }), ipc.value.encode({ sec_identity: 2 })],
  ]);
  it('table: the columns that matter, aligned; -o wide every field; --no-headers', () => {
    const r = cli(['ipcache'], dump);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'CIDR                                         SEC_IDENTITY  TUNNEL_ENDPOINT  KEY  CLUSTER_ID  FLAGS',
        '10.0.2.158/32                                13789         172.18.0.5       0    0           -',
        '0.0.0.0/0                                    2             0.0.0.0          0    0           -',
        '',
      ].join('\n'),
    );
    const w = cli(['ipcache', '-o', 'wide', '--no-headers'], dump);
    expect(w.out.split('\n')[0]).toBe('64          0           1       10.0.2.158                               10.0.2.158/32                                13789         172.18.0.5       0    0x0');
    expect(w.out.split('\n')).toHaveLength(3);
  });
  it('table columns stay aligned however wide a late row is (widths come from the field types)', () => {
    const lxc = resolveMap('lxc');
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 300; i++) entries.push([lxc.key.encode({ ip: `10.0.${i >> 8}.${i & 255}` }), lxc.value.encode({ ifindex: i, lxc_id: i, sec_id: i })]);
    entries.push([lxc.key.encode({ ip: 'fd00:aaaa:bbbb:cccc:dddd:eeee:ffff:1111' }), lxc.value.encode({ ifindex: 4294967295, lxc_id: 65535, sec_id: 4294967295, flags: 0xffffffff })]);
    for (const view of ['table', 'wide']) {
      const lines = cli(['lxc', '-o', view], plainDump(entries)).out.trimEnd().split('\n');
      expect(lines).toHaveLength(302);
      // Every column starts where its header starts, on every row.
      const starts = [...lines[0]!.matchAll(/\S+/g)].map((m) => m.index);
      for (const line of lines.slice(1)) {
        for (const at of starts.slice(1)) expect(line[at! - 1], `${view}: ${line}`).toBe(' ');
        for (const at of starts) expect(line[at!], `${view}: ${line}`).not.toBe(' ');
      }
    }
  });
  it('json is one array; ndjson one object per line', () => {
    const j = JSON.parse(cli(['ipcache', '-o', 'json'], dump).out) as { key: { cidr: string } }[];
    expect(j.map((x) => x.key.cidr)).toEqual(['10.0.2.158/32', '0.0.0.0/0']);
    const nd = cli(['ipcache', '-o', 'ndjson'], dump).out.trimEnd().split('\n');
    expect(JSON.parse(nd[0]!)).toEqual({
      key: { prefixlen: 64, cluster_id: 0, family: 1, ip: '10.0.2.158', cidr: '10.0.2.158/32' },
      value: { sec_identity: 13789, tunnel_endpoint: '172.18.0.5', key: 0, flags: { raw: 0, flag_skip_tunnel: false, unknown: 0 } },
    });
    expect(cli(['ipcache', '-o', 'json'], 'Found 0 elements\n').out).toBe('[]\n');
  });
  it('-o cilium prints the rows of cilium-dbg bpf ipcache list per version (§9.3)', () => {
    // v1.12.0-.7 and v1.14.1-v1.15.x format; v1.16.0 adds ", flags="; v1.17 drops the comma.
    const v112 = resolveMap('ipcache', '1.12.0');
    const old = plainDump([[v112.key.encode({ cidr: '10.0.2.158/32' }), v112.value.encode({ sec_identity: 13789, tunnel_endpoint: '172.18.0.5' })]]);
    expect(cli(['ipcache', '--cilium-version', '1.12.0', '-o', 'cilium'], old).out).toBe('10.0.2.158/32\tidentity=13789 encryptkey=0 tunnelendpoint=172.18.0.5\n');
    expect(cli(['ipcache', '--cilium-version', '1.16.0', '-o', 'cilium'], dump).out.split('\n')[0]).toBe('10.0.2.158/32\tidentity=13789 encryptkey=0 tunnelendpoint=172.18.0.5, flags=<none>');
    expect(cli(['ipcache', '--cilium-version', '1.17', '-o', 'cilium'], dump).out.split('\n')[1]).toBe('0.0.0.0/0\tidentity=2 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>');
    const v2 = resolveMap('ipcache-v2', '1.18');
    const d2 = plainDump([[v2.key.encode({ cidr: '10.0.2.158/32' }), v2.value.encode({ sec_identity: 13789, tunnel_endpoint: 'fd00::5' })]]);
    expect(cli(['ipcache-v2', '--cilium-version', '1.18', '-o', 'cilium'], d2).out).toBe('10.0.2.158/32\tidentity=13789 encryptkey=0 tunnelendpoint=fd00::5 flags=hastunnel,ipv6tunnel\n');
  });
  it('-o cilium for lxc: v1.12 and v1.14-v1.17 value formats (§9.2, with the §4 worked example)', () => {
    const lxcValue = '0b 00 00 00 00 00 33 06 00 00 00 00 00 00 00 00 ea c4 71 d6 4f a0 00 00 f6 87 b6 c3 a6 45 00 00 2c 0d 00 00' + ' 00'.repeat(12);
    const key = '0a 00 01 33' + ' 00'.repeat(12) + ' 01 00 00 00';
    const text = `key:\n${key}\nvalue:\n${lxcValue}\nFound 1 element\n`;
    expect(cli(['lxc', '--cilium-version', '1.16', '-o', 'cilium'], text).out).toBe('10.0.1.51:0\tid=1587  sec_id=3372  flags=0x0000 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45\n');
    expect(cli(['lxc', '--cilium-version', '1.12', '-o', 'cilium'], text).out).toBe('10.0.1.51:0\tid=1587  flags=0x0000 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45\n');
    expect(cli(['lxc', '--cilium-version', '1.20', '-o', 'cilium'], text).out).toBe('10.0.1.51:0\tid=1587  sec_id=3372  flags=0x0000 ifindex=11  mac=EA:C4:71:D6:4F:A0 nodemac=F6:87:B6:C3:A6:45 parent_ifindex=0   rt_info:0\n');
  });
});

describe('exit codes and messages', () => {
  it('--help and --version exit 0; maps lists the catalogue', () => {
    expect(cli(['--help']).code).toBe(0);
    expect(cli(['--help']).out).toMatch(/Usage:\n {2}decode-map \[MAP\] \[FILE\.\.\.\]/);
    expect(cli(['--version']).out).toMatch(/^\d+\.\d+\.\d+\n$/);
    const maps = cli(['maps']);
    expect(maps.code).toBe(0);
    expect(maps.out).toMatch(/cilium_ipcache {2}\(lpm_trie, key 24B, value 12B, max_entries 512000, flags 0x1; aliases: ipcache/);
    expect(maps.out).toMatch(/value remote_endpoint_info \(RE-B\) +v1\.11\.14 – v1\.11\.19, v1\.12\.8 – v1\.12\.12, v1\.13\.0 – v1\.13\.5\n/);
    expect(maps.out).toMatch(/value remote_endpoint_info \(RE-C\) +v1\.11\.20 – v1\.11\.x, v1\.12\.13 – v1\.12\.x, v1\.13\.6 – v1\.13\.x\n/);
  });
  it('usage errors exit 2: unknown map, bad option, bad version, map not in that version, several maps fit', () => {
    expect(cli(['cilium_nope'], '').code).toBe(2);
    expect(cli(['cilium_nope'], '').err).toMatch(/unknown map "cilium_nope"; known maps: cilium_lxc.*\(and no file of that name\)\ndecode-map: see 'decode-map --help'/);
    expect(cli(['cilium_ipcahce'], '').err).toMatch(/unknown map "cilium_ipcahce"; did you mean cilium_ipcache\?/);
    expect(cli(['ipcache', '-o', 'yaml'], '').code).toBe(2);
    expect(cli(['ipcache', '--cilium-version', 'x'], '').err).toMatch(/"x" is not a Cilium version/);
    const v = cli(['ipcache-v2', '--cilium-version', '1.16'], '');
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/cilium_ipcache_v2 is not used by Cilium 1\.16 .*Cilium 1\.16 uses cilium_ipcache/);
    const ipc = resolveMap('ipcache');
    const amb = cli([], plainDump([[ipc.key.encode({ cidr: '10.0.0.0/8' }), ipc.value.encode({})]]));
    expect(amb.code).toBe(2);
    expect(amb.err).toMatch(/fit several maps: cilium_ipcache, cilium_lb6_services_v2/);
  });
  it('decode errors exit 1 after printing what could be decoded; --strict stops at the first', () => {
    const lxc = resolveMap('lxc');
    const ipc = resolveMap('ipcache');
    const mixed = plainDump([
      [ipc.key.encode({ cidr: '10.0.0.0/8' }), ipc.value.encode({ sec_identity: 5 })],
      [lxc.key.encode({ ip: '10.0.0.1' }), lxc.value.encode({})],
    ]);
    const r = cli(['ipcache', '-o', 'ndjson'], mixed);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/line 6: cilium_ipcache entries have 24-byte keys and 12-byte values .* 20-byte key and a 48-byte value; those sizes fit cilium_lxc — try: decode-map cilium_lxc/);
    expect(r.err).not.toMatch(/at .*\.js:\d+/); // never a stack trace
    const s = cli(['ipcache', '-o', 'ndjson', '--strict'], mixed);
    expect(s.code).toBe(1);
  });
  it('a kubectl line before the dump is reported but does not fail the run', () => {
    const ipc = resolveMap('ipcache');
    const r = cli(['ipcache', '-o', 'ndjson'], 'Defaulted container "cilium-agent" out of: cilium-agent, mount-cgroup (init)\n' + plainDump([[ipc.key.encode({ cidr: '10.0.0.0/8' }), ipc.value.encode({})]]));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/line 1: not bpftool output, ignored: "Defaulted container/);
  });
  it('writing into a closed pipe ends quietly with exit 0', () => {
    const ipc = resolveMap('ipcache');
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 20000; i++) entries.push([ipc.key.encode({ cidr: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32` }), ipc.value.encode({ sec_identity: i })]);
    const dir = mkdtempSync(join(tmpdir(), 'decode-map-'));
    const file = join(dir, 'ipcache.txt');
    writeFileSync(file, plainDump(entries));
    try {
      // pipefail makes the pipeline's status the CLI's when head exits first.
      const direct = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(cliPath)} ipcache -o ndjson ${JSON.stringify(file)} | head -n 1`], { encoding: 'utf8' });
      expect(direct.stdout.split('\n')).toHaveLength(2);
      expect(direct.stderr).toBe('');
      expect(direct.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The CLI as kubectl and npm users expect it (issue 9) and its failure modes (issue 8, classes 6,
 * 7, 10, 11, 15), through the built binary: help and version verbs, `--help` on every verb,
 * errors that point at the verb's help, the same "did you mean" in every verb, a file named like
 * a map, one-line failures (directory, `/dev/full`, Object.prototype names), `--strict -o json`
 * that still closes its array, and `decode-map lookup`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/index';
import { plainDump } from '../helpers/bpftool-text';
import { cliPath, ensureCliBuilt } from '../integration/cli';
import { repoRoot } from '../helpers/shared';

let dir: string;
beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'decode-map-verbs-'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input = '', cwd = repoRoot) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A failure is one line (plus the pointer to the help for usage errors), never a stack trace. */
function oneLine(err: string): void {
  expect(err).not.toMatch(/^\s+at /m);
  expect(err).not.toMatch(/internal error/);
  for (const line of err.trimEnd().split('\n')) expect(line).toMatch(/^decode-map: /);
}

const ipc = resolveMap('cilium_ipcache', '1.16');
const ipcDump = (entries: [string, Record<string, unknown>][]) => plainDump(entries.map(([cidr, v]) => [ipc.key.encode({ cidr }), ipc.value.encode(v as never)]));

const VERBS = ['maps', 'sysdump', 'key', 'value', 'update', 'lookup', 'help', 'version', 'decode'];

describe('help and version', () => {
  it('help, --help, -h and help VERB; the main help points at the verbs', () => {
    const main = cli(['help']);
    expect(main.code).toBe(0);
    expect(main.out).toBe(cli(['--help']).out);
    expect(main.out).toBe(cli(['-h']).out);
    expect(main.out).toMatch(/Run 'decode-map VERB --help'/);
    for (const v of VERBS.filter((x) => x !== 'decode')) expect(main.out).toMatch(new RegExp(`^  decode-map ${v}\\b`, 'm'));
  });
  it('every verb answers --help (and help VERB says the same)', () => {
    for (const v of VERBS) {
      const r = cli([v, '--help']);
      expect(r.code, v).toBe(0);
      expect(r.err, v).toBe('');
      expect(r.out, v).toMatch(/Usage/);
      expect(cli(['help', v]).out, v).toBe(r.out);
    }
  }, 240_000); // 18 spawns: slow on a loaded machine
  it('version verb, -V and --version agree with package.json', () => {
    const v = cli(['version']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^\d+\.\d+\.\d+/);
    expect(cli(['-V']).out).toBe(v.out);
    expect(cli(['--version']).out).toBe(v.out);
  });
  it("a verb's usage error points at that verb's help", () => {
    for (const [args, verb] of [
      [['key', 'ipcache', '--bogus'], 'key'],
      [['value', 'ipcache', 'nope=1'], 'value'],
      [['lookup', 'ipcache'], 'lookup'],
      [['maps', 'extra'], 'maps'],
      [['help', 'nosuchverb'], 'help'],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(new RegExp(`decode-map: see 'decode-map ${verb} --help'\\n$`));
      oneLine(r.err);
    }
    expect(cli(['-o', 'yaml'], 'x').err).toMatch(/see 'decode-map --help'\n$/);
  });
});

describe('did you mean, in every verb', () => {
  it('the same wording for a mistyped map name', () => {
    const want = 'unknown map "cilium_ipcahce"; did you mean cilium_ipcache?';
    for (const args of [['cilium_ipcahce'], ['key', 'cilium_ipcahce', '10.0.0.0/8'], ['value', 'cilium_ipcahce', 'sec_identity=1'], ['update', 'cilium_ipcahce', '10.0.0.0/8', '--', 'sec_identity=1'], ['lookup', 'cilium_ipcahce', '10.0.0.1']]) {
      const r = cli(args, '');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain(want);
    }
  });
  it('a mistyped verb', () => {
    expect(cli(['lokup', 'ipcache', '1.1.1.1']).err).toContain('unknown verb or map "lokup"; did you mean lookup?');
  });
});

describe('files and maps (issue 8, class 10)', () => {
  it('an existing file named like a map is read as a file, and stderr says so', () => {
    const sub = join(dir, 'named');
    mkdirSync(sub, { recursive: true });
    const rn = resolveMap('lb4-revnat');
    writeFileSync(join(sub, 'cilium_lb4_reverse_nat'), plainDump([[rn.key.encode({ rev_nat_index: 7 }), rn.value.encode({ address: '10.96.0.10', port: 53 })]]));
    for (const word of ['cilium_lb4_reverse_nat', './cilium_lb4_reverse_nat']) {
      const r = cli([word, '-o', 'ndjson'], '', sub);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).key.rev_nat_index).toBe(7);
      expect(r.err).toBe(`decode-map: "${word}" is an existing file and also a map name: reading it as a file (to name the map, use --map cilium_lb4_reverse_nat)\n`);
    }
    // Sizes that fit two maps: the file is still a file, and --map names the map.
    writeFileSync(join(sub, 'cilium_ipcache'), ipcDump([['10.0.0.0/8', { sec_identity: 7 }]]));
    const amb = cli(['cilium_ipcache'], '', sub);
    expect(amb.code).toBe(2);
    expect(amb.err).toMatch(/reading it as a file[\s\S]*fit several maps/);
    const m = cli(['--map', 'ipcache', 'cilium_ipcache', '-o', 'ndjson', '--cilium-version', '1.16'], '', sub);
    expect(m.code).toBe(0);
    expect(m.err).toBe('');
    expect(JSON.parse(m.out).value.sec_identity).toBe(7);
  });
  it('a directory, a missing file, a write error: one line each', () => {
    const d = cli(['ipcache', dir]);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/is a directory, not a bpftool dump/);
    oneLine(d.err);
    const m = cli(['ipcache', join(dir, 'missing.txt')]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/no such file/);
    if (existsSync('/dev/full')) {
      const r = spawnSync('bash', ['-c', `node ${JSON.stringify(cliPath)} lb4-revnat examples/cilium_lb4_reverse_nat.dump.txt >/dev/full`], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('decode-map: cannot write output: no space left on device\n');
    }
  });
  it('Object.prototype names and an empty --pin are usage errors, not traces', () => {
    for (const args of [['key', 'ipcache', 'constructor=1'], ['key', 'ipcache', '__proto__=1'], ['value', 'ipcache', 'toString=1'], ['update', 'ipcache', '10.0.0.0/8', '--', 'constructor=1'], ['value', 'lb4-services', 'flags=constructor'], ['key', 'ipcache', '10.0.0.0/8', '--cmd', 'lookup', '--pin', '']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r.err);
    }
  });
});

describe('encode checks in the CLI (issue 8, classes 11 and 15)', () => {
  it('refuses what the decoder would refuse, with exact numbers', () => {
    const a = cli(['key', 'ipcache', 'prefixlen=200', 'family=1', 'ip=1.2.3.4']);
    expect(a.code).toBe(2);
    expect(a.out).toBe('');
    const b = cli(['key', 'ipcache', 'ip=10.0.0.1', 'prefixlen=40']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/10\.0\.0\.1\/8 has bits set past \/8/);
    expect(cli(['value', 'ipcache', 'sec_identity=18446744073709551617']).err).toMatch(/18446744073709551617 is out of range for u32/);
    const v = cli(['ipcache', '--cilium-version', '1.999'], 'x');
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/Cilium 1\.999 is not a known release; layouts are known for 1\.10, .*1\.21 \(main\)/);
  });
});

describe('--strict -o json that fails midway (issue 8, class 6)', () => {
  it('prints what decoded and closes the array', () => {
    const text = 'key: 00 01  value: 0a 00 00 01 00 35\nkey: 00 02  value: 0a 00 00 02 00\nkey: 00 03  value: 0a 00 00 03 00 35\n';
    const r = cli(['lb4-revnat', '--strict', '-o', 'json'], text);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { key: { rev_nat_index: number } }[];
    expect(doc.map((d) => d.key.rev_nat_index)).toEqual([1]);
    oneLine(r.err);
    const empty = cli(['lb4-revnat', '--strict', '-o', 'json'], 'key: 00 02  value: 0a 00 00 02 00\n');
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.out)).toEqual([]);
  });
});

describe('decode-map lookup (issue 9)', () => {
  const dump = ipcDump([
    ['0.0.0.0/0', { sec_identity: 2 }],
    ['10.0.0.0/8', { sec_identity: 16777217 }],
    ['10.0.0.0/16', { sec_identity: 4711, tunnel_endpoint: '172.18.0.4' }],
    ['10.0.2.0/24', { sec_identity: 9 }],
    ['10.0.1.6/32', { sec_identity: 10 }],
  ]);
  it('LPM: the longest prefix that covers the address', () => {
    const f = join(dir, 'ipcache-dump.txt');
    writeFileSync(f, dump);
    const r = cli(['lookup', 'ipcache', '10.0.1.5', '-f', f, '--cilium-version', '1.16', '-o', 'ndjson']);
    expect(r.code, r.err).toBe(0);
    const hit = JSON.parse(r.out) as { key: { cidr: string }; value: { sec_identity: number; tunnel_endpoint: string } };
    expect(hit.key.cidr).toBe('10.0.0.0/16');
    expect(hit.value).toMatchObject({ sec_identity: 4711, tunnel_endpoint: '172.18.0.4' });
    expect(r.err).toMatch(/longest-prefix match 10\.0\.0\.0\/16/);
    // From stdin, as a table.
    const t = cli(['lookup', 'ipcache', '10.0.1.6', '--cilium-version', '1.16', '--no-headers'], dump);
    expect(t.out).toMatch(/^10\.0\.1\.6\/32 +10 /);
    expect(cli(['lookup', 'ipcache', '11.1.1.1', '--cilium-version', '1.16', '-o', 'json'], dump).out).toMatch(/"0\.0\.0\.0\/0"/);
  });
  it('no match: exit 1 and one clear line', () => {
    const noDefault = ipcDump([['10.0.0.0/8', { sec_identity: 3 }]]);
    const r = cli(['lookup', 'ipcache', '11.1.1.1', '--cilium-version', '1.16'], noDefault);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^decode-map: no entry of cilium_ipcache matches 11\.1\.1\.1 \(key 40 00 .*\); 1 entry read\n$/);
  });
  it('hash maps match exactly', () => {
    const be = resolveMap('lb4-backends');
    const text = plainDump([
      [be.key.encode({ backend_id: 7 }), be.value.encode({ address: '10.0.2.230', port: 53, proto: 17 } as never)],
      [be.key.encode({ backend_id: 8 }), be.value.encode({ address: '10.0.2.231', port: 53, proto: 17 } as never)],
    ]);
    const r = cli(['lookup', 'lb4-backends', '8', '-o', 'ndjson'], text);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).value.address).toBe('10.0.2.231');
    expect(cli(['lookup', 'lb4-backends', '9'], text).code).toBe(1);
  });
  it('a bpftool lookup of an LPM map: says the key is the query, not the stored prefix', () => {
    const one = 'key:\n40 00 00 00 00 00 00 01  0a 00 01 05 00 00 00 00\n00 00 00 00 00 00 00 00\nvalue:\n67 12 00 00 ac 12 00 04  00 00 00 00\n';
    const r = cli(['lookup', 'ipcache', '10.0.1.5', '--cilium-version', '1.16', '-o', 'ndjson'], one);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/bpftool prints the key it was asked with, not the stored prefix/);
  });
});

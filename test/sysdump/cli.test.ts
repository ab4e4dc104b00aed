/** `decode-map sysdump` through the built binary: output forms, filters, --out, exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from '../integration/cli';
import { repoRoot } from '../helpers/shared';
import { bugtoolFiles, capturedMaps, sysdumpZip, truth } from './archive';

const tmp = mkdtempSync(join(tmpdir(), 'sysdump-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let zip: string;
let cutZip: string;

beforeAll(async () => {
  ensureCliBuilt();
  zip = join(tmp, 'ok.zip');
  writeFileSync(zip, await sysdumpZip({ 'cilium-n1': { files: bugtoolFiles({ version: '1.16.3' }) }, 'cilium-n2': { files: bugtoolFiles({ version: '1.16.3', markdown: true }), tarGz: true } }, { daemonset: 'v1.16.3' }));
  cutZip = join(tmp, 'cut.zip');
  writeFileSync(cutZip, await sysdumpZip({ 'cilium-n1': { files: bugtoolFiles({ version: '1.14.10', status: '1.14.10', cut: ['cilium_lxc'] }) } }));
}, 180_000);

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, 'sysdump', ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('decode-map sysdump', () => {
  it('-o table: a line per node and map, the version and its source, exit 0', () => {
    const r = cli([zip]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('cilium-n1: Cilium 1.16.3 from daemonset image quay.io/cilium/cilium:v1.16.3@sha256:0123');
    for (const n of ['cilium-n1', 'cilium-n2']) {
      for (const m of capturedMaps('1.16.3')) {
        const line = r.out.split('\n').find((l) => l.startsWith(`${n} `) && l.split(/\s+/)[1] === m);
        expect(line, `${n} ${m}`).toBeDefined();
        expect(line!.split(/\s{2,}/)).toEqual(expect.arrayContaining([String(truth('1.16.3', m).length), 'ok']));
      }
      expect(r.out).toMatch(new RegExp(`${n}\\s+cilium_call_policy\\s+-\\s+-\\s+unknown-map`));
    }
  });
  it('-o ndjson: every record with node and map', () => {
    const r = cli([zip, '-o', 'ndjson']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { node: string; map: string; key: unknown; value: unknown });
    const total = capturedMaps('1.16.3').reduce((s, m) => s + truth('1.16.3', m).length, 0);
    expect(lines).toHaveLength(2 * total);
    expect(Object.keys(lines[0]!)).toEqual(['node', 'map', 'key', 'value']);
    for (const n of ['cilium-n1', 'cilium-n2'])
      for (const m of capturedMaps('1.16.3')) expect(lines.filter((l) => l.node === n && l.map === m)).toHaveLength(truth('1.16.3', m).length);
  });
  it('-o json with --map and --node: one array of the chosen node and map', () => {
    const r = cli([zip, '-o', 'json', '--map', 'lxc', '--node', 'cilium-n2']);
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.out) as { node: string; map: string }[];
    expect(arr).toHaveLength(truth('1.16.3', 'cilium_lxc').length);
    expect(new Set(arr.map((x) => `${x.node} ${x.map}`))).toEqual(new Set(['cilium-n2 cilium_lxc']));
  });
  it('--out DIR: one NDJSON file per node and map, and the table', () => {
    const out = join(tmp, 'out');
    const r = cli([zip, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/NODE\s+MAP\s+LAYOUT\s+ENTRIES\s+STATUS/);
    for (const n of ['cilium-n1', 'cilium-n2']) {
      expect(readdirSync(join(out, n)).sort()).toEqual(capturedMaps('1.16.3').map((m) => `${m}.ndjson`).sort());
      for (const m of capturedMaps('1.16.3')) expect(readFileSync(join(out, n, `${m}.ndjson`), 'utf8').trimEnd().split('\n')).toHaveLength(truth('1.16.3', m).length);
    }
  });
  it('a cut dump: exit 1, the cut on stderr, the complete entries decoded', () => {
    const r = cli([cutZip, '-o', 'ndjson', '--map', 'lxc']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cilium-n1 cilium_lxc: dump cut short \(bugtool: signal: killed\): the \d+ complete entries before the cut are decoded/);
    expect(r.out.trimEnd().split('\n').length).toBeGreaterThan(10);
  });
  it('usage errors: exit 2', () => {
    expect(cli([]).code).toBe(2);
    expect(cli([join(tmp, 'nope.zip')]).code).toBe(2);
    expect(cli([zip, '--map', 'cilium_nosuch']).code).toBe(2);
    expect(cli([zip, '-o', 'cilium']).code).toBe(2);
  });
  it('a file that is no sysdump: one error line, exit 1', () => {
    const p = join(tmp, 'junk.bin');
    writeFileSync(p, 'hello');
    const r = cli([p]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

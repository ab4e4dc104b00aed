/**
 * Cilium's list text as input prints through the same writers as bpftool input: `-o wide` is a
 * table (it printed NDJSON), `--no-headers` drops the header (it was ignored), json is one array.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../integration/cli';

const dir = mkdtempSync(join(tmpdir(), 'decode-map-citext-'));
const file = join(dir, 'ipcache.txt');
writeFileSync(file, '10.0.0.1/32\tidentity=256 encryptkey=0 tunnelendpoint=172.18.0.1 flags=<none>\n');
beforeAll(() => ensureCliBuilt(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(['--input-format', 'cilium-text', '--map', 'ipcache', ...args, file]);

describe('decode-map on Cilium list text: every -o and --no-headers', () => {
  it('-o wide is a table with every field, flags as 0x…', () => {
    const r = run('-o', 'wide');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^MAP\s+PREFIXLEN\s.*\sFLAGS$/);
    expect(r.stdout.split('\n')[1]).toMatch(/^cilium_ipcache\s+64\s.*\s0x0$/);
  });
  it('the default table names the flags set; --no-headers drops the header line', () => {
    const t = run();
    expect(t.stdout.split('\n')[1]).toMatch(/^cilium_ipcache\s.*\s-$/);
    const n = run('--no-headers');
    expect(n.stdout).toBe(t.stdout.split('\n').slice(1).join('\n'));
  });
  it('-o json is one closed array, -o ndjson one record per line', () => {
    const j = JSON.parse(run('-o', 'json').stdout) as { key: { cidr: string } }[];
    expect(j.map((r) => r.key.cidr)).toEqual(['10.0.0.1/32']);
    const nd = run('-o', 'ndjson').stdout.trim().split('\n');
    expect(nd.map((l) => (JSON.parse(l) as { value: { sec_identity: number } }).value.sec_identity)).toEqual([256]);
  });
});

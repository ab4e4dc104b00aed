/**
 * Records → Cilium's text (the `-o cilium` formatter, as `cilium-dbg bpf … list` and
 * `cilium map get` print it through the tabwriter) → records, for every map and version the
 * formatter supports: every field the text gives back equals the original, and the only fields
 * missing are those the text form does not print.
 */
import { describe, expect, it } from 'vitest';
import { ciliumKeyString, ciliumListTitles, ciliumMapGetTable, ciliumTable, ciliumValueString, type MapSpec } from '../../src/index';
import { readCiliumText } from '../../src/cilium-text/index';
import { mapVersions } from './map-versions';
import { makeValid } from '../helpers/valid-bytes';

/** Versions at every text-format boundary (cilium-layouts.md §9). */
const VERSIONS = ['1.10.0', '1.11.0', '1.11.14', '1.11.19', '1.11.20', '1.12.0', '1.12.8', '1.12.12', '1.12.13', '1.13.0', '1.13.5', '1.13.6', '1.13.16', '1.14.0', '1.14.1', '1.14.10', '1.15.0', '1.15.4', '1.16.0', '1.16', '1.17', '1.18', '1.19', '1.20', 'main'];

/** Fields a text form never prints, by kind (and version where it changed). */
function notPrinted(spec: MapSpec, v: string, value: Record<string, unknown>): string[] {
  const minor = v === 'main' ? 99 : Number(v.split('.')[1]);
  const patch = v.split('.')[2] === undefined ? 99 : Number(v.split('.')[2]);
  switch (spec.def.kind) {
    case 'endpoint':
      // (localhost) prints nothing but the HOST flag; parent_ifindex is printed from v1.18.
      return (value.flags as { raw: number }).raw & 1 ? spec.value.layout.filter((f) => !f.padding && f.name !== 'flags').map((f) => f.name) : ['unused', ...(minor >= 18 ? [] : ['parent_ifindex'])];
    case 'ipcache':
      return [];
    case 'service': {
      const slot = minor >= 16 || (minor === 15 && patch >= 4) || (minor === 14 && patch >= 10) || (minor === 13 && patch >= 16);
      return [...(minor >= 17 ? [] : ['proto']), ...(slot ? [] : ['backend_slot']), ...(minor >= 12 ? [] : ['count', 'flags2'])];
    }
    case 'backend':
      // The state byte is never printed; the port not from v1.13; the zone as its ID only.
      return ['flags', ...(minor >= 13 ? ['port'] : [])];
    default:
      return [];
  }
}

/** Flags as text name only some bits: compare the bits the parsed record holds. */
function expectSame(got: unknown, want: unknown, where: string): void {
  if (got && typeof got === 'object' && 'raw' in got) {
    const g = (got as { raw: number }).raw;
    const w = (want as { raw: number }).raw;
    expect(g & ~w, `${where}: bits not in the original`).toBe(0);
    return;
  }
  expect(got, where).toEqual(want);
}

describe('records → Cilium text → records', () => {
  for (const { def, v, spec } of mapVersions(['endpoint', 'ipcache', 'service', 'backend', 'revnat'], VERSIONS)) {
    it(`${def.name} v${v}`, () => {
      const originals: { key: Record<string, unknown>; value: Record<string, unknown> }[] = [];
      const seen = new Set<string>();
      for (let seed = 0; originals.length < 60 && seed < 5000; seed++) {
        const rnd = Uint8Array.from({ length: spec.key.sizeof + spec.value.sizeof }, (_, i) => (Math.imul(seed + 1, 2654435761) >>> ((i * 7) % 24)) & 0xff ^ (i * 31 + seed));
        try {
          const kb = makeValid(spec.key, rnd.subarray(0, spec.key.sizeof), seed);
          const vb = makeValid(spec.value, rnd.subarray(spec.key.sizeof), seed >> 1);
          const key = spec.key.decode(kb) as Record<string, unknown>;
          const value = spec.value.decode(vb) as Record<string, unknown>;
          if (spec.def.kind === 'service' && (key.scope as number) > 1) continue; // LB_LOOKUP_SCOPE_{EXT,INT} only
          const text = ciliumKeyString(spec, key);
          if (seen.has(text)) continue; // the CLI's own map would collapse these
          seen.add(text);
          originals.push({ key, value });
        } catch {
          // bytes no map holds
        }
      }
      expect(originals.length).toBeGreaterThan(20);
      const rows = originals.map((o) => [ciliumKeyString(spec, o.key), ciliumValueString(spec, o.value, o.key)] as const);
      const [t1, t2] = ciliumListTitles(spec);
      // Both printers: `bpf … list` and `map get` (with the State column).
      const list = ciliumTable(t1, t2, rows);
      const get = ciliumMapGetTable(rows.map(([key, value]) => ({ key, value, state: 'sync', error: '' })));
      for (const text of [list, get]) {
        // Where two maps print alike (cilium_ipcache and _v2 in v1.18 – v1.19), the map is named.
        const { records, summary } = readCiliumText(text, { version: v, map: def.name });
        expect(summary.issues.map((i) => i.message)).toEqual([]);
        expect(records).toHaveLength(originals.length);
        records.forEach((r, i) => {
          const o = originals[i]!;
          expect(r.map).toBe(spec.name);
          const skip = new Set(notPrinted(spec, v, o.value));
          for (const part of ['key', 'value'] as const) {
            const schema = part === 'key' ? spec.key : spec.value;
            for (const f of schema.layout) {
              if (f.padding) continue;
              const where = `${def.name} v${v} row ${i} ${part}.${f.name} (${rows[i]!.join(' | ')})`;
              if (skip.has(f.name)) {
                expect(r[part], where).not.toHaveProperty(f.name);
                continue;
              }
              expect(r[part], `${where} missing`).toHaveProperty(f.name);
              expectSame(r[part]![f.name], o[part][f.name], where);
            }
          }
        });
      }
    });
  }
});

describe('decode-map with Cilium text input', () => {
  it('auto-detects `bpf ipcache list` and `bpf lb list`, and --input-format cilium-text forces it', async () => {
    const { spawnSync } = await import('node:child_process');
    const { cliPath, ensureCliBuilt } = await import('../integration/cli');
    ensureCliBuilt();
    const run = (args: string[], input: string) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', input });
    const ipc = 'IP PREFIX/ADDRESS   IDENTITY\n10.0.2.158/32       identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=<none>   \n';
    for (const args of [['--cilium-version', '1.17'], ['--cilium-version', '1.17', '--input-format', 'cilium-text']]) {
      const r = run([...args, '-o', 'ndjson'], ipc);
      expect(r.status).toBe(0);
      const rec = JSON.parse(r.stdout) as { map: string; key: { cidr: string }; value: { sec_identity: number; tunnel_endpoint: string } };
      expect(rec.map).toBe('cilium_ipcache');
      expect(rec.key.cidr).toBe('10.0.2.158/32');
      expect(rec.value).toMatchObject({ sec_identity: 13789, tunnel_endpoint: '172.18.0.5' });
    }
    // `bpf lb list`: the master row's flags come back from their names.
    const lb = '10.96.0.10:53/UDP (0)   0.0.0.0:0 (2) (0) [NodePort, Local] \n10.96.0.10:53/UDP (1)   10.0.2.230:53/UDP (2) (1)   \n';
    const r = run(['--cilium-version', '1.17', '-o', 'ndjson'], lb);
    expect(r.status).toBe(0);
    const [m, s] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: Record<string, unknown>; value: Record<string, unknown>; backend?: unknown });
    expect(m!.key).toMatchObject({ address: '10.96.0.10', dport: 53, proto: 17, backend_slot: 0 });
    expect(m!.value).toMatchObject({ rev_nat_index: 2, flags: { raw: 0x46 } });
    expect(s!.key).toMatchObject({ backend_slot: 1 });
    // An unreadable row: reported, exit 1.
    const bad = run(['--input-format', 'cilium-text'], 'IP PREFIX/ADDRESS   IDENTITY\n10.0.2.158/32   what is this\n');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/line 2: not a row/);
  }, 120_000);
});

/**
 * The repo's conntrack/NAT/metrics fixtures (test/fixtures/ct/<version>/, captured on a real kernel
 * by scripts/capture-ct-fixtures.mjs) decode field-exact in every bpftool output form: same entry
 * count as the truth, every truth field equal, the key's connection (client/server, NAT from/to)
 * equal to the scenario that made the entry, records re-encode to the dumped bytes, per-CPU values
 * and their sum exact.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bpftool/hex';
import { resolveMap } from '../../src/cilium/catalog';
import { decodeDumpText } from '../../src/decode/decode-dump';
import { plain } from '../helpers/ct';
import { repoRoot } from '../helpers/shared';

const base = join(repoRoot, 'test', 'fixtures', 'ct');
const versions = existsSync(base) ? readdirSync(base) : [];

interface Truth {
  map: string;
  kind: string;
  key: Record<string, unknown>;
  value?: Record<string, unknown>;
  values?: { cpu: number; count: string; bytes: string }[];
  key_hex: string;
  value_hex?: string;
  values_hex?: string[];
  client?: string;
  server?: string;
  from?: string;
  to?: string;
  direction?: string;
  related?: boolean;
}

const hex = (b: Uint8Array) => bytesToHex(b).replace(/ /g, '');

describe('captured CT/NAT/metrics fixtures', () => {
  it('exist for the three layouts captured (v1.10 CE-A, v1.16 CE-C, main CE-D)', () => {
    expect(versions.sort()).toEqual(['1.10', '1.16', 'main']);
  });

  for (const version of versions) {
    const dir = join(base, version);
    const read = (f: string) => {
      const raw = readFileSync(join(dir, f));
      return (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    };
    const maps = readdirSync(dir).filter((f) => f.endsWith('.truth.jsonl.gz')).map((f) => f.replace('.truth.jsonl.gz', ''));
    for (const map of maps) {
      const truth = read(`${map}.truth.jsonl.gz`).trim().split('\n').map((l) => JSON.parse(l) as Truth);
      const byKey = new Map(truth.map((t) => [t.key_hex, t]));
      const spec = resolveMap(map, version);
      for (const form of ['dump.txt', 'dump.json.gz', 'dump.pretty.json.gz']) {
        it(`${version} ${map} ${form}: ${truth.length} entries field-exact (${spec.key.label} / ${spec.value.label})`, () => {
          const text = read(`${map}.${form}`);
          const { records, summary } = decodeDumpText(text, { map, version, strict: true });
          expect(summary.skipped).toBe(0);
          expect(records.length).toBe(truth.length);
          const seen = new Set<string>();
          for (const r of records) {
            const kh = hex(spec.key.encode(r.key));
            expect(seen.has(kh), `${kh} twice`).toBe(false);
            seen.add(kh);
            const t = byKey.get(kh)!;
            expect(t, `no truth for key ${kh}`).toBeDefined();
            for (const [k, want] of Object.entries(t.key)) expect(plain(r.key[k]), `${kh} key.${k}`).toEqual(want);
            if (t.value) {
              for (const [k, want] of Object.entries(t.value)) expect(plain(r.value![k]), `${kh} value.${k}`).toEqual(want);
              expect(hex(spec.value.encode(r.value!))).toBe(t.value_hex);
            }
            if (t.values) {
              expect(r.values!.map((cv) => ({ cpu: cv.cpu, count: String(cv.value.count), bytes: String(cv.value.bytes) }))).toEqual(t.values);
              expect(r.values!.map((cv) => hex(spec.value.encode(cv.value)))).toEqual(t.values_hex);
              const sum = (f: 'count' | 'bytes') => String(BigInt.asUintN(64, t.values!.reduce((a, v) => a + BigInt(v[f]), 0n)));
              expect(plain(r.sum!.count)).toBe(sum('count'));
              expect(plain(r.sum!.bytes)).toBe(sum('bytes'));
            }
            if (spec.def.kind === 'ct') {
              // The connection as generated (client → server), not as stored: the swap undone.
              expect({ client: r.key.client, server: r.key.server, direction: r.key.direction, related: (r.key.flags as { related: boolean }).related }).toEqual({
                client: t.client,
                server: t.server,
                direction: t.direction,
                related: t.related,
              });
            }
            if (spec.def.kind === 'nat') {
              expect({ from: r.key.from, to: r.key.to, direction: r.key.direction }).toEqual({ from: t.from, to: t.to, direction: t.direction });
              expect(r.key.union_member).toBe(t.direction === 'OUT' ? 'to_saddr,to_sport' : 'to_daddr,to_dport');
            }
          }
        });
      }
    }
  }
});

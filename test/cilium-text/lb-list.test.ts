/**
 * `cilium-dbg bpf lb list` (default mode: services joined with backends, the -o cilium formatter's
 * ciliumLbListEntry) → service records: addresses, ports, scope, slots, reverse-NAT IDs and the
 * flag names come back for every version's form; backend addresses come back as `backend`.
 */
import { describe, expect, it } from 'vitest';
import { ciliumKeyString, ciliumLbListEntry, ciliumTable, resolveMap } from '../../src/index';
import { readCiliumText } from '../../src/cilium-text/index';
import { mapVersions } from './map-versions';

const VERSIONS = ['1.10', '1.11', '1.12.0', '1.13.16', '1.14.9', '1.15.3', '1.16.0', '1.17', '1.18', 'main'];
/** Flag sets whose names every version prints: one service type (only the first is named), Local, sessionAffinity, routable. */
const FLAGS = [0x40, 0x00, 0x42, 0x46, 0x50, 0x60, 0x41];

describe('bpf lb list → service records', () => {
  for (const { def, v, spec } of mapVersions(['service'], VERSIONS)) {
    it(`${def.name} v${v}`, () => {
      const v6 = def.family === 6;
      const backendMap = resolveMap(v6 ? 'lb6-backends' : 'lb4-backends', v.startsWith('1.1') && Number(v.split('.')[1]) < 13 ? undefined : v);
      const rows: [string, string[]][] = [];
      const want: { key: Record<string, unknown>; value: Record<string, unknown>; backend?: Record<string, unknown> }[] = [];
      for (let s = 0; s < 12; s++) {
        const address = v6 ? `fd00::${s + 1}` : `10.96.0.${s + 1}`;
        const base = { address, dport: 53 + s, proto: s % 2 ? 17 : 6, scope: s % 3 === 0 ? 1 : 0 };
        const flags = FLAGS[s % FLAGS.length]!;
        const entries: string[] = [];
        for (let slot = 0; slot <= 2; slot++) {
          const key = spec.key.decode(spec.key.encode({ ...base, backend_slot: slot })) as Record<string, unknown>;
          const value = spec.value.decode(spec.value.encode({ backend_id: slot ? 100 + s * 3 + slot : 0, count: 2, rev_nat_index: s + 1, flags: slot ? 0 : flags })) as Record<string, unknown>;
          const backend = slot ? (backendMap.value.decode(backendMap.value.encode({ address: v6 ? `fd01::${slot}` : `10.0.${s}.${slot}`, port: 8000 + slot, proto: base.proto })) as Record<string, unknown>) : undefined;
          entries.push(ciliumLbListEntry(spec, key, value, backend));
          want.push({ key, value, backend });
          // Versions whose key has the slot suffix group each slot on its own row.
          rows.push([ciliumKeyString(spec, key), [entries[entries.length - 1]!]]);
        }
      }
      const text = ciliumTable('SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)', rows);
      const { records, summary } = readCiliumText(text, { version: v });
      expect(summary.issues.map((i) => i.message)).toEqual([]);
      expect(records).toHaveLength(want.length);
      const minor = v === 'main' ? 99 : Number(v.split('.')[1]);
      records.forEach((r, i) => {
        const w = want[i]!;
        const where = `${def.name} v${v} row ${i}: ${rows[i]!.join(' | ')}`;
        expect(r.map, where).toBe(def.name);
        expect(r.key, where).toMatchObject({ address: w.key.address, dport: w.key.dport, scope: w.key.scope });
        if (minor >= 17) expect(r.key.proto, where).toBe(w.key.proto);
        const slot = w.key.backend_slot as number;
        // A slot row before v1.12 does not print its slot.
        if (slot === 0 || minor >= 12) expect(r.key.backend_slot, where).toBe(slot);
        expect(r.value!.rev_nat_index, where).toBe(w.value.rev_nat_index);
        if (slot === 0) {
          expect((r.value!.flags as { raw: number }).raw, where).toBe((w.value.flags as { raw: number }).raw);
          expect(r.value).not.toHaveProperty('backend_id');
        } else {
          const b = (r as { backend?: Record<string, unknown> }).backend;
          expect(b, where).toMatchObject({ address: w.backend!.address, port: w.backend!.port });
        }
      });
    });
  }
});

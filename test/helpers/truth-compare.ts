/** Compares a decoded record with a fixture truth object (the fixture's field names are its own). */
import { expect } from 'vitest';

/** The Cilium version whose layout the fixture generator wrote, per map. */
export const fixtureVersions: Record<string, string> = {
  cilium_ipcache: '1.14.0', // node_id in the value (RE-B) and a u8 cluster_id key (IK-B)
  cilium_lxc: '1.16', // sec_id, no parent_ifindex (EI-B)
  cilium_lb4_services_v2: '1.16', // pad, not qcount (SV-B)
  cilium_lb4_backends_v2: '1.12', // state byte (BE-B)
  cilium_lb4_backends_v3: '1.16', // zone (BE-E)
  cilium_lb4_reverse_nat: '1.16',
};

export function compareTruth(truth: Record<string, unknown>, rec: Record<string, unknown>, where: string): void {
  for (const [k, want] of Object.entries(truth)) {
    if (k === 'pad') continue; // padding is not part of a record; byte round trips cover it
    if (k === 'prefix_len') {
      expect(rec.prefixlen, `${where}.prefixlen`).toBe((want as number) + 32);
      continue;
    }
    expect(rec, `${where} lacks ${k}`).toHaveProperty(k);
    const got = rec[k];
    if (got !== null && typeof got === 'object' && 'raw' in got) expect((got as { raw: number }).raw, `${where}.${k}`).toBe(want);
    else expect(got, `${where}.${k}`).toEqual(want);
  }
}

/**
 * De-duplication is per map: equal entries in two maps of one multi-map dump (`bpftool map dump
 * name X` when several maps share the name) are two entries, not a repeat; the same map dumped
 * twice still is a repeat.
 */
import { describe, expect, it } from 'vitest';
import { decodeDumpText } from '../../src/index';
import { readShared } from '../helpers/shared';

describe('de-duplication per map', () => {
  it('btf_dump_byname_multi: maps 30 and 42 hold the same entry; both come out, none is a repeat', () => {
    const text = readShared('fixtures', 'bpftool-formats', 'btf_dump_byname_multi.out');
    const { records, summary } = decodeDumpText(text, { map: 'cilium_lb4_backends_v2' });
    const ids = records.map((r) => (r.key as { backend_id: number }).backend_id);
    expect(ids.filter((id) => id === 7).length).toBeGreaterThanOrEqual(2);
    expect(summary.repeatedKeys).toBe(0);
  });

  it('two sections of one map id, or headerless text fed twice, are repeats', () => {
    const section = '30: hash  name cilium_lb4_back  flags 0x0\nkey: 07 00 00 00  value: 0a 00 01 05 00 35 11 00\nFound 1 element\n\n';
    const twice = decodeDumpText(section + section, { map: 'cilium_lb4_backends_v2' });
    expect(twice.records).toHaveLength(1);
    expect(twice.summary.repeatedKeys).toBe(1);
    const bare = 'key: 07 00 00 00  value: 0a 00 01 05 00 35 11 00\n';
    const fed = decodeDumpText(bare + bare, { map: 'cilium_lb4_backends_v2' });
    expect(fed.records).toHaveLength(1);
    expect(fed.summary.repeatedKeys).toBe(1);
  });

  it('equal keys under two map ids with different values are both kept, not "changed"', () => {
    const a = '30: hash  name cilium_lb4_back  flags 0x0\nkey: 07 00 00 00  value: 0a 00 01 05 00 35 11 00\nFound 1 element\n\n';
    const b = '42: hash  name cilium_lb4_back  flags 0x0\nkey: 07 00 00 00  value: 0a 00 01 06 00 35 11 00\nFound 1 element\n\n';
    const { records, summary } = decodeDumpText(a + b, { map: 'cilium_lb4_backends_v2' });
    expect(records).toHaveLength(2);
    expect(summary.repeatedKeys).toBe(0);
    expect(summary.changedKeys).toBe(0);
  });
});

/**
 * Dumps of a map that changes while bpftool walks it (bpftool-formats.md §1.6 and §1.7): keys
 * repeat when get_next_key restarts from the first key, and a key deleted between get_next_key
 * and lookup is printed with `<no entry>` (or another strerror text) instead of a value.
 * The reader passes all of it through, in order; de-duplication happens later, not here.
 */
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../../src/bpftool/parse';
import type { DumpEvent, RawEntry } from '../../src/bpftool/events';
import { bytesToHex } from '../../src/bpftool/hex';
import { readShared } from '../helpers/shared';

const entries = (events: DumpEvent[]): RawEntry[] =>
  events.filter((e): e is Extract<DumpEvent, { kind: 'entry' }> => e.kind === 'entry').map((e) => e.entry);

describe('a dump taken under churn', () => {
  it('passes duplicate keys through as separate entries, in order, and keeps the trailer count', () => {
    // A backends_v2 dump (form A) in which get_next_key restarted twice from the first key.
    const lines = readShared('fixtures', 'generated', 'cilium_lb4_backends_v2.dump.txt').trimEnd().split('\n');
    const body = lines.slice(0, -1);
    const churned = [...body.slice(0, 30), ...body.slice(0, 50), ...body.slice(0, 10), ...body.slice(10)];
    const found = `Found ${churned.length} elements`;
    const events = parseDumpText([...churned, found].join('\n') + '\n');
    const got = entries(events);
    expect(got).toHaveLength(churned.length);
    // Keys of 4 and values of 8 bytes have no 8-byte gap (§1.1): bytesToHex reprints the lines.
    expect(got.map((e) => `key: ${bytesToHex(e.key)}  value: ${bytesToHex(e.value!)}`)).toEqual(churned);
    expect(got.map((e) => e.line)).toEqual(churned.map((_, i) => i + 1));
    const distinct = new Set(got.map((e) => bytesToHex(e.key)));
    expect(distinct.size).toBe(body.length);
    expect(events.at(-1)).toEqual({ kind: 'trailer', count: churned.length, line: churned.length + 1 });
  });

  it('turns `<no entry>` and strerror texts into entries with error, in every layout of print_entry_error_msg', () => {
    const text = [
      // form A: key 4 + strlen("<no entry>") 10 <= 24
      'key: 07 00 00 00  value: 11 22 33 44 55 66 77 88',
      'key: 20 3b 01 00  value: <no entry>',
      // a 20-byte key (cilium_lxc shape) breaks the names
      'key:',
      '00 01 8b bc 00 00 00 00  00 00 00 00 00 00 00 00',
      '01 00 00 00',
      'value:',
      '<no entry>',
      // key 16 + 10 > 24 but both <= 16: two lines
      'key: 01 02 03 04 05 06 07 08  09 0a 0b 0c 0d 0e 0f 10',
      'value: <no entry>',
      // a strerror text longer than 16 characters breaks the names too
      'key:',
      '72 51 02 00',
      'value:',
      'No such file or directory',
      'key: 08 00 00 00  value: 01 02 03 04 05 06 07 08',
      'Found 2 elements',
    ].join('\n');
    const events = parseDumpText(text);
    expect(events.map((e) => e.kind)).toEqual(['entry', 'entry', 'entry', 'entry', 'entry', 'entry', 'trailer']);
    const got = entries(events);
    expect(got.map((e) => [e.line, bytesToHex(e.key), e.error ?? bytesToHex(e.value!)])).toEqual([
      [1, '07 00 00 00', '11 22 33 44 55 66 77 88'],
      [2, '20 3b 01 00', '<no entry>'],
      [3, '00 01 8b bc 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00', '<no entry>'],
      [8, '01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10', '<no entry>'],
      [10, '72 51 02 00', 'No such file or directory'],
      [14, '08 00 00 00', '01 02 03 04 05 06 07 08'],
    ]);
    for (const e of got.filter((x) => x.error !== undefined)) {
      expect(e.value).toBeUndefined();
      expect(e.values).toBeUndefined();
    }
    // The trailer counts successful lookups only (§1.3): 2 here, though 6 entries were printed.
    expect(events.at(-1)).toEqual({ kind: 'trailer', count: 2, line: 15 });
  });

  it('-j error elements {"value":{"error":...}} become entries with error, duplicates included', () => {
    const el = '{"key":["0x72","0x51","0x02","0x00"],"value":{"error":"No such file or directory"}}';
    const ok = '{"key":["0x01","0x00","0x00","0x00"],"value":["0x11","0x22"]}';
    const got = entries(parseDumpText(`[${ok},${el},${ok},${el}]\n`));
    expect(got.map((e) => [bytesToHex(e.key), e.error ?? bytesToHex(e.value!)])).toEqual([
      ['01 00 00 00', '11 22'],
      ['72 51 02 00', 'No such file or directory'],
      ['01 00 00 00', '11 22'],
      ['72 51 02 00', 'No such file or directory'],
    ]);
  });

  it('an error entry of a per-CPU map (print_entry_error_msg has no per-CPU form) is still an entry', () => {
    const text = 'key:\n01 00 00 00\nvalue (CPU 00): 11\nvalue (CPU 01): 22\nkey: 02 00 00 00  value: <no entry>\nFound 1 element\n';
    const got = entries(parseDumpText(text));
    expect(got.map((e) => e.error ?? e.values!.map((v) => bytesToHex(v.value)).join('|'))).toEqual(['11|22', '<no entry>']);
  });
});

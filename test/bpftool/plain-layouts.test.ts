/**
 * The plain reader against a re-implementation of bpftool's printers (bpftool-formats.md §1.1–1.4,
 * §1.6, §3.2: `fprint_hex`, `print_entry_plain`, `print_entry_error_msg`, getnext): any key and
 * value sizes, per-CPU maps with more than 100 CPUs, error entries, long getnext keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../../src/bpftool/parse';
import type { DumpEvent } from '../../src/bpftool/events';
import { BYTE_TO_HEX } from '../../src/bpftool/hex';

/** fprint_hex: a newline before byte i%16==0, two spaces before i%8==0, else one space. */
function fprintHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i > 0) s += i % 16 === 0 ? '\n' : i % 8 === 0 ? '  ' : ' ';
    s += BYTE_TO_HEX[b[i]];
  }
  return s;
}

/** print_entry_plain for ordinary maps (§1.2). */
function printEntry(key: Uint8Array, value: Uint8Array): string {
  const breakNames = key.length > 16 || value.length > 16;
  const singleLine = key.length + value.length <= 24 && !breakNames;
  const sep = breakNames ? '\n' : ' ';
  return `key:${sep}${fprintHex(key)}${singleLine ? '  ' : '\n'}value:${sep}${fprintHex(value)}\n`;
}

/** print_entry_plain for per-CPU maps (§1.4): `CPU %02d`, value on the next line when > 16 bytes. */
function printPerCpu(key: Uint8Array, values: Uint8Array[]): string {
  let s = `key:\n${fprintHex(key)}\n`;
  values.forEach((v, i) => {
    s += `value (CPU ${String(i).padStart(2, '0')}):${v.length > 16 ? '\n' : ' '}${fprintHex(v)}\n`;
  });
  return s;
}

/** print_entry_error_msg (§1.6): the layout rules with strlen(msg) as the value size. */
function printError(key: Uint8Array, msg: string): string {
  const breakNames = key.length > 16 || msg.length > 16;
  const singleLine = key.length + msg.length <= 24 && !breakNames;
  const sep = breakNames ? '\n' : ' ';
  return `key:${sep}${fprintHex(key)}${singleLine ? '  ' : '\n'}value:${sep}${msg}\n`;
}

const found = (n: number) => `Found ${n} element${n === 1 ? '' : 's'}\n`;
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const plainEntries = (events: DumpEvent[]) => events.filter((e) => e.kind === 'entry').map((e) => (e as Extract<DumpEvent, { kind: 'entry' }>).entry);

describe('plain layouts of print_entry_plain', () => {
  it('any key/value sizes (1..64): forms A, B and C round-trip, with the trailer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 6 }),
        fc.infiniteStream(fc.tuple(bytes(64, 64), bytes(64, 64))),
        (ks, vs, n, stream) => {
          const pairs = [...stream.take(n)].map(([k, v]) => [k.slice(0, ks), v.slice(0, vs)] as const);
          const text = pairs.map(([k, v]) => printEntry(k, v)).join('') + found(n);
          const events = parseDumpText(text);
          expect(events.at(-1)).toMatchObject({ kind: 'trailer', count: n });
          const got = plainEntries(events);
          expect(got.map((e) => [Array.from(e.key), Array.from(e.value!)])).toEqual(pairs.map(([k, v]) => [Array.from(k), Array.from(v)]));
          expect(events).toHaveLength(n + 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('per-CPU maps: 1..130 CPUs (CPU 100+ has three digits), values up to 40 bytes', () => {
    fc.assert(
      fc.property(bytes(1, 40), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 130 }), fc.integer(), (key, vs, cpus, seed) => {
        const values = Array.from({ length: cpus }, (_, i) => Uint8Array.from({ length: vs }, (_, j) => (seed + i * 31 + j * 7) & 255));
        const text = printPerCpu(key, values) + printPerCpu(key, values) + found(2);
        const got = plainEntries(parseDumpText(text));
        expect(got).toHaveLength(2);
        expect(Array.from(got[1].key)).toEqual(Array.from(key));
        expect(got[1].values!.map((v) => v.cpu)).toEqual(values.map((_, i) => i));
        expect(got[1].values!.map((v) => Array.from(v.value))).toEqual(values.map((v) => Array.from(v)));
        expect(got[0].value).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('error entries in every layout, mixed with good ones', () => {
    const msgs = ['<no entry>', 'No such file or directory', 'Bad address', 'Operation not permitted', 'Cannot allocate memory'];
    fc.assert(
      fc.property(fc.array(fc.tuple(bytes(1, 40), fc.option(fc.constantFrom(...msgs), { nil: undefined }), bytes(1, 40)), { maxLength: 8 }), (rows) => {
        const text = rows.map(([k, msg, v]) => (msg ? printError(k, msg) : printEntry(k, v))).join('') + found(rows.filter((r) => !r[1]).length);
        const got = plainEntries(parseDumpText(text));
        expect(got.map((e) => [Array.from(e.key), e.error ?? Array.from(e.value!)])).toEqual(rows.map(([k, msg, v]) => [Array.from(k), msg ?? Array.from(v)]));
      }),
      { numRuns: 200 },
    );
  });

  it('getnext with keys of any size wraps every 16 bytes, with and without a key', () => {
    fc.assert(
      fc.property(fc.option(bytes(1, 48), { nil: undefined }), bytes(1, 48), (key, next) => {
        const text = `key:${key ? '\n' + fprintHex(key) : ' None'}\nnext key:\n${fprintHex(next)}\n`;
        const events = parseDumpText(text);
        expect(events).toHaveLength(1);
        const e = events[0] as Extract<DumpEvent, { kind: 'getnext' }>;
        expect(e.kind).toBe('getnext');
        expect(e.key === null ? null : Array.from(e.key)).toEqual(key ? Array.from(key) : null);
        expect(Array.from(e.nextKey)).toEqual(Array.from(next));
      }),
      { numRuns: 100 },
    );
  });

  it('a lookup miss of any key size (§3.1), then more output', () => {
    fc.assert(
      fc.property(bytes(1, 48), (key) => {
        const events = parseDumpText(`key:\n${fprintHex(key)}\n\nNot found\n${found(0)}`);
        expect(events).toEqual([
          { kind: 'not-found', key, line: 1 },
          { kind: 'trailer', count: 0, line: 4 + Math.ceil(key.length / 16) },
        ]);
      }),
      { numRuns: 50 },
    );
  });

  it('an unknown map type and a nameless map in multi-map headers (show_map_header_plain)', () => {
    const text = '7: type 33  flags 0x0\nkey: 01  value: 02\nFound 1 element\n\n8: hash  flags 0x1a\nFound 0 elements\n';
    expect(parseDumpText(text)).toEqual([
      { kind: 'map', header: { id: 7, type: 'type 33', flags: 0 }, line: 1 },
      { kind: 'entry', entry: { key: Uint8Array.of(1), value: Uint8Array.of(2), line: 2, map: { id: 7, type: 'type 33', flags: 0 } } },
      { kind: 'trailer', count: 1, line: 3 },
      { kind: 'map', header: { id: 8, type: 'hash', flags: 0x1a }, line: 5 },
      { kind: 'trailer', count: 0, line: 6 },
    ]);
  });
});

/**
 * Fuzzing: the readers never throw on input content. Random text, random bytes, text built from
 * bpftool's own tokens, and mutated real dumps all produce well-formed events only, and the same
 * events whatever the chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDumpParser, parseDumpText } from '../../src/bpftool/parse';
import type { DumpEvent } from '../../src/bpftool/events';
import { readShared } from '../helpers/shared';

const KINDS = new Set(['entry', 'btf', 'trailer', 'map', 'not-found', 'getnext', 'error', 'noise', 'malformed', 'binary']);

/** Events are well formed: known kinds, lines within the input, bytes as Uint8Array. */
function check(events: DumpEvent[], text: string): void {
  const lines = text.split('\n').length;
  for (const e of events) {
    expect(KINDS.has(e.kind)).toBe(true);
    const line = e.kind === 'entry' ? e.entry.line : e.line;
    expect(Number.isInteger(line) && line >= 1 && line <= lines, `${e.kind} line ${line} of ${lines}`).toBe(true);
    if (e.kind === 'entry') {
      expect(e.entry.key).toBeInstanceOf(Uint8Array);
      expect(e.entry.value !== undefined || e.entry.values !== undefined || e.entry.error !== undefined).toBe(true);
    }
    if (e.kind === 'malformed') expect(e.reason.length).toBeGreaterThan(0);
  }
}

function chunked(bytes: Uint8Array, cuts: number[]): DumpEvent[] {
  const out: DumpEvent[] = [];
  const p = createDumpParser((e) => out.push(e));
  const pts = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  for (let i = 1; i < pts.length; i++) p.push(bytes.subarray(pts[i - 1], pts[i]));
  p.end();
  return out;
}

/** Pieces of bpftool output, so random text hits the interesting paths often. */
const TOKENS = [
  'key:', 'key: ', 'value:', 'value: ', 'value (CPU 01): ', 'value (CPU 100):', 'next key:', 'key: None', 'Found 3 elements',
  'Found 1 element', 'Not found', 'Error: x', '<no entry>', '29: hash  name x  flags 0x0', '0a', '00', 'ff', ' ', '  ', '\n',
  '\r\n', '\t', '[', ']', '{', '}', ',', ':', '"key"', '"value"', '"values"', '"next_key"', '"formatted"', '"elements"',
  '"error"', '"cpu"', '"0x0a"', '"0x0"', '"x\\\'y"', '"\\u00e9"', '"\\', '0x1', '(nil)', 'null', 'true', '-3', '18446744073709551615',
  '"id"', '"output"', '"command"', '"lookup"', 'é', '🚀', 'Defaulted container "cilium-agent"', 'processed 2 commands',
];
const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((a) => a.join(''));

const fixtures = [
  'dump_ipcache.out', 'dump_lxc.out', 'dump_pcpu_big.out', 'dump_byname_multi.out', 'jdump_byname_multi.out', 'pdump_pcpu.out',
  'btf_dump_btf_misc.out', 'btf_dump_lxc.out', 'btf_jdump_misc.out', 'err_lpm_missing.out', 'getnext_ipcache.out', 'batch_json.out',
].map((f) => readShared('fixtures', 'bpftool-formats', f));

/** A real dump with a few random edits: deletions, insertions, duplications, truncation. */
const mutated = fc
  .tuple(
    fc.constantFrom(...fixtures),
    fc.array(
      fc.tuple(fc.constantFrom('delete', 'insert', 'duplicate', 'replace', 'truncate'), fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...TOKENS)),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([text, edits]) => {
    let s = text;
    for (const [op, at, len, tok] of edits) {
      const p = s.length === 0 ? 0 : at % s.length;
      if (op === 'delete') s = s.slice(0, p) + s.slice(p + len);
      else if (op === 'insert') s = s.slice(0, p) + tok + s.slice(p);
      else if (op === 'duplicate') s = s.slice(0, p + len) + s.slice(p, p + len) + s.slice(p + len);
      else if (op === 'replace') s = s.slice(0, p) + tok + s.slice(p + tok.length);
      else s = s.slice(0, p);
    }
    return s;
  });

const enc = new TextEncoder();
const utf8 = (s: string): string => new TextDecoder().decode(enc.encode(s));
const cutsArb = fc.array(fc.nat({ max: 4000 }), { maxLength: 12 });

describe('the readers never throw on input content', () => {
  it('random unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => check(parseDumpText(s), s)),
      { numRuns: 400 },
    );
  });

  it('random bytes, in random chunks (invalid UTF-8 included)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), cutsArb, (b, cuts) => {
        const whole = chunked(b, []);
        check(whole, new TextDecoder().decode(b));
        expect(chunked(b, cuts)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  for (const format of ['auto', 'plain', 'json'] as const) {
    it(`text made of bpftool tokens (format ${format}), whole and chunked`, () => {
      fc.assert(
        fc.property(tokenText, cutsArb, (s, cuts) => {
          const whole = parseDumpText(s, { format });
          check(whole, s);
          const out: DumpEvent[] = [];
          const p = createDumpParser((e) => out.push(e), { format });
          const bytes = enc.encode(s);
          const pts = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
          for (let i = 1; i < pts.length; i++) p.push(bytes.subarray(pts[i - 1], pts[i]));
          p.end();
          expect(out).toEqual(whole);
        }),
        { numRuns: 400 },
      );
    });
  }

  it('mutated real dumps, whole and chunked', () => {
    fc.assert(
      fc.property(mutated, cutsArb, (raw, cuts) => {
        // Edits may split a surrogate pair; compare with the text the UTF-8 bytes stand for.
        const s = utf8(raw);
        const whole = parseDumpText(s);
        check(whole, s);
        expect(chunked(enc.encode(s), cuts)).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('push() after end() is a programmer error, and end() twice is harmless', () => {
    const p = createDumpParser(() => {});
    p.end();
    p.end();
    expect(() => p.push('x')).toThrow(/after end/);
  });
});

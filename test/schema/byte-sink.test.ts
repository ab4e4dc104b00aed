/** ByteSink writes exactly the bytes of String(n) / JSON.stringify(s), and grows without losing any. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSink } from '../../src/schema/byte-sink';

const text = (f: (s: ByteSink) => void, size = 1): string => {
  const s = new ByteSink(size);
  f(s);
  return s.text();
};

describe('ByteSink', () => {
  it('number(): String(n) for every finite number, digits written directly for safe integers', () => {
    const edges = [0, -0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, 1.5, -0.1, 5e-324, Number.MAX_VALUE];
    for (const n of edges) expect(text((s) => s.number(n))).toBe(String(n));
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true })), (n) => {
        expect(text((s) => s.number(n))).toBe(String(n));
      }),
      { numRuns: 5000 },
    );
  });

  it('jsonString(): JSON.stringify(s) for any string (escapes, non-ASCII, lone surrogates) as UTF-8', () => {
    for (const v of ['', 'a"b', 'a\\b', '\n', '\u007f', '\u2028', '\ud800', 'é', '10.0.0.1/32']) expect(text((s) => s.jsonString(v))).toBe(JSON.stringify(v));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(text((s) => s.jsonString(a))).toBe(JSON.stringify(a));
        expect(text((s) => s.jsonString(b))).toBe(JSON.stringify(b));
      }),
      { numRuns: 3000 },
    );
  });

  it('string(): any string as UTF-8 (ASCII copied, anything else through the encoder, lone surrogates as U+FFFD)', () => {
    for (const v of ['', 'abc', 'é', '😀', 'a\ud800b', 'x'.repeat(70_000) + 'é']) expect(text((s) => s.string(v))).toBe(new TextDecoder().decode(new TextEncoder().encode(v)));
  });

  it('grows from zero or one byte across mixed writes, and view/text empty it', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 300 })), { maxLength: 60 }), fc.constantFrom(0, 1), fc.boolean(), (parts, size, raw) => {
        const s = new ByteSink(size);
        let want = '';
        for (const p of parts) {
          if (typeof p === 'number') s.number(p);
          else if (raw) s.string(p);
          else s.jsonString(p);
          s.byte(44);
          want += `${typeof p === 'number' ? String(p) : raw ? new TextDecoder().decode(new TextEncoder().encode(p)) : JSON.stringify(p)},`;
        }
        const bytes = s.view();
        expect(new TextDecoder().decode(bytes)).toBe(want);
        expect(s.pos).toBe(0);
        s.ascii('abc');
        expect(s.text()).toBe('abc');
        expect(s.text()).toBe('');
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * The text fast path's entry matcher: the generated `template.match` must say exactly what the
 * interpreted `matchEntry` says (match or not, and the same key and value bytes on a match), for
 * every template form and a spread of key/value sizes, over valid entry text (any hex case) and
 * text with bytes changed anywhere.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTemplate, matchEntry, type TemplateForm } from '../../src/bpftool/fixed-text';
import { NO_EVAL_ENV } from '../../src/compile/eval-policy';

/** The text of one entry of template `t` holding `key`/`value`, hex digits in the given case. */
function entryText(form: TemplateForm, key: Uint8Array, value: Uint8Array, upper: boolean): Uint8Array {
  const t = buildTemplate(form, key.length, value.length);
  const out = new Uint8Array(t.length);
  t.litOff.forEach((off, i) => (out[off] = t.litVal[i]!));
  const put = (offs: Uint16Array, bytes: Uint8Array) =>
    offs.forEach((off, i) => {
      const h = bytes[i]!.toString(16).padStart(2, '0');
      const s = upper ? h.toUpperCase() : h;
      out[off] = s.charCodeAt(0);
      out[off + 1] = s.charCodeAt(1);
    });
  put(t.keyDigits, key);
  put(t.valueDigits, value);
  return out;
}

afterEach(() => vi.unstubAllEnvs());

describe('template.match = matchEntry', () => {
  const sizes: [number, number][] = [[1, 1], [2, 4], [4, 8], [12, 12], [14, 56], [16, 8], [17, 3], [24, 12], [24, 24], [38, 40], [4, 32]];
  for (const form of ['plain', 'json', 'pretty'] as const) {
    it(`${form}: valid and mutated entries, at an offset`, () => {
      for (const [ks, vs] of sizes) {
        const t = buildTemplate(form, ks, vs);
        expect(t.match.toString()).toMatch(/^function match\(b, p, k, v\)/);
        fc.assert(
          fc.property(
            fc.uint8Array({ minLength: ks, maxLength: ks }),
            fc.uint8Array({ minLength: vs, maxLength: vs }),
            fc.boolean(),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
            fc.nat(5),
            (key, value, upper, flips, at) => {
              const text = entryText(form, key, value, upper);
              for (const [i, b] of flips) text[i % text.length] = b;
              const buf = new Uint8Array(at + text.length + 2).fill(0x20);
              buf.set(text, at);
              const k1 = new Uint8Array(ks), v1 = new Uint8Array(vs), k2 = new Uint8Array(ks), v2 = new Uint8Array(vs);
              const want = matchEntry(t, buf, at, k1, v1);
              expect(t.match(buf, at, k2, v2)).toBe(want);
              if (want) {
                expect(k2).toEqual(k1);
                expect(v2).toEqual(v1);
                if (flips.length === 0) {
                  expect(k2).toEqual(key);
                  expect(v2).toEqual(value);
                }
              }
              if (flips.length === 0) expect(want).toBe(true);
            },
          ),
          { numRuns: 150 },
        );
      }
    });
  }

  it('generated code only where eval may run: the interpreted matcher otherwise', () => {
    expect(buildTemplate('plain', 24, 12).match.toString()).toMatch(/function match\(b, p, k, v\)/);
    vi.stubEnv(NO_EVAL_ENV, '1');
    const t = buildTemplate('plain', 24, 12);
    expect(t.match.toString()).toMatch(/matchEntry/);
    const text = entryText('plain', new Uint8Array(24).fill(0xab), new Uint8Array(12).fill(0x0c), false);
    const k = new Uint8Array(24), v = new Uint8Array(12);
    expect(t.match(text, 0, k, v)).toBe(true);
    expect([k[0], v[11]]).toEqual([0xab, 0x0c]);
  });
});

describe('templates are made once per shape', () => {
  it('the same template object (and generated matcher) for the same form and sizes', () => {
    expect(buildTemplate('plain', 24, 12)).toBe(buildTemplate('plain', 24, 12));
    expect(buildTemplate('json', 24, 12)).not.toBe(buildTemplate('plain', 24, 12));
    expect(buildTemplate('plain', 24, 24)).not.toBe(buildTemplate('plain', 24, 12));
  });
});

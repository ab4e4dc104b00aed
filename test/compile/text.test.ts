/**
 * Proof by exhaustion that the compiled decoders' address text is the package's one formatter's
 * text (src/schema/ip-text.ts): the inlined IPv4 and MAC expressions return exactly what `formatIPv4` and
 * `formatMac` return, and the table-driven `formatIPv6` returns what the obvious RFC 5952 loop
 * (kept below as the oracle) returns.
 *
 * - IPv4/MAC: each output piece depends on one byte only, so every byte value in every position
 *   (with the other bytes random) covers every piece.
 * - IPv6: a group's text depends only on its 16-bit value, and where `::` goes depends only on
 *   which of the 8 groups are zero. So: all 65,536 values in every group position, all 256
 *   zero-group masks (with non-zero groups of every text length), and the IPv4-mapped rule with
 *   each of its conditions flipped.
 */
import { describe, expect, it } from 'vitest';
import { compileDecoder } from '../../src/compile/compile-decoder';
import { DEC, DEC_DOT, HEX2, HEX2_COLON, formatIPv6 as formatIPv6Fast } from '../../src/schema/ip-text';
import { defineStruct, formatIPv4, formatMac, ipv4, ipv6, mac } from '../../src/schema/index';
import { rng } from './harness';

/**
 * The obvious RFC 5952 loop (what ip-text.ts used before it became table-driven): the oracle the
 * table-driven formatter must match exactly.
 */
function formatIPv6(b: Uint8Array, off = 0): string {
  const g = Array.from({ length: 8 }, (_, i) => (b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += g[i]!.toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

const rand = rng(0x5eed);

describe('IPv4 text', () => {
  const s = defineStruct({ name: 'v4', header: 'test', sizeof: 4, fields: { a: ipv4 } });
  const gen = compileDecoder(s);
  const clo = compileDecoder(s, { noEval: true });
  it('every byte value in every position: generated, closure and formatIPv4 agree', () => {
    const b = new Uint8Array(4);
    for (let pos = 0; pos < 4; pos++) {
      for (let v = 0; v < 256; v++) {
        for (let i = 0; i < 4; i++) b[i] = rand() & 0xff;
        b[pos] = v;
        const want = formatIPv4(b, 0);
        expect(want).toBe(`${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
        expect(gen.decode(b).a).toBe(want);
        expect(clo.decode(b).a).toBe(want);
        expect(DEC_DOT[v]).toBe(`${DEC[v]}.`);
      }
    }
  });
});

describe('MAC text', () => {
  const s = defineStruct({ name: 'm', header: 'test', sizeof: 8, fields: { m: mac } });
  const gen = compileDecoder(s);
  const clo = compileDecoder(s, { noEval: true });
  it('every byte value in every position: generated, closure and formatMac agree', () => {
    const b = new Uint8Array(8);
    for (let pos = 0; pos < 6; pos++) {
      for (let v = 0; v < 256; v++) {
        for (let i = 0; i < 6; i++) b[i] = rand() & 0xff;
        b[pos] = v;
        const want = formatMac(b, 0);
        expect(want).toBe(Array.from(b.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join(':'));
        expect(gen.decode(b).m).toBe(want);
        expect(clo.decode(b).m).toBe(want);
        expect(HEX2_COLON[v]).toBe(`${HEX2[v]}:`);
      }
    }
  });
});

describe('IPv6 text', () => {
  const b = new Uint8Array(16);
  const setGroup = (g: number, v: number) => {
    b[2 * g] = v >> 8;
    b[2 * g + 1] = v & 0xff;
  };
  const nonZero = () => (rand() % 0xffff) + 1;

  it('all 65,536 values of every group (others random, some zero)', () => {
    let mismatches = 0;
    for (let g = 0; g < 8; g++) {
      for (let i = 0; i < 8; i++) setGroup(i, rand() % 3 === 0 ? 0 : nonZero());
      for (let v = 0; v < 0x10000; v++) {
        setGroup(g, v);
        if (formatIPv6Fast(b, 0) !== formatIPv6(b, 0)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('all 256 zero-group masks, with non-zero groups of 1 to 4 hex digits', () => {
    const fills = [0x1, 0xf, 0x10, 0xff, 0x100, 0xfff, 0x1000, 0xffff];
    for (let mask = 0; mask < 256; mask++) {
      for (const fill of [...fills, -1]) {
        for (let g = 0; g < 8; g++) setGroup(g, (mask >> g) & 1 ? 0 : fill === -1 ? nonZero() : fill);
        expect(formatIPv6Fast(b, 0), `mask ${mask.toString(2)}`).toBe(formatIPv6(b, 0));
      }
    }
  });

  it('IPv4-mapped (::ffff:a.b.c.d) and every near miss of its rule', () => {
    for (let zeros = 0; zeros < 32; zeros++) {
      for (const g5 of [0xffff, 0xfffe, 0xff, 0xff00, 0]) {
        for (let g = 0; g < 5; g++) setGroup(g, (zeros >> g) & 1 ? 0 : nonZero());
        setGroup(5, g5);
        for (let i = 12; i < 16; i++) b[i] = rand() & 0xff;
        expect(formatIPv6Fast(b, 0)).toBe(formatIPv6(b, 0));
        b.fill(0, 12, 16);
        expect(formatIPv6Fast(b, 0)).toBe(formatIPv6(b, 0));
      }
    }
  });

  it('at an offset, and through the generated and closure decoders', () => {
    const s = defineStruct({ name: 'v6', header: 'test', sizeof: 16, fields: { a: ipv6 } });
    const gen = compileDecoder(s);
    const clo = compileDecoder(s, { noEval: true });
    const big = new Uint8Array(64);
    for (let k = 0; k < 2000; k++) {
      for (let i = 0; i < 64; i++) big[i] = rand() % 4 === 0 ? 0 : rand() & 0xff;
      const off = k % 48;
      const want = formatIPv6(big, off);
      expect(formatIPv6Fast(big, off)).toBe(want);
      expect(gen.decode(big, off).a).toBe(want);
      expect(clo.decode(big, off).a).toBe(want);
    }
  });
});

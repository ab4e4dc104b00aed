/**
 * hex.ts: bytes ⇄ bpftool's `key hex` form. Round trips, every accepted spelling, and errors that
 * name the bad token and where it is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_HEX, HEX_DIGIT_VALUE, HexError, bytesToHex, parseHex } from '../../src/bpftool/hex';
import { CodecError } from '../../src/schema/errors';

describe('bytesToHex', () => {
  it("prints bpftool's input form: lowercase pairs, single spaces", () => {
    expect(bytesToHex(Uint8Array.of(0x40, 0, 0, 0, 0x0a))).toBe('40 00 00 00 0a');
    expect(bytesToHex(Uint8Array.of(0xff, 0xab))).toBe('ff ab');
    expect(bytesToHex(new Uint8Array(0))).toBe('');
    expect(bytesToHex(new Uint8Array(20).subarray(3, 5))).toBe('00 00');
  });

  it('tables agree with toString/parseInt for every byte and character', () => {
    for (let b = 0; b < 256; b++) expect(BYTE_TO_HEX[b]).toBe(b.toString(16).padStart(2, '0'));
    for (let c = 0; c < 256; c++) {
      const ch = String.fromCharCode(c);
      expect(HEX_DIGIT_VALUE[c]).toBe(/^[0-9a-fA-F]$/.test(ch) ? parseInt(ch, 16) : -1);
    }
  });
});

describe('parseHex', () => {
  const v = (s: string) => Array.from(parseHex(s));

  it('round-trips any bytes through bytesToHex (and through every spelling)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const arr = Array.from(b);
        expect(Array.from(parseHex(bytesToHex(b)))).toEqual(arr);
        expect(v(Array.from(b, (x) => BYTE_TO_HEX[x]).join(''))).toEqual(arr);
        expect(v(Array.from(b, (x) => '0x' + BYTE_TO_HEX[x]).join(' '))).toEqual(arr);
        expect(v(Array.from(b, (x) => '0X' + BYTE_TO_HEX[x].toUpperCase()).join('\t\n  '))).toEqual(arr);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts the spellings people paste', () => {
    const want = [0x0a, 0x0a, 0x01, 0x9b];
    for (const s of ['0a0a019b', '0x0a 0x0a 0x01 0x9b', '0a 0a 01 9b', '  0a  0a\t01\n9b  ', '0A0A019B', '0x0a0a019b', '0a0a 019b', '0x0a0a 0x019b']) {
      expect(v(s), s).toEqual(want);
    }
    // One digit is one byte, as bpftool's strtoul(.., 16) reads `key hex 1 0 0 0`.
    expect(v('1 0 0 0')).toEqual([1, 0, 0, 0]);
    expect(v('0x1 a')).toEqual([1, 10]);
    // fprint_hex output, with its double spaces and line breaks, reads back too.
    expect(v('40 00 00 00 00 00 00 01  0a 00 01 05 00 00 00 00\n00 00 00 00 00 00 00 00')).toHaveLength(24);
    expect(v('')).toEqual([]);
    expect(v(' \n\t ')).toEqual([]);
  });

  it('returns a fresh array of exactly the bytes', () => {
    const a = parseHex('01 02 03');
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(3);
    expect(a.buffer.byteLength).toBe(3);
  });

  it('throws HexError (a CodecError) naming the bad token and its position', () => {
    const err = (s: string): HexError => {
      try {
        parseHex(s);
      } catch (e) {
        return e as HexError;
      }
      throw new Error(`no error for ${JSON.stringify(s)}`);
    };
    const e1 = err('01 00 00 zz');
    expect(e1).toBeInstanceOf(HexError);
    expect(e1).toBeInstanceOf(CodecError);
    expect(e1.name).toBe('HexError');
    expect(e1.token).toBe('zz');
    expect(e1.tokenIndex).toBe(3);
    expect(e1.offset).toBe(9);
    expect(e1.message).toBe('cilium-map-codec: invalid hex token "zz" (token 4, character 10): "z" at character 10 is not a hex digit');

    expect(err('0a0a0').message).toMatch(/"0a0a0" \(token 1, character 1\): odd number of hex digits \(5\)/);
    expect(err('0a 0x').message).toMatch(/"0x" \(token 2, character 4\): a 0x prefix needs hex digits/);
    expect(err('0a 0x0g').message).toMatch(/"0x0g" .*"g" at character 7 is not a hex digit/);
    expect(err('0a,0b').token).toBe('0a,0b');
    expect(err('0a\u00e90b').message).toMatch(/"é" at character 3 is not a hex digit/);
    expect(err('12 -1').tokenIndex).toBe(1);
  });

  it('never throws anything but HexError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseHex(s);
        } catch (e) {
          expect(e).toBeInstanceOf(HexError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * The memoised two-byte text tables of the formatters, checked by exhaustion against independent
 * spellings (`String`, `toString(16)`, the URL parser): every 16-bit value in every pair position
 * of IPv4 and MAC, every group value in every IPv6 position (others varied, with and without zero
 * runs). Each value is formatted twice, so both the first (filling) and the memoised path answer.
 */
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, formatMac } from '../../src/schema/ip-text';

const hex2 = (x: number) => x.toString(16).padStart(2, '0');
const twice = (f: (b: Uint8Array, off?: number) => string, b: Uint8Array, off = 0): string => {
  const first = f(b, off);
  return f(b, off) === first ? first : `${first} then ${f(b, off)}`;
};

describe('pair tables, by exhaustion', () => {
  it('IPv4: every 16-bit value in both halves', () => {
    const b = new Uint8Array(4);
    let bad = 0;
    for (let half = 0; half < 2; half++) {
      for (let v = 0; v < 65536; v++) {
        b[0] = (v * 7) & 0xff;
        b[1] = (v * 13) & 0xff;
        b[2] = (v * 29) & 0xff;
        b[3] = (v * 31) & 0xff;
        b[2 * half] = v >> 8;
        b[2 * half + 1] = v & 0xff;
        if (twice(formatIPv4, b) !== `${b[0]}.${b[1]}.${b[2]}.${b[3]}`) bad++;
      }
    }
    expect(bad).toBe(0);
  });

  it('MAC: every 16-bit value in each of the three pairs', () => {
    const b = new Uint8Array(6);
    let bad = 0;
    for (let pair = 0; pair < 3; pair++) {
      for (let v = 0; v < 65536; v++) {
        for (let i = 0; i < 6; i++) b[i] = (v * (i + 3) * 17) & 0xff;
        b[2 * pair] = v >> 8;
        b[2 * pair + 1] = v & 0xff;
        if (twice(formatMac, b) !== Array.from(b, hex2).join(':')) bad++;
      }
    }
    expect(bad).toBe(0);
  });

  it('IPv6: every group value in every position, with no zero group and with zero runs', () => {
    const b = new Uint8Array(18);
    let bad = 0;
    for (const zeroMask of [0, 0b01110000, 0b00000011, 0b10000001]) {
      for (let g = 0; g < 8; g++) {
        for (let v = 0; v < 65536; v++) {
          const groups = Array.from({ length: 8 }, (_, i) => ((zeroMask >> i) & 1 ? 0 : ((v * (i + 5) * 2654435761) >>> 16) | 1));
          groups[g] = v;
          for (let i = 0; i < 8; i++) (b[1 + 2 * i] = groups[i]! >> 8), (b[2 + 2 * i] = groups[i]! & 0xff);
          const want = new URL(`http://[${groups.map((x) => x.toString(16)).join(':')}]/`).hostname.slice(1, -1);
          // The URL parser writes IPv4-mapped addresses in hex; those are ip-text.test.ts's business.
          if (want.startsWith('::ffff:')) continue;
          if (twice(formatIPv6, b, 1) !== want) bad++;
        }
      }
    }
    expect(bad).toBe(0);
  });
});

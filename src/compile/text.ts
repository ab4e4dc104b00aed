/**
 * Address text for the compiled decoders: lookup tables, and an IPv6 formatter inlined from
 * `formatIPv6` (`src/schema/ip-text.ts`, the package's one IP formatter, which stays the
 * definition). These exist only because string building dominates a compiled decode: V8 copies a
 * short string on every `+`, so the fewer pieces the faster (measured on Node 20, bench/index.js
 * suite 1; style-anchors.md §7 practice 9, uuid's `byteToHex`).
 *
 * Be careful editing this file: each function must return exactly what its `ip-text.ts` original
 * returns. test/compile/text.test.ts proves it by exhaustion: every byte value in every position
 * for IPv4 and MAC, every u16 group value, and every one of the 256 zero-group patterns of an IPv6
 * address (the only thing `formatIPv6`'s `::` choice depends on), plus the IPv4-mapped form.
 */

/** `DEC[n]` is `String(n)`: the decimal table `formatIPv4` uses. */
export const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** `DEC_DOT[n]` is `String(n) + '.'`: a dotted quad in 3 concatenations, not 7 (25 ns vs 72 ns). */
export const DEC_DOT: readonly string[] = DEC.map((d) => `${d}.`);

/** `HEX2[n]`: two lowercase hex digits, as `formatMac` prints each byte. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => (i + 0x100).toString(16).slice(1));

/** `HEX2_COLON[n]` is `HEX2[n] + ':'`: a MAC in 5 concatenations, not 11 (37 ns vs 92 ns). */
export const HEX2_COLON: readonly string[] = HEX2.map((h) => `${h}:`);

/** `HEX1[n]` is `n.toString(16)`: a byte's hex without leading zero (the high byte of a group). */
const HEX1: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16));
const HEX1_COLON: readonly string[] = HEX1.map((h) => `${h}:`);

/**
 * For each 8-bit mask of zero groups, formatIPv6's choice of `::`: the start of the first longest
 * run of two or more zero groups (RFC 5952 §4.2.2-§4.2.3), or -1. Computed with formatIPv6's own
 * loop, so it is its answer by construction; the tests check all 256 masks through the output.
 */
const RUN_START = new Int8Array(256);
const RUN_LEN = new Int8Array(256);
for (let m = 0; m < 256; m++) {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (((m >> i) & 1) === 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && ((m >> j) & 1) === 1) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  RUN_START[m] = bestStart;
  RUN_LEN[m] = bestLen;
}

/** Text of the group whose bytes are `hi`, `lo`: `v.toString(16)` without `toString`. */
function group(hi: number, lo: number): string {
  return hi === 0 ? HEX1[lo]! : HEX1[hi]! + HEX2[lo]!;
}

/** The same followed by `:`. */
function groupColon(hi: number, lo: number): string {
  return hi === 0 ? HEX1_COLON[lo]! : HEX1[hi]! + HEX2_COLON[lo]!;
}

/**
 * `formatIPv6(b, off)`, identically: RFC 5952 text (lowercase, no leading zeros, the first longest
 * run of ≥ 2 zero groups as `::`, `::ffff:a.b.c.d` for IPv4-mapped). About 2× faster on pod
 * addresses (no group array, table lookups, one piece per group).
 */
export function formatIPv6Fast(b: Uint8Array, off: number): string {
  let zeros = 0;
  for (let i = 0; i < 8; i++) if ((b[off + 2 * i]! | b[off + 2 * i + 1]!) === 0) zeros |= 1 << i;
  if ((zeros & 0x1f) === 0x1f && b[off + 10] === 0xff && b[off + 11] === 0xff) {
    return '::ffff:' + DEC_DOT[b[off + 12]!]! + DEC_DOT[b[off + 13]!]! + DEC_DOT[b[off + 14]!]! + DEC[b[off + 15]!]!;
  }
  const start = RUN_START[zeros]!;
  const len = RUN_LEN[zeros]!;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === start) {
      s += i === 0 ? '::' : ':';
      i += len - 1;
      continue;
    }
    s += i < 7 ? groupColon(b[off + 2 * i]!, b[off + 2 * i + 1]!) : group(b[off + 14]!, b[off + 15]!);
  }
  return s;
}

/**
 * IP address text ⇄ bytes: the one IP formatter and parser of the package.
 *
 * Hand-rolled on purpose: `node:net` has no bytes-to-string formatter, URL canonicalisation costs
 * ~720 ns per address and the npm alternatives validate by exception. These
 * run in well under 150 ns and are checked against the WHATWG URL parser in the tests.
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
 * Text of two bytes (or one IPv6 group) at a time, memoised per 16-bit value as values are first
 * seen: an address is 2-3 lookups and 1-2 concatenations instead of 4-6 and 3-5, an IPv6 group
 * one lookup instead of two and a concatenation (measured in one process, interleaved: IPv4 49 →
 * 26 ns, MAC 72 → 44 ns, IPv6 with 8 printed groups 159 → 108 ns). Filled on demand, so memory
 * follows the distinct values a dump holds (a pod network's first two octets are one entry),
 * not 65,536 strings per table (~12 MB of heap for all six, built eagerly). Each entry is the
 * byte tables' text: test/schema/ip-text-tables.test.ts checks every value in every position.
 */
const V4_DOT2: string[] = new Array<string>(65536); // "a.b."
const V4_2: string[] = new Array<string>(65536); // "c.d"
const MAC_COLON2: string[] = new Array<string>(65536); // "aa:bb:"
const MAC_2: string[] = new Array<string>(65536); // "ee:ff"
const GROUP_COLON: string[] = new Array<string>(65536); // "fd00:"
const GROUP: string[] = new Array<string>(65536); // "fd00"

/**
 * For each 8-bit mask of zero groups, formatIPv6's choice of `::`: the start of the first longest
 * run of two or more zero groups (RFC 5952 §4.2.2-§4.2.3), or -1. Computed once with the obvious loop;
 * the tests check all 256 masks against it.
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
 * RFC 5952 text of the 16 bytes at `off`: lowercase, no leading zeros, the longest run of two or
 * more zero groups becomes `::` (the first one on a tie, §4.2.3), and IPv4-mapped addresses use
 * the dotted form `::ffff:1.2.3.4` (§5) — Go's netip, which Cilium prints with, does the same.
 * Table-driven (no group array, one string piece per group): about 2× faster than the obvious
 * loop, which test/schema/ip-text.test.ts keeps as the oracle over all 256 zero-group patterns.
 */
export function formatIPv6(b: Uint8Array, off = 0): string {
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
    const v = (b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!;
    if (i < 7) s += GROUP_COLON[v] ?? (GROUP_COLON[v] = groupColon(v >> 8, v & 0xff));
    else s += GROUP[v] ?? (GROUP[v] = group(v >> 8, v & 0xff));
  }
  return s;
}

/** Dotted quad of the 4 bytes at `off` (network order). */
export function formatIPv4(b: Uint8Array, off = 0): string {
  const hi = (b[off]! << 8) | b[off + 1]!;
  const lo = (b[off + 2]! << 8) | b[off + 3]!;
  return (V4_DOT2[hi] ?? (V4_DOT2[hi] = DEC_DOT[hi >> 8]! + DEC_DOT[hi & 0xff]!)) + (V4_2[lo] ?? (V4_2[lo] = DEC_DOT[lo >> 8]! + DEC[lo & 0xff]!));
}

/**
 * The value of a hex digit's char code, or -1: `HEX_VAL[c]` for `c < 128`. Parsers scan char
 * codes against this table instead of `split`/regex/`parseInt` (about 10× fewer ns per address;
 * test/schema/ip-parse.test.ts holds them to the regex parsers they replaced).
 */
const HEX_VAL = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VAL[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_VAL[65 + i] = HEX_VAL[97 + i] = 10 + i;

/**
 * Parses the dotted quad in `text[from, to)` into 4 bytes at `out[off]`: exactly four decimal
 * parts of 1-3 digits, each ≤ 255, no leading zeros (they mean octal to inet_aton and would be
 * ambiguous), nothing else. Returns false (and may have written some bytes) otherwise.
 */
function parseIPv4Range(text: string, from: number, to: number, out: Uint8Array, off: number): boolean {
  let i = from;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= to || text.charCodeAt(i) !== 46) return false; // '.'
      i++;
    }
    const start = i;
    let n = 0;
    while (i < to) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || n > 255 || (len > 1 && text.charCodeAt(start) === 48)) return false;
    out[off + part] = n;
  }
  return i === to;
}

/** Parses a dotted quad into 4 bytes at `out[off]`; returns false if it is not one. */
export function parseIPv4Into(text: string, out: Uint8Array, off = 0): boolean {
  return parseIPv4Range(text, 0, text.length, out, off);
}

/**
 * Parses IPv6 text (RFC 4291 §2.2 forms, including `::` and a trailing dotted quad) into 16 bytes.
 * Groups are 1-4 hex digits; at most one `::`; a dotted quad only as the last two groups; no zone
 * (`%eth0`); at most 45 characters. One pass over the char codes: groups before `::` are written in
 * place, groups after it are written from the end once their count is known.
 */
export function parseIPv6Into(text: string, out: Uint8Array, off = 0): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  // Groups as 16-bit values; `gap` is the group index where `::` stands (-1: none).
  const g = GROUPS;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    // Only `::` may start an address.
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
    if (i === n) return finishIPv6(g, 0, 0, out, off);
  }
  for (;;) {
    // One group (or the dotted quad) starting at i.
    const start = i;
    let v = 0;
    while (i < n && i - start < 5) {
      const c = text.charCodeAt(i);
      const d = c < 128 ? HEX_VAL[c]! : -1;
      if (d < 0) break;
      v = (v << 4) | d;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 46) {
      // A dotted quad: the last thing in the text, worth two groups.
      if (count > 6 || !parseIPv4Range(text, start, n, V4, 0)) return false;
      g[count++] = (V4[0]! << 8) | V4[1]!;
      g[count++] = (V4[2]! << 8) | V4[3]!;
      return finishIPv6(g, count, gap, out, off);
    }
    const len = i - start;
    if (len === 0 || len > 4 || count === 8) return false;
    g[count++] = v;
    if (i === n) return finishIPv6(g, count, gap, out, off);
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
      if (i === n) return finishIPv6(g, count, gap, out, off);
    } else if (i === n) return false; // a trailing single ':'
  }
}

const GROUPS = new Int32Array(9);
const V4 = new Uint8Array(4);

/** Writes the parsed groups, expanding `::` at `gap`; false when the count does not add up to 8. */
function finishIPv6(g: Int32Array, count: number, gap: number, out: Uint8Array, off: number): boolean {
  if (gap === -1 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  for (let k = 0, j = 0; k < 8; k++) {
    const v = gap !== -1 && k >= gap && k < gap + zeros ? 0 : g[j++]!;
    out[off + 2 * k] = v >> 8;
    out[off + 2 * k + 1] = v & 0xff;
  }
  return true;
}

/** Which family a piece of address text is: 4, 6, or 0 when it is neither. */
export function ipFamilyOf(text: string): 0 | 4 | 6 {
  const scratch = new Uint8Array(16);
  if (parseIPv4Into(text, scratch)) return 4;
  if (parseIPv6Into(text, scratch)) return 6;
  return 0;
}

/** A parsed CIDR: address bytes (4 or 16), prefix bits, and whether bits past the prefix are set. */
export interface ParsedCidr {
  family: 4 | 6;
  bytes: Uint8Array;
  bits: number;
  hostBitsSet: boolean;
}

/**
 * Parses `10.0.0.0/8`, `fd00::/64`, or a bare address (full-length prefix). Returns undefined when
 * the text is not an address or the prefix is out of range.
 */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  let family: 4 | 6;
  let bytes: Uint8Array;
  // A colon means IPv6; anything else can only be a dotted quad.
  if (addr.indexOf(':') === -1) {
    bytes = new Uint8Array(4);
    if (!parseIPv4Range(addr, 0, addr.length, bytes, 0)) return undefined;
    family = 4;
  } else {
    bytes = new Uint8Array(16);
    if (!parseIPv6Into(addr, bytes)) return undefined;
    family = 6;
  }
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (slash !== -1) {
    // Decimal, 1-3 digits, no leading zeros.
    const len = text.length - slash - 1;
    if (len < 1 || len > 3 || (len > 1 && text.charCodeAt(slash + 1) === 48)) return undefined;
    bits = 0;
    for (let i = slash + 1; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      bits = bits * 10 + d;
    }
    if (bits > max) return undefined;
  }
  let hostBitsSet = false;
  for (let i = 0; i < bytes.length; i++) {
    const keep = bits - 8 * i;
    if (keep >= 8) continue;
    const mask = keep <= 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((bytes[i]! & ~mask & 0xff) !== 0) {
      hostBitsSet = true;
      break;
    }
  }
  return { family, bytes, bits, hostBitsSet };
}

/** The address of a parsed CIDR as decoding prints it (dotted quad, RFC 5952). */
export function formatCidrAddress(c: Pick<ParsedCidr, 'family' | 'bytes'>): string {
  return c.family === 4 ? formatIPv4(c.bytes) : formatIPv6(c.bytes);
}

/** Lowercase colon form of the 6 bytes at `off`, in wire order. */
export function formatMac(b: Uint8Array, off = 0): string {
  const p0 = (b[off]! << 8) | b[off + 1]!;
  const p1 = (b[off + 2]! << 8) | b[off + 3]!;
  const p2 = (b[off + 4]! << 8) | b[off + 5]!;
  return (
    (MAC_COLON2[p0] ?? (MAC_COLON2[p0] = HEX2_COLON[p0 >> 8]! + HEX2_COLON[p0 & 0xff]!)) +
    (MAC_COLON2[p1] ?? (MAC_COLON2[p1] = HEX2_COLON[p1 >> 8]! + HEX2_COLON[p1 & 0xff]!)) +
    (MAC_2[p2] ?? (MAC_2[p2] = HEX2_COLON[p2 >> 8]! + HEX2[p2 & 0xff]!))
  );
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separated, any case) into 6 bytes; false if malformed. */
export function parseMacInto(text: string, out: Uint8Array, off = 0): boolean {
  if (text.length !== 17) return false;
  for (let k = 0; k < 6; k++) {
    const at = 3 * k;
    if (k > 0) {
      const sep = text.charCodeAt(at - 1);
      if (sep !== 58 && sep !== 45) return false; // ':' or '-'
    }
    const c1 = text.charCodeAt(at);
    const c2 = text.charCodeAt(at + 1);
    const hi = c1 < 128 ? HEX_VAL[c1]! : -1;
    const lo = c2 < 128 ? HEX_VAL[c2]! : -1;
    if (hi < 0 || lo < 0) return false;
    out[off + k] = (hi << 4) | lo;
  }
  return true;
}

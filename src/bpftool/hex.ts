/**
 * The one hex module of the package: bytes ⇄ the hex text bpftool reads and prints.
 *
 * bpftool prints each byte with `%02hhx` (`fprint_hex`, test/fixtures/bpftool-formats) and reads
 * `key hex 0a 00 01 05` one token per byte with `strtoul(.., 16)` (`parse_bytes` in map.c).
 * Everything here is table driven: no `parseInt`, no `toString(16)` per byte.
 */
import { CodecError } from '../schema/errors';
import { HEX2 } from '../schema/ip-text';

/**
 * Value of a hex digit by character code, `-1` for anything else (256 entries; callers must
 * check `code < 256` first). Upper and lower case are both accepted.
 */
export const HEX_DIGIT_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[97 + i] = 10 + i;
    t[65 + i] = 10 + i;
  }
  return t;
})();

/**
 * `BYTE_TO_HEX[b]` is the two lowercase digits bpftool prints for byte `b` (`%02hhx`): the
 * same table the address formatter writes MACs with (ip-text.ts `HEX2`).
 */
export const BYTE_TO_HEX: readonly string[] = HEX2;

/** A hex text that {@link parseHex} cannot read; says which token, where, and why. */
export class HexError extends CodecError {
  override name = 'HexError';
  /** The offending token as written (after splitting on whitespace). */
  readonly token: string;
  /** 0-based index of the token among the whitespace-separated tokens. */
  readonly tokenIndex: number;
  /** 0-based character offset of the token in the input text. */
  readonly offset: number;
  constructor(token: string, tokenIndex: number, offset: number, why: string) {
    super(
      `invalid hex token ${JSON.stringify(token)} (token ${tokenIndex + 1}, character ${offset + 1}): ${why}`,
    );
    this.token = token;
    this.tokenIndex = tokenIndex;
    this.offset = offset;
  }
}

/**
 * Bytes → bpftool's input form: lowercase, two digits per byte, one space between bytes
 * (`40 00 00 00 0a`), ready for `bpftool map lookup ... key hex <this>`. Empty input gives `''`.
 */
export function bytesToHex(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n === 0) return '';
  let out = BYTE_TO_HEX[bytes[0]];
  for (let i = 1; i < n; i++) out += ' ' + BYTE_TO_HEX[bytes[i]];
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/**
 * Hex text → bytes. Accepts what people paste and what bpftool accepts:
 * tokens separated by any whitespace, each `0a`, `0x0a`/`0X0A`, a single digit `a` (bpftool's
 * `strtoul` reads it as `0x0a`), or a contiguous run of digit pairs (`0a0a019b`, `0x0a0a019b`).
 * Empty or all-whitespace text gives an empty array.
 *
 * @throws {@link HexError} naming the bad token and its position (odd digit count, a non-hex
 *   character, a bare `0x`).
 */
export function parseHex(text: string): Uint8Array {
  const n = text.length;
  // A byte takes at least one digit plus a separator (none after the last): at most (n+1)/2 bytes.
  const out = new Uint8Array((n + 1) >> 1);
  let len = 0;
  let tokenIndex = 0;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    let p = start;
    if (i - p >= 2 && text.charCodeAt(p) === 48 && (text.charCodeAt(p + 1) | 0x20) === 120) p += 2;
    const digits = i - p;
    const bad = (why: string): never => {
      throw new HexError(text.slice(start, i), tokenIndex, start, why);
    };
    if (digits === 0) bad('a 0x prefix needs hex digits after it');
    for (let q = p; q < i; q++) {
      c = text.charCodeAt(q);
      if (c > 255 || HEX_DIGIT_VALUE[c] < 0) {
        bad(`${JSON.stringify(text[q])} at character ${q + 1} is not a hex digit`);
      }
    }
    if (digits === 1) {
      // bpftool reads each `key hex` token with strtoul(.., 16): a lone digit is one byte.
      out[len++] = HEX_DIGIT_VALUE[text.charCodeAt(p)];
    } else {
      if (digits & 1) bad(`odd number of hex digits (${digits}); write two digits per byte`);
      for (let q = p; q < i; q += 2) {
        out[len++] = (HEX_DIGIT_VALUE[text.charCodeAt(q)] << 4) | HEX_DIGIT_VALUE[text.charCodeAt(q + 1)];
      }
    }
    tokenIndex++;
  }
  return out.slice(0, len);
}

/**
 * A reused, growable byte buffer that output text is written into: ASCII literals, integers as
 * decimal digits and JSON strings go in as bytes, with no intermediate JavaScript string per
 * value. Building one string per record and encoding it again on write was the largest cost of
 * `-o ndjson` (a profile of the 512k ipcache dump: ~300 ms of 1.56 s in string building, most of
 * the ~210 ms of garbage collection, ~80 ms re-encoding on write).
 *
 * Everything written is UTF-8; only the JSON-string fallback can write non-ASCII bytes.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Decimal digits of 0-99, two ASCII bytes each. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** `String(n)` for 0-255 as bytes, with its length: 4 bytes per entry, the length last. */
const DEC3 = new Uint8Array(256 * 4);
for (let i = 0; i < 256; i++) {
  const t = String(i);
  for (let j = 0; j < t.length; j++) DEC3[i * 4 + j] = t.charCodeAt(j);
  DEC3[i * 4 + 3] = t.length;
}

/**
 * Raw writers, for generated code that reserved room first (compile/json-writer.ts): each writes
 * at `d[p]` and returns the position after what it wrote; none checks the room.
 */

/** A safe integer's decimal digits (`String(n)`), with `-` for negatives (at most 17 bytes). */
export function putInt(d: Uint8Array, p: number, n: number): number {
  if (n < 0) {
    d[p++] = 45; // '-'
    n = -n;
  }
  if (n < 10) {
    d[p] = 48 + n;
    return p + 1;
  }
  if (n < 100) {
    d[p] = PAIRS[n * 2]!;
    d[p + 1] = PAIRS[n * 2 + 1]!;
    return p + 2;
  }
  // Digits two at a time, from the right end of their span.
  let len = 3;
  for (let t = n; t >= 1000; t = Math.floor(t / 10)) len++;
  const end = p + len;
  let q = end;
  while (n >= 100) {
    const h = Math.floor(n / 100);
    const r = (n - h * 100) * 2;
    d[--q] = PAIRS[r + 1]!;
    d[--q] = PAIRS[r]!;
    n = h;
  }
  if (n >= 10) {
    d[--q] = PAIRS[n * 2 + 1]!;
    d[--q] = PAIRS[n * 2]!;
  } else if (q > p) d[--q] = 48 + n;
  return end;
}

/** The dotted-quad text of the 4 bytes at `b[o]` (what `formatIPv4` returns; at most 15 bytes). */
export function putIPv4(d: Uint8Array, p: number, b: Uint8Array, o: number): number {
  for (let k = 0; k < 4; k++) {
    if (k) d[p++] = 46;
    const i = b[o + k]! * 4;
    const n = DEC3[i + 3]!;
    d[p++] = DEC3[i]!;
    if (n > 1) d[p++] = DEC3[i + 1]!;
    if (n > 2) d[p++] = DEC3[i + 2]!;
  }
  return p;
}

/** An ASCII string's characters (`s.length` bytes). */
export function putAscii(d: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) d[p++] = s.charCodeAt(i);
  return p;
}

/** Output bytes; `pos` is how many are written. */
export class ByteSink {
  buf: Uint8Array;
  pos = 0;

  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = Math.max(64, this.buf.length * 2);
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    if (this.pos >= this.buf.length) this.reserve(1);
    this.buf[this.pos++] = c;
  }

  /** Pre-encoded bytes (the literal parts of a record's text). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.reserve(n);
    const buf = this.buf;
    let p = this.pos;
    // A loop beats TypedArray#set for the 2-30 byte literals written here (no native call).
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** A string known to be ASCII (numbers' text, addresses, generated literals). */
  ascii(s: string): void {
    if (this.pos + s.length > this.buf.length) this.reserve(s.length);
    this.pos = putAscii(this.buf, this.pos, s);
  }

  /** Any string as UTF-8, ASCII copied directly. */
  string(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.reserve(n);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.pos = start;
        this.utf8(s);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** Any string as UTF-8. */
  utf8(s: string): void {
    this.reserve(s.length * 3);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** A finite number as `String(n)` spells it (digits directly for safe integers). */
  number(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.ascii(String(n));
      return;
    }
    if (this.pos + 17 > this.buf.length) this.reserve(17);
    this.pos = putInt(this.buf, this.pos, n);
  }

  /**
   * `s` as JSON writes it (`JSON.stringify(s)`): quoted; printable ASCII other than `"` and `\`
   * is copied, anything else (control characters, non-ASCII, lone surrogates) makes the whole
   * string go through `JSON.stringify` and UTF-8.
   */
  jsonString(s: string): void {
    const n = s.length;
    if (this.pos + n + 2 > this.buf.length) this.reserve(n + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        this.pos = start;
        this.utf8(JSON.stringify(s));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 34;
    this.pos = p;
  }

  /**
   * The bytes written so far, as a view of the sink's own buffer (no copy); the sink is emptied,
   * and the view is valid only until the next write.
   */
  view(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.pos = 0;
    return out;
  }

  /** The text written so far; the sink is emptied. */
  text(): string {
    const s = decoder.decode(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return s;
  }
}

/** The UTF-8 bytes of a literal. */
export function literal(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Line reader of bpftool's plain (non-JSON) map output (test/fixtures/bpftool-formats):
 * dump entries in the three layouts of `print_entry_plain` (A: `key: ..  value: ..` on one line,
 * B: two lines, C: `key:`/`value:` on their own lines with hex runs wrapped every 16 bytes by
 * `fprint_hex`), per-CPU `value (CPU NN):` lines, error entries (`print_entry_error_msg`), the
 * `Found N element(s)` trailer, multi-map headers, `lookup` output and its `Not found` miss,
 * `getnext` output, and bpftool's `Error: ...` lines.
 *
 * Plain output has no entry terminator: an entry is complete when the next line is not one of its
 * hex lines. So an entry's event goes out when the following line (or the end of input) arrives.
 * Lines are handed in one at a time by `parse.ts`, as offsets into the chunk text, so the hot
 * path creates no per-line strings: hex digits are read with `charCodeAt` and the 256-entry table
 * of `hex.ts` into reused scratch buffers, and each finished key/value is copied out once.
 */
import type { CpuValue, DumpEvent, MapHeader, RawEntry } from './events';
import { HEX_DIGIT_VALUE as HX, bytesToHex } from './hex';
import { jsonStartAt } from './json-start';

type Emit = (e: DumpEvent) => void;

/** What {@link PlainReader.line} found: nothing meaningful (blank, noise). */
export const LINE_NOISE = 0;
/** What {@link PlainReader.line} found: a line of plain bpftool output. */
export const LINE_PLAIN = 1;
/** What {@link PlainReader.line} found: a JSON document starts here; the line was not consumed. */
export const LINE_JSON = 2;

// Where continuation hex lines go.
const S_NONE = 0;
const S_KEY = 1;
const S_VALUE = 2;
const S_CPU = 3;
const S_NEXT = 4;
// What the pending entry has after its key.
const V_NONE = 0;
const V_BYTES = 1; // `value:` (bytes in vbuf)
const V_TEXT = 2; // `value: <no entry>` or a strerror text
const V_CPU = 3; // per-CPU values
const V_NEXT = 4; // getnext `next key:`

// `NN: type  name NAME  flags 0xF` (show_map_header_plain).
const HEADER_RE = /^(\d+): (.+?)  (?:name (\S*)  )?flags 0x([0-9a-fA-F]+)/;
const FOUND_RE = /^Found (\d+) elements?\s*$/;

/** Two hex digits then a separator or end: a hex run starts at `s[p]`. */
function hexPairAt(s: string, p: number, b: number): boolean {
  if (p + 1 >= b) return false;
  const c0 = s.charCodeAt(p);
  const c1 = s.charCodeAt(p + 1);
  if (!(c0 < 256 && HX[c0] >= 0 && c1 < 256 && HX[c1] >= 0)) return false;
  if (p + 2 === b) return true;
  const c2 = s.charCodeAt(p + 2);
  return c2 === 32 || c2 === 9;
}

function grow(buf: Uint8Array, need: number): Uint8Array {
  let size = buf.length * 2;
  while (size < need) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf);
  return next;
}

/** The plain-output state machine. One instance per input stream. */
export class PlainReader {
  private readonly emit: Emit;
  private readonly allowJson: boolean;
  // Scratch buffers; finished keys/values are copied out (`slice`), never handed out.
  private kbuf: Uint8Array = new Uint8Array(64);
  private klen = 0;
  private vbuf: Uint8Array = new Uint8Array(64);
  private vlen = 0;
  // The pending entry.
  private active = false;
  private entryLine = 0;
  private keyNull = false;
  private section = S_NONE;
  private vstate = V_NONE;
  private awaitText = false;
  private errText = '';
  private cpus: CpuValue[] | null = null;
  private cpu = 0;
  /** After a malformed entry: drop its remaining hex/value lines until the next `key:`. */
  private resync = false;
  /** Current map of a multi-map dump, from its header line until its trailer. */
  private map: MapHeader | undefined = undefined;
  /**
   * CPU lines of the last complete per-CPU entry, to spot one cut at end of input: bpftool prints
   * one line per possible CPU, the same number for every entry. Sizes are not compared
   * here: whether a key or value has the right size is the decoder's business, and a wrong-size
   * entry must not make the parser doubt the good ones after it.
   */
  private refCpus = -1;
  // Results of scan().
  private stop = 0;
  private bad = -1;

  /**
   * @param emit receives every event.
   * @param allowJson when true, a line starting a JSON document is returned as {@link LINE_JSON}
   *   (unconsumed) for the JSON reader; when false it is reported as noise.
   */
  constructor(emit: Emit, allowJson: boolean) {
    this.emit = emit;
    this.allowJson = allowJson;
  }

  /**
   * Read one line `s[a, b)` (without its `\n`, and without a `\r` before it), numbered `ln`.
   * Returns {@link LINE_NOISE}, {@link LINE_PLAIN} or {@link LINE_JSON} (only if `jsonOk`).
   */
  line(s: string, a: number, b: number, ln: number, jsonOk = true): number {
    // bpftool never indents its plain output, but pasted or kubectl-prefixed text may be.
    let c = a < b ? s.charCodeAt(a) : -1;
    while (c === 32 || c === 9) c = ++a < b ? s.charCodeAt(a) : -1;
    if (a === b) {
      this.blankLine();
      return LINE_NOISE;
    }

    // Hot path: a continuation hex line of the pending key/value (form C, per-CPU, getnext).
    if (this.section !== S_NONE && c < 256 && HX[c] >= 0 && hexPairAt(s, a, b)) {
      this.hexLine(s, a, b, ln);
      return LINE_PLAIN;
    }
    if (this.awaitText && !this.structural(s, a, b)) {
      // `value:` alone, then the message on the next line (`print_entry_error_msg` with a
      // message longer than 16 characters, or a key longer than 16 bytes).
      this.errText = s.slice(a, b).trimEnd();
      this.vstate = V_TEXT;
      this.awaitText = false;
      this.section = S_NONE;
      return LINE_PLAIN;
    }

    switch (c) {
      case 107: // k
        if (s.startsWith('key:', a)) {
          this.keyLine(s, a + 4, b, ln);
          return LINE_PLAIN;
        }
        break;
      case 118: // v
        if (s.startsWith('value:', a)) {
          this.valueLine(s, a + 6, b, ln);
          return LINE_PLAIN;
        }
        if (s.startsWith('value (CPU ', a)) {
          this.cpuLine(s, a, b, ln);
          return LINE_PLAIN;
        }
        break;
      case 110: // n
        if (s.startsWith('next key:', a)) {
          this.nextKeyLine(s, a + 9, b, ln);
          return LINE_PLAIN;
        }
        break;
      case 70: // F
        if (s.startsWith('Found ', a)) {
          const m = FOUND_RE.exec(s.slice(a, b));
          if (m) {
            this.close(false);
            this.emit({ kind: 'trailer', count: Number(m[1]), line: ln });
            // A multi-map dump prints one trailer per map.
            this.map = undefined;
            this.refCpus = -1;
            this.resync = false;
            return LINE_PLAIN;
          }
        }
        break;
      case 78: // N
        if (s.startsWith('Not found', a) && s.slice(a + 9, b).trim() === '') {
          this.notFound(ln);
          return LINE_PLAIN;
        }
        break;
      case 69: // E
        if (s.startsWith('Error: ', a)) {
          this.close(false);
          this.resync = false;
          this.emit({ kind: 'error', message: s.slice(a + 7, b).trimEnd(), line: ln });
          return LINE_PLAIN;
        }
        break;
      case 91: // [
      case 123: // {
        if (jsonStartAt(s, a, b, true) === 1) return this.jsonLine(s, a, b, ln, jsonOk);
        break;
    }
    if (c === 110 && jsonStartAt(s, a, b, true) === 1) return this.jsonLine(s, a, b, ln, jsonOk);
    if (c >= 48 && c <= 57 && !hexPairAt(s, a, b)) {
      const m = HEADER_RE.exec(s.slice(a, b));
      if (m) {
        this.close(false);
        this.resync = false;
        const header: MapHeader = { id: Number(m[1]), type: m[2], flags: parseInt(m[4], 16) };
        if (m[3] !== undefined) header.name = m[3];
        this.map = header;
        this.refCpus = -1;
        this.emit({ kind: 'map', header, line: ln });
        return LINE_PLAIN;
      }
    }
    if (hexPairAt(s, a, b)) {
      this.hexLine(s, a, b, ln);
      return LINE_PLAIN;
    }
    // Not bpftool output. It also ends a pending entry (an incomplete one is reported).
    this.close(false);
    this.emit({ kind: 'noise', text: s.slice(a, b), line: ln });
    return LINE_NOISE;
  }

  /** End of input: the pending entry is finished, or reported as cut. */
  finish(): void {
    this.close(true);
  }

  /** Before the JSON reader takes over: finish the pending entry (not at end of input). */
  flush(): void {
    this.close(false);
  }

  // ------------------------------------------------------------------ line kinds

  private jsonLine(s: string, a: number, b: number, ln: number, jsonOk: boolean): number {
    if (this.allowJson && jsonOk) {
      this.close(false);
      return LINE_JSON;
    }
    this.close(false);
    this.emit({ kind: 'noise', text: s.slice(a, b), line: ln });
    return LINE_NOISE;
  }

  /** Lines that are never an error message after a bare `value:`. */
  private structural(s: string, a: number, b: number): boolean {
    return (
      hexPairAt(s, a, b) ||
      s.startsWith('key:', a) ||
      s.startsWith('value', a) ||
      s.startsWith('next key:', a) ||
      s.startsWith('Found ', a) ||
      s.startsWith('Error: ', a)
    );
  }

  private blankLine(): void {
    if (!this.active) return;
    if (this.vstate === V_NONE && !this.keyNull) {
      // `key:\n<hex>\n\nNot found` (lookup miss) has a blank line after the key.
      this.section = S_NONE;
      return;
    }
    this.close(false);
  }

  private notFound(ln: number): void {
    if (this.active && this.vstate === V_NONE && !this.keyNull) {
      this.active = false;
      this.section = S_NONE;
      this.emit({ kind: 'not-found', key: this.kbuf.slice(0, this.klen), line: this.entryLine });
      return;
    }
    this.close(false);
    this.emit({ kind: 'not-found', line: ln });
  }

  private keyLine(s: string, p: number, b: number, ln: number): void {
    const lineStart = p - 4;
    this.close(false);
    this.resync = false;
    this.active = true;
    this.entryLine = ln;
    this.klen = 0;
    this.vlen = 0;
    this.keyNull = false;
    this.vstate = V_NONE;
    this.awaitText = false;
    this.cpus = null;
    this.section = S_KEY;
    let c = p < b ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < b ? s.charCodeAt(p) : -1;
    if (p >= b) return; // form C: hex on the following lines
    if (s.startsWith('None', p) && s.slice(p + 4, b).trim() === '') {
      // getnext without a key.
      this.keyNull = true;
      this.section = S_NONE;
      return;
    }
    // Forms A and B: bpftool puts a key of at most 16 bytes on this line. Hex lines after it still
    // belong to the key (section stays S_KEY), so a key longer than bpftool would print is read
    // whole and refused by its size, never cut to the first line.
    const q = this.scanKey(s, p, b, ln);
    if (q < 0 || q >= b) return;
    if (s.startsWith('value:', q)) {
      this.valueRest(s, q + 6, b, ln);
      return;
    }
    this.broken(`unexpected text after the key bytes: ${JSON.stringify(s.slice(q, Math.min(b, q + 40)))}`, s.slice(lineStart, b), ln);
  }

  private valueLine(s: string, p: number, b: number, ln: number): void {
    if (!this.active || this.keyNull || this.vstate !== V_NONE) {
      this.orphan('a value: line without a key: line before it', s, p - 6, b, ln);
      return;
    }
    this.valueRest(s, p, b, ln);
  }

  /** What follows `value:`: nothing (form C), hex bytes (forms A/B), or an error message. */
  private valueRest(s: string, p: number, b: number, ln: number): void {
    let c = p < b ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < b ? s.charCodeAt(p) : -1;
    this.vstate = V_BYTES;
    this.vlen = 0;
    this.section = S_VALUE;
    if (p >= b) {
      this.awaitText = true;
      return;
    }
    if (!hexPairAt(s, p, b)) {
      this.vstate = V_TEXT;
      this.errText = s.slice(p, b).trimEnd();
      this.section = S_NONE;
      return;
    }
    // Forms A and B: bpftool prints a value of at most 16 bytes on the `value:` line. A hex line
    // after it still continues the value (section stays S_VALUE): an over-long value is read
    // whole and refused by its size, never cut to the bytes of the first line.
    this.scanValue(s, p, b, ln);
  }

  private cpuLine(s: string, a: number, b: number, ln: number): void {
    // `value (CPU %02d):` then hex on the line (value_size <= 16) or on the next lines.
    let p = a + 11;
    let cpu = 0;
    let digits = 0;
    for (let c = s.charCodeAt(p); p < b && c >= 48 && c <= 57; c = s.charCodeAt(++p)) {
      cpu = cpu * 10 + (c - 48);
      digits++;
    }
    if (digits === 0 || !s.startsWith('):', p)) {
      this.broken('a "value (CPU NN):" line without a CPU number', s.slice(a, b), ln);
      return;
    }
    if (!this.active || this.keyNull || (this.vstate !== V_NONE && this.vstate !== V_CPU)) {
      this.orphan('a per-CPU value line without a key: line before it', s, a, b, ln);
      return;
    }
    if (this.vstate === V_CPU) this.pushCpu();
    else this.cpus = [];
    this.vstate = V_CPU;
    this.cpu = cpu;
    this.vlen = 0;
    this.section = S_CPU;
    p += 2;
    let c = p < b ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < b ? s.charCodeAt(p) : -1;
    // value_size <= 16: the bytes are on this line; hex lines after them continue the value.
    if (p < b) this.scanValue(s, p, b, ln);
  }

  private nextKeyLine(s: string, p: number, b: number, ln: number): void {
    if (!this.active || this.vstate !== V_NONE) {
      this.orphan('a next key: line without a key: line before it', s, p - 9, b, ln);
      return;
    }
    this.vstate = V_NEXT;
    this.vlen = 0;
    this.section = S_NEXT;
    let c = p < b ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < b ? s.charCodeAt(p) : -1;
    if (p < b) this.scanValue(s, p, b, ln); // bpftool breaks the line; accept it on one line too
  }

  private hexLine(s: string, a: number, b: number, ln: number): void {
    if (this.section === S_KEY) {
      const q = this.scanKey(s, a, b, ln);
      if (q >= 0 && q < b) this.trailing(s, a, b, ln);
      return;
    }
    if (this.section !== S_NONE) {
      this.awaitText = false;
      this.scanValue(s, a, b, ln);
      return;
    }
    if (this.resync) return;
    this.orphan('hex bytes outside an entry', s, a, b, ln);
  }

  private trailing(s: string, a: number, b: number, ln: number): void {
    const q = this.stop;
    this.broken(`unexpected text after hex bytes: ${JSON.stringify(s.slice(q, Math.min(b, q + 40)))}`, s.slice(a, b), ln);
  }

  // ------------------------------------------------------------------ hex runs (fprint_hex)

  /**
   * Read the hex pairs of `s[p, b)` into `buf` from `len`. Pairs are separated by spaces (one, or
   * two at the 8-byte mark). Stops at the first character that does not start a pair
   * (`this.stop`); returns the new length, or -1 with `this.bad` at a broken token (`0g`, `0a0`,
   * a lone digit).
   */
  private scan(s: string, p: number, b: number, buf: Uint8Array, len: number): number {
    while (p < b) {
      const c0 = s.charCodeAt(p);
      if (c0 === 32 || c0 === 9) {
        p++;
        continue;
      }
      const hi = c0 < 256 ? HX[c0] : -1;
      if (hi < 0) break;
      const c1 = p + 1 < b ? s.charCodeAt(p + 1) : -1;
      const lo = c1 >= 0 && c1 < 256 ? HX[c1] : -1;
      if (lo < 0) {
        this.bad = p;
        return -1;
      }
      if (p + 2 < b) {
        const c2 = s.charCodeAt(p + 2);
        if (c2 !== 32 && c2 !== 9) {
          this.bad = p;
          return -1;
        }
      }
      buf[len++] = (hi << 4) | lo;
      p += 3;
    }
    this.stop = p < b ? p : b;
    return len;
  }

  /** Scan into the key buffer; on a broken token report it. Returns where the scan stopped, or -1. */
  private scanKey(s: string, p: number, b: number, ln: number): number {
    const need = this.klen + ((b - p + 1) >> 1);
    if (need > this.kbuf.length) this.kbuf = grow(this.kbuf, need);
    const len = this.scan(s, p, b, this.kbuf, this.klen);
    if (len < 0) {
      this.badToken(s, b, ln);
      return -1;
    }
    this.klen = len;
    return this.stop;
  }

  private scanValue(s: string, p: number, b: number, ln: number): void {
    const need = this.vlen + ((b - p + 1) >> 1);
    if (need > this.vbuf.length) this.vbuf = grow(this.vbuf, need);
    const len = this.scan(s, p, b, this.vbuf, this.vlen);
    if (len < 0) {
      this.badToken(s, b, ln);
      return;
    }
    this.vlen = len;
    if (this.stop < b) this.trailing(s, p, b, ln);
  }

  private badToken(s: string, b: number, ln: number): void {
    const p = this.bad;
    let q = p;
    while (q < b && s.charCodeAt(q) !== 32 && s.charCodeAt(q) !== 9) q++;
    const a = s.lastIndexOf('\n', p) + 1;
    this.broken(`bad hex byte ${JSON.stringify(s.slice(p, q))} at column ${p - a + 1}`, s.slice(a, b), ln);
  }

  // ------------------------------------------------------------------ entries out

  /** The pending entry is dropped with a reason; its remaining lines are skipped (resync). */
  private broken(reason: string, text: string, ln: number): void {
    this.active = false;
    this.section = S_NONE;
    this.awaitText = false;
    this.resync = true;
    this.emit({ kind: 'malformed', reason, text, line: ln });
  }

  /** A line that belongs inside an entry but there is none: report it unless resynchronising. */
  private orphan(reason: string, s: string, a: number, b: number, ln: number): void {
    this.close(false);
    // Already resynchronising, or close() just reported the entry this line was meant for.
    if (this.resync) return;
    this.broken(reason, s.slice(a, b), ln);
  }

  private pushCpu(): void {
    this.cpus!.push({ cpu: this.cpu, value: this.vbuf.slice(0, this.vlen) });
  }

  private keyText(): string {
    return this.keyNull ? 'key: None' : `key: ${bytesToHex(this.kbuf.subarray(0, this.klen))}`;
  }

  /**
   * Report the pending entry as incomplete, then drop its remaining lines until the next `key:`.
   * At end of input the reason says so (a dump cut by `| head`).
   */
  private incomplete(what: string, eof: boolean): void {
    this.resync = true;
    this.emit({
      kind: 'malformed',
      reason: eof ? `input ended inside an entry: ${what}` : what,
      text: this.keyText(),
      line: this.entryLine,
    });
  }

  /** Finish the pending entry: emit it, or report why it is incomplete. */
  private close(eof: boolean): void {
    if (!this.active) return;
    this.active = false;
    this.section = S_NONE;
    this.awaitText = false;
    const line = this.entryLine;
    switch (this.vstate) {
      case V_NONE:
        // Zero-size values do not occur (the kernel refuses value_size 0 for every map type
        // bpftool can dump), so a key alone is always an incomplete entry.
        if (this.keyNull) this.incomplete('getnext output `key: None` without `next key:`', eof);
        else if (this.klen === 0) this.incomplete('`key:` without key bytes', eof);
        else this.incomplete(eof ? 'key without value' : 'entry has a key but no value', eof);
        return;
      case V_BYTES:
        if (this.vlen === 0) this.incomplete('`value:` without value bytes', eof);
        else this.entry({ key: this.kbuf.slice(0, this.klen), value: this.vbuf.slice(0, this.vlen), line });
        return;
      case V_TEXT:
        this.entry({ key: this.kbuf.slice(0, this.klen), error: this.errText, line });
        return;
      case V_CPU: {
        this.pushCpu();
        const cpus = this.cpus!;
        this.cpus = null;
        if (cpus.some((c) => c.value.length === 0)) this.incomplete('a `value (CPU NN):` line without value bytes', eof);
        else if (eof && this.refCpus > cpus.length) {
          this.incomplete(`${cpus.length} of the ${this.refCpus} per-CPU values of the entries before it`, eof);
        } else this.entry({ key: this.kbuf.slice(0, this.klen), values: cpus, line });
        return;
      }
      default: // V_NEXT
        if (this.vlen === 0) this.incomplete('`next key:` without key bytes', eof);
        else {
          this.emit({
            kind: 'getnext',
            key: this.keyNull ? null : this.kbuf.slice(0, this.klen),
            nextKey: this.vbuf.slice(0, this.vlen),
            line,
          });
        }
    }
  }

  private entry(e: RawEntry): void {
    if (this.map !== undefined) e.map = this.map;
    if (e.values !== undefined) this.refCpus = e.values.length;
    this.emit({ kind: 'entry', entry: e });
  }
}

/**
 * The text fast path (issue "hot-path decoders"): a push parser that, once the key and value
 * sizes are known, matches bpftool's fixed entry layout directly on the input bytes
 * (fixed-text.ts) and hands each entry's bytes to the sink in two reused scratch buffers. Every
 * region that does not match the template — `Found N` trailers, `<no entry>` errors, kubectl noise,
 * CRLF text, a cut entry, BTF output, multi-map dumps — goes to the general parser
 * (`createDumpParser`) with its line numbers kept, so the events are the same as the general
 * parser alone would give. Measured in bench/dump.js.
 */
import type { DumpEvent } from './events';
import { buildTemplate, type EntryTemplate } from './fixed-text';
import { HEX_DIGIT_VALUE } from './hex';
import { createRegionParser, type DumpParser, type ParseOptions, type RegionParser } from './parse';

/** Characters of a string chunk encoded at a time (UTF-8: at most 3 bytes each). */
const STRING_SLICE = 1 << 18;
const encoder = new TextEncoder();

/** Receives what the fast parser finds. */
export interface FastDumpSink {
  /**
   * One ordinary entry. `key` and `value` are scratch buffers overwritten by the next entry:
   * decode or copy them before returning.
   */
  entry(key: Uint8Array, value: Uint8Array, line: number): void;
  /** Every other event, exactly as the general parser emits it. */
  event(e: DumpEvent): void;
}

/** A push parser whose entry sizes can be told once they are known. */
export interface FastDumpParser extends DumpParser {
  /** Enables the fast path for entries of these sizes (plain input switches at the next entry). */
  setSizes(keySize: number, valueSize: number): void;
}

const NL = 10;

/**
 * Longest unfinished line the fast path keeps while waiting for its `\n`. Past it the line goes to
 * the general parser piece by piece, which applies its own 1 MiB line cap: re-scanning a growing
 * carried line on every chunk made a 105 MB line without newline quadratic.
 */
const MAX_PENDING_LINE = 1 << 16;

const EMPTY = new Uint8Array(0);

function isSpace(b: number): boolean {
  return b === 32 || b === 10 || b === 13 || b === 9;
}

class FastParser implements FastDumpParser {
  format: 'plain' | 'json' | undefined;
  private buf: Uint8Array = EMPTY;
  /** Reused storage for the carried tail and the chunk after it (see append). */
  private work: Uint8Array = EMPTY;
  private line = 1;
  private mode: 'detect' | 'plain' | 'json' | 'general' = 'detect';
  private plainT?: EntryTemplate;
  private jsonT?: EntryTemplate;
  private prettyT?: EntryTemplate;
  private key = new Uint8Array(0);
  private value = new Uint8Array(0);
  private region?: RegionParser;
  /** Bytes pushed so far (for the offset of a NUL). */
  private consumed = 0;
  /** The region holds the unfinished start of a line longer than {@link MAX_PENDING_LINE}. */
  private regionMidLine = false;
  /** Bytes at the start of the kept input already known to hold no newline (not scanned again). */
  private noNewline = 0;
  private general?: RegionParser;
  /** JSON fast-path state: before `[`, expecting an element, after an element, after `]`. */
  private js: 'open' | 'elem' | 'after' | 'done' = 'open';
  private jsForm: 'json' | 'pretty' | undefined;
  /**
   * The last element matched (its text and first line), replayed on a takeover: at
   * `buf[lastElemPos, +lastElemLen)` while still in the input, copied into the reused `lastElem`
   * by `keep` before the input moves on (the caller may overwrite its chunk after push). Copying
   * every element instead cost 139 MB of copies on the 512k-entry `-j` dump.
   */
  private lastElem = EMPTY;
  private lastElemLen = -1;
  private lastElemPos = -1;
  private lastElemLine = 1;
  /** A `,` was read after the last element. */
  private afterComma = false;
  /** Line of the array's `[`. */
  private arrayLine = 1;
  /** Line of the `]` that closed the array, and whether it stood on a line of its own (`-p`). */
  private closedLine = -1;
  private closedOwnLine = false;
  private closedBlanks = '';
  /**
   * Blanks read since the last newline outside the array, and those before its `[`: replayed
   * when the general parser takes over, which quotes whole lines.
   */
  private blanks = '';
  private openBlanks = '';

  constructor(
    private readonly sink: FastDumpSink,
    private readonly opts: ParseOptions,
    sizes?: { keySize: number; valueSize: number },
  ) {
    if (sizes) this.setSizes(sizes.keySize, sizes.valueSize);
  }

  /** The reused buffer long string chunks are encoded into. */
  private encoded?: Uint8Array;

  setSizes(keySize: number, valueSize: number): void {
    if (this.plainT && this.plainT.keySize === keySize && this.plainT.valueSize === valueSize) return;
    this.plainT = buildTemplate('plain', keySize, valueSize);
    this.jsonT = buildTemplate('json', keySize, valueSize);
    this.prettyT = buildTemplate('pretty', keySize, valueSize);
    this.key = new Uint8Array(keySize);
    this.value = new Uint8Array(valueSize);
  }

  push(chunk: string | Uint8Array): void {
    if (typeof chunk === 'string' && chunk.length > STRING_SLICE) {
      // A whole dump as one string (decodeDumpText): encoded a slice at a time into one reused
      // buffer, not into a copy of its size (62 MB of fresh memory for the 512k ipcache dump
      // cost 220 ms, mostly page faults). A slice never ends between the halves of a surrogate pair.
      const buf = (this.encoded ??= new Uint8Array(STRING_SLICE * 3));
      for (let i = 0; i < chunk.length; ) {
        let end = Math.min(chunk.length, i + STRING_SLICE);
        const last = chunk.charCodeAt(end - 1);
        if (end < chunk.length && last >= 0xd800 && last <= 0xdbff) end--;
        const n = encoder.encodeInto(chunk.slice(i, end), buf).written;
        this.push(buf.subarray(0, n));
        i = end;
      }
      return;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.mode === 'general') {
      // The general parser counts from the takeover: tell it where a NUL is in the whole input.
      const nul = bytes.indexOf(0);
      if (nul < 0) this.general!.push(bytes);
      else {
        if (nul > 0) this.general!.push(bytes.subarray(0, nul));
        this.general!.binaryAt(this.consumed + nul);
      }
      this.consumed += bytes.length;
      return;
    }
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      // Binary input: the general parser reads up to the NUL and reports it; hand it the input
      // unread so far, in the state it would be in on its own.
      if (this.mode === 'plain') {
        const g = this.openRegion();
        g.push(this.buf);
        this.buf = EMPTY;
        this.region = undefined;
        this.general = g;
        this.mode = 'general';
      } else this.takeOver(0, this.mode === 'json' && (this.js === 'elem' || this.js === 'after'));
      if (nul > 0) this.general!.push(bytes.subarray(0, nul));
      this.general!.binaryAt(this.consumed + nul);
      return;
    }
    this.consumed += bytes.length;
    this.append(bytes);
    this.run(false);
  }

  end(): void {
    if (this.mode !== 'general') this.run(true);
    this.closeRegion(true);
    this.general?.end();
  }

  /**
   * The unread input: the chunk itself when nothing was carried over, else the carried tail and
   * the chunk joined in {@link work}. Allocating the join per chunk made a 64 KiB ArrayBuffer of
   * garbage per read, which V8 collects late when decoding allocates little (a live dump's
   * repeats are dropped undecoded): with cli/read-chunks.ts, this took a 512k-entry dump read
   * twice from 141 to 109 MB peak RSS.
   */
  private append(bytes: Uint8Array): void {
    const carried = this.buf.length;
    if (carried === 0) {
      this.buf = bytes;
      return;
    }
    this.reserve(carried + bytes.length);
    this.work.set(bytes, carried); // the tail is already at work[0, carried) (see keep)
    this.buf = this.work.subarray(0, carried + bytes.length);
  }

  /** Grows {@link work} to hold `n` bytes, keeping the carried tail at its start. */
  private reserve(n: number): void {
    if (this.work.length >= n) return;
    const w = new Uint8Array(Math.max(n, this.work.length * 2, 1 << 12));
    w.set(this.buf);
    this.work = w;
  }

  /**
   * Keeps `buf[pos..]` (less than one entry, usually) for the next push, in {@link work}: the
   * caller may overwrite its chunk once push returns (the CLI reads into one buffer).
   */
  private keep(pos: number): void {
    const buf = this.buf;
    if (this.lastElemPos >= 0) {
      if (this.lastElem.length < this.lastElemLen) this.lastElem = new Uint8Array(this.lastElemLen);
      this.lastElem.set(buf.subarray(this.lastElemPos, this.lastElemPos + this.lastElemLen));
      this.lastElemPos = -1;
    }
    const rest = buf.length - pos;
    if (rest <= 0) {
      this.buf = EMPTY;
      return;
    }
    // Input held in `work` always starts at its offset 0 (append and keep make it so).
    if (buf.buffer === this.work.buffer) {
      if (pos > 0) this.work.copyWithin(0, pos, buf.length);
    }
    else {
      if (this.work.length < rest) this.work = new Uint8Array(Math.max(rest, 1 << 12));
      this.work.set(buf.subarray(pos));
    }
    this.buf = this.work.subarray(0, rest);
  }

  private run(final: boolean): void {
    if (this.mode === 'detect') {
      let i = 0;
      while (i < this.buf.length && isSpace(this.buf[i]!)) i++;
      if (i === this.buf.length && !final) {
        this.keep(0); // only blanks so far
        return;
      }
      const c = this.buf[i];
      const jsonish = c === 0x5b /* [ */ || c === 0x7b /* { */ || c === 0x6e; /* null */
      if (this.opts.format === 'json' || (this.opts.format !== 'plain' && jsonish)) {
        this.format = 'json';
        // The JSON fast path needs the sizes before the first element; otherwise parse generally.
        if (this.jsonT && c === 0x5b) this.mode = 'json';
        else {
          this.takeOver(0, false);
          return;
        }
      } else {
        this.format = 'plain';
        this.mode = 'plain';
      }
    }
    const pos = this.mode === 'plain' ? this.runPlain(final) : this.runJson(final);
    if (this.mode === 'general') return;
    this.keep(pos);
  }

  /**
   * Plain text: line by line; a line that starts a template match is a whole entry, provided the
   * line after it cannot continue it. The general parser reads an entry as complete only when the
   * next line is not one of its hex lines (plain.ts), so a match followed by a line that starts
   * with a hex digit, a space or a tab goes to the general parser: an over-long value is then
   * refused by its size instead of being cut to the template.
   */
  private runPlain(final: boolean): number {
    const buf = this.buf;
    const end = buf.length;
    const t = this.plainT;
    let pos = 0;
    if (this.regionMidLine) {
      const eol = buf.indexOf(NL);
      this.openRegion().push(buf.subarray(0, eol < 0 ? end : eol + 1));
      if (eol < 0) return end;
      this.regionMidLine = false;
      this.line++;
      pos = eol + 1;
    }
    while (pos < end) {
      if (t && pos + t.length <= end && !this.region?.inJson) {
        const next = pos + t.length;
        if (next === end && !final) break; // the line after the entry decides whether it is complete
        if (t.match(buf, pos, this.key, this.value) && (next === end || !continues(buf[next]!))) {
          if (this.region) {
            // The general parser reports what came before this entry by seeing this entry
            // (e.g. "a key but no value" for a cut one), so it parses this one too, then closes.
            this.region.push(buf.subarray(pos, pos + t.length));
            this.closeRegion();
          } else this.sink.entry(this.key, this.value, this.line);
          pos += t.length;
          this.line += t.lines;
          continue;
        }
      } else if (t && !final && buf[pos] === 0x6b /* k */) {
        break; // maybe an entry not complete yet
      }
      let eol = buf.indexOf(NL, pos === 0 ? this.noNewline : pos);
      this.noNewline = 0;
      if (eol === -1) {
        if (!final) {
          if (end - pos > MAX_PENDING_LINE) {
            this.openRegion().push(buf.subarray(pos, end));
            this.regionMidLine = true;
            pos = end;
          } else this.noNewline = end - pos;
          break;
        }
        eol = end - 1;
      }
      this.openRegion().push(buf.subarray(pos, eol + 1));
      pos = eol + 1;
      this.line++;
    }
    return pos;
  }

  /** `-j`/`-p`: `[`, elements matching the template joined by `,`, `]`. Anything else: general. */
  private runJson(final: boolean): number {
    const buf = this.buf;
    const end = buf.length;
    let pos = 0;
    for (;;) {
      if (this.js === 'open') {
        while (pos < end && isSpace(buf[pos]!)) this.blank(buf[pos++]!);
        if (pos >= end) return pos;
        if (buf[pos] !== 0x5b) return this.takeOver(pos, false);
        this.openBlanks = this.blanks;
        pos++;
        this.arrayLine = this.line;
        this.js = 'elem';
        continue;
      }
      if (this.js === 'elem') {
        // A document is complete only once its array closed: at the end of input the general
        // parser takes over to report it as cut, as it would on its own.
        if (pos >= end) return final ? this.takeOver(pos, true) : pos;
        if (buf[pos] === 0x5d /* ] */ && !this.afterComma) {
          // `[]` is an empty dump: the general parser reports it as `Found 0 elements` would be.
          if (this.lastElemLen < 0) this.sink.event({ kind: 'trailer', count: 0, line: this.line });
          pos++;
          this.js = 'done';
          this.closedLine = this.line;
          this.closedOwnLine = false;
          continue;
        }
        if (!this.jsForm) {
          if (pos + 1 >= end) return final ? this.takeOver(pos, true) : pos;
          this.jsForm = buf[pos + 1] === NL ? 'pretty' : 'json';
        }
        const t = this.jsForm === 'pretty' ? this.prettyT! : this.jsonT!;
        if (pos + t.length > end) return final ? this.takeOver(pos, true) : pos;
        if (!t.match(buf, pos, this.key, this.value)) return this.takeOver(pos, true);
        this.sink.entry(this.key, this.value, this.line);
        this.lastElemPos = pos;
        this.lastElemLen = t.length;
        this.lastElemLine = this.line;
        this.afterComma = false;
        pos += t.length;
        this.line += t.lines;
        this.js = 'after';
        continue;
      }
      if (this.js === 'after') {
        if (pos >= end) return final ? this.takeOver(pos, true) : pos;
        const c = buf[pos]!;
        if (c === 0x2c /* , */) {
          pos++;
          this.afterComma = true;
          this.js = 'elem';
          continue;
        }
        if (c === NL && this.jsForm === 'pretty') {
          // -p closes the array on its own line: `}\n]`.
          if (pos + 1 >= end) return final ? this.takeOver(pos, true) : pos;
          if (buf[pos + 1] !== 0x5d) return this.takeOver(pos, true);
          this.line++;
          pos += 2;
          this.js = 'done';
          this.closedLine = this.line;
          this.closedOwnLine = true;
          continue;
        }
        if (c === 0x5d) {
          pos++;
          this.js = 'done';
          this.closedLine = this.line;
          this.closedOwnLine = false;
          continue;
        }
        return this.takeOver(pos, true);
      }
      // done: only whitespace may follow; another document goes to the general parser. Text on
      // the line of the closing `]` means the array did not really end there (a stray `]`): the
      // general parser gets the array replayed up to its `]` and reports and recovers as alone.
      while (pos < end && isSpace(buf[pos]!)) {
        const b = buf[pos++]!;
        // Blanks on the closing line are replayed too (the general parser quotes them).
        if (this.line === this.closedLine && this.closedBlanks.length < 64) this.closedBlanks += String.fromCharCode(b);
        this.blank(b);
      }
      if (pos >= end) return pos;
      this.js = 'open';
      return this.takeOver(pos, this.line === this.closedLine, this.line === this.closedLine);
    }
  }

  private countSpace(b: number): void {
    if (b === NL) this.line++;
  }

  /** A blank outside the array: counted, and kept for a replay until the next newline. */
  private blank(b: number): void {
    this.countSpace(b);
    if (b === NL) this.blanks = '';
    else if (this.blanks.length < 64) this.blanks += String.fromCharCode(b);
  }

  /**
   * Hands the rest of the input to the general parser for good. Inside an array it first replays
   * `[`, the last element (whose event it drops: it was already emitted) and the `,` if one was
   * read, so the general parser is in exactly the state it would have reached on its own and
   * reports the irregularity the same way.
   */
  private takeOver(pos: number, insideArray: boolean, closed = false): number {
    this.closeRegion();
    const replay = insideArray && this.lastElemLen >= 0;
    // The replayed `[` keeps its line, and newlines put the replayed element (or the rest) on its
    // own: the general parser then quotes the same lines as it would have on its own.
    const offset = (insideArray ? this.arrayLine : this.line) - 1;
    let drop = replay ? 1 : 0;
    const g = createRegionParser(
      (e) => {
        if (drop > 0 && e.kind === 'entry') {
          drop--;
          return;
        }
        this.sink.event(e);
      },
      { format: this.format === 'plain' ? 'plain' : this.opts.format, firstLine: offset + 1 },
    );
    this.general = g;
    this.mode = 'general';
    if (insideArray) {
      g.push(this.openBlanks + '[' + '\n'.repeat((replay ? this.lastElemLine : this.line) - this.arrayLine));
      if (replay) {
        const at = this.lastElemPos;
        g.push(at >= 0 ? this.buf.subarray(at, at + this.lastElemLen) : this.lastElem.subarray(0, this.lastElemLen));
        if (this.afterComma) g.push(',');
      }
      // -p closes the array on its own line (`}\n]`).
      if (closed) g.push((replay && this.closedOwnLine ? '\n]' : ']') + this.closedBlanks);
    } else g.push(this.blanks);
    g.push(this.buf.subarray(pos));
    this.buf = EMPTY;
    return 0;
  }

  private openRegion(): RegionParser {
    if (!this.region) {
      this.region = createRegionParser((e) => this.sink.event(e), { format: this.opts.format ?? 'auto', firstLine: this.line });
    }
    return this.region;
  }

  /** Closes the general parser of the lines before a matched entry; at the end of input, as its end. */
  private closeRegion(eof = false): void {
    if (!this.region) return;
    const r = this.region;
    this.region = undefined;
    this.regionMidLine = false;
    if (eof) r.end();
    else r.endRegion();
  }
}

/** Can a line starting with byte `b` continue the hex of the entry before it (plain.ts)? */
function continues(b: number): boolean {
  return b === 32 || b === 9 || HEX_DIGIT_VALUE[b]! >= 0;
}

/**
 * Creates the fast push parser. Give the sizes when the map is known up front; otherwise call
 * `setSizes` once the first entry has identified the map.
 */
export function createFastDumpParser(sink: FastDumpSink, opts: ParseOptions = {}, sizes?: { keySize: number; valueSize: number }): FastDumpParser {
  return new FastParser(sink, opts, sizes);
}

/**
 * Public entry points of the bpftool readers: format detection, chunk handling, and the three
 * ways to run them (push parser, async batches, whole text).
 *
 * Chunks may be strings or bytes and may split anything: a UTF-8 character (bytes go through one
 * streaming `TextDecoder`), a hex byte, a `\r\n`, a JSON token. Only the unfinished tail (part of
 * a line in plain mode, part of a token in JSON mode) is kept between chunks, so memory stays
 * bounded by one line or token even for a 139 MB single-line `-j` dump (test/fixtures/bpftool-formats).
 *
 * Detection (auto): blank and noise lines at the start are reported and skipped; the first line
 * that starts with `[`, `{` or `null` makes it JSON (`-j`, `-p`, and the BTF plain form),
 * the first line of plain bpftool output makes it plain. In auto mode the two readers also hand
 * over to each other between documents, so concatenated outputs of several commands work (a BTF
 * map's lookup prints JSON on a hit but plain `Not found` on a miss).
 */
import type { DumpEvent } from './events';
import { CodecError } from '../schema/errors';
import { HEX_DIGIT_VALUE } from './hex';
import { JsonReader } from './json';
import { jsonStartAt } from './json-start';
import { LINE_JSON, LINE_PLAIN, PlainReader } from './plain';

/** The two output families of bpftool: plain text or JSON-shaped. */
export type DumpFormat = 'plain' | 'json';

/** Options of the bpftool readers. */
export interface ParseOptions {
  /**
   * `auto` (default) detects the format and lets plain and JSON documents follow each other.
   * `plain` or `json` force one reader; text the forced reader cannot read becomes `noise`.
   */
  format?: 'auto' | DumpFormat;
  /**
   * Line number of the first line of input (default 1). For callers that hand over the middle of
   * a stream (the text fast path), so events and messages quote the real lines.
   */
  firstLine?: number;
}

/** A synchronous push parser: feed chunks, receive events through the callback. */
export interface DumpParser {
  /**
   * Feed the next chunk. Events for everything complete so far are emitted before it returns,
   * and the chunk is not kept: the caller may reuse its buffer afterwards.
   */
  push(chunk: string | Uint8Array): void;
  /** End of input: flush the last line or entry (reporting it if it was cut). */
  end(): void;
  /** The detected (or forced) format; undefined until something meaningful has been read. */
  readonly format: DumpFormat | undefined;
}

/** Longest plain line kept while waiting for its `\n` (bpftool's are at most ~60 characters). */
const MAX_LINE = 1 << 20;

/**
 * An unfinished line or token longer than this is not re-read for every chunk: chunks are
 * gathered until they are as long as it (see `take`). bpftool's lines and tokens are far shorter.
 */
const GATHER_FROM = 4096;

/** Characters of already-read JSON text kept before the resume point, for error snippets. */
const HISTORY = 64;

const MODE_PLAIN = 0;
const MODE_JSON = 1;

/**
 * The general parser as the text fast path drives it (fast-parser.ts): it hands over the lines
 * around the entries it matched itself and must know whether a JSON document is open there.
 */
export interface RegionParser extends DumpParser {
  /** True while the parser is inside JSON text (its next line is not read as plain output). */
  readonly inJson: boolean;
  /**
   * Ends a region of the input that is not its end: the pending entry is finished (complete or
   * reported as incomplete) but not reported as cut by the end of the input.
   */
  endRegion(): void;
  /**
   * A NUL byte follows what was pushed, at `offset` in the whole input (the fast path counts the
   * bytes it read itself): finish like {@link DumpParser.push} does on a NUL, then ignore the rest.
   */
  binaryAt(offset: number): void;
}

class Parser implements RegionParser {
  format: DumpFormat | undefined;
  private readonly onEvent: (e: DumpEvent) => void;
  private readonly auto: boolean;
  private readonly plain: PlainReader;
  private readonly json: JsonReader;
  private mode: number;
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  /** Text kept from the previous chunk: history (JSON mode) and the unfinished tail. */
  private carry = '';
  /** Where reading resumes inside `carry`. */
  private carryStart = 0;
  /** Is `carry[0]` at the start of a line? */
  private carryBol = true;
  private line = 1;
  /** Dropping the rest of an over-long plain line. */
  private dropping = false;
  /** Position (in the current text) the JSON reader handed back to the plain reader without progress. */
  private handback = -1;
  private ended = false;
  /** A NUL byte was read: the input is binary; everything after it is ignored. */
  private stopped = false;
  /** Bytes (or string code units) pushed so far, for the offset of a NUL. */
  private consumed = 0;
  /** Chunks gathered behind a long unfinished line or token, not read yet. */
  private gathered: string[] = [];
  private gatheredLength = 0;

  constructor(onEvent: (e: DumpEvent) => void, opts: ParseOptions | undefined) {
    const fmt = opts?.format ?? 'auto';
    if (fmt !== 'auto' && fmt !== 'plain' && fmt !== 'json') {
      throw new CodecError(`unknown dump format ${JSON.stringify(fmt)} (use 'auto', 'plain' or 'json')`);
    }
    this.onEvent = onEvent;
    this.auto = fmt === 'auto';
    this.plain = new PlainReader(onEvent, this.auto);
    this.json = new JsonReader(onEvent, this.auto);
    this.mode = fmt === 'json' ? MODE_JSON : MODE_PLAIN;
    if (fmt !== 'auto') this.format = fmt;
    this.line = opts?.firstLine ?? 1;
    this.json.line = this.line;
  }

  push(chunk: string | Uint8Array): void {
    if (this.ended) throw new Error('cilium-map-codec: push() after end()');
    if (this.stopped) return;
    // bpftool prints text; a NUL byte means binary input (`</dev/zero`, a core file, an ELF):
    // read what came before it, then stop instead of scanning (possibly endless) garbage.
    const nul = typeof chunk === 'string' ? chunk.indexOf('\0') : chunk.indexOf(0);
    if (nul >= 0) {
      if (nul > 0) this.take(chunk.slice(0, nul));
      this.binaryAt(this.consumed);
      return;
    }
    this.take(chunk);
  }

  binaryAt(offset: number): void {
    if (this.stopped || this.ended) return;
    this.ungather(false);
    this.stopped = true;
    const line = this.mode === MODE_JSON ? this.json.line : this.line;
    // The complete lines before the NUL are read and the pending entry is finished, unless the
    // unfinished line may continue its hex (then it is left out, covered by this error).
    if (this.mode === MODE_PLAIN) {
      const c = this.carryStart < this.carry.length ? this.carry.charCodeAt(this.carryStart) : -1;
      if (!(c === 32 || c === 9 || (c >= 0 && c < 256 && HEX_DIGIT_VALUE[c]! >= 0))) this.plain.flush();
    }
    this.onEvent({ kind: 'binary', offset, line });
  }

  private take(chunk: string | Uint8Array): void {
    this.consumed += chunk.length;
    let text: string;
    if (typeof chunk === 'string') {
      // Bytes left in the decoder (a UTF-8 character cut at the end of the last byte chunk) cannot
      // be completed by a string: flush them as U+FFFD.
      text = this.decoder ? this.decoder.decode() + chunk : chunk;
      this.decoder = undefined;
    } else {
      this.decoder ??= new TextDecoder('utf-8');
      text = this.decoder.decode(chunk, { stream: true });
    }
    if (text.length === 0) return;
    // Re-reading a long unfinished line (or JSON token) for every small chunk is quadratic: a
    // 105 MB line without a newline, piped in small reads, never ended. Behind a long unfinished
    // tail, chunks are gathered until they are as long as it, so every character is re-read a
    // bounded number of times; events are the same, only later.
    const unfinished = this.carry.length - this.carryStart;
    if (unfinished > GATHER_FROM && !this.dropping) {
      this.gathered.push(text);
      this.gatheredLength += text.length;
      if (this.gatheredLength < unfinished) return;
      this.ungather(false);
      return;
    }
    this.run(text, false);
  }

  /** Reads the gathered chunks (all of them, at the end of input or before a NUL). */
  private ungather(final: boolean): void {
    if (this.gathered.length === 0) {
      if (final) this.run('', true);
      return;
    }
    const text = this.gathered.join('');
    this.gathered = [];
    this.gatheredLength = 0;
    this.run(text, final);
  }

  get inJson(): boolean {
    return this.mode === MODE_JSON;
  }

  end(): void {
    this.close(true);
  }

  endRegion(): void {
    this.close(false);
  }

  private close(eof: boolean): void {
    if (this.ended) return;
    if (this.stopped) {
      this.ended = true;
      return;
    }
    const tail = this.decoder ? this.decoder.decode() : '';
    this.decoder = undefined;
    if (tail) this.gathered.push(tail);
    this.ungather(true);
    if (this.mode === MODE_JSON) this.json.finish();
    if (eof) this.plain.finish();
    else this.plain.flush();
    this.ended = true;
  }

  /** A plain line over {@link MAX_LINE}: not bpftool output; reported and skipped, unread. */
  private longLine(s: string, pos: number): void {
    this.plain.flush();
    this.onEvent({ kind: 'malformed', reason: 'a line longer than 1 MiB', text: s.slice(pos, pos + 200), line: this.line });
  }

  /** Does the unfinished line at `s[pos]` start a JSON document? If so, hand over to the JSON reader. */
  private jsonAhead(s: string, pos: number, n: number): boolean {
    let a = pos;
    while (a < n && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
    if (a >= n || jsonStartAt(s, a, n, false) !== 1) return false;
    this.plain.flush();
    this.format ??= 'json';
    this.mode = MODE_JSON;
    return true;
  }

  private run(text: string, final: boolean): void {
    const s = this.carry.length > 0 ? this.carry + text : text;
    const n = s.length;
    let pos = this.carryStart;
    const startBol = this.carryBol;
    if (this.dropping) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) {
        this.carry = '';
        this.carryStart = 0;
        return;
      }
      this.dropping = false;
      this.line++;
      pos = nl + 1;
    }
    while (pos < n) {
      if (this.mode === MODE_PLAIN) {
        const nl = s.indexOf('\n', pos);
        if (nl < 0 && !final) {
          // A `-j` document is one line (139 MB for 512k ipcache entries): switch to the
          // JSON reader as soon as its start is visible instead of waiting for the line's end.
          if (this.auto && pos !== this.handback && this.jsonAhead(s, pos, n)) continue;
          if (n - pos > MAX_LINE) {
            this.longLine(s, pos);
            this.dropping = true;
            pos = n;
          }
          break;
        }
        const end = nl < 0 ? n : nl;
        if (end - pos > MAX_LINE) {
          // Same outcome as when the line arrives in pieces (above), so chunking never matters.
          if (this.auto && pos !== this.handback && this.jsonAhead(s, pos, n)) continue;
          this.longLine(s, pos);
          pos = end + 1;
          if (nl >= 0) this.line++;
          continue;
        }
        const b = end > pos && s.charCodeAt(end - 1) === 13 ? end - 1 : end;
        // If the JSON reader just handed this very position back, it must not be offered to it
        // again (a guard against ping-pong; both readers use jsonStartAt, so they agree).
        const kind = this.plain.line(s, pos, b, this.line, pos !== this.handback);
        this.handback = -1;
        if (kind === LINE_JSON) {
          // In auto mode only: a JSON document starts on this line.
          this.format ??= 'json';
          this.mode = MODE_JSON;
          continue;
        }
        if (kind === LINE_PLAIN) this.format ??= 'plain';
        pos = end + 1;
        if (nl >= 0) this.line++;
      } else {
        this.json.line = this.line;
        this.json.bolAtStart = pos === 0 ? startBol : s.charCodeAt(pos - 1) === 10;
        const p = this.json.feed(s, pos, final);
        this.line = this.json.line;
        if (!this.json.toPlain) {
          pos = p;
          break;
        }
        this.handback = p === pos ? p : -1;
        pos = p;
        this.mode = MODE_PLAIN;
      }
    }
    if (pos > n) pos = n;
    this.handback = -1; // positions are per text
    // Keep the unfinished tail. In JSON mode also keep a little text before it, so that a
    // `malformed` snippet shows the same context whatever the chunk boundaries were.
    const from = this.mode === MODE_JSON ? Math.max(0, pos - HISTORY) : pos;
    this.carryBol = from === 0 ? startBol : s.charCodeAt(from - 1) === 10;
    this.carry = from < n ? s.slice(from) : '';
    this.carryStart = pos - from;
  }
}

/**
 * A synchronous push parser of bpftool output. Events are delivered to `onEvent` in input order,
 * during `push()` and `end()`. It never throws on input content; see {@link DumpEvent}.
 *
 * @example
 * ```ts
 * const p = createDumpParser((e) => { if (e.kind === 'entry') use(e.entry.key, e.entry.value); });
 * for await (const chunk of process.stdin) p.push(chunk);
 * p.end();
 * ```
 */
export function createDumpParser(onEvent: (e: DumpEvent) => void, opts?: ParseOptions): DumpParser {
  return new Parser(onEvent, opts);
}

/**
 * Parse bpftool output from a (possibly async) iterable of chunks. Yields the events of each
 * chunk as one array (chunks that produce no event yield nothing), then those of the end of input.
 */
export async function* parseDump(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts?: ParseOptions,
): AsyncGenerator<DumpEvent[]> {
  let batch: DumpEvent[] = [];
  const parser = new Parser((e) => batch.push(e), opts);
  for await (const chunk of source) {
    parser.push(chunk);
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  parser.end();
  if (batch.length > 0) yield batch;
}

/** The general parser with the hooks the text fast path needs (not part of the public API). */
export function createRegionParser(onEvent: (e: DumpEvent) => void, opts?: ParseOptions): RegionParser {
  return new Parser(onEvent, opts);
}

/** Parse a whole bpftool output held in one string. */
export function parseDumpText(text: string, opts?: ParseOptions): DumpEvent[] {
  const events: DumpEvent[] = [];
  const parser = new Parser((e) => events.push(e), opts);
  parser.push(text);
  parser.end();
  return events;
}

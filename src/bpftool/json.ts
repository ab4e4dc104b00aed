/**
 * Streaming, lenient reader of bpftool's JSON-shaped output: `-j` (one line, 139 MB for a 512k
 * ipcache dump), `-p` (pretty), and the BTF "plain" form that a BTF map's `map dump` prints
 * (captures in test/fixtures/bpftool-formats), which is JSON-like but not JSON: bare hex numbers (`0x1`),
 * `(nil)` pointers, duplicate `""` member names, u64 past 2^53, bpftool's `\'` escape.
 *
 * Memory stays bounded by one element: the top-level array (and a multi-map `"elements"` array) is
 * never materialised, each element is turned into events as soon as its `}` arrives, and the
 * `"formatted"` subtree of `-j` BTF dumps is skipped character by character without building it.
 * Byte arrays `["0x0a","0x60",..]` are decoded straight into a scratch buffer with the 256-entry
 * table of `hex.ts`; no per-byte strings are created on that path.
 *
 * The reader never throws on input: a structural or lexical problem becomes one `malformed` event,
 * after which it resynchronises at the next element (`{` followed by `"key"`) inside the enclosing
 * array, or at the next line.
 */
import type { BtfNode, DumpEvent, MapHeader } from './events';
import { BYTE_TO_HEX, HEX_DIGIT_VALUE as HX } from './hex';
import { elementEvents } from './json-element';
import { isWs, jsonStartAt } from './json-start';
import { EMITTED, NULL_NODE, SKIPPED, member, numberValue, render, stringValue, type BuildArray, type BuildObject, type Node } from './json-tree';

type Emit = (e: DumpEvent) => void;

// Frame types and states.
const F_OBJECT = 0;
const F_ARRAY = 1;
const O_KEY_OR_END = 0; // after `{`
const O_KEY = 1; // after `,`
const O_COLON = 2;
const O_VALUE = 3;
const O_COMMA_OR_END = 4;
const A_VALUE_OR_END = 5; // after `[`
const A_VALUE = 6; // after `,`
const A_COMMA_OR_END = 7;
// Roles.
const R_GENERIC = 0;
/** An object that is one bpftool element: dump entry, lookup, getnext, error, map, batch item. */
const R_ELEMENT = 1;
/** An array whose items are elements (top-level dump array, multi-map `"elements"`). */
const R_ENTRIES = 2;

// Reader modes.
const M_TOP = 0; // between documents
const M_DOC = 1; // inside a document
const M_SKIP = 2; // skipping one value
const M_RESYNC_ENTRY = 3; // after an error: looking for the next `{"key"` element
const M_RESYNC_LINE = 4; // after an error: skipping to the end of the line

/** Longest token (or undecidable lookahead) kept across chunks; bpftool never comes close. */
const MAX_CARRY = 1 << 20;
/** Deepest nesting accepted; BTF output of real structs stays below 20 (it also bounds recursion). */
const MAX_DEPTH = 256;

class Frame {
  type = F_OBJECT;
  state = O_KEY_OR_END;
  role = R_GENERIC;
  line = 0;
  members: [string, Node][] = [];
  items: Node[] = [];
  /** Member name waiting for its value. */
  name = '';
  /** Array still holding only `"0xNN"` strings, collected in the reader's scratch buffer. */
  hex = false;
  hexLen = 0;
  map: MapHeader | undefined = undefined;
}

/** Characters of bare words: numbers, `true`/`false`/`null`, `0x1f`, `(nil)`, `-3`, `1e5`. */
const BARE = (() => {
  const t = new Uint8Array(256);
  for (const ch of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-()') {
    t[ch.charCodeAt(0)] = 1;
  }
  return t;
})();
const NUMBER_RE = /^-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/**
 * The JSON reader. Fed by `parse.ts` with the text of each chunk; it consumes what it can and
 * returns where it stopped (an incomplete token is re-read with the next chunk).
 */
export class JsonReader {
  /** 1-based line number of the character at the current position. */
  line = 1;
  /** Set by {@link feed} when it stopped at text that is not JSON (plain output follows). */
  toPlain = false;
  /** Whether `s[0]` of the next {@link feed} is at the start of a line. */
  bolAtStart = true;

  private readonly emit: Emit;
  private readonly allowPlain: boolean;
  private mode = M_TOP;
  private frames: Frame[] = [];
  private depth = 0;
  private scratch: Uint8Array = new Uint8Array(256);
  // Skip state (M_SKIP), resumable across chunks.
  private skipDepth = 0;
  private skipStr = false;
  private skipEsc = false;
  private skipStarted = false;
  private skipBare = false;
  /** The `formatted` tree of this document's first element was kept (see doc()). */
  private formattedTaken = false;
  /** Role of the top-level value that closed last, and its line: text after it on that line is an error. */
  private closedRole = -1;
  private closedLine = 0;

  /**
   * @param emit receives every event.
   * @param allowPlain when true, non-JSON text between documents is handed back to the plain
   *   reader (`toPlain`); when false it is reported as `noise`, line by line.
   */
  constructor(emit: Emit, allowPlain: boolean) {
    this.emit = emit;
    this.allowPlain = allowPlain;
  }

  private push(type: number, role: number, line: number): Frame {
    let f = this.frames[this.depth];
    if (f === undefined) {
      f = new Frame();
      this.frames[this.depth] = f;
    }
    this.depth++;
    f.type = type;
    f.role = role;
    f.line = line;
    f.state = type === F_OBJECT ? O_KEY_OR_END : A_VALUE_OR_END;
    f.name = '';
    f.hex = false;
    f.hexLen = 0;
    f.map = undefined;
    // Arrays start out collecting bytes; `unhex` gives them an item list when they need one.
    if (type === F_OBJECT && role !== R_ENTRIES) f.members = [];
    return f;
  }

  private isCol0(s: string, i: number): boolean {
    return i === 0 ? this.bolAtStart : s.charCodeAt(i - 1) === 10;
  }

  /**
   * Consume `s` from `i`. Returns the position up to which text was consumed; the caller keeps
   * `s.slice(returned)` and prepends it to the next chunk. When `final`, the text ends at `s.length`.
   */
  feed(s: string, i: number, final: boolean): number {
    const n = s.length;
    this.toPlain = false;
    while (i < n) {
      let j: number;
      switch (this.mode) {
        case M_TOP:
          j = this.top(s, i, n, final);
          break;
        case M_DOC:
          j = this.doc(s, i, n, final);
          break;
        case M_SKIP:
          j = this.skip(s, i, n);
          break;
        case M_RESYNC_ENTRY:
          j = this.resyncEntry(s, i, n, final);
          break;
        default:
          j = this.resyncLine(s, i, n);
      }
      if (j < 0) {
        // Needs more input: the text from -j-1 on is kept for the next chunk.
        const keep = -j - 1;
        if (n - keep > MAX_CARRY) {
          this.fail('a token or line longer than 1 MiB', s, keep);
          i = keep + 1;
          continue;
        }
        return keep;
      }
      i = j;
      if (this.toPlain) return i;
    }
    return i;
  }

  /** End of input: report a document left open (once), then reset. */
  finish(): void {
    if (this.mode === M_DOC || this.mode === M_SKIP) {
      let el: Frame | undefined;
      for (let d = this.depth - 1; d >= 0; d--) {
        if (this.frames[d].role === R_ELEMENT) el = this.frames[d];
      }
      if (el) {
        this.emit({
          kind: 'malformed',
          reason: `input ended inside an entry: the JSON object opened on line ${el.line} is not closed`,
          text: '{',
          line: el.line,
        });
      } else if (this.depth > 0) {
        const f = this.frames[0];
        this.emit({
          kind: 'malformed',
          reason: `input ended inside a JSON document: the ${f.type === F_ARRAY ? 'array' : 'object'} opened on line ${f.line} is not closed`,
          text: f.type === F_ARRAY ? '[' : '{',
          line: f.line,
          // Between elements: no element is known to be lost, but the dump is not complete.
          stray: true,
        });
      }
    }
    this.depth = 0;
    this.mode = M_TOP;
  }

  // ---------------------------------------------------------------- between documents

  private top(s: string, i: number, n: number, final: boolean): number {
    for (;;) {
      if (i >= n) return i;
      const c = s.charCodeAt(i);
      if (c === 10) {
        this.line++;
        i++;
      } else if (c === 32 || c === 9 || c === 13) i++;
      else break;
    }
    const r = jsonStartAt(s, i, n, final);
    if (r < 0) return -i - 1;
    const after = this.closedLine === this.line ? this.closedRole : -1;
    this.closedRole = -1;
    if (r === 0 && after >= 0) return this.afterDocument(s, i, after);
    if (r === 1) {
      if (s.charCodeAt(i) === 110) {
        // `null`: a lookup miss in JSON mode (rc 254).
        this.emit({ kind: 'not-found', line: this.line });
        return i + 4;
      }
      this.mode = M_DOC;
      this.formattedTaken = false;
      return i;
    }
    if (this.allowPlain) {
      this.toPlain = true;
      return i;
    }
    const nl = s.indexOf('\n', i);
    if (nl < 0 && !final) return -i - 1;
    const end = nl < 0 ? n : nl;
    const text = s.slice(i, end > i && s.charCodeAt(end - 1) === 13 ? end - 1 : end);
    this.emit({ kind: 'noise', text, line: this.line });
    if (nl < 0) return n;
    this.line++;
    return nl + 1;
  }

  /**
   * Text after a closed document on the same line (`[{E1}]},{E2}]`: a stray `]`). bpftool ends
   * every document with a newline, so the document did not really end there: report it, and if it
   * was a dump array, go on reading its elements so the entries after the stray text are kept.
   */
  private afterDocument(s: string, i: number, role: number): number {
    this.emit({ kind: 'malformed', reason: 'unexpected text after the end of a JSON document', text: this.snippet(s, i), line: this.line, stray: true });
    if (role === R_ENTRIES) {
      const f = this.push(F_ARRAY, R_ENTRIES, this.line);
      f.state = A_VALUE;
      this.mode = M_RESYNC_ENTRY;
    } else this.mode = M_RESYNC_LINE;
    return i;
  }

  // ---------------------------------------------------------------- errors and resync

  /**
   * The text of a `malformed` event: the current line up to and including the offending
   * character, at most 60 characters before it. Only text before the error is used, which the
   * caller keeps across chunks, so the snippet does not depend on chunk boundaries.
   */
  private snippet(s: string, i: number): string {
    let a = s.lastIndexOf('\n', i - 1) + 1;
    if (i - a > 60) a = i - 60;
    const b = i < s.length && s.charCodeAt(i) !== 10 && s.charCodeAt(i) !== 13 ? i + 1 : i;
    return s.slice(a, b);
  }

  /** Report one problem and resynchronise: at the next element of the enclosing array, or the next line. */
  private fail(reason: string, s: string, i: number): void {
    this.emit({ kind: 'malformed', reason, text: this.snippet(s, i), line: this.line });
    let k = this.depth - 1;
    while (k >= 0 && this.frames[k].role !== R_ENTRIES) k--;
    if (k >= 0) {
      this.depth = k + 1;
      this.frames[k].state = A_VALUE;
      this.mode = M_RESYNC_ENTRY;
    } else {
      this.depth = 0;
      this.mode = M_RESYNC_LINE;
    }
  }

  /** At the start of a line while resynchronising: does a new document or plain output begin? */
  private lineStartsOver(s: string, i: number, n: number, final: boolean): -1 | 0 | 1 {
    const c = s.charCodeAt(i);
    if (c === 91 || c === 123 || c === 110) {
      const r = jsonStartAt(s, i, n, final);
      if (r !== 0) return r;
    }
    if (c === 107 || c === 70 || c === 69) {
      if (n - i < 7 && !final) return -1;
      if (s.startsWith('key:', i) || s.startsWith('Found ', i) || s.startsWith('Error: ', i)) return 1;
    }
    return 0;
  }

  private resyncEntry(s: string, i: number, n: number, final: boolean): number {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (this.isCol0(s, i)) {
        const r = this.lineStartsOver(s, i, n, final);
        if (r < 0) return -i - 1;
        if (r > 0 || c === 93) {
          // A new document, plain output, or the pretty form's closing `]` at column 0.
          this.depth = 0;
          this.mode = M_TOP;
          return r > 0 ? i : i + 1;
        }
      }
      if (c === 10) this.line++;
      else if (c === 123) {
        let j = i + 1;
        while (j < n && isWs(s.charCodeAt(j))) j++;
        if (n - j < 5 && !final) return -i - 1;
        if (s.startsWith('"key"', j)) {
          this.mode = M_DOC;
          return i;
        }
      }
      i++;
    }
    return i;
  }

  private resyncLine(s: string, i: number, n: number): number {
    if (this.isCol0(s, i)) {
      this.mode = M_TOP;
      return i;
    }
    const nl = s.indexOf('\n', i);
    if (nl < 0) return n;
    this.line++;
    this.mode = M_TOP;
    return nl + 1;
  }

  // ---------------------------------------------------------------- skipping a value

  private startSkip(): void {
    this.mode = M_SKIP;
    this.skipDepth = 0;
    this.skipStr = false;
    this.skipEsc = false;
    this.skipStarted = false;
    this.skipBare = false;
  }

  /** Skip one value (the `"formatted"` subtree) without building anything. */
  private skip(s: string, i: number, n: number): number {
    let depth = this.skipDepth;
    let inStr = this.skipStr;
    let esc = this.skipEsc;
    let started = this.skipStarted;
    let bare = this.skipBare;
    let done = false;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (inStr) {
        if (esc) esc = false;
        else if (c === 92) esc = true;
        else if (c === 34) {
          inStr = false;
          if (depth === 0) {
            i++;
            done = true;
            break;
          }
        } else if (c === 10) this.line++;
        continue;
      }
      if (c === 123 || c === 91) {
        if (bare) {
          done = true;
          break;
        }
        depth++;
        started = true;
      } else if (c === 125 || c === 93) {
        if (depth === 0) {
          done = true; // a scalar ended by the parent's closer (or nothing: the parser will complain)
          break;
        }
        depth--;
        if (depth === 0) {
          i++;
          done = true;
          break;
        }
      } else if (c === 34) {
        if (bare) {
          done = true;
          break;
        }
        inStr = true;
        started = true;
      } else if (c === 44) {
        if (depth === 0) {
          done = true;
          break;
        }
      } else if (c === 10 || c === 32 || c === 9 || c === 13) {
        if (depth === 0 && bare) {
          done = true;
          break;
        }
        if (c === 10) this.line++;
      } else if (depth === 0) {
        bare = true;
        started = true;
      }
    }
    if (done) {
      this.mode = M_DOC;
      if (!started) {
        this.fail('a member has no value', s, i);
        return i;
      }
      this.value(SKIPPED, s, i);
      return i;
    }
    this.skipDepth = depth;
    this.skipStr = inStr;
    this.skipEsc = esc;
    this.skipStarted = started;
    this.skipBare = bare;
    return i;
  }

  // ---------------------------------------------------------------- inside a document

  private growScratch(): Uint8Array {
    const next = new Uint8Array(this.scratch.length * 2);
    next.set(this.scratch);
    this.scratch = next;
    return next;
  }

  /** A hex-collecting array receives something that is not `"0xNN"`: turn its bytes into strings. */
  private unhex(f: Frame): void {
    f.hex = false;
    const items: Node[] = [];
    for (let k = 0; k < f.hexLen; k++) items.push({ kind: 'string', value: '0x' + BYTE_TO_HEX[this.scratch[k]] });
    f.items = items;
    f.hexLen = 0;
  }

  /** Tokens of a document. Returns the new position, or `-(p+1)` to wait for more input at `p`. */
  private doc(s: string, i: number, n: number, final: boolean): number {
    while (i < n && this.mode === M_DOC) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 13 || c === 9) {
        i++;
        continue;
      }
      if (c === 10) {
        this.line++;
        i++;
        continue;
      }
      const depth = this.depth;
      const f = depth > 0 ? this.frames[depth - 1] : undefined;
      switch (c) {
        case 34: {
          // A string. Fast path first: `"0xNN"` items of a byte array, decoded in a tight loop.
          if (f !== undefined && f.hex && (f.state === A_VALUE_OR_END || f.state === A_VALUE)) {
            let buf = this.scratch;
            let len = f.hexLen;
            let state = f.state;
            let k = i;
            for (;;) {
              if (k + 5 >= n || s.charCodeAt(k + 1) !== 48 || s.charCodeAt(k + 2) !== 120 || s.charCodeAt(k + 5) !== 34) break;
              // Codes above 255 index past the table: undefined fails the `>= 0` test.
              const hi = HX[s.charCodeAt(k + 3)];
              const lo = HX[s.charCodeAt(k + 4)];
              if (!(hi >= 0 && lo >= 0)) break;
              if (len === buf.length) buf = this.growScratch();
              buf[len++] = (hi << 4) | lo;
              k += 6;
              state = A_COMMA_OR_END;
              // `,"` continues the run (the -j and -p forms never put spaces between items).
              if (s.charCodeAt(k) === 44 && s.charCodeAt(k + 1) === 34) {
                k++;
                state = A_VALUE;
                continue;
              }
              break;
            }
            f.hexLen = len;
            f.state = state;
            if (k !== i) {
              i = k;
              continue;
            }
          }
          const j = this.string(s, i, n, final);
          if (j < 0) return j;
          i = j;
          break;
        }
        case 123: // {
        case 91: {
          // [
          if (depth > 0 && f!.state !== O_VALUE && f!.state !== A_VALUE_OR_END && f!.state !== A_VALUE) {
            this.fail(`unexpected '${c === 123 ? '{' : '['}'`, s, i);
            return i;
          }
          if (depth >= MAX_DEPTH) {
            this.fail(`nesting deeper than ${MAX_DEPTH} levels`, s, i);
            return i + 1;
          }
          this.open(c === 123 ? F_OBJECT : F_ARRAY, f);
          i++;
          break;
        }
        case 125: // }
        case 93: {
          // ]
          const want = c === 125 ? F_OBJECT : F_ARRAY;
          if (
            f === undefined ||
            f.type !== want ||
            (f.state !== O_KEY_OR_END && f.state !== O_COMMA_OR_END && f.state !== A_VALUE_OR_END && f.state !== A_COMMA_OR_END)
          ) {
            this.fail(`unexpected '${c === 125 ? '}' : ']'}'`, s, i);
            return i;
          }
          i++;
          this.close(f, s, i);
          break;
        }
        case 44: // ,
          if (f !== undefined && f.state === O_COMMA_OR_END) f.state = O_KEY;
          else if (f !== undefined && f.state === A_COMMA_OR_END) f.state = A_VALUE;
          else {
            this.fail("unexpected ','", s, i);
            return i;
          }
          i++;
          break;
        case 58: // :
          if (f === undefined || f.state !== O_COLON) {
            this.fail("unexpected ':'", s, i);
            return i;
          }
          f.state = O_VALUE;
          i++;
          if (f.role === R_ELEMENT && f.name === 'formatted') {
            // `-j` of a BTF map: the raw arrays carry the bytes. `formatted` is built for the
            // first element of a document only, for its member names (they identify the layout);
            // every other one is skipped without building anything.
            if (this.formattedTaken) {
              this.startSkip();
              return i;
            }
            this.formattedTaken = true;
          }
          break;
        default: {
          if (!(c < 256 && BARE[c] === 1)) {
            this.fail(`unexpected character ${JSON.stringify(String.fromCharCode(c))}`, s, i);
            return i;
          }
          let j = i + 1;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (!(d < 256 && BARE[d] === 1)) break;
            j++;
          }
          if (j === n && !final) return -i - 1;
          const text = s.slice(i, j);
          let node: BtfNode;
          if (text === 'true' || text === 'false') node = { kind: 'bool', value: text === 'true' };
          else if (text === 'null') node = NULL_NODE;
          else if (NUMBER_RE.test(text)) node = { kind: 'number', text };
          else node = { kind: 'string', value: text, bare: true };
          if (f !== undefined && (f.state === O_KEY_OR_END || f.state === O_KEY)) {
            this.fail(`expected a member name, got ${text}`, s, i);
            return i;
          }
          if (!this.value(node, s, i)) return i;
          i = j;
        }
      }
    }
    return i;
  }

  /** Lex a string at `s[i] === '"'` and deliver it as a member name or a value. */
  private string(s: string, i: number, n: number, final: boolean): number {
    let j = i + 1;
    let escapes = false;
    for (;;) {
      if (j >= n) {
        if (!final) return -i - 1;
        // Final chunk ends inside a string: finish() reports the open entry once.
        return n;
      }
      const d = s.charCodeAt(j);
      if (d === 34) break;
      if (d === 92) {
        escapes = true;
        j += 2;
        continue;
      }
      if (d === 10) {
        this.fail('a string runs past the end of its line', s, i);
        return j;
      }
      j++;
    }
    const text = escapes ? unescape(s, i + 1, j) : s.slice(i + 1, j);
    const f = this.depth > 0 ? this.frames[this.depth - 1] : undefined;
    if (f !== undefined && (f.state === O_KEY_OR_END || f.state === O_KEY)) {
      f.name = text;
      f.state = O_COLON;
      return j + 1;
    }
    if (f !== undefined && f.hex && f.state !== A_COMMA_OR_END) {
      // A byte item that arrived split across chunks or spelled unusually (`"0X0A"`).
      if (text.length === 4 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 0x20) === 120) {
        const hi = HX[text.charCodeAt(2)];
        const lo = HX[text.charCodeAt(3)];
        if (hi >= 0 && lo >= 0) {
          if (f.hexLen === this.scratch.length) this.growScratch();
          this.scratch[f.hexLen++] = (hi << 4) | lo;
          f.state = A_COMMA_OR_END;
          return j + 1;
        }
      }
    }
    if (!this.value({ kind: 'string', value: text }, s, i)) return i;
    return j + 1;
  }

  private open(type: number, parent: Frame | undefined): void {
    let role = R_GENERIC;
    let map: MapHeader | undefined;
    if (parent === undefined) role = type === F_OBJECT ? R_ELEMENT : R_ENTRIES;
    else {
      if (parent.hex) this.unhex(parent);
      if (parent.role === R_ENTRIES && type === F_OBJECT) role = R_ELEMENT;
      else if (parent.role === R_ELEMENT && parent.type === F_OBJECT) {
        if (type === F_OBJECT && parent.name === 'output') role = R_ELEMENT; // `-j batch`
        else if (type === F_ARRAY && parent.name === 'elements') {
          // Multi-map dump: the members before "elements" are the map's header.
          role = R_ENTRIES;
          const m = parent.members;
          map = { id: numberValue(member(m, 'id')) ?? -1, type: stringValue(member(m, 'type')) ?? '', flags: numberValue(member(m, 'flags')) ?? 0 };
          const name = stringValue(member(m, 'name'));
          if (name !== undefined) map.name = name;
          this.emit({ kind: 'map', header: map, line: parent.line });
        }
      }
      if (role === R_GENERIC && parent.role === R_ENTRIES) map = parent.map;
    }
    if (role === R_ELEMENT && parent !== undefined && parent.role === R_ENTRIES) map = parent.map;
    const f = this.push(type, role, this.line);
    f.map = map;
    if (type === F_ARRAY && role === R_GENERIC) f.hex = true;
  }

  private close(f: Frame, s: string, i: number): void {
    this.depth--;
    if (this.depth === 0) {
      this.closedRole = f.role;
      this.closedLine = this.line;
      // `[]`: bpftool's -j/-p dump of an empty map, what plain output says as `Found 0 elements`.
      if (f.role === R_ENTRIES && f.state === A_VALUE_OR_END) this.emit({ kind: 'trailer', count: 0, line: f.line });
    }
    let node: Node;
    if (f.role === R_ENTRIES) node = EMITTED;
    else if (f.role === R_ELEMENT) {
      elementEvents(f.members, f.line, f.map, this.emit);
      node = EMITTED;
    } else if (f.type === F_OBJECT) node = { kind: 'object', members: f.members } as BuildObject as BtfNode;
    else if (f.hex) node = f.hexLen > 0 ? { kind: 'hex', bytes: this.scratch.slice(0, f.hexLen) } : { kind: 'array', items: [] };
    else node = { kind: 'array', items: f.items } as BuildArray as BtfNode;
    this.value(node, s, i);
  }

  /** A complete value arrives in the current container (or at top level). False if it failed. */
  private value(node: Node, s: string, i: number): boolean {
    if (this.depth === 0) {
      if (node.kind === 'null') this.emit({ kind: 'not-found', line: this.line });
      this.mode = M_TOP;
      return true;
    }
    const f = this.frames[this.depth - 1];
    if (f.type === F_OBJECT) {
      if (f.state !== O_VALUE) {
        const why = f.state === O_COMMA_OR_END ? "expected ',' or '}' after a member" : f.state === O_COLON ? "expected ':' after a member name" : 'expected a member name';
        this.fail(why, s, i);
        return false;
      }
      if (node !== SKIPPED) f.members.push([f.name, node]);
      f.state = O_COMMA_OR_END;
      return true;
    }
    if (f.state !== A_VALUE_OR_END && f.state !== A_VALUE) {
      this.fail("expected ',' or ']' between array items", s, i);
      return false;
    }
    f.state = A_COMMA_OR_END;
    if (f.role === R_ENTRIES) {
      if (node !== EMITTED) {
        this.emit({
          kind: 'malformed',
          reason: 'an item of a dump array is not an object',
          text: render(node, { left: 200 }),
          line: this.line,
        });
      }
      return true;
    }
    if (f.hex) this.unhex(f);
    f.items.push(node);
    return true;
  }

  // ---------------------------------------------------------------- elements → events

}

/** Decode the escapes of a JSON string body `s[a, b)`, leniently (bpftool writes `\'`). */
function unescape(s: string, a: number, b: number): string {
  let out = '';
  let i = a;
  while (i < b) {
    const k = s.indexOf('\\', i);
    if (k < 0 || k >= b) {
      out += s.slice(i, b);
      break;
    }
    out += s.slice(i, k);
    const e = s.charCodeAt(k + 1);
    i = k + 2;
    switch (e) {
      case 110:
        out += '\n';
        break;
      case 116:
        out += '\t';
        break;
      case 114:
        out += '\r';
        break;
      case 98:
        out += '\b';
        break;
      case 102:
        out += '\f';
        break;
      case 117: {
        const hex = s.slice(i, i + 4);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else out += 'u';
        break;
      }
      default:
        // `\"`, `\\`, `\/`, bpftool's `\'`, and anything unknown: the character itself.
        if (k + 1 < b) out += s[k + 1];
    }
  }
  return out;
}

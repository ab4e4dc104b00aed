/**
 * The text fast path's matcher. Once the key and value sizes are known, every ordinary entry of a
 * bpftool dump has exactly the same text shape (every entry of a non-BTF map has the same byte
 * length, as the captures in test/fixtures/bpftool-formats show): fixed literal bytes with two hex
 * digits per map byte at fixed columns (`fprint_hex`), or the fixed JSON element shape of
 * `-j`/`-p`. An entry template lists the literal bytes to check and the columns of the hex
 * digits, so an entry is matched and converted straight from the input bytes into a reused
 * scratch buffer: no line splitting, no strings, no per-entry allocation. Anything that does not
 * match (trailers, errors, noise, CRLF, a cut entry) is left to the general parser.
 */
import { canEval, noEvalRequested } from '../compile/eval-policy';
import { HEX_DIGIT_VALUE } from './hex';

/** Which of bpftool's entry layouts a template describes. */
export type TemplateForm = 'plain' | 'json' | 'pretty';

/** A compiled entry template. */
export interface EntryTemplate {
  readonly form: TemplateForm;
  readonly keySize: number;
  readonly valueSize: number;
  /** Bytes of text one entry takes. */
  readonly length: number;
  /** Newlines inside one entry (for line numbers). */
  readonly lines: number;
  /** Offsets (within the entry) and values of the literal bytes. */
  readonly litOff: Uint16Array;
  readonly litVal: Uint8Array;
  /** Offset of the first hex digit of key byte i / value byte i. */
  readonly keyDigits: Uint16Array;
  readonly valueDigits: Uint16Array;
  /**
   * {@link matchEntry} for this template: generated code with every offset and literal byte
   * fixed (about twice as fast as reading them from the arrays above), or `matchEntry` itself
   * where eval is refused.
   */
  readonly match: Matcher;
}

/** Matches one entry of a template at `pos`, writing its bytes into `key`/`value` (see matchEntry). */
export type Matcher = (buf: Uint8Array, pos: number, key: Uint8Array, value: Uint8Array) => boolean;

/** `fprint_hex` (bpftool src/json_writer-free plain path): the separator before byte i. */
function plainHexRun(n: number, marks: number[], base: string): string {
  let s = base;
  for (let i = 0; i < n; i++) {
    if (i > 0) s += i % 16 === 0 ? '\n' : i % 8 === 0 ? '  ' : ' ';
    marks.push(s.length);
    s += '##';
  }
  return s;
}

/** bpftool's JSON byte array items: `"0xNN"` joined by `,` (compact and pretty alike). */
function jsonHexRun(n: number, marks: number[], base: string): string {
  let s = base;
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ',';
    s += '"0x';
    marks.push(s.length);
    s += '##"';
  }
  return s;
}

/**
 * Builds the template of one entry. Plain: `print_entry_plain`'s three forms; JSON: the
 * element from its `{` to its `}` (the separators `[`, `,` and `]` are handled by the scanner).
 */
export function buildTemplate(form: TemplateForm, keySize: number, valueSize: number): EntryTemplate {
  // One template (and one generated matcher) per shape and process: every parser of a dump, and
  // every dump of a sysdump with the same sizes, shares it.
  const id = `${form}/${keySize}/${valueSize}/${noEvalRequested() ? 1 : 0}`;
  let t = templates.get(id);
  if (!t) templates.set(id, (t = makeTemplate(form, keySize, valueSize)));
  return t;
}

const templates = new Map<string, EntryTemplate>();

function makeTemplate(form: TemplateForm, keySize: number, valueSize: number): EntryTemplate {
  const km: number[] = [];
  const vm: number[] = [];
  let s: string;
  if (form === 'plain') {
    const breakNames = keySize > 16 || valueSize > 16;
    const single = keySize + valueSize <= 24 && !breakNames;
    if (single) s = plainHexRun(valueSize, vm, plainHexRun(keySize, km, 'key: ') + '  value: ') + '\n';
    else if (!breakNames) s = plainHexRun(valueSize, vm, plainHexRun(keySize, km, 'key: ') + '\nvalue: ') + '\n';
    else s = plainHexRun(valueSize, vm, plainHexRun(keySize, km, 'key:\n') + '\nvalue:\n') + '\n';
  } else if (form === 'json') {
    s = jsonHexRun(valueSize, vm, jsonHexRun(keySize, km, '{"key":[') + '],"value":[') + ']}';
  } else {
    // -p: depth 1 inside the top-level array; a newline + indent before each member name and
    // before the `]` of a non-empty array; array items never get newlines.
    s = jsonHexRun(valueSize, vm, jsonHexRun(keySize, km, '{\n        "key": [') + '\n        ],\n        "value": [') + '\n        ]\n    }';
  }
  const litOff: number[] = [];
  const litVal: number[] = [];
  const digit = new Set<number>();
  for (const m of [...km, ...vm]) digit.add(m).add(m + 1);
  for (let i = 0; i < s.length; i++) {
    if (digit.has(i)) continue;
    litOff.push(i);
    litVal.push(s.charCodeAt(i));
  }
  const t = {
    form,
    keySize,
    valueSize,
    length: s.length,
    lines: s.split('\n').length - 1,
    litOff: Uint16Array.from(litOff),
    litVal: Uint8Array.from(litVal),
    keyDigits: Uint16Array.from(km),
    valueDigits: Uint16Array.from(vm),
  };
  return { ...t, match: compileMatcher(t) };
}

/**
 * The generated matcher of a template: the same checks as {@link matchEntry}, in the same order,
 * as straight-line code over literal offsets (numbers only: the template holds no text that
 * reaches the source). test/bpftool/fixed-text.test.ts holds it to matchEntry.
 */
function compileMatcher(t: Omit<EntryTemplate, 'match'>): Matcher {
  const interpreted: Matcher = (buf, pos, key, value) => matchEntry(t as EntryTemplate, buf, pos, key, value);
  if (noEvalRequested() || !canEval()) return interpreted;
  const at = (off: number) => (off === 0 ? 'b[p]' : `b[p + ${off | 0}]`);
  const lines = ['"use strict";', 'return function match(b, p, k, v) {', '  let h, l;'];
  // Literal bytes, a few per test so a mismatch returns early.
  for (let i = 0; i < t.litOff.length; i += 8) {
    const tests: string[] = [];
    for (let j = i; j < Math.min(i + 8, t.litOff.length); j++) tests.push(`${at(t.litOff[j]!)} !== ${t.litVal[j]! | 0}`);
    lines.push(`  if (${tests.join(' || ')}) return false;`);
  }
  const digits = (offs: Uint16Array, out: string) => {
    offs.forEach((off, i) => lines.push(`  h = N[${at(off)}]; l = N[${at(off + 1)}]; if ((h | l) < 0) return false; ${out}[${i | 0}] = (h << 4) | l;`));
  };
  digits(t.keyDigits, 'k');
  digits(t.valueDigits, 'v');
  lines.push('  return true;', '};');
  try {
    return (new Function('N', lines.join('\n')) as (n: Int8Array) => Matcher)(NIB);
  } catch {
    return interpreted; // eval refused after all
  }
}

/**
 * Hex digit values (hex.ts, the package's one table). It also takes upper case, as the general
 * parser does, so both paths read the same bytes from the same text.
 */
const NIB = HEX_DIGIT_VALUE;

/**
 * Matches one entry at `pos` (which must leave `t.length` bytes before `end`) and writes its
 * bytes into `key`/`value`. Returns false, writing garbage that the caller ignores, on any mismatch.
 */
export function matchEntry(t: EntryTemplate, buf: Uint8Array, pos: number, key: Uint8Array, value: Uint8Array): boolean {
  const lo = t.litOff;
  const lv = t.litVal;
  for (let i = 0; i < lo.length; i++) if (buf[pos + lo[i]!] !== lv[i]) return false;
  const kd = t.keyDigits;
  for (let i = 0; i < kd.length; i++) {
    const p = pos + kd[i]!;
    const hi = NIB[buf[p]!]!;
    const lw = NIB[buf[p + 1]!]!;
    if ((hi | lw) < 0) return false;
    key[i] = (hi << 4) | lw;
  }
  const vd = t.valueDigits;
  for (let i = 0; i < vd.length; i++) {
    const p = pos + vd[i]!;
    const hi = NIB[buf[p]!]!;
    const lw = NIB[buf[p + 1]!]!;
    if ((hi | lw) < 0) return false;
    value[i] = (hi << 4) | lw;
  }
  return true;
}

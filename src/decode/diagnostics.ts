/**
 * What went wrong or looked odd while decoding a dump, summarised: one line per kind of problem
 * with a count and the first input line, never thousands of repeats, never silence.
 */
import { CodecError } from '../schema/errors';

/** C0 and C1 control characters except tab, and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * Diagnostics quote the input, and the input is untrusted: an ESC or BEL echoed raw to a terminal
 * can recolour it, move the cursor or ring the bell, and a newline would forge a second message.
 * Control characters other than tab are shown as `\xNN`. Every issue message and DumpError
 * goes through here, so library users get safe text too.
 */
export function safeText(s: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(s) ? s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : s;
}

/** Kinds of problems a dump can have. */
export type IssueKind =
  | 'size' // key/value length matches no layout of the map
  | 'decode' // bytes of the right length that no real entry can hold
  | 'lookup-error' // bpftool printed `<no entry>` or a strerror instead of a value
  | 'malformed' // text that is not valid bpftool output (odd hex, cut entry)
  | 'bpftool-error' // `Error: ...` from bpftool itself
  | 'not-found' // a lookup that found nothing
  | 'btf' // BTF-formatted entry that could not be mapped onto the layout
  | 'no-entries' // the input holds no bpftool map output at all
  | 'noise'; // lines that are not bpftool output (kubectl chatter); harmless

/** One summarised problem. */
export interface DumpIssue {
  kind: IssueKind;
  /** The message of the first occurrence (names line, map, sizes, what to try). */
  message: string;
  /** 1-based line of the first occurrence. */
  line: number;
  /** How many times it happened. */
  count: number;
  /** Whether the affected entries were left out of the output. */
  skipped: boolean;
}

/** Non-zero bytes where the chosen layout has padding, summarised per field. */
export interface PaddingIssue {
  schema: string;
  field: string;
  offset: number;
  size: number;
  count: number;
  line: number;
  /** Layouts of the same map in which those bytes hold a field, e.g. `node_id in v1.12.8 – v1.12.12 (RE-B)`. */
  meaning: string[];
}

/** Thrown in strict mode, or for input that cannot be decoded at all (e.g. no map fits). */
export class DumpError extends CodecError {
  override name = 'DumpError';
  constructor(
    message: string,
    /** 1-based input line. */
    readonly line: number,
    /** The kind of problem. */
    readonly kind: IssueKind | 'ambiguous-map' | 'unknown-map' | 'padding' | 'binary',
  ) {
    super(safeText(message));
  }
}

/**
 * Things reported once per kind, each named by its earliest occurrence in the input: by line, and
 * on one line (a `-j` dump is one line) by the decoder's entry counter, so entries decoded out of
 * input order (worker threads, parallel.ts) report exactly what an in-order run reports. Issues
 * and padding notices both keep their first occurrences here.
 */
export class FirstOccurrences<T extends { line: number; count: number }> {
  private readonly byKey = new Map<string, T>();
  private readonly orderOf = new Map<T, number>();

  /**
   * One more occurrence of `key` at (`line`, `order`): false when `key` is new (add it with
   * {@link first}); else its count is raised and, when this occurrence is the earlier one, it takes
   * this line and `earlier` updates the rest.
   */
  again(key: string, line: number, order: number, earlier?: (found: T) => void): boolean {
    const found = this.byKey.get(key);
    if (!found) return false;
    found.count++;
    if (line < found.line || (line === found.line && order < this.orderOf.get(found)!)) {
      earlier?.(found);
      found.line = line;
      this.orderOf.set(found, order);
    }
    return true;
  }

  /** The first occurrence of `key` (its `line` is the item's). */
  first(key: string, item: T, order: number): void {
    this.byKey.set(key, item);
    this.orderOf.set(item, order);
  }

  /** In input order of their first occurrences. */
  list(): T[] {
    return [...this.byKey.values()].sort((a, b) => a.line - b.line || this.orderOf.get(a)! - this.orderOf.get(b)!);
  }
}

/** Collects issues keyed by a signature so each kind is reported once. */
export class IssueLog {
  private readonly log = new FirstOccurrences<DumpIssue>();
  /**
   * Where in the input the next issue is, past its line: the decoder's entry counter (two per
   * entry: an entry's own issues, then the lines after it). See {@link FirstOccurrences}.
   */
  at = 0;

  /** Records an issue; `sig` groups occurrences of the same problem. The earliest one's message is kept. */
  add(kind: IssueKind, sig: string, line: number, skipped: boolean, message: () => string): void {
    const k = `${kind}\u0000${sig}`;
    if (this.log.again(k, line, this.at, (found) => Object.assign(found, { message: safeText(message()), skipped }))) return;
    this.log.first(k, { kind, message: safeText(message()), line, count: 1, skipped }, this.at);
  }

  /** All issues in input order of their first occurrence (in-order runs: first-seen order). */
  list(): DumpIssue[] {
    return this.log.list();
  }
}

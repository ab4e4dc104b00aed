/**
 * Derived fields and checks declared as data, so that the JSON transcoder (compile/json-writer.ts)
 * can write a record's text straight from its bytes without building the record. The functions
 * built here are the hooks the decoder runs (`derive`, `check` of `defineStruct`): the declaration
 * is the one source of both the record's fields and their text.
 */

/**
 * One piece of a derived text:
 * - literal text;
 * - `{ field, add? }`: a field's value, its text as decoded (`ip`) or a number field plus `add`;
 * - `{ field, names }`: a number field's name from the table (`{ 6: 'TCP' }`), else its decimal;
 * - `{ field, cases, otherwise }`: the parts of the first case whose `mask` has a bit set in the
 *   field's value (a number, or a flags field's `raw`), else `otherwise`'s.
 */
export type TextPart =
  | string
  | { readonly field: string; readonly add?: number }
  | { readonly field: string; readonly names: Readonly<Record<number, string>> }
  | { readonly field: string; readonly cases: readonly { readonly mask: number; readonly parts: readonly TextPart[] }[]; readonly otherwise: readonly TextPart[] };

/** A `derive` hook whose fields are texts joined from the record's fields, declared by {@link deriveText}. */
export interface TextDerive<K extends string> {
  (rec: Record<string, unknown>): Record<K, string>;
  /** The declaration: each derived field's parts, in the record's key order. */
  readonly textForm: Readonly<Record<K, readonly TextPart[]>>;
}

/**
 * A derive hook from a declaration, e.g. the ipcache key's `cidr`:
 * `deriveText({ cidr: [{ field: 'ip' }, '/', { field: 'prefixlen', add: -32 }] })` gives
 * `{ cidr: '10.0.0.0/8' }` for `{ ip: '10.0.0.0', prefixlen: 40 }`. A number part is
 * `String(value + add)`, a text part `String(value)`.
 */
export function deriveText<const T extends Record<string, readonly TextPart[]>>(form: T): TextDerive<keyof T & string> {
  const keys = Object.keys(form);
  const fn = (rec: Record<string, unknown>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const k of keys) out[k] = textOf(form[k]!, rec);
    return out;
  };
  return Object.assign(fn, { textForm: form }) as unknown as TextDerive<keyof T & string>;
}

/** The text of some parts for a record (the interpreter the compiled writers are held to). */
function textOf(parts: readonly TextPart[], rec: Record<string, unknown>): string {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      s += p;
      continue;
    }
    const v = rec[p.field];
    if ('names' in p) {
      s += typeof v === 'number' && Object.hasOwn(p.names, v) ? p.names[v] : String(v);
    } else if ('cases' in p) {
      const raw = typeof v === 'number' ? v : (v as { raw: number }).raw;
      const hit = p.cases.find((c) => (raw & c.mask) !== 0);
      s += textOf(hit ? hit.parts : p.otherwise, rec);
    } else s += typeof v === 'number' ? String(v + (p.add ?? 0)) : String(v);
  }
  return s;
}

/** A `check` hook that reads only the fields named, declared by {@link checkReading}. */
export interface ReadingCheck<R> {
  (rec: R): string | undefined;
  /** The fields the check reads: the transcoder gives it an object of just these. */
  readonly reads: readonly string[];
}

/**
 * Marks a check hook with the fields it reads (test/compile/json-writer.test.ts proves, with a
 * recording proxy, that it reads no other), so the transcoder can run it on those fields alone.
 */
export function checkReading<R>(reads: readonly (keyof R & string)[], check: (rec: R) => string | undefined): ReadingCheck<R> {
  return Object.assign((rec: R) => check(rec), { reads });
}

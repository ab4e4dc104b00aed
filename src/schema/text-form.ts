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

type NamesPart = Extract<TextPart, { names: unknown }>;
type CasesPart = Extract<TextPart, { cases: unknown }>;
type FieldPart = Exclude<TextPart, string | NamesPart | CasesPart>;

/**
 * What a part is, and its `add`, read from the part's own properties only: the interpreter, the
 * generated decoder and the JSON writer all ask here, so a polluted `Object.prototype.names` or
 * `.add` changes none of them.
 */
export function partKind(p: TextPart): { kind: 'text'; text: string } | { kind: 'names'; part: NamesPart } | { kind: 'cases'; part: CasesPart } | { kind: 'field'; part: FieldPart; add: number } {
  if (typeof p === 'string') return { kind: 'text', text: p };
  if (Object.hasOwn(p, 'names')) return { kind: 'names', part: p as NamesPart };
  if (Object.hasOwn(p, 'cases')) return { kind: 'cases', part: p as CasesPart };
  const f = p as FieldPart;
  return { kind: 'field', part: f, add: Object.hasOwn(f, 'add') ? (f.add ?? 0) : 0 };
}

/**
 * A `names` part's table as compiled code can hold it (number → name), or undefined when a key is
 * not a number's own decimal spelling (`'06'`): only such keys are ones the interpreter's
 * own-property lookup of a number can match.
 */
export function nameTable(p: NamesPart): Map<number, string> | undefined {
  const table = new Map<number, string>();
  for (const [n, name] of Object.entries(p.names)) {
    if (!Number.isSafeInteger(Number(n)) || String(Number(n)) !== n || typeof name !== 'string') return undefined;
    table.set(Number(n), name);
  }
  return table;
}

/** Whether a `cases` mask is one the compiled code can test as the interpreter does: a u32. */
export function isMask(m: unknown): m is number {
  return Number.isSafeInteger(m) && (m as number) >= 0 && (m as number) <= 0xffffffff;
}

/** A derive hook's declaration when it was built by {@link deriveText} (own property only). */
export function textFormOf(derive: unknown): Readonly<Record<string, readonly TextPart[]>> | undefined {
  const f = typeof derive === 'function' && Object.hasOwn(derive, 'textForm') ? (derive as { textForm?: unknown }).textForm : undefined;
  return typeof f === 'object' && f !== null ? (f as Record<string, readonly TextPart[]>) : undefined;
}

/**
 * The fields a check declares it reads ({@link checkReading}; own property only), provided a probe
 * confirms it: the check run on a zeroed record of `fields` through a proxy that records every
 * read must read no other field. Undefined otherwise (callers then run the whole decode).
 */
export function declaredReads(check: unknown, fields: readonly string[]): readonly string[] | undefined {
  const reads = typeof check === 'function' && Object.hasOwn(check, 'reads') ? (check as { reads?: unknown }).reads : undefined;
  if (!Array.isArray(reads) || reads.length === 0 || !reads.every((r) => typeof r === 'string' && fields.includes(r))) return undefined;
  const seen = new Set<PropertyKey>();
  const zero = Object.fromEntries(fields.map((f) => [f, 0]));
  try {
    (check as (r: unknown) => unknown)(new Proxy(zero, { get: (t, k) => (seen.add(k), Reflect.get(t, k)), has: (t, k) => (seen.add(k), Reflect.has(t, k)) }));
  } catch {
    return undefined;
  }
  return [...seen].every((k) => reads.includes(k)) ? (reads as string[]) : undefined;
}

/** The text of some parts for a record (the interpreter the compiled writers are held to). */
function textOf(parts: readonly TextPart[], rec: Record<string, unknown>): string {
  let s = '';
  for (const p of parts) {
    const k = partKind(p);
    if (k.kind === 'text') {
      s += k.text;
      continue;
    }
    const v = rec[k.part.field];
    if (k.kind === 'names') {
      s += typeof v === 'number' && Object.hasOwn(k.part.names, v) ? k.part.names[v] : String(v);
    } else if (k.kind === 'cases') {
      const raw = typeof v === 'number' ? v : (v as { raw: number }).raw;
      const hit = k.part.cases.find((c) => (raw & c.mask) !== 0);
      s += textOf(hit ? hit.parts : k.part.otherwise, rec);
    } else s += typeof v === 'number' ? String(v + k.add) : String(v);
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

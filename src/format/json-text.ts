/**
 * Fast JSON text for records, written as bytes into a {@link ByteSink}. Records of one map share
 * one shape, so each shape (its keys, in order) gets a serializer of its own, cached per position
 * in the record tree:
 *
 * - generated (the default): one function per shape, written from the first object seen with
 *   it, with each field's type fixed and one `typeof` guard per field, then straight writes of
 *   pre-encoded key literals, digits and string bytes; an object whose values differ in type
 *   takes the general path. Keys are written into the source only if they pass the code
 *   generator's allowlist (compile/ident.ts);
 * - general: a closure that writes each value by its type, for keys outside the allowlist and
 *   wherever generated code may not run (`CILIUM_MAP_CODEC_NO_EVAL`, CSP; compile/eval-policy.ts);
 * - `JSON.stringify`, for anything unusual (undefined values, non-plain objects, strings that
 *   need escaping), its text then written as UTF-8.
 *
 * The output is always byte-identical to `JSON.stringify` with bigint written as decimal strings
 * (test/format/json-text.test.ts checks that on every fixture record and on fuzzed values, in
 * both modes). Writing bytes instead of concatenating one string per record took the 512k ipcache
 * dump's `-o ndjson` from 1.65 s to the numbers in bench/ (README, Performance).
 */
import { canEval, noEvalRequested } from '../compile/eval-policy';
import { isSafeKey, keyText } from '../compile/ident';
import { ByteSink, literal } from '../schema/byte-sink';

/** Writes `o` if it has this serializer's shape; false (having written garbage to rewind) if not. */
type Ser = (o: Record<string, unknown>, s: ByteSink) => boolean;

/** Shapes cached per position; past this, new shapes use the general path uncached. */
const MAX_SHAPES = 16;

const bigintReplacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

const NULL = literal('null');
const TRUE = literal('true');
const FALSE = literal('false');

/** Writes one value; false for what JSON.stringify would omit (undefined, functions, symbols). */
function value(v: unknown, slot: Slot, s: ByteSink): boolean {
  switch (typeof v) {
    case 'number':
      if (v - v === 0) s.number(v);
      else s.bytes(NULL);
      return true;
    case 'string':
      s.jsonString(v);
      return true;
    case 'boolean':
      s.bytes(v ? TRUE : FALSE);
      return true;
    case 'bigint':
      s.byte(34);
      s.ascii(v.toString());
      s.byte(34);
      return true;
    case 'object':
      if (v === null) {
        s.bytes(NULL);
        return true;
      }
      if (Array.isArray(v)) {
        s.byte(91); // [
        for (let i = 0; i < v.length; i++) {
          if (i) s.byte(44);
          // In an array, what an object would omit is written as null (as JSON.stringify does).
          const at = s.pos;
          if (!value(v[i], (slot.item ??= newSlot()), s)) {
            s.pos = at;
            s.bytes(NULL);
          }
        }
        s.byte(93);
        return true;
      }
      return objectText(v as Record<string, unknown>, slot, s);
    default:
      return false; // undefined, functions, symbols: let JSON.stringify decide
  }
}

/** One position in the record tree: the shapes seen there, and the slot of array items. */
interface Slot {
  /** The serializer used last (most records repeat the previous shape). */
  last?: Ser;
  /** Serializers by key list (`keys.join('\0')`). */
  shapes: Map<string, Ser>;
  item?: Slot;
}

function newSlot(): Slot {
  return { shapes: new Map() };
}

/**
 * Checks that `o` is a plain object (so no inherited `toJSON`) whose keys are `keys`, in order
 * (for-in order is JSON.stringify's order for plain objects).
 */
function sameKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) return false;
  let j = 0;
  for (const k in o) if (k !== keys[j++]) return false;
  return j === keys.length;
}

/** The `{"key":` / `,"key":` literal before each member. */
function prefixes(keys: readonly string[]): Uint8Array[] {
  return keys.map((k, i) => literal(`${i ? ',' : '{'}${JSON.stringify(k)}:`));
}

/** The general serializer of a shape: each value written by its type. */
function general(keys: string[]): Ser {
  const pre = prefixes(keys);
  const slots: Slot[] = keys.map(newSlot);
  const n = keys.length;
  return (o, s) => {
    if (!sameKeys(o, keys)) return false;
    if (n === 0) s.byte(123);
    for (let i = 0; i < n; i++) {
      s.bytes(pre[i]!);
      if (!value(o[keys[i]!], slots[i]!, s)) return false;
    }
    s.byte(125);
    return true;
  };
}

/**
 * The generated serializer of a shape, typed after `sample`. Every member is read and its type
 * checked before anything is written; a value of another type than the sample's (or a number
 * that is not finite) sends the whole object to the general serializer `slow`.
 */
function generate(keys: string[], sample: Record<string, unknown>, slow: Ser): Ser {
  const reads: string[] = [];
  const guards: string[] = [];
  const writes: string[] = [];
  keys.forEach((k, i) => {
    const key = keyText(k); // allowlisted: /^[a-z_][a-z0-9_]*$/i
    const v = `v${i}`;
    reads.push(`const ${v} = o.${key};`);
    writes.push(`s.bytes(L${i});`);
    const sv = sample[k];
    switch (typeof sv === 'object' && sv !== null && !Array.isArray(sv) ? 'record' : typeof sv) {
      case 'number':
        guards.push(`typeof ${v} !== 'number' || ${v} - ${v} !== 0`);
        writes.push(`s.number(${v});`);
        break;
      case 'string':
        guards.push(`typeof ${v} !== 'string'`);
        writes.push(`s.jsonString(${v});`);
        break;
      case 'boolean':
        guards.push(`typeof ${v} !== 'boolean'`);
        writes.push(`s.bytes(${v} ? TRUE : FALSE);`);
        break;
      case 'record':
        // Nested records (`flags`, a record's key and value): straight to their own shapes.
        writes.push(`if (!(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}) ? OBJ(${v}, S[${i}], s) : VALUE(${v}, S[${i}], s))) return false;`);
        break;
      default:
        writes.push(`if (!VALUE(${v}, S[${i}], s)) return false;`);
    }
  });
  const lits = keys.map((_, i) => `L${i} = L[${i}]`);
  const source = [
    "'use strict';",
    ...(lits.length ? [`const ${lits.join(', ')};`] : []),
    'return function serialize(o, s) {',
    '  if (!SAME(o, K)) return false;',
    ...reads.map((r) => `  ${r}`),
    ...(guards.length ? [`  if (${guards.map((g) => `(${g})`).join(' || ')}) return SLOW(o, s);`] : []),
    ...(keys.length ? [] : ['  s.byte(123);']),
    ...writes.map((w) => `  ${w}`),
    '  s.byte(125);',
    '  return true;',
    '};',
  ].join('\n');
  const make = new Function('K', 'S', 'L', 'VALUE', 'OBJ', 'SLOW', 'SAME', 'TRUE', 'FALSE', source) as (...a: unknown[]) => Ser;
  return make(keys, keys.map(newSlot), prefixes(keys), value, objectText, slow, sameKeys, TRUE, FALSE);
}

function build(keys: string[], sample: Record<string, unknown>): Ser {
  const slow = general(keys);
  if (noEvalRequested() || !canEval() || !keys.every(isSafeKey)) return slow;
  return generate(keys, sample, slow);
}

/** Writes an object; false (with `s` rewound) when JSON.stringify would omit it. */
function objectText(o: Record<string, unknown>, slot: Slot, s: ByteSink): boolean {
  const start = s.pos;
  if (slot.last) {
    if (slot.last(o, s)) return true;
    s.pos = start;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o);
    const sig = keys.join('\0');
    let ser = slot.shapes.get(sig);
    if (!ser) {
      if (slot.shapes.size >= MAX_SHAPES) ser = general(keys);
      else slot.shapes.set(sig, (ser = build(keys, o)));
    }
    slot.last = ser;
    if (ser(o, s)) return true;
    s.pos = start;
  }
  const t = JSON.stringify(o, bigintReplacer) as string | undefined;
  if (t === undefined) return false;
  s.utf8(t);
  return true;
}

/** A reusable writer of JSON text for records of (mostly) one shape, into a byte sink. */
export function createJsonWriter(): (o: Record<string, unknown>, s: ByteSink) => void {
  const root = newSlot();
  return (o, s) => {
    if (!objectText(o, root, s)) s.utf8(String(JSON.stringify(o, bigintReplacer)));
  };
}

/** {@link createJsonWriter} with the text returned as a string. */
export function createJsonText(): (o: Record<string, unknown>) => string {
  const write = createJsonWriter();
  const sink = new ByteSink(1024);
  return (o) => {
    write(o, sink);
    return sink.text();
  };
}

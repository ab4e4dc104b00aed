/**
 * Fast JSON text for records. Records of one map share one shape, so the key names (already
 * escaped) are cached per shape and values are written by type — about 3× faster than
 * `JSON.stringify` on ipcache records (bench/dump.js, CLI `-o ndjson`). Any object whose keys
 * differ from its cached shape (a service master's extra fields, undefined values) falls back to
 * the cached serializer of its own shape, and anything unusual to `JSON.stringify`: the output is
 * always byte-identical to `JSON.stringify` with bigint written as decimal strings
 * (test/format/json-text.test.ts checks that on every fixture record and on fuzzed values).
 */

type Ser = (o: Record<string, unknown>) => string;

/** Strings that need no escaping in JSON (and are not lone surrogates). */
const SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const bigintReplacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

function value(v: unknown, slot: Slot): string | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? `${v}` : 'null';
    case 'string':
      return SAFE.test(v) ? `"${v}"` : JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return `"${v}"`;
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + (value(v[i], slot.item ??= {}) ?? 'null');
        return `${s}]`;
      }
      return objectText(v as Record<string, unknown>, slot);
    default:
      return undefined; // undefined, functions, symbols: let JSON.stringify decide
  }
}

interface Slot {
  keys?: string[];
  ser?: Ser;
  item?: Slot;
}

function build(keys: string[]): Ser {
  const prefixes = keys.map((k, i) => `${i ? ',' : ''}${JSON.stringify(k)}:`);
  const slots: Slot[] = keys.map(() => ({}));
  const n = keys.length;
  return (o) => {
    // Same keys in the same order (for-in order is JSON.stringify's order for plain objects).
    let j = 0;
    for (const k in o) if (k !== keys[j++]) return '';
    if (j !== n) return '';
    let s = '{';
    for (let i = 0; i < n; i++) {
      const t = value(o[keys[i]!], slots[i]!);
      if (t === undefined) return '';
      s += prefixes[i]! + t;
    }
    return `${s}}`;
  };
}

function objectText(o: Record<string, unknown>, slot: Slot): string {
  if (slot.ser) {
    const s = slot.ser(o);
    if (s !== '') return s;
  }
  // A new shape (or one that disagrees): cache this object's keys, unless it is unusual.
  const keys = Object.keys(o);
  if (Object.getPrototypeOf(o) !== Object.prototype && Object.getPrototypeOf(o) !== null) return JSON.stringify(o, bigintReplacer);
  const ser = build(keys);
  const s = ser(o);
  if (s === '') return JSON.stringify(o, bigintReplacer);
  slot.keys = keys;
  slot.ser = ser;
  return s;
}

/** A reusable writer of JSON text for records of (mostly) one shape. */
export function createJsonText(): (o: Record<string, unknown>) => string {
  const root: Slot = {};
  return (o) => objectText(o, root);
}

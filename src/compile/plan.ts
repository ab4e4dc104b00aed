/**
 * The compile plan: a schema's layout resolved into a small tree of read operations with every
 * offset, byte order, mask and discriminant fixed. Both the generated decoder (`codegen.ts`) and
 * the no-eval closure decoder (`closure.ts`) are built from this one plan, so they cannot drift
 * apart; a layout the plan cannot express exactly yields a reason, and the caller falls back to
 * the restructure reference (as zod's `ZodCompileUnsupportedError`).
 *
 * Field types are recognised by their code, not by their `kind` string: a field counts as, say,
 * `flags` only if its `read` and `write` are the very functions `flags()` builds (compared by
 * source text, which also matches the second copy under the ESM/CJS dual-package hazard). A user
 * field type that merely claims `kind: 'u32'` is therefore never compiled as one.
 *
 * Imports: the field-type files only (they import `field`/`ip-text`), never `struct.ts`, so
 * `struct.ts` can import the compiler without an import cycle.
 */
import type { AddrDiscriminant } from '../schema/addr-union';
import { addrUnion } from '../schema/addr-union';
import { array } from '../schema/array';
import type { AnyField, Endian } from '../schema/field';
import { flags } from '../schema/flags';
import { u8, u16, u32, u64 } from '../schema/integers';
import { ipv4, ipv6 } from '../schema/ip';
import { mac } from '../schema/mac';
import { be16, be32 } from '../schema/network';
import type { Overlay } from '../schema/overlay';
import { pad } from '../schema/pad';
import { isSafeInt, isSafeKey } from './ident';

/** One field of a schema's layout, as the struct engine computed it (structurally `FieldLayout`). */
export interface LayoutField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly padding: boolean;
  readonly type: AnyField;
  /** For address unions: struct offset of the discriminant. */
  readonly refOffset?: number;
}

/** A read operation. Offsets are relative to the enclosing field; `le` is already resolved. */
export type PlanNode =
  | { readonly op: 'uint'; readonly bytes: 1 | 2 | 4; readonly le: boolean }
  | { readonly op: 'u64'; readonly le: boolean }
  | { readonly op: 'ipv4' }
  | { readonly op: 'ipv6' }
  | { readonly op: 'mac' }
  | { readonly op: 'pad'; readonly size: number }
  | {
      readonly op: 'flags';
      readonly bytes: 1 | 2 | 4;
      readonly le: boolean;
      /** Bit names in declaration order (the reference's key order). */
      readonly names: readonly string[];
      /** `2 ** bit` per name, exactly the masks `flags()` tests with. */
      readonly masks: readonly number[];
      /** `~known` as the int32 the reference computes `(raw & ~known) >>> 0` with. */
      readonly notKnown: number;
    }
  | { readonly op: 'array'; readonly elem: PlanNode; readonly elemSize: number; readonly count: number }
  | {
      readonly op: 'addr';
      /** Struct-relative offset of the discriminant byte. */
      readonly ref: number;
      /** Which discriminant values pick the IPv4 arm (everything else is IPv6 text). */
      readonly v4: { readonly by: 'family'; readonly v4: number; readonly v6: number } | { readonly by: 'flag'; readonly bit: number };
    };

/** One top-level field of the plan. */
export interface PlanField {
  /** The record key (allowlisted when the plan is built). */
  readonly name: string;
  readonly offset: number;
  /** false for padding: checked, never part of the record. */
  readonly data: boolean;
  /** A derived reading overlapping other fields (`deriveOverlay`): decoded, never encoded. */
  readonly overlay?: true;
  readonly node: PlanNode;
}

/** A schema's compile plan. */
export interface Plan {
  readonly sizeof: number;
  readonly le: boolean;
  readonly fields: readonly PlanField[];
}

/** The plan, or why there is none. */
export type PlanResult = { ok: true; plan: Plan } | { ok: false; reason: string };

// Source text of every built-in field type's read/write, taken from probe instances. Factories
// (pad, flags, array, addrUnion) build fresh closures per call, but all share this text.
const src = (t: AnyField): string => `${String(t.read)}\n${String(t.write)}`;
const SINGLETONS = new Map<string, { text: string; make: (le: boolean) => PlanNode; size: number }>([
  ['u8', { text: src(u8), size: 1, make: () => ({ op: 'uint', bytes: 1, le: true }) }],
  ['u16', { text: src(u16), size: 2, make: (le) => ({ op: 'uint', bytes: 2, le }) }],
  ['u32', { text: src(u32), size: 4, make: (le) => ({ op: 'uint', bytes: 4, le }) }],
  ['u64', { text: src(u64), size: 8, make: (le) => ({ op: 'u64', le }) }],
  ['be16', { text: src(be16), size: 2, make: () => ({ op: 'uint', bytes: 2, le: false }) }],
  ['be32', { text: src(be32), size: 4, make: () => ({ op: 'uint', bytes: 4, le: false }) }],
  ['ipv4', { text: src(ipv4), size: 4, make: () => ({ op: 'ipv4' }) }],
  ['ipv6', { text: src(ipv6), size: 16, make: () => ({ op: 'ipv6' }) }],
  ['mac', { text: src(mac), size: 8, make: () => ({ op: 'mac' }) }],
]);
const PAD_SRC = src(pad(1));
const FLAGS_SRC = src(flags({}));
const ARRAY_SRC = src(array(u8, 1));
const ADDR_SRC = src(addrUnion({ by: 'family', field: 'family', v4: 1, v6: 2 }));

class Unsupported extends Error {}

function fail(why: string): never {
  throw new Unsupported(why);
}

/**
 * Resolves one field type into a plan node. `ref` is the discriminant offset of a top-level
 * address union (undefined inside arrays, where the reference sees no discriminant either).
 */
function nodeOf(t: AnyField, le: boolean, where: string, ref: number | undefined): PlanNode {
  if (t === null || typeof t !== 'object' || typeof t.read !== 'function' || typeof t.write !== 'function') fail(`${where} is not a field type`);
  const text = src(t);
  const single = SINGLETONS.get(t.kind);
  if (single) {
    if (text !== single.text || t.size !== single.size || t.padding) fail(`${where} claims kind "${t.kind}" but is not the built-in one`);
    return single.make(le);
  }
  const params = (t.params ?? {}) as Record<string, unknown>;
  switch (t.kind) {
    case 'pad':
      if (text !== PAD_SRC || !t.padding || !isSafeInt(t.size) || t.size < 1) fail(`${where} is not a built-in pad()`);
      return { op: 'pad', size: t.size };
    case 'flags': {
      if (text !== FLAGS_SRC || t.padding || (t.size !== 1 && t.size !== 2 && t.size !== 4)) fail(`${where} is not a built-in flags()`);
      const bits = params.bits as Record<string, unknown> | undefined;
      if (!bits || typeof bits !== 'object') fail(`${where} has no bit table`);
      const names = Object.keys(bits);
      let known = 0;
      const masks: number[] = [];
      for (const n of names) {
        const bit = bits[n];
        // `raw`/`unknown` as bit names would collide with the record's own keys.
        if (!isSafeKey(n) || n === 'raw' || n === 'unknown') fail(`${where}: flag name ${JSON.stringify(n)} is not allowed in generated code`);
        if (!isSafeInt(bit) || bit < 0 || bit >= t.size * 8) fail(`${where}: bit ${String(bit)} of ${n} is out of range`);
        masks.push(2 ** bit);
        known |= 1 << bit;
      }
      // The closure `flags()` built captured its names when it was called; if the bit table was
      // changed afterwards the params no longer describe it, so do not guess.
      if (known >>> 0 !== params.known) fail(`${where}: bit table changed after flags() was built`);
      return { op: 'flags', bytes: t.size, le, names, masks, notKnown: ~known };
    }
    case 'array': {
      if (text !== ARRAY_SRC) fail(`${where} is not a built-in array()`);
      const elem = params.elem as AnyField;
      const count = params.count;
      if (!isSafeInt(count) || count < 0 || !elem || t.size !== elem.size * count || t.padding !== elem.padding) fail(`${where}: inconsistent array parameters`);
      if (elem.kind === 'addr16') fail(`${where}: an address union inside an array has no discriminant`);
      return { op: 'array', elem: nodeOf(elem, le, `${where}[]`, undefined), elemSize: elem.size, count };
    }
    case 'addr16': {
      if (text !== ADDR_SRC || t.size !== 16 || t.padding) fail(`${where} is not a built-in addrUnion()`);
      const d = params.discriminant as AddrDiscriminant | undefined;
      if (!isSafeInt(ref)) fail(`${where}: discriminant offset unknown`);
      if (d && d.by === 'family' && isSafeInt(d.v4) && isSafeInt(d.v6)) return { op: 'addr', ref, v4: { by: 'family', v4: d.v4, v6: d.v6 } };
      if (d && d.by === 'flag' && isSafeInt(d.bit)) return { op: 'addr', ref, v4: { by: 'flag', bit: d.bit } };
      return fail(`${where}: unsupported discriminant`);
    }
    default:
      return fail(`${where} has kind "${String(t.kind)}", which the compiler does not know`);
  }
}

/**
 * Builds the compile plan of a layout, or says why it cannot be compiled exactly. `overlay` (a
 * `deriveOverlay` declaration) adds its readings after the fields, in the order derive returns
 * them, so the record's key order is the reference's (fields, then derived ones).
 */
export function planLayout(layout: readonly LayoutField[], sizeof: number, endian: Endian, overlay?: Readonly<Record<string, Overlay>>): PlanResult {
  const le = endian !== 'be';
  try {
    if (!isSafeInt(sizeof) || sizeof < 0) fail('sizeof is not an integer');
    const fields: PlanField[] = [];
    const seen = new Set<string>();
    for (const f of layout) {
      // Only data keys are written into the source, but padding names must be allowlisted too
      // for the closure twin to key its steps the same way; one rule for all names keeps it simple.
      if (!isSafeKey(f.name)) fail(`field name ${JSON.stringify(String(f.name)).slice(0, 80)} is not allowed in generated code`);
      if (seen.has(f.name)) fail(`duplicate field ${f.name}`);
      seen.add(f.name);
      if (!isSafeInt(f.offset) || f.offset < 0 || f.offset + f.size > sizeof) fail(`field ${f.name} lies outside the struct`);
      const node = nodeOf(f.type, le, `field ${f.name}`, f.refOffset);
      if ((node.op === 'pad' || (node.op === 'array' && isPadding(node))) !== f.padding) fail(`field ${f.name}: padding flag disagrees with its type`);
      if (node.op === 'addr' && (node.ref < 0 || node.ref >= sizeof)) fail(`field ${f.name}: discriminant outside the struct`);
      fields.push({ name: f.name, offset: f.offset, data: !f.padding, node });
    }
    for (const [name, o] of Object.entries(overlay ?? {})) {
      if (!isSafeKey(name)) fail(`overlay name ${JSON.stringify(String(name)).slice(0, 80)} is not allowed in generated code`);
      if (seen.has(name)) fail(`overlay ${name} has a field's name`);
      seen.add(name);
      const size = o.type?.size;
      if (!isSafeInt(o.offset) || o.offset < 0 || !isSafeInt(size) || o.offset + size > sizeof) fail(`overlay ${name} lies outside the struct`);
      const node = nodeOf(o.type, le, `overlay ${name}`, undefined);
      if (node.op === 'pad' || node.op === 'addr' || node.op === 'array') fail(`overlay ${name} is not a plain value`);
      fields.push({ name, offset: o.offset, data: true, overlay: true, node });
    }
    return { ok: true, plan: { sizeof, le, fields } };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    return { ok: false, reason: `cannot plan: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Whether a node produces no value (padding, or an array of padding). */
export function isPadding(n: PlanNode): boolean {
  return n.op === 'pad' || (n.op === 'array' && isPadding(n.elem));
}

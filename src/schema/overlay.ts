/**
 * Derived fields that are another reading of the struct's own bytes: the members of a C union
 * that overlap a declared field. `struct ct_entry` (v1.19+) is the case: IPv4 maps write
 * `nat_addr.p4` into bytes 12–15, the upper half of `backend_id`; IPv6 maps' `backend_id` is bytes
 * 8–15 of `nat_addr`. Declared as data — a field type at a struct offset — the compiler reads them
 * inline like any field (compile/plan.ts) and the JSON transcoder writes them, instead of a
 * function that rebuilds the bytes from the decoded record (the old `ct_entry` derive turned
 * `nat_addr` text back into bytes per record: 4× slower than the rest of the decoder).
 */
import type { AnyField, DecodedOf, ReadContext } from './field';

/** One overlapping reading: `type` read at struct offset `offset`. */
export interface Overlay {
  readonly offset: number;
  readonly type: AnyField;
}

/** A `derive` hook built by {@link deriveOverlay}: reads its fields from the bytes, not the record. */
export interface OverlayDerive<X> {
  (rec: unknown, bytes: Uint8Array, start: number, ctx: ReadContext): X;
  /** The declaration, in the record's key order. */
  readonly overlay: Readonly<Record<string, Overlay>>;
}

/**
 * A derive hook that reads each named field with its type at its struct offset, e.g.
 * `deriveOverlay({ nat_addr: { offset: 12, type: ipv4 } })`. The offsets are checked against the
 * struct when the schema is defined (a reading outside `sizeof` is a SchemaError). The field
 * types must be plain ones (integers, addresses, MAC): no padding, no address union.
 */
export function deriveOverlay<const O extends Record<string, Overlay>>(overlay: O): OverlayDerive<{ [K in keyof O]: DecodedOf<O[K]['type']> }> {
  const names = Object.keys(overlay);
  const fn = (_rec: unknown, bytes: Uint8Array, start: number, ctx: ReadContext) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: Record<string, unknown> = {};
    for (const k of names) {
      const { offset, type } = overlay[k]!;
      out[k] = type.read(bytes, view, start + offset, ctx, { name: k, offset });
    }
    return out;
  };
  return Object.assign(fn, { overlay }) as never;
}

/** The overlay declaration of a derive hook, if it was built by {@link deriveOverlay}. */
export function overlayOf(derive: unknown): Readonly<Record<string, Overlay>> | undefined {
  // Own property only: a polluted Object.prototype.overlay is not a declaration.
  const o = typeof derive === 'function' && Object.hasOwn(derive, 'overlay') ? (derive as { overlay?: unknown }).overlay : undefined;
  return typeof o === 'object' && o !== null ? (o as Record<string, Overlay>) : undefined;
}

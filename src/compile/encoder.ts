/**
 * The compiled field writer behind `Schema.encode`: writes a prepared input's fields straight
 * into the output bytes, in layout order, instead of driving restructure's `Struct.encode` (which
 * sizes every field first, then builds a stream context and an error closure per field).
 *
 * Integers (and flags given as a raw number) that are already in range are written with byte
 * arithmetic; everything else — addresses, MACs, flag objects, strings, bigints, out-of-range or
 * malformed values — goes to the field type's own `write`, with the same context the reference
 * builds, so every accepted value is written the same way and every refused one throws the same
 * EncodeError. The surrounding steps (unknown keys, `prepare`, union families, derived-field
 * agreement) stay in `struct.ts`, shared by both paths. No generated code: this works under CSP
 * too. Measured in bench/index.js suite 1 (encode lines).
 */
import { EncodeError } from '../schema/errors';
import type { WriteContext } from '../schema/field';
import { planLayout, type LayoutField, type PlanNode } from './plan';
import type { CompilableSchema } from './compile-decoder';

/** Writes a prepared input into a zero-filled buffer of `sizeof` bytes. */
export type FieldWriter = (buf: Uint8Array, prepared: Record<string, unknown>) => void;

/** The writer, or why the schema keeps restructure's encoder. */
export type EncoderResult = { ok: true; write: FieldWriter } | { ok: false; reason: string };

interface Step {
  readonly name: string;
  readonly offset: number;
  /** Byte width of the in-range-number fast path; 0 for none. */
  readonly fast: 0 | 1 | 2 | 4;
  readonly le: boolean;
  readonly field: LayoutField;
  readonly site: { readonly name: string; readonly offset: number; readonly refOffset?: number };
  readonly fail: (detail: string) => EncodeError;
}

function fastWidth(n: PlanNode): { fast: 0 | 1 | 2 | 4; le: boolean } {
  if (n.op === 'uint' || n.op === 'flags') return { fast: n.bytes, le: n.le };
  return { fast: 0, le: true };
}

/** Builds the field writer of a schema (from the same plan as its decoder). */
export function compileFieldWriter(schema: Pick<CompilableSchema, 'label' | 'sizeof' | 'endian' | 'layout'>): EncoderResult {
  const layout = schema.layout as readonly LayoutField[];
  const planned = planLayout(layout, schema.sizeof, schema.endian);
  if (!planned.ok) return { ok: false, reason: planned.reason };
  const le = schema.endian !== 'be';
  const label = schema.label;
  const steps: Step[] = [];
  planned.plan.fields.forEach((pf, i) => {
    // Padding writes nothing (the buffer starts zeroed), exactly like `pad().write`.
    if (!pf.data) return;
    const field = layout[i]!;
    const { fast, le: fle } = fastWidth(pf.node);
    steps.push({
      name: field.name,
      offset: field.offset,
      fast,
      le: fle,
      field,
      site: { name: field.name, offset: field.offset, refOffset: field.refOffset },
      // The reference's per-field `ctx.fail`.
      fail: (detail) => new EncodeError({ schema: label, path: field.name, offset: field.offset, expected: field.type.size }, detail),
    });
  });

  const write: FieldWriter = (buf, p) => {
    let view: DataView | undefined;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      const v = p[s.name];
      if (s.fast !== 0 && typeof v === 'number') {
        const at = s.offset;
        // In range and an integer: exactly what checkUint lets through (-0 included, as 0).
        if (s.fast === 1) {
          if ((v & 0xff) === v) {
            buf[at] = v;
            continue;
          }
        } else if (s.fast === 2) {
          if ((v & 0xffff) === v) {
            if (s.le) {
              buf[at] = v;
              buf[at + 1] = v >>> 8;
            } else {
              buf[at] = v >>> 8;
              buf[at + 1] = v;
            }
            continue;
          }
        } else if (v >>> 0 === v) {
          if (s.le) {
            buf[at] = v;
            buf[at + 1] = v >>> 8;
            buf[at + 2] = v >>> 16;
            buf[at + 3] = v >>> 24;
          } else {
            buf[at] = v >>> 24;
            buf[at + 1] = v >>> 16;
            buf[at + 2] = v >>> 8;
            buf[at + 3] = v;
          }
          continue;
        }
      }
      // Unset integers stay zero, as `value === undefined ? 0 : …` writes in the field types.
      if (v === undefined && s.fast !== 0) continue;
      view ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const ctx: WriteContext = { le, start: 0, input: p, fail: s.fail };
      s.field.type.write(buf, view, s.offset, v, ctx, s.site);
    }
  };
  return { ok: true, write };
}

/**
 * The field protocol. A field type is a small declarative value: its size, alignment and a pair
 * of byte-level `read`/`write` functions. The struct engine binds each field to its offset and
 * byte order and exposes it to restructure's `Struct` through the restructure protocol
 * (`decode(stream, parent)` / `encode(stream, value, parent)` / `size()`); the compiled fast path
 * (`src/compile/`) reads the same descriptors. One description, two engines.
 */
import type { EncodeError } from './errors';

/** Host byte order of the machine whose map is being read. Cilium runs on LE x86-64/arm64. */
export type Endian = 'le' | 'be';

/** Everything a field's read needs besides its own bytes. */
export interface ReadContext {
  /** Byte order of "host" fields. */
  readonly le: boolean;
  /** Offset of the struct start inside `bytes` (unions look at sibling discriminants). */
  readonly start: number;
  /** Called for non-zero bytes that the chosen layout treats as padding. */
  padding(field: string, offset: number, size: number): void;
}

/** Everything a field's write needs besides the value. */
export interface WriteContext {
  readonly le: boolean;
  readonly start: number;
  /** The whole (prepared) input object, for unions that look at a sibling discriminant. */
  readonly input: Record<string, unknown>;
  /** Builds an EncodeError naming this field. */
  fail(detail: string): EncodeError;
}

/** Where a bound field sits. */
export interface FieldSite {
  readonly name: string;
  readonly offset: number;
}

/**
 * A field type. `D` is what decoding yields, `E` what encoding accepts. They exist only in the
 * type system (`_decoded`/`_encodable` are never set) so record types are inferred, never written.
 */
export interface FieldType<D, E = D> {
  /** Stable name of the kind, used by the compiler and in `describe()` (e.g. `u32`, `be16`). */
  readonly kind: string;
  /** Size in bytes. Every Cilium field has a fixed size. */
  readonly size: number;
  /** Natural C alignment; the engine checks offsets against it unless the struct is packed. */
  readonly align: number;
  /** Padding is written as zero, checked on read, and never appears in records. */
  readonly padding: boolean;
  /** Extra parameters the compiler needs (bit names, discriminants...). */
  readonly params?: Readonly<Record<string, unknown>>;
  read(bytes: Uint8Array, view: DataView, off: number, ctx: ReadContext, site: FieldSite): D;
  write(bytes: Uint8Array, view: DataView, off: number, value: E | undefined, ctx: WriteContext, site: FieldSite): void;
  /** Phantom: decoded type. */
  readonly _decoded?: D;
  /** Phantom: encodable type. */
  readonly _encodable?: E;
}

/** Any field type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = FieldType<any, any>;

/** The decoded type of a field. */
export type DecodedOf<F> = F extends FieldType<infer D, any> ? D : never;
/** The encodable type of a field. */
export type EncodableOf<F> = F extends FieldType<any, infer E> ? E : never;

/** Integer range check shared by every numeric field. Out-of-range values are shown exactly (a bigint or decimal text is never rounded through a double). */
export function checkUint(value: unknown, bits: number, ctx: WriteContext): number {
  const max = 2 ** bits - 1;
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value < 0 || value > max) throw ctx.fail(`${value} is out of range for u${bits} (0..${max})`);
    return value;
  }
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'string' && /^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(value.trim())) n = BigInt(value.trim());
  if (n === undefined) throw ctx.fail(`expected an unsigned ${bits}-bit integer, got ${describeValue(value)}`);
  if (n < 0n || n > BigInt(max)) throw ctx.fail(`${n} is out of range for u${bits} (0..${max})`);
  return Number(n);
}

/** Short, safe rendering of a bad input for error messages. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

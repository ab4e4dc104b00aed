/**
 * The fixed helpers a compiled decoder calls: the text tables and IPv6 formatter of `text.ts`,
 * the u64 assembler, and everything on the slow paths (padding notices, input errors, the
 * `check`/`derive` hooks). The generated code receives them as one object and never sees a user
 * string: labels, padding field names and hooks live here, in closures.
 *
 * Each helper mirrors one step of `Schema.decodeReference` in `src/schema/struct.ts` (same
 * messages, same error classes, same notice objects, same wrapping); the differential tests in
 * `test/compile/` hold them to it.
 */
import { bytesToHex } from '../bpftool/hex';
import { CodecError, DecodeError } from '../schema/errors';
import { describeValue, type ReadContext } from '../schema/field';
import { DEC, DEC_DOT, HEX2, HEX2_COLON, formatIPv4, formatIPv6, formatMac } from '../schema/ip-text';

/** Non-zero bytes where the layout has padding (structurally `PaddingNotice` of struct.ts). */
export interface PaddingReport {
  schema: string;
  field: string;
  offset: number;
  size: number;
  bytes: Uint8Array;
}

/** The decode options a compiled decoder honours (structurally `DecodeOptions` of struct.ts). */
export interface PaddingOptions {
  /** Told about every non-zero padding run; without it such bytes are accepted silently. */
  onPadding?: (notice: PaddingReport) => void;
  /** Throw a DecodeError on non-zero padding instead. */
  strictPadding?: boolean;
}

/** What the runtime needs to know about the schema (never written into generated source). */
export interface SchemaFacts {
  readonly name: string;
  readonly label: string;
  readonly sizeof: number;
  readonly check?: (rec: never) => string | undefined;
  readonly derive?: (rec: never, bytes: Uint8Array, start: number, ctx: ReadContext) => object;
  /** Host byte order, for the context a derive hook is given. */
  readonly le: boolean;
}

/** Where one padding check reports: the reference's field path, struct offset and size. */
export interface PadSite {
  readonly field: string;
  readonly offset: number;
  readonly size: number;
}

/** Helpers handed to a compiled decoder. Short names keep the generated source readable. */
export interface Runtime {
  /** `D[n]` is `String(n)` for a byte: dotted quads without `toString` per byte (uuid's `byteToHex`). */
  readonly D: readonly string[];
  /** `DD[n]` is `String(n) + '.'`. */
  readonly DD: readonly string[];
  /** `H[n]` is the two-digit lowercase hex of a byte; `HC[n]` the same plus `:`. */
  readonly H: readonly string[];
  readonly HC: readonly string[];
  /** `formatIPv4`, `formatMac`, `formatIPv6` of src/schema/ip-text.ts. */
  readonly F4: (b: Uint8Array, off: number) => string;
  readonly FM: (b: Uint8Array, off: number) => string;
  readonly F6: (b: Uint8Array, off: number) => string;
  readonly U64: (lo: number, hi: number) => bigint;
  /** Any non-zero byte in `b[at .. at+n)`: padding runs too long to unroll. */
  readonly Z: (b: Uint8Array, at: number, n: number) => boolean;
  /** Reports padding site `i` (notice, strict error, or callback), like the reference's `ctx.padding`. */
  readonly P: (b: Uint8Array, o: number, opts: PaddingOptions | undefined, i: number) => void;
  /** The DecodeError for bad input (not bytes, bad offset, too short), or null if it is fine after all. */
  readonly BAD: (b: unknown, o: unknown) => DecodeError | null;
  /** Runs the `check` hook (throws the reference's DecodeError on a reason). */
  readonly CHK: (r: object) => void;
  /** Runs the `derive` hook, wrapping what it throws as the reference does; returns its fields. */
  readonly DX: (r: object, b: Uint8Array, o: number, opts: PaddingOptions | undefined) => unknown;
  /** `Object.keys`, `Object.assign`: the reference merges derived fields with `Object.assign`. */
  readonly KEYS: (o: object) => string[];
  readonly ASSIGN: (target: object, source: unknown) => void;
}

const EMPTY: PaddingOptions = Object.freeze({});

/** u64 from its two u32 halves: one BigInt allocation and no shift while it fits 2^53. */
export function u64(lo: number, hi: number): bigint {
  return hi < 0x200000 ? BigInt(hi * 4294967296 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

export function anyNonZero(b: Uint8Array, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[at + i] !== 0) return true;
  return false;
}


/**
 * Merges a derive result into the record exactly as `Object.assign(r, x)` for string keys: when
 * `Object.keys(x)` is the expected list, plain stores in that order (what assign does for them,
 * without its generic per-key runtime path: 13 ns instead of 34 ns for two keys, Node 20); any
 * other shape goes to `Object.assign`. The one difference: own symbol-keyed properties of `x` are
 * not copied when the string keys match. Derived fields are string keys by the engine's own
 * definition (`derivedKeys()` and `encode` use `Object.keys`), and checking for symbols costs
 * more than the assign it saves (`Object.getOwnPropertySymbols`, ~40 ns).
 */
export function mergeDerived(r: Record<string, unknown>, x: unknown, expected: readonly string[]): void {
  if (typeof x === 'object' && x !== null && expected.length > 0) {
    const keys = Object.keys(x);
    let same = keys.length === expected.length;
    for (let i = 0; same && i < keys.length; i++) same = keys[i] === expected[i];
    if (same) {
      for (let i = 0; i < keys.length; i++) r[keys[i]!] = (x as Record<string, unknown>)[keys[i]!];
      return;
    }
  }
  Object.assign(r, x);
}

/** The reference's `wrapDecode`: package errors pass through, anything else becomes a DecodeError. */
export function wrapDecodeError(e: unknown, label: string): CodecError {
  if (e instanceof CodecError) return e;
  return new DecodeError({ schema: label, path: '', offset: 0 }, e instanceof Error ? e.message : String(e));
}

/**
 * The error for input the fast check refused: what `decodeReference(bytes.subarray(offset,
 * offset + sizeof))` would throw, or a DecodeError naming a bad offset. Returns null when the
 * input is fine after all (an offset past 2^32 - 1, which the fast check does not cover).
 */
export function inputError(facts: Pick<SchemaFacts, 'label' | 'sizeof' | 'name'>, b: unknown, o: unknown): DecodeError | null {
  const { label, sizeof, name } = facts;
  if (!(b instanceof Uint8Array)) {
    return new DecodeError({ schema: label, path: '', offset: 0, expected: sizeof }, `expected a Uint8Array, got ${b === null ? 'null' : typeof b}`);
  }
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) {
    return new DecodeError({ schema: label, path: '', offset: 0, expected: sizeof }, `offset ${describeValue(o)} is not a byte index (a non-negative integer)`);
  }
  const have = Math.max(0, b.length - o);
  if (have >= sizeof) return null;
  return new DecodeError({ schema: label, path: '', offset: 0, expected: sizeof, actual: have }, `expected ${sizeof} bytes (sizeof ${name}), got ${have} (too short)`);
}

/** Builds the helpers for one schema. `sites` may still grow while the decoder is emitted. */
export function makeRuntime(facts: SchemaFacts, sites: readonly PadSite[]): Runtime {
  const { label, sizeof, check, derive, le } = facts;
  /** A padding notice (or the strict error) for `site`, as the reference's `ctx.padding` makes it. */
  const report = (b: Uint8Array, o: number, opts: PaddingOptions | undefined, site: PadSite): void => {
    // Everything inside the try, as in the reference, where the padding callback runs inside
    // restructure's decode and whatever it throws is wrapped (`opts: null` included).
    try {
      const op = opts === undefined ? EMPTY : opts;
      const notice: PaddingReport = { schema: label, field: site.field, offset: site.offset, size: site.size, bytes: b.slice(o + site.offset, o + site.offset + site.size) };
      if (op.strictPadding) {
        throw new DecodeError({ schema: label, path: site.field, offset: site.offset, expected: site.size, actual: site.size }, `non-zero padding bytes ${bytesToHex(notice.bytes)}`);
      }
      op.onPadding?.(notice);
    } catch (e) {
      throw wrapDecodeError(e, label);
    }
  };
  return {
    D: DEC,
    DD: DEC_DOT,
    H: HEX2,
    HC: HEX2_COLON,
    F4: formatIPv4,
    FM: formatMac,
    F6: formatIPv6,
    U64: u64,
    Z: anyNonZero,
    P(b, o, opts, i) {
      report(b, o, opts, sites[i]!);
    },
    BAD: (b, o) => inputError(facts, b, o),
    CHK: check
      ? (r) => {
          const why = check(r as never);
          if (why !== undefined) throw new DecodeError({ schema: label, path: '', offset: 0, expected: sizeof, actual: sizeof }, why);
        }
      : () => {},
    DX: derive
      ? (r, b, o, opts) => {
          try {
            // The bytes too, as the reference gives them (hooks that read overlapping members),
            // and a padding callback that reports as the reference's does.
            return derive(r as never, b, o, { le, start: o, padding: (field, offset, size) => report(b, o, opts, { field, offset, size }) });
          } catch (e) {
            throw wrapDecodeError(e, label);
          }
        }
      : () => undefined,
    KEYS: Object.keys,
    ASSIGN: Object.assign,
  };
}

/**
 * The schema engine: one generic engine decodes, encodes, sizes and describes every struct.
 *
 * A struct is data: its C name, the header it mirrors, its declared `sizeof`, and an ordered map of
 * field types. Definition computes offsets, checks each field's natural alignment (unless the C
 * struct is `__packed`) and throws when the computed size differs from `sizeof` — the same guard as
 * Cilium's alignchecker, against silent implicit-padding bugs (cilium PR #26340).
 *
 * Two tiers, one output: `decode`/`decodeAt` run a decoder that
 * `src/compile/` specialises from the layout on first use (generated code, or closures where eval
 * is refused), and `encode` writes fields with a compiled field writer; `decodeReference` and
 * `encodeReference` run restructure's `Struct`, the interpreter kept as the oracle the
 * differential tests in `test/compile/` compare against (bench/index.js measures both).
 */
import * as r from 'restructure';
import { CodecError, DecodeError, EncodeError, SchemaError } from './errors';
import type { AnyField, DecodedOf, EncodableOf, Endian, ReadContext, WriteContext } from './field';
import { addrUnion, type AddrDiscriminant, type UnionSite } from './addr-union';
import { mirroredBitfield } from './flags';
import { overlayOf } from './overlay';
import { ipFamilyOf } from './ip-text';
import { bytesToHex } from '../bpftool/hex';
// compile/ never imports this file (it takes the schema structurally), so there is no cycle.
import { compileDecoder } from '../compile/compile-decoder';
import { compileCheckInput, type CheckInput } from '../compile/check-input';
import { compileFieldWriter, compilePick, type FieldWriter, type Picker } from '../compile/encoder';

/** Ordered field map of a struct. */
export type Fields = Readonly<Record<string, AnyField>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/**
 * Whether a decoded type is padding's: `never` (`pad(n)`), or an array of it at any depth
 * (`array(pad(1), 2)` decodes to `never[]` at the type level, yet is just as absent from records).
 */
export type IsPadding<D> = [D] extends [never] ? true : [D] extends [readonly (infer E)[]] ? IsPadding<E> : false;
/** Names of the non-padding fields of a field map. */
export type DataKeys<F> = { [K in keyof F]: IsPadding<DecodedOf<F[K]>> extends true ? never : K }[keyof F];

/** The decoded record of a field map: every non-padding field, by its C name. */
export type FieldsDecoded<F extends Fields> = { -readonly [K in DataKeys<F>]: DecodedOf<F[K]> };
/** What encoding a field map accepts: any subset of its fields (missing ones are zero). */
export type FieldsEncodable<F extends Fields> = { -readonly [K in DataKeys<F>]?: EncodableOf<F[K]> };

/** One field's place in the struct, as the engine computed it. */
export interface FieldLayout {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly kind: string;
  readonly padding: boolean;
  readonly type: AnyField;
  /** For discriminated unions: struct offset of the discriminant. */
  readonly refOffset?: number;
}

/** Non-zero bytes where the layout has padding. */
export interface PaddingNotice {
  schema: string;
  field: string;
  offset: number;
  size: number;
  bytes: Uint8Array;
}

/** Options of {@link Schema.decode}. */
export interface DecodeOptions {
  /** Told about every non-zero padding run; without it such bytes are accepted silently. */
  onPadding?: (notice: PaddingNotice) => void;
  /** Throw a DecodeError on non-zero padding instead. */
  strictPadding?: boolean;
}

/** Definition of a struct schema. */
export interface StructDefinition<F extends Fields, X extends object, I extends string> {
  /** C struct name, e.g. `ipcache_key`. */
  name: string;
  /** Layout variant name as listed in docs/layouts.md, e.g. `IK-C`. */
  variant?: string;
  /** The Cilium header (and version) the schema mirrors. */
  header: string;
  /** The C `sizeof`; definition throws if the fields add up to anything else. */
  sizeof: number;
  /** `__packed`: skip the natural-alignment check. */
  packed?: boolean;
  /** Host byte order of the dump's machine. Default `le`. */
  endian?: Endian;
  fields: F;
  /**
   * Extra fields derived from the decoded ones (never instead of them), e.g. `cidr`; also given
   * the struct's bytes (at `start`), for readings that overlap a field (`deriveOverlay`).
   */
  derive?: (rec: FieldsDecoded<F>, bytes: Uint8Array, start: number, ctx: ReadContext) => X;
  /** Rejects decoded values no real entry can have (returns the reason), e.g. an LPM prefixlen below 32. */
  check?: (rec: FieldsDecoded<F>) => string | undefined;
  /** Turns friendly inputs (e.g. `{ cidr }`) into field values before encoding. */
  prepare?: (input: FieldsEncodable<F> & Partial<Record<I, string | number>> & Partial<X>) => FieldsEncodable<F>;
  /** Friendly text inputs `prepare` understands besides the fields (e.g. `cidr`). */
  inputs?: readonly I[];
}

/** A struct schema: decode, encode, layout. `D`/`E` are inferred from the definition. */
export interface Schema<D, E> {
  /** C struct name. */
  readonly name: string;
  /** Layout variant (docs/layouts.md), if any. */
  readonly variant?: string;
  /** `name (variant)`, as used in error messages. */
  readonly label: string;
  readonly header: string;
  readonly sizeof: number;
  readonly endian: Endian;
  readonly layout: readonly FieldLayout[];
  /** Names of the derived (decode-only) fields. Discovered on first decode; see `derivedKeys()`. */
  derivedKeys(): readonly string[];
  /** Names `encode` accepts. */
  readonly inputNames: readonly string[];
  /**
   * Decodes exactly `sizeof` bytes. Runs the schema's compiled decoder (built on first use, see
   * `compileDecoder`); records, padding notices and errors are those of {@link decodeReference}.
   * @throws {@link DecodeError} on a wrong length, non-zero padding under `strictPadding`, or a
   *   value no real entry can have.
   */
  decode(bytes: Uint8Array, opts?: DecodeOptions): D;
  /**
   * Decodes the `sizeof` bytes at `offset` of a larger buffer (a dump of many entries) in place,
   * without `subarray`; bytes after them are ignored. Same result as
   * `decode(bytes.subarray(offset, offset + sizeof))`; too few bytes throw the same DecodeError.
   */
  decodeAt(bytes: Uint8Array, offset: number, opts?: DecodeOptions): D;
  /**
   * Decodes exactly `sizeof` bytes with the restructure reference interpreter: slower, kept as
   * the oracle the compiled decoder is tested against.
   */
  decodeReference(bytes: Uint8Array, opts?: DecodeOptions): D;
  /**
   * Encodes a record or friendly input to exactly `sizeof` bytes, writing the fields with the
   * schema's compiled field writer; bytes and errors are those of {@link encodeReference}.
   * @throws {@link EncodeError} on an unknown field, a value out of range or malformed, or a
   *   derived field (e.g. `cidr`) that disagrees with the others.
   */
  encode(input: E): Uint8Array;
  /** Encodes with restructure's `Struct` (the reference the compiled writer is tested against). */
  encodeReference(input: E): Uint8Array;
  /** The same schema for a host of the other byte order (s390x). */
  withEndian(endian: Endian): Schema<D, E>;
  /** @internal the definition, for the compiler. */
  readonly definition: StructDefinition<Fields, object, string>;
  /** Phantom: decoded record type. */
  readonly _decoded?: D;
  /** Phantom: encodable input type. */
  readonly _encodable?: E;
}

/** Decoded record type of a schema. */
export type Decoded<S> = S extends Schema<infer D, any> ? D : never;
/** Encodable input type of a schema. */
export type Encodable<S> = S extends Schema<any, infer E> ? E : never;
/** Any schema. */
export type AnySchema = Schema<any, any>;

interface BoundStream {
  __rctx?: ReadContext;
  __wctx?: WriteContext;
}

/** Defines a struct schema; throws a SchemaError if its layout does not add up. */
export function defineStruct<const F extends Fields, X extends object = {}, const I extends string = never>(
  def: StructDefinition<F, X, I>,
): Schema<Simplify<FieldsDecoded<F> & X>, Simplify<FieldsEncodable<F> & Partial<Record<I, string | number>> & Partial<X>>> {
  const label = def.variant ? `${def.name} (${def.variant})` : def.name;
  const endian = def.endian ?? 'le';
  const le = endian === 'le';

  // Offsets and the definition-time checks.
  const layout: FieldLayout[] = [];
  const byName = new Map<string, FieldLayout>();
  let off = 0;
  for (const [name, type] of Object.entries(endian === 'be' ? bigEndianBitfields(def.fields) : def.fields)) {
    if (!type || typeof type.read !== 'function' || typeof type.size !== 'number') {
      throw new SchemaError(`${label}: field "${name}" is not a field type (build fields with u8, u32, ipv4, pad, ...)`);
    }
    if (!def.packed && off % type.align !== 0) {
      throw new SchemaError(`${label}: field "${name}" (${type.kind}) at offset ${off} is not ${type.align}-byte aligned; add the implicit padding C inserts, or mark the struct packed`);
    }
    const fl: FieldLayout = { name, offset: off, size: type.size, kind: type.kind, padding: type.padding, type };
    layout.push(fl);
    byName.set(name, fl);
    off += type.size;
  }
  if (off !== def.sizeof) {
    throw new SchemaError(`${label}: fields add up to ${off} bytes but sizeof(${def.name}) is ${def.sizeof} (${def.header})`);
  }
  // Readings that overlap fields (deriveOverlay) must lie inside the struct and be plain values.
  for (const [name, o] of Object.entries(overlayOf(def.derive) ?? {})) {
    if (byName.has(name)) throw new SchemaError(`${label}: overlay "${name}" has the name of a field`);
    if (!o.type || o.type.padding || o.type.params?.discriminant || !Number.isInteger(o.offset) || o.offset < 0 || o.offset + o.type.size > def.sizeof) {
      throw new SchemaError(`${label}: overlay "${name}" (${o.type?.kind}) at offset ${o.offset} is not a plain field inside sizeof ${def.sizeof}`);
    }
  }
  // Resolve union discriminants.
  const unions: { field: FieldLayout; disc: AddrDiscriminant }[] = [];
  for (let i = 0; i < layout.length; i++) {
    const fl = layout[i]!;
    const disc = fl.type.params?.discriminant as AddrDiscriminant | undefined;
    if (!disc) continue;
    const ref = byName.get(disc.field);
    if (!ref || ref.padding) throw new SchemaError(`${label}: union "${fl.name}" refers to missing field "${disc.field}"`);
    layout[i] = { ...fl, refOffset: ref.offset };
    unions.push({ field: layout[i]!, disc });
  }

  const dataFields = layout.filter((f) => !f.padding).map((f) => f.name);

  // Bind every field to the restructure protocol.
  // No prototype: restructure walks its fields with for-in, which would also see names a polluted
  // Object.prototype has.
  const rfields: Record<string, r.RField> = Object.create(null);
  for (const fl of layout) {
    const site: UnionSite = { name: fl.name, offset: fl.offset, refOffset: fl.refOffset };
    const t = fl.type;
    rfields[fl.name] = {
      decode(stream: r.DecodeStream & BoundStream) {
        const at = stream.pos;
        stream.pos += t.size;
        return t.read(stream.buffer, stream.view, at, stream.__rctx!, site);
      },
      encode(stream: r.EncodeStream & BoundStream, value: unknown) {
        const at = stream.pos;
        stream.pos += t.size;
        const base = stream.__wctx!;
        const ctx: WriteContext = {
          le: base.le,
          start: base.start,
          input: base.input,
          fail: (detail) => new EncodeError({ schema: label, path: fl.name, offset: fl.offset, expected: t.size }, detail),
        };
        t.write(stream.buffer, stream.view, at, value, ctx, site);
      },
      size: () => t.size,
    };
  }
  const rstruct = new r.Struct(rfields);

  let derivedKeys: string[] | undefined;
  // The compiled decoder, built on the first decode (compiling every schema at import would cost
  // startup for maps a run never reads).
  let fast: ((bytes: Uint8Array, offset?: number, opts?: DecodeOptions) => unknown) | undefined;
  const fastDecoder = () => (fast = compileDecoder(schema).decode as typeof fast)!;
  // The compiled field writer (or, if the layout cannot be compiled, restructure's encode).
  let writer: FieldWriter | false | undefined;
  const fieldWriter = (): FieldWriter | false => {
    const w = compileFieldWriter(schema);
    return w.ok ? w.write : false;
  };
  const friendly = new Set<string>(def.inputs ?? []);
  const inputNames = new Set<string>([...dataFields, ...friendly]);
  /** Picks the input's own values of the names encode reads (inputs, then derived fields; built on first encode). */
  let ownPicker: Picker | undefined;
  /** Picks the layout's names off a prepared input (built on first encode). */
  let picker: Picker | undefined;
  /** Reads the check's declared fields from encoded bytes; false: decode instead (built on first encode). */
  let checkInput: CheckInput | false | undefined;

  const schema: Schema<any, any> = {
    name: def.name,
    variant: def.variant,
    label,
    header: def.header,
    sizeof: def.sizeof,
    endian,
    layout,
    inputNames: [...inputNames],
    definition: def as unknown as StructDefinition<Fields, object, string>,
    derivedKeys() {
      if (!derivedKeys) {
        // derive is total by contract (validation lives in `check`), so a zeroed record shows its keys.
        const zero: Record<string, unknown> = {};
        const bytes = new Uint8Array(def.sizeof);
        const ctx: ReadContext = { le, start: 0, padding() {} };
        const raw = rstruct.decode(Object.assign(new r.DecodeStream(bytes), { __rctx: ctx }));
        for (const k of dataFields) zero[k] = raw[k];
        derivedKeys = def.derive ? Object.keys(def.derive(zero as never, bytes, 0, ctx)).filter((k) => !dataFields.includes(k)) : [];
      }
      return derivedKeys;
    },
    decode(bytes: Uint8Array, opts?: DecodeOptions) {
      // Wrong lengths take the reference path, which throws the one length error message.
      if (bytes instanceof Uint8Array && bytes.length === def.sizeof) return (fast ?? fastDecoder())(bytes, 0, opts);
      return schema.decodeReference(bytes, opts);
    },
    decodeAt(bytes: Uint8Array, offset: number, opts?: DecodeOptions) {
      return (fast ?? fastDecoder())(bytes, offset, opts);
    },
    decodeReference(bytes: Uint8Array, opts: DecodeOptions = {}) {
      if (!(bytes instanceof Uint8Array)) {
        throw new DecodeError({ schema: label, path: '', offset: 0, expected: def.sizeof }, `expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
      }
      if (bytes.length !== def.sizeof) {
        throw new DecodeError(
          { schema: label, path: '', offset: 0, expected: def.sizeof, actual: bytes.length },
          `expected ${def.sizeof} bytes (sizeof ${def.name}), got ${bytes.length}${bytes.length < def.sizeof ? ' (too short)' : ' (trailing bytes)'}`,
        );
      }
      const stream = new r.DecodeStream(bytes) as r.DecodeStream & BoundStream;
      stream.__rctx = {
        le,
        start: 0,
        padding(field, offset, size) {
          const notice: PaddingNotice = { schema: label, field, offset, size, bytes: bytes.slice(offset, offset + size) };
          if (opts.strictPadding) {
            throw new DecodeError({ schema: label, path: field, offset, expected: size, actual: size }, `non-zero padding bytes ${bytesToHex(notice.bytes)}`);
          }
          opts.onPadding?.(notice);
        },
      };
      let res: Record<string, unknown>;
      try {
        res = rstruct.decode(stream);
      } catch (e) {
        throw wrapDecode(e, label);
      }
      // restructure's records carry hidden bookkeeping properties; hand out a plain object.
      const out: Record<string, unknown> = {};
      for (const k of dataFields) out[k] = res[k];
      if (def.check) {
        const why = def.check(out as never);
        if (why !== undefined) throw new DecodeError({ schema: label, path: '', offset: 0, expected: def.sizeof, actual: bytes.length }, why);
      }
      if (def.derive) {
        let extra: object;
        try {
          extra = def.derive(out as never, bytes, 0, stream.__rctx);
        } catch (e) {
          throw wrapDecode(e, label);
        }
        Object.assign(out, extra);
      }
      return out;
    },
    encode(input: Record<string, unknown>) {
      return encodeWith(input, true);
    },
    encodeReference(input: Record<string, unknown>) {
      return encodeWith(input, false);
    },
    withEndian(e: Endian) {
      return e === endian ? schema : defineStruct({ ...def, endian: e });
    },
  };

  /**
   * Both encoders: the same checks, `prepare` and union families around either the compiled
   * field writer (`fast`) or restructure's `Struct.encode` (the reference).
   */
  function encodeWith(input: Record<string, unknown>, fast: boolean): Uint8Array {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new EncodeError({ schema: label, path: '', offset: 0, expected: def.sizeof }, `expected an object of field values, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`);
    }
    const derived = schema.derivedKeys();
    for (const k of Object.keys(input)) {
      if (input[k] === undefined) continue;
      if (!inputNames.has(k) && !derived.includes(k)) {
        throw new EncodeError({ schema: label, path: k, offset: 0 }, `unknown field "${k}"; ${label} has: ${[...inputNames, ...derived].join(', ')}`);
      }
    }
    // Own properties only: every name the schema reads is set on the copy (undefined when the
    // input does not own it), so a polluted Object.prototype.tunnel_endpoint is never encoded.
    const own = (ownPicker ??= compilePick([...new Set([...inputNames, ...derived])]))(input);
    let prepared: Record<string, unknown>;
    try {
      // Every layout name, own values only (undefined when not given), on one object shape.
      prepared = (picker ??= compilePick(layout.map((f) => f.name)))(def.prepare ? (def.prepare({ ...own } as never) as Record<string, unknown>) : own);
    } catch (e) {
      throw wrapEncode(e, label);
    }
    // An address given without its discriminant says which family it is.
    for (const { field, disc } of unions) {
      const v = prepared[field.name];
      if (typeof v !== 'string' || prepared[disc.field] !== undefined) continue;
      const fam = ipFamilyOf(v);
      if (fam === 0) continue; // the union's write reports the bad address
      if (disc.by === 'family') prepared[disc.field] = fam === 6 ? disc.v6 : disc.v4;
      else prepared[disc.field] = { [disc.flag]: fam === 6 };
    }
    const buf = new Uint8Array(def.sizeof);
    const write = fast ? (writer ??= fieldWriter()) : undefined;
    try {
      if (write) write(buf, prepared);
      else {
        const stream = new r.EncodeStream(buf) as r.EncodeStream & BoundStream;
        stream.__wctx = { le, start: 0, input: prepared, fail: (d) => new EncodeError({ schema: label, path: '', offset: 0 }, d) };
        rstruct.encode(stream, prepared);
      }
    } catch (e) {
      throw wrapEncode(e, label);
    }
    // Derived fields given as input must agree with what was encoded (never silently ignored).
    // Those that are also friendly inputs (`cidr`) were consumed and checked by `prepare`, in any
    // spelling (`FD00:0::1`); comparing their text again would refuse equivalent input.
    // Encode checks ≡ decode checks: bytes the decoder would refuse (an LPM prefixlen past the
    // address, an unknown family) are never handed out.
    if (def.check) {
      // The declared fields alone when the check says which (compile/check-input.ts), else a decode.
      if (checkInput === undefined) checkInput = compileCheckInput(schema) ?? false;
      let why: string | undefined;
      if (checkInput) {
        try {
          why = def.check(checkInput(buf, 0) as never);
        } catch (e) {
          why = e instanceof DecodeError ? e.detail : String(e); // as the decode below reports it
        }
      } else {
        try {
          schema.decode(buf);
        } catch (e) {
          why = e instanceof DecodeError ? e.detail : String(e);
        }
      }
      if (why !== undefined) throw new EncodeError({ schema: label, path: '', offset: 0, expected: def.sizeof }, `${why} (the decoder refuses such bytes, so they are not encoded)`);
    }
    const givenDerived = derived.length === 0 ? derived : derived.filter((k) => own[k] !== undefined && !friendly.has(k));
    if (givenDerived.length > 0) {
      const back = (fast ? schema.decode(buf) : schema.decodeReference(buf)) as Record<string, unknown>;
      for (const k of givenDerived) {
        if (!sameValue(back[k], own[k])) {
          throw new EncodeError({ schema: label, path: k, offset: 0 }, `${k}=${show(own[k])} disagrees with the other fields, which give ${k}=${show(back[k])}`);
        }
      }
    }
    return buf;
  }
  return schema;
}

/**
 * The fields as a big-endian host's compiler lays them out: flags built with `{ bitfield: true }`
 * get mirrored bit numbers (flags.ts explains the ABI rule), and an address union keyed on one of
 * their bits follows its bit.
 */
function bigEndianBitfields(fields: Fields): Fields {
  const out: Record<string, AnyField> = {};
  const mirrored = new Map<string, number>();
  for (const [name, t] of Object.entries(fields)) {
    const p = t?.params;
    if (t?.kind === 'flags' && p?.bitfield === true) {
      out[name] = mirroredBitfield(p.bits as Record<string, number>, t.size as 1 | 2 | 4);
      mirrored.set(name, t.size * 8);
    } else out[name] = t;
  }
  for (const [name, t] of Object.entries(out)) {
    const d = t?.params?.discriminant as AddrDiscriminant | undefined;
    if (d?.by === 'flag' && mirrored.has(d.field)) out[name] = addrUnion({ ...d, bit: mirrored.get(d.field)! - 1 - d.bit });
  }
  return out;
}

function wrapDecode(e: unknown, label: string): CodecError {
  if (e instanceof CodecError) return e;
  return new DecodeError({ schema: label, path: '', offset: 0 }, e instanceof Error ? e.message : String(e));
}

function wrapEncode(e: unknown, label: string): CodecError {
  if (e instanceof CodecError) return e;
  return new EncodeError({ schema: label, path: '', offset: 0 }, e instanceof Error ? e.message : String(e));
}


function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export type { DecodedOf, EncodableOf };

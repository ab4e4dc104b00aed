/**
 * `compileDecoder`: one specialised decoder per schema, the fast tier of the two-tier engine.
 * It picks, in order:
 *
 * 1. `eval`: source generated from the schema's layout (`codegen.ts`), instantiated once with
 *    `new Function`. The fast path: ≥ 30× the restructure reference per record (bench/index.js).
 * 2. `closure`: the same plan as closures (`closure.ts`), when `new Function` is unavailable (CSP),
 *    when `CILIUM_MAP_CODEC_NO_EVAL=1`, or when asked for with `{ noEval: true }`.
 * 3. `reference`: the schema's own `decodeReference` (restructure), when the layout holds
 *    something the plan cannot express exactly — a user field type, or a name outside the
 *    allowlist. `reason` says which.
 *
 * All three take `(bytes, offset = 0, opts?)`, read `sizeof` bytes at `offset` (trailing bytes
 * are the caller's business, so a dump buffer is decoded in place without `subarray`), and give
 * what `schema.decodeReference(bytes.subarray(offset, offset + sizeof), opts)` gives: the same
 * record, the same padding notices, the same DecodeError class and message.
 *
 * This module takes the schema structurally and never imports `struct.ts`, which imports it.
 */
import type { AnyField, Endian, ReadContext } from '../schema/field';
import { overlayOf } from '../schema/overlay';
import { declaredReads, textFormOf } from '../schema/text-form';
import { buildClosureDecoder } from './closure';
import { generateDecoder, type Hooks } from './codegen';
import { canEval, noEvalRequested } from './eval-policy';
import { isSafeKey } from './ident';
import { planLayout, type LayoutField } from './plan';
import { inputError, makeRuntime, type PadSite, type PaddingOptions } from './runtime';

/** How a schema's decoder runs. */
export type CompileMode = 'eval' | 'closure' | 'reference';

/** What {@link compileDecoder} needs of a schema; every `Schema` from `defineStruct` has it. */
export interface CompilableSchema {
  readonly name: string;
  readonly label: string;
  readonly sizeof: number;
  readonly endian: Endian;
  readonly layout: readonly { readonly name: string; readonly offset: number; readonly size: number; readonly padding: boolean; readonly type: AnyField; readonly refOffset?: number }[];
  readonly definition: {
    readonly check?: (rec: never) => string | undefined;
    readonly derive?: (rec: never, bytes: Uint8Array, start: number, ctx: ReadContext) => object;
  };
  /** Names of the derived fields (the fast merge's expected keys); optional. */
  derivedKeys?(): readonly string[];
  /** The restructure reference decoder, used when the layout cannot be compiled. */
  decodeReference(bytes: Uint8Array, opts?: PaddingOptions): unknown;
  /** Phantom: decoded record type. */
  readonly _decoded?: unknown;
}

/** Options of {@link compileDecoder}. */
export interface CompileOptions {
  /**
   * Never generate code: build the closure decoder even where `new Function` works. The default
   * is the environment's choice: `CILIUM_MAP_CODEC_NO_EVAL=1`, or no-eval when eval is refused.
   */
  noEval?: boolean;
}

/** A schema's compiled decoder. */
export interface CompiledDecoder<D> {
  /** Which tier runs: generated code, closures, or the restructure reference. */
  readonly mode: CompileMode;
  /** The generated source (mode `eval`), for debugging; undefined otherwise. */
  readonly source: string | undefined;
  /** Why a faster tier was not used (no eval here, or what the plan could not express). */
  readonly reason: string | undefined;
  /**
   * Decodes the `sizeof` bytes at `offset` (default 0) of `bytes`; bytes after them are ignored.
   * Same records, padding notices and errors as the schema's `decodeReference` on that slice.
   * @throws {@link DecodeError} for a non-Uint8Array, a bad offset, too few bytes, non-zero
   *   padding under `strictPadding`, or a value the schema's `check` refuses.
   */
  decode(bytes: Uint8Array, offset?: number, opts?: PaddingOptions): D;
}

type AnyDecodeFn = (bytes: Uint8Array, offset?: number, opts?: PaddingOptions) => unknown;

const cache = new WeakMap<object, Map<CompileMode, CompiledDecoder<unknown>>>();

/**
 * Compiles (once per schema and mode; later calls return the same decoder) the fastest decoder
 * the schema and the host allow. `Schema.decode` and `Schema.decodeAt` use this, lazily, on
 * their first call.
 *
 * @example
 * ```ts
 * const fast = compileDecoder(resolveMap('ipcache').key);
 * fast.mode;                          // 'eval'
 * fast.decode(dump, 24 * 1000);       // the 1001st key of a buffer of keys, no subarray
 * console.log(fast.source);           // the generated function
 * ```
 */
export function compileDecoder<S extends CompilableSchema>(
  schema: S,
  opts: CompileOptions = {},
): CompiledDecoder<S extends { readonly _decoded?: infer D } ? Exclude<D, undefined> : unknown> {
  const wantEval = !opts.noEval && !noEvalRequested();
  const why = !wantEval ? (opts.noEval ? 'no-eval requested ({ noEval: true })' : 'no-eval requested (CILIUM_MAP_CODEC_NO_EVAL)') : !canEval() ? 'new Function is not available here (Content-Security-Policy?)' : undefined;
  const preferred: CompileMode = why === undefined ? 'eval' : 'closure';
  let byMode = cache.get(schema);
  if (!byMode) cache.set(schema, (byMode = new Map()));
  let compiled = byMode.get(preferred);
  if (!compiled) {
    compiled = build(schema, preferred, why);
    byMode.set(preferred, compiled);
  }
  return compiled as never;
}

function build(schema: CompilableSchema, preferred: CompileMode, noEvalWhy: string | undefined): CompiledDecoder<unknown> {
  const facts = { name: schema.name, label: schema.label, sizeof: schema.sizeof, check: schema.definition.check, derive: schema.definition.derive, le: schema.endian !== 'be' };
  // Overlapping readings (deriveOverlay) are planned as fields: read inline, no derive call.
  const overlay = overlayOf(facts.derive);
  const planned = planLayout(schema.layout as readonly LayoutField[], schema.sizeof, schema.endian, overlay);
  if (!planned.ok) return make('reference', referenceDecoder(schema), undefined, planned.reason);
  const derive = facts.derive !== undefined && overlay === undefined;
  // Only a hint for the merge fast path (a wrong or missing list just means Object.assign).
  const derivedKeys = derive ? expectedDerivedKeys(schema) : undefined;
  const textForm = derive ? textFormOf(facts.derive) : undefined;
  const checkReads = facts.check !== undefined && declaredReads(facts.check, planned.plan.fields.filter((f) => f.data).map((f) => f.name)) !== undefined;
  const hooks: Hooks = { check: facts.check !== undefined, derive, derivedKeys, textForm, checkReads };

  const sites: PadSite[] = [];
  const rt = makeRuntime(facts, sites);
  if (preferred === 'eval') {
    const gen = generateDecoder(planned.plan, hooks);
    try {
      const factory = new Function('rt', gen.source) as (rt: unknown) => AnyDecodeFn;
      sites.push(...gen.sites);
      return make('eval', factory({ ...rt, ...gen.tables }), gen.source, undefined);
    } catch (e) {
      noEvalWhy = `new Function failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return make('closure', buildClosureDecoder(planned.plan, rt, sites, hooks), undefined, noEvalWhy);
}

/** `schema.derivedKeys()` when every key is allowlisted; undefined (always Object.assign) otherwise. */
function expectedDerivedKeys(schema: CompilableSchema): readonly string[] | undefined {
  let keys: readonly string[];
  try {
    keys = schema.derivedKeys?.() ?? [];
  } catch {
    return undefined;
  }
  return keys.length > 0 && keys.every(isSafeKey) ? [...keys] : undefined;
}

function make(mode: CompileMode, decode: AnyDecodeFn, source: string | undefined, reason: string | undefined): CompiledDecoder<unknown> {
  return Object.freeze({ mode, source, reason, decode });
}

/** The restructure reference behind the compiled decoder's `(bytes, offset, opts)` contract. */
function referenceDecoder(schema: CompilableSchema): AnyDecodeFn {
  const size = schema.sizeof;
  return (b, o = 0, opts) => {
    if (!(b instanceof Uint8Array) || o >>> 0 !== o || b.length - o < size) {
      const e = inputError(schema, b, o);
      if (e !== null) throw e;
    }
    return schema.decodeReference(o === 0 && b.length === size ? b : b.subarray(o, o + size), opts);
  };
}

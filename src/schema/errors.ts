/**
 * Error types of cilium-map-codec. Every failure the package reports is one of these, so callers
 * can `instanceof CodecError` once and never see a bare `RangeError` from a DataView
 * (restructure issue #64 is what that looks like).
 */

/**
 * One class across copies of the package. The package ships an ESM and a CommonJS build, and an
 * application can load both (one dependency `import`s it, another `require`s it): each copy has
 * its own classes, so a plain `instanceof` fails for errors thrown by the other copy. Every error
 * prototype carries this registry-wide symbol, and `instanceof` falls back to comparing class
 * brands along the error's prototype chain: the explicit brand below, or the class name.
 */
const BRAND = Symbol.for('cilium-map-codec.error');
const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance];

function brandOf(ctor: unknown): string | undefined {
  if (typeof ctor !== 'function') return undefined;
  return Object.prototype.hasOwnProperty.call(ctor, BRAND) ? (ctor as unknown as Record<symbol, string>)[BRAND] : ctor.name;
}

/**
 * Base class of every error this package throws. Messages start with the package name.
 * `instanceof` works across the ESM and CommonJS builds (see above), for every subclass.
 */
export class CodecError extends Error {
  /** @internal brand compared across copies of the package */
  static readonly [BRAND]: string = 'CodecError';

  /** `err instanceof CodecError` (or any subclass), whichever copy of the package threw `err`. */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    if (ordinaryInstanceOf.call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    const want = brandOf(this);
    for (let p: unknown = Object.getPrototypeOf(value); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
      if (brandOf((p as { constructor?: unknown }).constructor) === want) return true;
    }
    return false;
  }

  override name = 'CodecError';
  constructor(message: string) {
    super(message.startsWith('cilium-map-codec:') ? message : `cilium-map-codec: ${message}`);
  }
}
Object.defineProperty(CodecError.prototype, BRAND, { value: true });

/** Where a decode or encode went wrong. */
export interface ErrorSite {
  /** Schema name, e.g. `ipcache_key (IK-C)`. */
  schema: string;
  /** Dotted field path inside the schema, e.g. `tunnel_endpoint`; empty for the whole struct. */
  path: string;
  /** Byte offset of the field inside the struct. */
  offset: number;
  /** Bytes the schema or field needs. */
  expected?: number;
  /** Bytes that were there. */
  actual?: number;
}

/** Bytes that do not fit a schema: wrong length, or a field value the schema cannot represent. */
export class DecodeError extends CodecError implements ErrorSite {
  /** @internal */
  static override readonly [BRAND]: string = 'DecodeError';
  override name = 'DecodeError';
  /** What is wrong, without the site (`prefixlen 200 is not 32 + 0..32 …`). */
  readonly detail: string;
  readonly schema: string;
  readonly path: string;
  readonly offset: number;
  readonly expected?: number;
  readonly actual?: number;
  constructor(site: ErrorSite, detail: string) {
    super(`${site.schema}${site.path ? `.${site.path}` : ''} @ offset ${site.offset}: ${detail}`);
    this.detail = detail;
    this.schema = site.schema;
    this.path = site.path;
    this.offset = site.offset;
    this.expected = site.expected;
    this.actual = site.actual;
  }
}

/** A value that cannot be written into a schema: out of range, malformed address, unknown field. */
export class EncodeError extends CodecError implements ErrorSite {
  /** @internal */
  static override readonly [BRAND]: string = 'EncodeError';
  override name = 'EncodeError';
  readonly schema: string;
  readonly path: string;
  readonly offset: number;
  readonly expected?: number;
  readonly actual?: number;
  constructor(site: ErrorSite, detail: string) {
    super(`${site.schema}${site.path ? `.${site.path}` : ''} @ offset ${site.offset}: ${detail}`);
    this.schema = site.schema;
    this.path = site.path;
    this.offset = site.offset;
    this.expected = site.expected;
    this.actual = site.actual;
  }
}

/** A schema whose declared C `sizeof` disagrees with its fields, found when it is defined. */
export class SchemaError extends CodecError {
  /** @internal */
  static override readonly [BRAND]: string = 'SchemaError';
  override name = 'SchemaError';
}

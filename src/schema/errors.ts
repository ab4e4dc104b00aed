/**
 * Error types of cilium-map-codec. Every failure the package reports is one of these, so callers
 * can `instanceof CodecError` once and never see a bare `RangeError` from a DataView
 * (restructure issue #64 is what that looks like).
 */

/** Base class of every error this package throws. Messages start with the package name. */
export class CodecError extends Error {
  override name = 'CodecError';
  constructor(message: string) {
    super(message.startsWith('cilium-map-codec:') ? message : `cilium-map-codec: ${message}`);
  }
}

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
  override name = 'SchemaError';
}

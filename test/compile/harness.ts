/**
 * Shared pieces of the differential tests: every schema of the catalogue in both byte orders,
 * and an "outcome" that captures everything observable about one decode or encode (the record,
 * or the error's class, message and site; plus every padding notice, in order).
 */
import type { DecodeOptions, PaddingNotice } from '../../src/schema/index';

export { catalogueSchemas } from '../helpers/schemas';

export type Outcome =
  | { ok: true; value: unknown; notices: PaddingNotice[] }
  | { ok: false; error: { cls: string; message: string; site: Record<string, unknown> }; notices: PaddingNotice[] };

/** Option variants every comparison runs through (`null` on purpose: the reference wraps its TypeError). */
export type OptsKind = 'none' | 'notices' | 'strict' | 'throws' | 'throws-string' | 'null';
export const OPTS_KINDS: readonly OptsKind[] = ['none', 'notices', 'strict', 'throws', 'throws-string', 'null'];

function optsFor(kind: OptsKind, notices: PaddingNotice[]): DecodeOptions | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'notices':
      return { onPadding: (n) => notices.push(n) };
    case 'strict':
      return { strictPadding: true, onPadding: (n) => notices.push(n) };
    case 'throws':
      return {
        onPadding: (n) => {
          notices.push(n);
          throw new RangeError(`user callback refused ${n.field}`);
        },
      };
    case 'throws-string':
      return {
        onPadding: () => {
          throw 'plain string';
        },
      };
    case 'null':
      return null as never;
  }
}

/** Runs one decode with the given options and captures its outcome. */
export function outcome(kind: OptsKind, run: (opts: DecodeOptions | undefined) => unknown): Outcome {
  const notices: PaddingNotice[] = [];
  try {
    return { ok: true, value: run(optsFor(kind, notices)), notices };
  } catch (e) {
    return { ok: false, error: errorShape(e), notices };
  }
}

/** Class name, message and site fields of an error (or a thrown non-error). */
export function errorShape(e: unknown): { cls: string; message: string; site: Record<string, unknown> } {
  if (!(e instanceof Error)) return { cls: typeof e, message: String(e), site: {} };
  const { schema, path, offset, expected, actual } = e as unknown as Record<string, unknown>;
  return { cls: e.constructor.name, message: e.message, site: { schema, path, offset, expected, actual } };
}

/** Captures an encode's outcome: the bytes, or the error shape. */
export function encodeOutcome(run: () => Uint8Array): { ok: true; bytes: number[] } | { ok: false; error: ReturnType<typeof errorShape> } {
  try {
    return { ok: true, bytes: Array.from(run()) };
  } catch (e) {
    return { ok: false, error: errorShape(e) };
  }
}

/** Deterministic xorshift32 for test data that does not go through fast-check. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

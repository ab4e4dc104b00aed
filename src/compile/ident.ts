/**
 * The allowlist for everything that may appear in generated source. binary-parser shipped a code-injection bug through field and encoding names
 * (fixed in `fd24894`); the fix is to let nothing user-controlled into `new Function` unless it
 * matches a strict pattern, and to fall back to an engine that runs no generated code otherwise.
 * Every check here is repeated by the emitter at the moment it writes the text (defence in depth).
 */

/** A record key or flag name the emitter may write verbatim as an object-literal key. */
export const SAFE_KEY = /^[a-z_][a-z0-9_]*$/i;

/**
 * Names that are valid identifiers but change what an object literal means: `__proto__` sets the
 * prototype instead of adding a key (the restructure reference assigns it through the setter), so
 * a record with such a field is left to the reference engine.
 */
const SPECIAL_KEYS = new Set(['__proto__']);

/** Whether `name` may be written into generated source as an object key. */
export function isSafeKey(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 64 && SAFE_KEY.test(name) && !SPECIAL_KEYS.has(name);
}

/** Whether `n` may be written into generated source as a numeric literal (a safe integer). */
export function isSafeInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** Writes `name` as a key, re-checking the allowlist; throws (never emits) on anything else. */
export function keyText(name: string): string {
  if (!isSafeKey(name)) throw new TypeError('cilium-map-codec: internal error: unsafe key reached the code generator');
  return name;
}

/** Writes `n` as a numeric literal, re-checking it; throws (never emits) on anything else. */
export function intText(n: number): string {
  if (!isSafeInt(n)) throw new TypeError('cilium-map-codec: internal error: non-integer reached the code generator');
  return String(n);
}

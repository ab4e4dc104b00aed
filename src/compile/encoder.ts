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
 * agreement) stay in `struct.ts`, shared by both paths.
 *
 * Two forms from one list of steps, like the decoder: generated source (named property loads and
 * literal offsets; the keyed `p[name]` loads of a loop were 28% of an encode in a CPU profile), and
 * the same steps as a loop where eval is refused or not wanted. Measured in bench/index.js suite 1
 * (encode lines); what remains is mostly `prepare` and IP text parsing, shared with the reference.
 */
import { EncodeError } from '../schema/errors';
import type { WriteContext } from '../schema/field';
import type { CompilableSchema, CompileOptions } from './compile-decoder';
import { canEval, noEvalRequested } from './eval-policy';
import { intText, isSafeKey, keyText } from './ident';
import { planLayout, type LayoutField, type PlanNode } from './plan';

/** Writes a prepared input into a zero-filled buffer of `sizeof` bytes. */
export type FieldWriter = (buf: Uint8Array, prepared: Record<string, unknown>) => void;

/** The writer (and its source when generated), or why the schema keeps restructure's encoder. */
export type EncoderResult =
  | { ok: true; mode: 'eval' | 'closure'; write: FieldWriter; source: string | undefined }
  | { ok: false; reason: string };

/**
 * The field type's own write, with the reference's context. `view` is made once per encode, and
 * only for types whose write uses it: a DataView needs the Uint8Array's ArrayBuffer, and asking
 * a small on-heap array for it costs ~1 µs (V8 moves it off the heap): half of a friendly ipcache
 * key encode went there although address writes never touch the view.
 */
type SlowWrite = (buf: Uint8Array, view: DataView | undefined, p: Record<string, unknown>, v: unknown) => void;

interface Step {
  readonly name: string;
  readonly offset: number;
  /** Byte width of the in-range-number fast path; 0 for none. */
  readonly fast: 0 | 1 | 2 | 4;
  readonly le: boolean;
  /** Whether the type's write uses the DataView (the address and MAC writes take bytes only). */
  readonly view: boolean;
  readonly slow: SlowWrite;
}

function fastWidth(n: PlanNode): { fast: 0 | 1 | 2 | 4; le: boolean } {
  if (n.op === 'uint' || n.op === 'flags') return { fast: n.bytes, le: n.le };
  return { fast: 0, le: true };
}

/** Whether a planned type's write reads its DataView argument (ipv4, ipv6, mac, addrUnion write bytes). */
function usesView(n: PlanNode): boolean {
  return n.op !== 'ipv4' && n.op !== 'ipv6' && n.op !== 'mac' && n.op !== 'addr';
}

/** Byte stores of `v` (already known in range) at `at`, for generated source. */
function storesSource(at: number, bytes: 1 | 2 | 4, le: boolean): string {
  const out: string[] = [];
  for (let i = 0; i < bytes; i++) {
    const shift = 8 * (le ? i : bytes - 1 - i);
    out.push(`buf[${intText(at + i)}] = ${shift === 0 ? 'v' : `v >>> ${shift}`};`);
  }
  return out.join(' ');
}

/**
 * The in-range test of the fast path: exactly the numbers `checkUint` accepts for the width
 * (integers 0 .. 2^bits - 1; `-0` included, written as 0).
 */
function rangeTest(bytes: 1 | 2 | 4): string {
  return bytes === 1 ? '(v & 0xff) === v' : bytes === 2 ? '(v & 0xffff) === v' : '(v >>> 0) === v';
}

/** Generated writer source: `(rt) => write(buf, p)`. Keys and numbers only, re-checked on emission. */
function writerSource(steps: readonly Step[]): string {
  const lines = ['"use strict";', 'const S = rt.S;', 'return function write(buf, p) {', '  let view, v;'];
  steps.forEach((s, i) => {
    lines.push(`  v = p.${keyText(s.name)};`);
    const slow = `S[${intText(i)}](buf, ${s.view ? 'view || (view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength))' : 'undefined'}, p, v);`;
    if (s.fast === 0) lines.push(`  ${slow}`);
    // Unset integers stay zero, as `value === undefined ? 0 : …` writes in the field types.
    else lines.push(`  if (typeof v === "number" && ${rangeTest(s.fast)}) { ${storesSource(s.offset, s.fast, s.le)} } else if (v !== undefined) ${slow}`);
  });
  lines.push('};');
  return lines.join('\n');
}

/** The same steps as a loop (no-eval hosts). */
function loopWriter(steps: readonly Step[]): FieldWriter {
  return (buf, p) => {
    let view: DataView | undefined;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      const v = p[s.name];
      if (s.fast !== 0 && typeof v === 'number') {
        const at = s.offset;
        if (s.fast === 1) {
          if ((v & 0xff) === v) {
            buf[at] = v;
            continue;
          }
        } else if (s.fast === 2) {
          if ((v & 0xffff) === v) {
            buf[at + (s.le ? 0 : 1)] = v;
            buf[at + (s.le ? 1 : 0)] = v >>> 8;
            continue;
          }
        } else if (v >>> 0 === v) {
          for (let k = 0; k < 4; k++) buf[at + (s.le ? k : 3 - k)] = v >>> (8 * k);
          continue;
        }
      }
      if (v === undefined && s.fast !== 0) continue;
      s.slow(buf, s.view ? (view ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength)) : undefined, p, v);
    }
  };
}

/** Builds the field writer of a schema (from the same plan as its decoder). */
export function compileFieldWriter(schema: Pick<CompilableSchema, 'label' | 'sizeof' | 'endian' | 'layout'>, opts: CompileOptions = {}): EncoderResult {
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
    const site = { name: field.name, offset: field.offset, refOffset: field.refOffset };
    // The reference's per-field `ctx.fail`.
    const fail = (detail: string) => new EncodeError({ schema: label, path: field.name, offset: field.offset, expected: field.type.size }, detail);
    const type = field.type;
    const at = field.offset;
    steps.push({
      name: field.name,
      offset: at,
      fast,
      le: fle,
      view: usesView(pf.node),
      slow: (buf, view, p, v) => {
        const ctx: WriteContext = { le, start: 0, input: p, fail };
        // The plan matched the built-in types by source: those without a view ignore it.
        type.write(buf, view as DataView, at, v, ctx, site);
      },
    });
  });
  if (!opts.noEval && !noEvalRequested() && canEval()) {
    const source = writerSource(steps);
    try {
      const write = (new Function('rt', source) as (rt: { S: SlowWrite[] }) => FieldWriter)({ S: steps.map((s) => s.slow) });
      return { ok: true, mode: 'eval', write, source };
    } catch {
      // CSP refused it after all: the loop below.
    }
  }
  return { ok: true, mode: 'closure', write: loopWriter(steps), source: undefined };
}

/** Copies an input's own `names` (undefined where it has none) onto a fresh object, always of one shape. */
export type Picker = (input: Record<string, unknown>) => Record<string, unknown>;

/**
 * The picker of a field list: `{ a: hasOwn(p, "a") ? p.a : undefined, … }` as one object literal
 * (6 ns for an ipcache key), or the same as a loop where eval is refused or a name is not
 * allowlisted. Own properties only, so a polluted `Object.prototype.ip` is never encoded. It
 * replaced a spread and keyed stores of the missing names, which took ~1 µs per encode (V8 sends
 * keyed stores that add properties through the runtime).
 */
export function compilePick(names: readonly string[]): Picker {
  const hasOwn = Object.hasOwn;
  if (names.every(isSafeKey) && !noEvalRequested() && canEval()) {
    const props = names.map((n) => `${keyText(n)}: H(p, "${keyText(n)}") ? p.${keyText(n)} : undefined`);
    try {
      return (new Function('H', `"use strict";\nreturn function pick(p) {\n  return { ${props.join(', ')} };\n};`) as (h: typeof hasOwn) => Picker)(hasOwn);
    } catch {
      // CSP refused it after all: the loop below.
    }
  }
  return (p) => {
    const o: Record<string, unknown> = {};
    for (const n of names) o[n] = hasOwn(p, n) ? p[n] : undefined;
    return o;
  };
}

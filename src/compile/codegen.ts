/**
 * Plan → JavaScript source of one specialised decoder per schema, instantiated with
 * `new Function`. What makes it fast (bench/index.js, suite 1):
 *
 * - every offset is a literal, read as `b[o + N]` byte arithmetic for the schema's byte order: no
 *   DataView per call, no per-field dispatch, no restructure stream or hidden `defineProperties`;
 * - the record is one object literal with the reference's key order, so V8 gives every record
 *   of a schema the same hidden class;
 * - IPv4, MAC and IPv6 text are calls to the package's one formatter of each (src/schema/ip-text.ts:
 *   `formatIPv4`, `formatMac`, `formatIPv6`), which read memoised two-byte text tables (there:
 *   measurements); test/compile/text.test.ts proves the decoders' text equal to an independent
 *   spelling by exhaustion;
 * - padding checks are one OR of the bytes; notices, errors and hooks are calls into `runtime.ts`;
 * - a `deriveText` declaration (text-form.ts) is built inline as string concatenation over the
 *   record's locals, in the record literal: ipcache keys' `cidr`, CT keys' `client`/`server`
 *   (1.9×–2.9× faster than calling the hook; the closure twin calls it).
 *
 * Fields are evaluated in layout order into locals before the literal is built, so padding
 * callbacks fire in the reference's order, and an address union reads its discriminant when the
 * reference does. Nothing user-controlled is written: keys and numbers pass `ident.ts` again as
 * they are emitted, and strings (labels, padding paths, derived text's literals and name tables)
 * stay in the runtime's tables.
 */
import { intText, isSafeInt, isSafeKey, keyText } from './ident';
import type { Plan, PlanNode } from './plan';
import { isMask, nameTable, partKind, type TextPart } from '../schema/text-form';
import type { PadSite } from './runtime';

/** Generated source and the padding sites its `P(…, i)` calls index. */
export interface Generated {
  readonly source: string;
  readonly sites: readonly PadSite[];
  /** The runtime tables of inlined derived text: `names` maps (`NM`) and literal text (`TX`). */
  readonly tables: TextTables;
}

/** Tables the inlined derived text reads: the generated source holds no text of its own. */
export interface TextTables {
  readonly NM: Map<number, string>[];
  /** `TX[0]` is `''`, the start that makes each concatenation a string. */
  readonly TX: string[];
}

/** `b[o + at]`, as generated source. */
export function byteSource(at: number): string {
  return at === 0 ? 'b[o]' : `b[o + ${intText(at)}]`;
}

/**
 * The source of an unsigned integer of `bytes` bytes at `o + at` in the given byte order: the one
 * spelling of byte arithmetic that the generated decoder and JSON writer (json-writer.ts) share.
 */
export function uintSource(at: number, bytes: 1 | 2 | 4, le: boolean): string {
  if (bytes === 1) return byteSource(at);
  const idx = Array.from({ length: bytes }, (_, i) => byteSource(at + i));
  const shifted = (le ? idx : idx.reverse()).map((x, i) => (i === 0 ? x : `${x} << ${8 * i}`));
  // `| (x << 24)` is signed; `>>> 0` gives the unsigned number DataView.getUint32 returns.
  return bytes === 2 ? `(${shifted.join(' | ')})` : `((${shifted.join(' | ')}) >>> 0)`;
}

/**
 * Whether an address union's IPv4 arm applies, as source over its discriminant byte `d`: the
 * one reading of the discriminant for the generated decoder and JSON writer.
 */
export function isV4Source(n: Extract<PlanNode, { op: 'addr' }>, d: string): string {
  if (n.v4.by === 'flag') return `((${d} >> ${intText(n.v4.bit)}) & 1) === 0`;
  // Equal values: the reference tests the IPv6 value first, so it is never IPv4.
  return n.v4.v4 === n.v4.v6 ? 'false' : `${d} === ${intText(n.v4.v4)}`;
}

/** Padding runs up to this length are unrolled into one OR expression. */
const UNROLL = 16;

class Emitter {
  readonly lines: string[] = [];
  readonly sites: PadSite[] = [];
  /** The local holding the raw number of the last flags node emitted. */
  raw = '';
  private tmp = 0;

  local(): string {
    return `t${this.tmp++}`;
  }

  /** `b[o + at]`. */
  byte(at: number): string {
    return byteSource(at);
  }

  uint(at: number, bytes: 1 | 2 | 4, le: boolean): string {
    return uintSource(at, bytes, le);
  }

  /** Reports padding site (field, offset, size) when any byte of `[at, at+size)` is non-zero. */
  padCheck(at: number, size: number, field: string, indent: string): void {
    if (size === 0) return;
    const i = this.sites.push({ field, offset: at, size }) - 1;
    const test =
      size <= UNROLL
        ? `(${Array.from({ length: size }, (_, k) => this.byte(at + k)).join(' | ')}) !== 0`
        : `Z(b, o + ${intText(at)}, ${intText(size)})`;
    this.lines.push(`${indent}if (${test}) P(b, o, opts, ${intText(i)});`);
  }

  /** `o + at`. */
  at(at: number): string {
    return at === 0 ? 'o' : `o + ${intText(at)}`;
  }

  ipv4(at: number): string {
    return `F4(b, ${this.at(at)})`;
  }

  mac(at: number): string {
    return `FM(b, ${this.at(at)})`;
  }

  /**
   * Emits the statements a node needs and returns the expression of its value (undefined for
   * padding). `name` is the reference's site path for padding notices (`pad[2]`, `mac[6..7]`).
   */
  node(n: PlanNode, at: number, name: string): string | undefined {
    switch (n.op) {
      case 'uint':
        return this.uint(at, n.bytes, n.le);
      case 'u64': {
        const lo = this.uint(n.le ? at : at + 4, 4, n.le);
        const hi = this.uint(n.le ? at + 4 : at, 4, n.le);
        return `U64(${lo}, ${hi})`;
      }
      case 'ipv4':
        return this.ipv4(at);
      case 'ipv6':
        return `F6(b, o + ${intText(at)})`;
      case 'mac': {
        // The reference checks the two high bytes before formatting.
        this.padCheck(at + 6, 2, `${name}[6..7]`, '  ');
        const t = this.local();
        this.lines.push(`  const ${t} = ${this.mac(at)};`);
        return t;
      }
      case 'pad':
        this.padCheck(at, n.size, name, '  ');
        return undefined;
      case 'flags': {
        const t = this.local();
        this.lines.push(`  const ${t} = ${this.uint(at, n.bytes, n.le)};`);
        this.raw = t;
        const parts = [`raw: ${t}`];
        n.names.forEach((k, i) => parts.push(`${keyText(k)}: (${t} & ${intText(n.masks[i]!)}) !== 0`));
        // When every bit of the width has a name (lb_service flags), unknown is always 0.
        const width = n.bytes === 4 ? 0xffffffff : 2 ** (8 * n.bytes) - 1;
        parts.push((width & n.notKnown) === 0 ? 'unknown: 0' : `unknown: (${t} & ${intText(n.notKnown)}) >>> 0`);
        return `{ ${parts.join(', ')} }`;
      }
      case 'array': {
        const items: (string | undefined)[] = [];
        for (let i = 0; i < n.count; i++) items.push(this.node(n.elem, at + i * n.elemSize, `${name}[${i}]`));
        if (items.some((x) => x === undefined)) return undefined;
        return `[${items.join(', ')}]`;
      }
      case 'addr': {
        const d = this.local();
        const v = this.local();
        this.lines.push(`  const ${d} = ${this.byte(n.ref)};`);
        this.lines.push(`  let ${v};`);
        this.lines.push(`  if (${isV4Source(n, d)}) {`);
        this.padCheck(at + 4, 12, `${name}[4..15]`, '    ');
        this.lines.push(`    ${v} = ${this.ipv4(at)};`);
        this.lines.push(`  } else ${v} = F6(b, o + ${intText(at)});`);
        return v;
      }
    }
  }
}

/** Hooks the decoder must call (their presence only; the functions stay in the runtime). */
export interface Hooks {
  readonly check: boolean;
  readonly derive: boolean;
  /**
   * The keys `derive` is expected to return, in order (`schema.derivedKeys()`), all allowlisted;
   * undefined when unknown or not writable, and then every merge is `Object.assign`.
   */
  readonly derivedKeys?: readonly string[];
  /**
   * A `deriveText` declaration: its fields are then built inline from the record's locals (no
   * hook call), when every part can be (else the hook runs as usual).
   */
  readonly textForm?: Readonly<Record<string, readonly TextPart[]>>;
  /** The check declares the fields it reads (`checkReading`), so it may see the derived ones too. */
  readonly checkReads?: boolean;
}

/** What the inlined derived text can read of a data field. */
interface Local {
  readonly v: string;
  readonly kind: 'num' | 'text' | 'flags' | 'other';
  /** flags: the local of the raw number. */
  readonly raw?: string;
}

class NotInlined extends Error {}

/** The index of a literal in `TX` (added once). */
function textIndex(tables: TextTables, text: string): number {
  const i = tables.TX.indexOf(text);
  return i >= 0 ? i : tables.TX.push(text) - 1;
}

/**
 * The source of one derived text (text-form.ts's interpreter, as an expression over the locals):
 * `String(x)` is spelled `"" + x`, the same for numbers and strings.
 */
function textSource(parts: readonly TextPart[], locals: ReadonlyMap<string, Local>, tables: TextTables): string {
  const out = ['TX[0]'];
  for (const p of parts) {
    const k = partKind(p);
    if (k.kind === 'text') {
      if (k.text.length) out.push(`TX[${intText(textIndex(tables, k.text))}]`);
      continue;
    }
    const l = isSafeKey(k.part.field) ? locals.get(k.part.field) : undefined;
    if (!l) throw new NotInlined();
    if (k.kind === 'names') {
      const table = nameTable(k.part);
      if (l.kind !== 'num' || !table) throw new NotInlined();
      tables.NM.push(table);
      out.push(`(NM[${intText(tables.NM.length - 1)}].get(${l.v}) ?? (TX[0] + ${l.v}))`);
    } else if (k.kind === 'cases') {
      const raw = l.kind === 'num' ? l.v : l.kind === 'flags' ? l.raw! : undefined;
      if (raw === undefined) throw new NotInlined();
      let e = `(${textSource(k.part.otherwise, locals, tables)})`;
      for (let i = k.part.cases.length - 1; i >= 0; i--) {
        const c = k.part.cases[i]!;
        if (!isMask(c.mask)) throw new NotInlined();
        e = `((${raw} & ${intText(c.mask)}) !== 0 ? (${textSource(c.parts, locals, tables)}) : ${e})`;
      }
      out.push(e);
    } else {
      const add = k.add;
      if (!isSafeInt(add)) throw new NotInlined();
      if (l.kind === 'num') out.push(add === 0 ? l.v : `(${l.v} + (${intText(add)}))`);
      else if (l.kind === 'text' && add === 0) out.push(l.v);
      else throw new NotInlined();
    }
  }
  return out.join(' + ');
}

/** Each derived field's source, or undefined when some part cannot be inlined. */
function textFormSource(form: Readonly<Record<string, readonly TextPart[]>>, expected: readonly string[] | undefined, locals: ReadonlyMap<string, Local>, tables: TextTables): [string, string][] | undefined {
  const keys = Object.keys(form);
  // The declaration must be what derive returns, key for key, and may not shadow a data field.
  if (!expected || keys.length !== expected.length || keys.some((k, i) => k !== expected[i] || !isSafeKey(k) || locals.has(k))) return undefined;
  try {
    return keys.map((k) => [k, textSource(form[k]!, locals, tables)]);
  } catch (e) {
    if (e instanceof NotInlined) return undefined;
    throw e;
  }
}

/**
 * The merge of `runtime.ts` `mergeDerived`, inlined with the expected keys as literals so the
 * stores are plain named-property stores.
 */
function mergeSource(keys: readonly string[] | undefined): string[] {
  if (!keys || keys.length === 0) return ['  ASSIGN(r, x);'];
  const test = keys.map((k, i) => `k[${i}] === "${keyText(k)}"`).join(' && ');
  const stores = keys.map((k) => `r.${keyText(k)} = x.${keyText(k)};`).join(' ');
  return [
    '  let k;',
    `  if (typeof x === "object" && x !== null && (k = KEYS(x)).length === ${keys.length} && ${test}) { ${stores} }`,
    '  else ASSIGN(r, x);',
  ];
}

/**
 * The source of a factory `(rt) => decode(b, o, opts)`. Exposed as `compiled.source` for
 * debugging; it contains only allowlisted keys, integers and fixed text.
 */
export function generateDecoder(plan: Plan, hooks: Hooks): Generated {
  const em = new Emitter();
  const keys: string[] = [];
  const locals = new Map<string, Local>();
  for (const f of plan.fields) {
    const expr = em.node(f.node, f.offset, f.name);
    if (!f.data || expr === undefined) continue;
    // Every value goes through a local, so the literal below is built only after all padding
    // checks have run, in layout order (the reference's notice order).
    let t = expr;
    if (!/^t[0-9]+$/.test(expr)) {
      t = em.local();
      em.lines.push(`  const ${t} = ${expr};`);
    }
    keys.push(`${keyText(f.name)}: ${t}`);
    const op = f.node.op;
    locals.set(f.name, op === 'uint' ? { v: t, kind: 'num' } : op === 'flags' ? { v: t, kind: 'flags', raw: em.raw } : op === 'ipv4' || op === 'ipv6' || op === 'addr' || op === 'mac' ? { v: t, kind: 'text' } : { v: t, kind: 'other' });
  }
  // A deriveText declaration is built inline: pure string work, so computing it before the check
  // is unobservable. In the literal when the check reads only its declared fields, else stored after it.
  const tables: TextTables = { NM: [], TX: [''] };
  const inlined = hooks.derive && hooks.textForm ? textFormSource(hooks.textForm, hooks.derivedKeys, locals, tables) : undefined;
  const derivedLines: string[] = [];
  if (inlined) {
    for (const [k, src] of inlined) {
      if (!hooks.check || hooks.checkReads) keys.push(`${keyText(k)}: ${src}`);
      else derivedLines.push(`  r.${keyText(k)} = ${src};`);
    }
  }
  const size = intText(plan.sizeof);
  const body = [
    '"use strict";',
    'const F4 = rt.F4, FM = rt.FM, F6 = rt.F6, U64 = rt.U64, Z = rt.Z, P = rt.P, BAD = rt.BAD, CHK = rt.CHK, DX = rt.DX, KEYS = rt.KEYS, ASSIGN = rt.ASSIGN, NM = rt.NM, TX = rt.TX;',
    'return function decode(b, o, opts) {',
    '  if (o === undefined) o = 0;',
    // One test for the common case; the runtime sorts out which error (if any) applies.
    `  if (!(b instanceof Uint8Array) || (o >>> 0) !== o || b.length - o < ${size}) {`,
    '    const e = BAD(b, o);',
    '    if (e !== null) throw e;',
    '  }',
    ...em.lines,
    `  const r = { ${keys.join(', ')} };`,
    ...(hooks.check ? ['  CHK(r);'] : []),
    ...(inlined ? derivedLines : hooks.derive ? ['  const x = DX(r, b, o, opts);', ...mergeSource(hooks.derivedKeys)] : []),
    '  return r;',
    '};',
  ];
  return { source: body.join('\n'), sites: em.sites, tables };
}

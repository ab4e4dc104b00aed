/**
 * `compileJsonWriter`: a schema's record written as JSON text straight from its bytes, without
 * building the record — the transcoder behind `-o ndjson`/`json` (transcode/batch.ts). Generated
 * from the same compile plan as the decoder (plan.ts), with the same byte arithmetic
 * (`uintSource`), the same allowlist for everything written into the source (ident.ts) and the
 * same address and number text (ip-text.ts, ByteSink): its bytes are `JSON.stringify` of the
 * record `decode` returns (bigint as decimal strings), which test/compile/json-writer.test.ts and
 * the differential property test check over every layout on random and mutated bytes.
 *
 * It writes only what it can write exactly, and says so:
 * - `write` returns false for an entry the decoder would have something to say about (non-zero
 *   padding, a failed `check`): the caller rewinds the sink and decodes that entry the usual way,
 *   so notices and errors keep one source;
 * - a schema gets no writer (null) when its hooks are functions the writer cannot see into:
 *   a `derive` must be declared with `deriveText` or `deriveOverlay` and a `check` with
 *   `checkReading` (schema/text-form.ts), reading only integer fields (a probe on a zeroed record
 *   must find it reading no undeclared field); also without `new Function` (CSP,
 *   `CILIUM_MAP_CODEC_NO_EVAL`), where there is no closure twin. Callers then decode and use the
 *   record writer (format/json-text.ts).
 */
import { putAscii, putInt, putIPv4, type ByteSink } from '../schema/byte-sink';
import { overlayOf } from '../schema/overlay';
import { declaredReads, isMask, nameTable, partKind, textFormOf, type TextPart } from '../schema/text-form';
import { formatIPv6, formatMac } from '../schema/ip-text';
import type { CompilableSchema } from './compile-decoder';
import { byteSource, isV4Source, uintSource } from './codegen';
import { canEval, noEvalRequested } from './eval-policy';
import { intText, isSafeInt, isSafeKey, keyText } from './ident';
import { isPadding, planLayout, type LayoutField, type PlanNode } from './plan';
import { anyNonZero, u64 } from './runtime';

/** A schema's JSON writer. */
export interface JsonWriter {
  /**
   * Appends the JSON text of the record at `b[o .. o + sizeof)` to `s`; false (with some bytes
   * written, to be rewound) when the entry must be decoded instead (see the module comment).
   * The caller checks that `sizeof` bytes are there.
   */
  write(b: Uint8Array, o: number, s: ByteSink): boolean;
  /** The generated source, for debugging. */
  readonly source: string;
}

const cache = new WeakMap<object, JsonWriter | null>();

/** The JSON writer of a schema, or null when it has none (see the module comment). Cached per schema. */
export function compileJsonWriter(schema: CompilableSchema): JsonWriter | null {
  let w = cache.get(schema);
  if (w === undefined) {
    w = build(schema);
    cache.set(schema, w);
  }
  return w;
}

class Unsupported extends Error {}
function fail(why: string): never {
  throw new Unsupported(why);
}

/** A value of the record: where its text or number can be found in the generated code. */
interface Written {
  /** Local holding the number (integer fields; a flags field's raw value). */
  num?: string;
  /** A flags field: in the record an object, so only `cases` parts may read its number. */
  flags?: true;
  /** Locals holding the start and end of its text in the sink (address and MAC fields). */
  text?: [string, string];
}

/** Most bytes each value's text can take (`"` included): u32 digits, u64, IPv4, IPv6, MAC. */
const MAX = { uint: 10, u64: 22, ipv4: 17, ipv6: 47, mac: 19, bool: 5, int: 17 } as const;

class Emitter {
  readonly lines: string[] = [];
  /** Upper bound of the text written, reserved once per record. */
  max = 0;
  private tmp = 0;

  local(): string {
    return `t${this.tmp++}`;
  }

  /** Fixed text, as one store per byte (the generated code's literals are short). */
  lit(text: string): void {
    const codes = [...new TextEncoder().encode(text)];
    this.max += codes.length;
    const stores = codes.map((c, i) => `d[${i === 0 ? 'p' : `p + ${intText(i)}`}] = ${intText(c)};`);
    this.lines.push(`  ${stores.join(' ')} p += ${intText(codes.length)};`);
  }

  byte(c: number): void {
    this.max += 1;
    this.lines.push(`  d[p++] = ${intText(c)};`);
  }

  /** `true` or `false` by a condition. */
  bool(cond: string): void {
    this.max += MAX.bool;
    this.lines.push(`  if (${cond}) { d[p] = 116; d[p + 1] = 114; d[p + 2] = 117; d[p + 3] = 101; p += 4; } else { d[p] = 102; d[p + 1] = 97; d[p + 2] = 108; d[p + 3] = 115; d[p + 4] = 101; p += 5; }`);
  }

  /** Returns false from the writer when any byte of `[at, at + size)` is non-zero. */
  padCheck(at: number, size: number): void {
    if (size === 0) return;
    const test = size <= 16 ? `(${Array.from({ length: size }, (_, k) => byteSource(at + k)).join(' | ')}) !== 0` : `Z(b, o + ${intText(at)}, ${intText(size)})`;
    this.lines.push(`  if (${test}) return false;`);
  }

  /** A padding field: its bytes checked, nothing written. */
  padding(n: PlanNode, at: number): void {
    if (n.op === 'pad') this.padCheck(at, n.size);
    else if (n.op === 'array') for (let i = 0; i < n.count; i++) this.padding(n.elem, at + i * n.elemSize);
  }

  /** Emits the writing of one node's value (no key); returns where its value is, for hooks. */
  node(n: PlanNode, at: number): Written {
    switch (n.op) {
      case 'uint': {
        const t = this.local();
        this.max += MAX.uint;
        this.lines.push(`  const ${t} = ${uintSource(at, n.bytes, n.le)};`, `  p = PI(d, p, ${t});`);
        return { num: t };
      }
      case 'u64': {
        const lo = uintSource(n.le ? at : at + 4, 4, n.le);
        const hi = uintSource(n.le ? at + 4 : at, 4, n.le);
        // bigint in JSON: its decimal digits as a string (the replacer every writer uses). Below
        // 2^53 the digits come from the number itself, without a BigInt and its string.
        this.max += MAX.u64;
        const h = this.local();
        this.lines.push(`  const ${h} = ${hi};`);
        this.lines.push(`  d[p++] = 34; p = ${h} < 0x200000 ? PI(d, p, ${h} * 4294967296 + ${lo}) : PA(d, p, String(U64(${lo}, ${h}))); d[p++] = 34;`);
        return {};
      }
      case 'ipv4':
        this.max += MAX.ipv4;
        return this.text(`p = P4(d, p, b, o + ${intText(at)});`);
      case 'ipv6':
        this.max += MAX.ipv6;
        return this.text(`p = PA(d, p, F6(b, o + ${intText(at)}));`);
      case 'mac':
        // The decoder checks the two high bytes first (padding), as the reference does.
        this.padCheck(at + 6, 2);
        this.max += MAX.mac;
        return this.text(`p = PA(d, p, FM(b, o + ${intText(at)}));`);
      case 'pad':
        this.padCheck(at, n.size);
        return {};
      case 'flags': {
        const t = this.local();
        this.lines.push(`  const ${t} = ${uintSource(at, n.bytes, n.le)};`);
        this.lit('{"raw":');
        this.max += MAX.uint;
        this.lines.push(`  p = PI(d, p, ${t});`);
        n.names.forEach((k, i) => {
          this.lit(`,"${keyText(k)}":`);
          this.bool(`(${t} & ${intText(n.masks[i]!)}) !== 0`);
        });
        this.lit(',"unknown":');
        const width = n.bytes === 4 ? 0xffffffff : 2 ** (8 * n.bytes) - 1;
        if ((width & n.notKnown) === 0) this.byte(48);
        else {
          this.max += MAX.uint;
          this.lines.push(`  p = PI(d, p, (${t} & ${intText(n.notKnown)}) >>> 0);`);
        }
        this.byte(125);
        return { num: t, flags: true };
      }
      case 'array': {
        this.byte(91);
        for (let i = 0; i < n.count; i++) {
          if (i) this.byte(44);
          this.node(n.elem, at + i * n.elemSize);
        }
        this.byte(93);
        return {};
      }
      case 'addr': {
        const d = this.local();
        const p0 = this.local();
        const p1 = this.local();
        this.max += MAX.ipv6;
        this.lines.push(`  const ${d} = ${byteSource(n.ref)};`, `  d[p++] = 34; const ${p0} = p;`, `  if (${isV4Source(n, d)}) {`);
        this.padCheck(at + 4, 12);
        this.lines.push(`    p = P4(d, p, b, o + ${intText(at)});`, `  } else p = PA(d, p, F6(b, o + ${intText(at)}));`, `  const ${p1} = p; d[p++] = 34;`);
        return { text: [p0, p1] };
      }
    }
  }

  /** A text value written by `stmt` between quotes, its span kept for derived fields. */
  private text(stmt: string): Written {
    const p0 = this.local();
    const p1 = this.local();
    this.lines.push(`  d[p++] = 34; const ${p0} = p; ${stmt} const ${p1} = p; d[p++] = 34;`);
    return { text: [p0, p1] };
  }
}

/** Literal text inside a derived field: printable ASCII that JSON writes as is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function build(schema: CompilableSchema): JsonWriter | null {
  if (noEvalRequested() || !canEval()) return null;
  try {
    const { check, derive } = schema.definition as { check?: unknown; derive?: unknown };
    // Overlapping readings (deriveOverlay) are plan fields, written like any other.
    const overlay = overlayOf(derive);
    const planned = planLayout(schema.layout as readonly LayoutField[], schema.sizeof, schema.endian, overlay);
    if (!planned.ok) fail(planned.reason);
    const plan = planned.plan;
    const form = derive === undefined || overlay ? undefined : textFormOf(derive);
    if (derive !== undefined && !overlay && !form) fail('derive is a function without a declared text form');
    const reads = check === undefined ? undefined : declaredReads(check, plan.fields.filter((f) => f.data && !f.overlay).map((f) => f.name));
    if (check !== undefined && !reads) fail('check is a function without declared reads (or reads undeclared fields)');
    const dataNames = new Set(plan.fields.filter((f) => f.data).map((f) => f.name));
    const intField = (name: unknown): boolean => {
      const f = plan.fields.find((x) => x.name === name && x.data);
      return f !== undefined && f.node.op === 'uint';
    };

    const em = new Emitter();
    const written = new Map<string, Written>();
    let first = true;
    for (const f of plan.fields) {
      if (!f.data) {
        if (!isPadding(f.node)) fail(`field ${f.name}: data inside padding`);
        em.padding(f.node, f.offset);
        continue;
      }
      em.lit(`${first ? '{' : ','}"${keyText(f.name)}":`);
      first = false;
      written.set(f.name, em.node(f.node, f.offset));
    }
    if (reads) {
      const parts = (reads as unknown[]).map((r) => {
        if (!isSafeKey(r) || !intField(r)) fail(`check reads ${String(r)}, which is not an integer field`);
        return `${keyText(r)}: ${written.get(r)!.num!}`;
      });
      em.lines.push(`  if (CHK({ ${parts.join(', ')} })) return false;`);
    }
    /** Lookup tables of `names` parts, handed to the generated code as `NM[i]`. */
    const tables: Map<number, string>[] = [];
    const emitParts = (list: readonly TextPart[]): void => {
      for (const p of list) {
        const k = partKind(p);
        if (k.kind === 'text') {
          if (!PLAIN.test(k.text)) fail('derived literal text needs escaping');
          if (k.text.length) em.lit(k.text);
          continue;
        }
        const w = isSafeKey(k.part.field) ? written.get(k.part.field) : undefined;
        if (!w) fail(`derived part ${JSON.stringify(p)} does not name a field written before it`);
        if (k.kind === 'names') {
          const table = nameTable(k.part);
          if (!w.num || w.flags || !table) fail(`derived part ${k.part.field}: names need an integer field and a table of decimal keys`);
          let longest: number = MAX.int;
          for (const name of table.values()) {
            if (!PLAIN.test(name)) fail(`derived part ${k.part.field}: name ${JSON.stringify(name)} needs escaping`);
            longest = Math.max(longest, name.length);
          }
          tables.push(table);
          em.max += longest;
          em.lines.push(`  { const s = NM[${intText(tables.length - 1)}].get(${w.num}); p = s !== undefined ? PA(d, p, s) : PI(d, p, ${w.num}); }`);
        } else if (k.kind === 'cases') {
          if (!w.num) fail(`derived part ${k.part.field}: cases need an integer or flags field`);
          const before = em.max;
          let most = 0;
          k.part.cases.forEach((c, i) => {
            if (!isMask(c.mask)) fail(`derived part ${k.part.field}: mask ${String(c.mask)} is not a u32`);
            em.lines.push(`  ${i ? '} else ' : ''}if ((${w.num} & ${intText(c.mask)}) !== 0) {`);
            em.max = 0;
            emitParts(c.parts);
            most = Math.max(most, em.max);
          });
          em.lines.push(k.part.cases.length ? '  } else {' : '  {');
          em.max = 0;
          emitParts(k.part.otherwise);
          most = Math.max(most, em.max);
          em.lines.push('  }');
          em.max = before + most;
        } else {
          const add = k.add;
          if (!isSafeInt(add)) fail(`derived part ${JSON.stringify(p)}: add is not an integer`);
          if (w.num && !w.flags) {
            em.max += MAX.int;
            em.lines.push(`  p = PI(d, p, ${w.num} + ${add < 0 ? `(${intText(add)})` : intText(add)});`);
          } else if (w.text && add === 0) {
            em.max += MAX.ipv6;
            em.lines.push(`  for (let q = ${w.text[0]}; q < ${w.text[1]}; q++) d[p++] = d[q];`);
          } else fail(`derived part ${k.part.field} is neither an integer nor an address`);
        }
      }
    };
    if (form) {
      const keys = Object.keys(form);
      const expected = schema.derivedKeys?.() ?? [];
      if (keys.length !== expected.length || keys.some((k, i) => k !== expected[i])) fail('the declared derived fields are not the ones derive returns');
      for (const k of keys) {
        if (!isSafeKey(k) || dataNames.has(k)) fail(`derived field ${k} is not allowed`);
        em.lit(`${first ? '{' : ','}"${keyText(k)}":"`);
        first = false;
        emitParts(form[k]!);
        em.byte(34);
      }
    }
    if (first) em.byte(123);
    em.byte(125);
    const source = [
      '"use strict";',
      'const F6 = rt.F6, FM = rt.FM, U64 = rt.U64, Z = rt.Z, CHK = rt.CHK, PI = rt.PI, P4 = rt.P4, PA = rt.PA, NM = rt.NM;',
      'return function write(b, o, s) {',
      // Room for the longest text this record can have, once; then stores without checks.
      `  s.reserve(${intText(em.max)});`,
      '  const d = s.buf;',
      '  let p = s.pos;',
      ...em.lines,
      '  s.pos = p;',
      '  return true;',
      '};',
    ].join('\n');
    const checkFn = check as unknown as ((r: object) => string | undefined) | undefined;
    const rt = {
      F6: formatIPv6,
      FM: formatMac,
      U64: u64,
      Z: anyNonZero,
      // A reason (or a throw) means "decode it": the decoder then reports it its own way, so a
      // check that throws never escapes the transcoder as a foreign error.
      CHK: (r: object) => {
        try {
          return checkFn!(r) !== undefined;
        } catch {
          return true;
        }
      },
      PI: putInt,
      P4: putIPv4,
      PA: putAscii,
      NM: tables,
    };
    let write: JsonWriter['write'];
    try {
      write = (new Function('rt', source) as (rt: unknown) => JsonWriter['write'])(rt);
    } catch {
      return null; // eval refused after all: the caller decodes
    }
    return Object.freeze({ write, source });
  } catch (e) {
    // Unsupported (what the writer cannot express), or a layout the plan refused: no writer.
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

/**
 * The no-eval twin of `codegen.ts`: the same plan turned into a chain of closures, for hosts
 * where `new Function` throws (a Content-Security-Policy without `unsafe-eval`; restructure
 * #22/#36 and binary-parser #258 are the users who asked). It reads the same byte arithmetic and
 * calls the same runtime helpers, so its records, errors and padding notices are the generated
 * decoder's; it is slower only because each field is a call and the record grows key by key
 * (4-12× faster than the reference on the catalogue, against 20-120× for generated code).
 */
import type { Hooks } from './codegen';
import type { Plan, PlanNode } from './plan';
import { mergeDerived, type PadSite, type PaddingOptions, type Runtime } from './runtime';

type Reader = (b: Uint8Array, o: number, opts: PaddingOptions | undefined) => unknown;

/** A decoder `(bytes, offset = 0, opts?)` with the compiled decoder's contract. */
export type DecodeFn = (bytes: Uint8Array, offset?: number, opts?: PaddingOptions) => Record<string, unknown>;

function uintReader(at: number, bytes: 1 | 2 | 4, le: boolean): (b: Uint8Array, o: number) => number {
  if (bytes === 1) return (b, o) => b[o + at]!;
  if (bytes === 2) return le ? (b, o) => b[o + at]! | (b[o + at + 1]! << 8) : (b, o) => (b[o + at]! << 8) | b[o + at + 1]!;
  return le
    ? (b, o) => (b[o + at]! | (b[o + at + 1]! << 8) | (b[o + at + 2]! << 16) | (b[o + at + 3]! << 24)) >>> 0
    : (b, o) => ((b[o + at]! << 24) | (b[o + at + 1]! << 16) | (b[o + at + 2]! << 8) | b[o + at + 3]!) >>> 0;
}

function ipv4Text(rt: Runtime, b: Uint8Array, p: number): string {
  return rt.F4(b, p);
}

function macText(rt: Runtime, b: Uint8Array, p: number): string {
  return rt.FM(b, p);
}

class Builder {
  readonly sites: PadSite[] = [];
  constructor(private readonly rt: Runtime) {}

  /** A reader that reports site (field, at, size) when any of its bytes is non-zero. */
  padCheck(at: number, size: number, field: string): Reader {
    const i = this.sites.push({ field, offset: at, size }) - 1;
    const { Z, P } = this.rt;
    return (b, o, opts) => {
      if (Z(b, o + at, size)) P(b, o, opts, i);
      return undefined;
    };
  }

  node(n: PlanNode, at: number, name: string): Reader {
    const rt = this.rt;
    switch (n.op) {
      case 'uint':
        return uintReader(at, n.bytes, n.le);
      case 'u64': {
        const lo = uintReader(n.le ? at : at + 4, 4, n.le);
        const hi = uintReader(n.le ? at + 4 : at, 4, n.le);
        return (b, o) => rt.U64(lo(b, o), hi(b, o));
      }
      case 'ipv4':
        return (b, o) => ipv4Text(rt, b, o + at);
      case 'ipv6':
        return (b, o) => rt.F6(b, o + at);
      case 'mac': {
        const check = this.padCheck(at + 6, 2, `${name}[6..7]`);
        return (b, o, opts) => {
          check(b, o, opts);
          return macText(rt, b, o + at);
        };
      }
      case 'pad':
        return this.padCheck(at, n.size, name);
      case 'flags': {
        const raw = uintReader(at, n.bytes, n.le);
        const { names, masks, notKnown } = n;
        return (b, o) => {
          const r = raw(b, o);
          const out: Record<string, number | boolean> = { raw: r };
          for (let i = 0; i < names.length; i++) out[names[i]!] = (r & masks[i]!) !== 0;
          out.unknown = (r & notKnown) >>> 0;
          return out;
        };
      }
      case 'array': {
        const items: Reader[] = [];
        for (let i = 0; i < n.count; i++) items.push(this.node(n.elem, at + i * n.elemSize, `${name}[${i}]`));
        return (b, o, opts) => {
          const out: unknown[] = [];
          for (let i = 0; i < items.length; i++) out.push(items[i]!(b, o, opts));
          return out;
        };
      }
      case 'addr': {
        const ref = n.ref;
        const v4 = n.v4;
        const isV4 =
          v4.by === 'family'
            ? v4.v4 === v4.v6
              ? () => false
              : (d: number) => d === v4.v4
            : (d: number) => ((d >> v4.bit) & 1) === 0;
        const check = this.padCheck(at + 4, 12, `${name}[4..15]`);
        return (b, o, opts) => {
          if (isV4(b[o + ref]!)) {
            check(b, o, opts);
            return ipv4Text(rt, b, o + at);
          }
          return rt.F6(b, o + at);
        };
      }
    }
  }
}

/** Builds the closure decoder of a plan; `sites` receives the padding sites `rt.P` indexes. */
export function buildClosureDecoder(plan: Plan, rt: Runtime, sites: PadSite[], hooks: Hooks): DecodeFn {
  const builder = new Builder(rt);
  const steps: Reader[] = [];
  const keys: (string | undefined)[] = [];
  for (const f of plan.fields) {
    steps.push(builder.node(f.node, f.offset, f.name));
    keys.push(f.data ? f.name : undefined);
  }
  sites.push(...builder.sites);
  const size = plan.sizeof;
  const { CHK, DX, BAD } = rt;
  const expected = hooks.derivedKeys ?? [];
  return function decode(b: Uint8Array, o = 0, opts?: PaddingOptions) {
    if (!(b instanceof Uint8Array) || o >>> 0 !== o || b.length - o < size) {
      const e = BAD(b, o);
      if (e !== null) throw e;
    }
    const r: Record<string, unknown> = {};
    for (let i = 0; i < steps.length; i++) {
      const v = steps[i]!(b, o, opts);
      const k = keys[i];
      if (k !== undefined) r[k] = v;
    }
    if (hooks.check) CHK(r);
    if (hooks.derive) mergeDerived(r, DX(r, b, o, opts), expected);
    return r;
  };
}

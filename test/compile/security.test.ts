/**
 * Security and fallback tests of the code generator (style-anchors.md §7, practices 3 and 10;
 * binary-parser's code-injection fix `fd24894`): nothing outside the allowlist reaches
 * `new Function`; such schemas fall back to the restructure reference and still decode
 * correctly; the no-eval mode is chosen when eval is refused or asked against; the generated
 * source is exposed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { compileDecoder } from '../../src/compile/compile-decoder';
import { NO_EVAL_ENV, resetEvalProbe } from '../../src/compile/eval-policy';
import { SAFE_KEY } from '../../src/compile/ident';
import { addrUnion, array, defineStruct, flags, pad, u8, u16, u32, type AnyField, type AnySchema } from '../../src/schema/index';
import { catalogueSchemas, encodeOutcome, outcome } from './harness';

const HOSTILE = "a'); process.exit(1); //";

/** Every source handed to `new Function` while `fn` runs (the global is swapped for a spy). */
function sourcesSeenBy(fn: () => void): string[] {
  const seen: string[] = [];
  const Real = globalThis.Function;
  const Spy = new Proxy(Real, {
    construct(target, args: string[]) {
      seen.push(args.join('\n'));
      return Reflect.construct(target, args);
    },
    apply(target, self, args: string[]) {
      seen.push(args.join('\n'));
      return Reflect.apply(target, self, args);
    },
  });
  globalThis.Function = Spy;
  try {
    fn();
  } finally {
    globalThis.Function = Real;
  }
  return seen;
}

function randomBytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 73 + seed * 31) % 7 === 0 ? 0 : (i * 151 + seed * 17) & 0xff);
}

/** decode and decodeReference agree on many byte patterns, with notices. */
function expectDecodesLikeReference(s: AnySchema): void {
  for (let seed = 0; seed < 50; seed++) {
    const bytes = seed % 5 === 0 ? new Uint8Array(s.sizeof) : randomBytes(s.sizeof, seed);
    expect(outcome('notices', (o) => s.decode(bytes, o))).toStrictEqual(outcome('notices', (o) => s.decodeReference(bytes, o)));
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEvalProbe();
});

describe('hostile names never reach new Function', () => {
  const cases: [string, () => AnySchema][] = [
    ['a field name', () => defineStruct({ name: 't', header: 'test', sizeof: 8, fields: { [HOSTILE]: u32, b: u16, c: pad(2) } })],
    ['a padding field name', () => defineStruct({ name: 't', header: 'test', sizeof: 8, fields: { a: u32, [HOSTILE]: pad(4) } })],
    ['a flag name', () => defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { f: flags({ [HOSTILE]: 0, ok: 1 } as Record<string, number>), x: u8, p: pad(2) } })],
    ['__proto__ as a field name', () => defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { ['__proto__']: u32 } })],
    ['a name with a unicode escape', () => defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { 'a\u2028b': u32 } })],
    ['a discriminant that is not a number', () =>
      defineStruct({ name: 't', header: 'test', sizeof: 20, packed: true, fields: { ip: addrUnion({ by: 'family', field: 'family', v4: '1); process.exit(1' as never, v6: 2 }), family: u8, k: u8, p: pad(2) } })],
  ];
  for (const [what, make] of cases) {
    it(`${what}: falls back to the reference, decodes correctly, and generates nothing`, () => {
      let s!: AnySchema;
      const sources = sourcesSeenBy(() => {
        s = make();
        const c = compileDecoder(s);
        expect(c.mode).toBe('reference');
        expect(c.source).toBeUndefined();
        expect(c.reason).toMatch(/not allowed|unsupported|not a|refers|kind/);
        expectDecodesLikeReference(s);
        // The encoder falls back too (the same bytes or the same error as restructure's).
        expect(encodeOutcome(() => s.encode({}))).toStrictEqual(encodeOutcome(() => s.encodeReference({})));
      });
      for (const src of sources) {
        expect(src).not.toContain('process.exit');
        expect(src).not.toContain(HOSTILE);
      }
    });
  }

  it('the label, header and padding paths are never in the source (they live in the runtime)', () => {
    const s = defineStruct({ name: 'evil"; throw 1; "', variant: '`${process.exit()}`', header: '*/ process.exit() /*', sizeof: 8, fields: { a: u32, tail: array(pad(2), 2) } });
    const c = compileDecoder(s);
    expect(c.mode).toBe('eval');
    expect(c.source).not.toMatch(/evil|process|tail/);
    expect(outcome('notices', (o) => s.decode(Uint8Array.of(1, 2, 3, 4, 0, 9, 9, 0), o))).toStrictEqual(
      outcome('notices', (o) => s.decodeReference(Uint8Array.of(1, 2, 3, 4, 0, 9, 9, 0), o)),
    );
  });

  it('every string literal in every catalogue source is fixed text or an allowlisted key', () => {
    for (const { schema } of catalogueSchemas()) {
      const src = compileDecoder(schema).source!;
      for (const [, lit] of src.matchAll(/"([^"]*)"/g)) expect(lit === 'use strict' || lit === 'object' || SAFE_KEY.test(lit!), lit).toBe(true);
      expect(src).not.toMatch(/'|`/);
    }
  });
});

describe('field types the compiler does not know', () => {
  it('a user type that claims kind "u32" is not compiled as one', () => {
    const fake: AnyField = { kind: 'u32', size: 4, align: 4, padding: false, read: (b, _v, off) => b[off]! * 1000, write: () => {} };
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { a: fake } });
    const c = compileDecoder(s);
    expect(c.mode).toBe('reference');
    expect(c.reason).toMatch(/claims kind "u32"/);
    expect(s.decode(Uint8Array.of(7, 0, 0, 0))).toStrictEqual({ a: 7000 });
  });
  it('an unknown kind falls back with the reason, at an offset too', () => {
    const odd: AnyField = { kind: 'bcd', size: 2, align: 1, padding: false, read: (b, _v, off) => (b[off]! >> 4) * 10 + (b[off]! & 15), write: () => {} };
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { a: odd, b: u16 } });
    const c = compileDecoder(s);
    expect(c.reason).toMatch(/kind "bcd"/);
    const big = Uint8Array.of(9, 9, 0x42, 0, 1, 0, 9);
    expect(s.decodeAt(big, 2)).toStrictEqual({ a: 42, b: 1 });
    expect(outcome('none', () => c.decode(big, 5))).toStrictEqual(outcome('none', () => s.decodeReference(big.subarray(5, 9))));
  });
});

describe('no-eval mode', () => {
  it(`${NO_EVAL_ENV}=1 selects the closure decoder`, () => {
    vi.stubEnv(NO_EVAL_ENV, '1');
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { a: u16, b: u8, c: pad(1) } });
    const sources = sourcesSeenBy(() => {
      const c = compileDecoder(s);
      expect(c.mode).toBe('closure');
      expect(c.reason).toMatch(/CILIUM_MAP_CODEC_NO_EVAL/);
      expectDecodesLikeReference(s);
    });
    expect(sources).toEqual([]);
  });
  it('{ noEval: true } selects it explicitly; 0 and false in the environment do not', () => {
    vi.stubEnv(NO_EVAL_ENV, '0');
    const s = defineStruct({ name: 't', header: 'test', sizeof: 4, fields: { a: u32 } });
    expect(compileDecoder(s).mode).toBe('eval');
    expect(compileDecoder(s, { noEval: true }).mode).toBe('closure');
    vi.stubEnv(NO_EVAL_ENV, 'false');
    expect(compileDecoder(s).mode).toBe('eval');
  });
  it('a host where new Function throws (CSP) gets the closure decoder automatically', () => {
    const Real = globalThis.Function;
    globalThis.Function = new Proxy(Real, {
      construct() {
        throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed');
      },
    });
    resetEvalProbe();
    try {
      const spec = resolveMap('ipcache', undefined, { endian: 'be' });
      const s = defineStruct({ ...spec.key.definition, name: 'ipcache_key_csp' } as never) as AnySchema;
      const c = compileDecoder(s);
      expect(c.mode).toBe('closure');
      expect(c.reason).toMatch(/not available/);
      expectDecodesLikeReference(s);
    } finally {
      globalThis.Function = Real;
    }
  });
});

describe('the generated source is exposed', () => {
  it('compileDecoder(schema).source is the function Schema.decode runs', () => {
    const key = resolveMap('ipcache').key;
    key.decode(new Uint8Array([64, 0, 0, 0, 0, 0, 0, 1, 10, 0, 0, 1, ...new Array(12).fill(0)]));
    const c = compileDecoder(key);
    expect(c).toBe(compileDecoder(key)); // cached per schema: the one Schema.decode uses
    expect(c.mode).toBe('eval');
    expect(c.source).toMatch(/return function decode\(b, o, opts\)/);
    expect(c.source).toContain('prefixlen: ');
    expect(c.source).toContain('CHK(r)');
    expect(Object.isFrozen(c)).toBe(true);
  });
});

/**
 * The JSON transcoder (compile/json-writer.ts) against the decoder, on every schema of the
 * catalogue in both byte orders: for any bytes, either it writes exactly `JSON.stringify` of the
 * record `decode` returns (bigint as decimal strings) while `decode` says nothing, or it declines
 * (returns false) and `decode` reports padding or throws. Also: the checks declared with
 * `checkReading` read only the fields they name, and the hot schemas do get a writer.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAPS, resolveMap } from '../../src/index';
import { compileJsonWriter } from '../../src/compile/json-writer';
import { NO_EVAL_ENV } from '../../src/compile/eval-policy';
import { ByteSink } from '../../src/schema/byte-sink';
import { checkReading, defineStruct, u8, type AnySchema } from '../../src/schema/index';
import { makeValid } from '../helpers/valid-bytes';

const json = (o: unknown) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Every distinct key and value schema of the catalogue, little- and big-endian. */
const schemas: AnySchema[] = [];
for (const def of MAPS) {
  for (const l of def.layouts) {
    for (const s of [l.key, l.value]) {
      for (const e of ['le', 'be'] as const) {
        const se = s.withEndian(e);
        if (!schemas.some((x) => x.label === se.label && x.header === se.header && x.endian === se.endian)) schemas.push(se);
      }
    }
  }
}

/** What the decoder says about these bytes: the record's JSON, or that it would report or throw. */
function decoded(schema: AnySchema, bytes: Uint8Array): { text?: string; irregular: boolean } {
  let notice = false;
  try {
    const rec = schema.decode(bytes, { onPadding: () => (notice = true) });
    return notice ? { irregular: true } : { text: json(rec), irregular: false };
  } catch {
    return { irregular: true };
  }
}

function compare(schema: AnySchema, bytes: Uint8Array, at = 0): void {
  const w = compileJsonWriter(schema)!;
  const buf = new Uint8Array(at + bytes.length + 3).fill(0x5a);
  buf.set(bytes, at);
  const sink = new ByteSink(8);
  sink.ascii('>>');
  const ok = w.write(buf, at, sink);
  const want = decoded(schema, bytes);
  expect(!ok, `${schema.label} ${schema.endian}: irregular?`).toBe(want.irregular);
  if (ok) expect(sink.text(), `${schema.label} ${schema.endian}`).toBe(`>>${want.text}`);
}

afterEach(() => vi.unstubAllEnvs());

describe('compileJsonWriter', () => {
  const withWriter = schemas.filter((s) => compileJsonWriter(s) !== null);

  it('the hot schemas have a writer: ipcache, endpoints, reverse NAT, CT values, in both byte orders', () => {
    const must: [string, 'key' | 'value', string?][] = [
      ['cilium_ipcache', 'key'],
      ['cilium_ipcache', 'value'],
      ['cilium_lxc', 'key'],
      ['cilium_lxc', 'value'],
      ['cilium_lb4_reverse_nat', 'key'],
      ['cilium_lb4_reverse_nat', 'value'],
      ['cilium_ct4_global', 'value', '1.16'], // CE-C
      ['cilium_ct4_global', 'value'], // CE-D: nat_addr is an overlay (deriveOverlay)
      ['cilium_ct6_global', 'value'], // CE-D: backend_id is an overlay
    ];
    for (const [m, part, v] of must) {
      for (const e of ['le', 'be'] as const) expect(compileJsonWriter(resolveMap(m, v)[part].withEndian(e)), `${m} ${part} ${e}`).not.toBeNull();
    }
    // Most of the catalogue: those left out have derived fields that are functions of lookups.
    expect(withWriter.length).toBeGreaterThan(schemas.length / 2);
  });

  it.each(withWriter.map((s) => [`${s.label} ${s.endian}`, s] as const))('%s: the record text or a refusal, for random and near-valid bytes', (_n, schema) => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: schema.sizeof, maxLength: schema.sizeof }), fc.nat(), fc.nat(), fc.nat(40), (raw, seed, flip, at) => {
        compare(schema, raw, at);
        const valid = makeValid(schema, raw, seed);
        compare(schema, valid, at);
        // One byte changed: padding, a discriminant, a prefix length out of range, a flag bit.
        const mutated = Uint8Array.from(valid);
        if (mutated.length) mutated[flip % mutated.length] ^= 1 << (seed % 8);
        compare(schema, mutated, 0);
      }),
      { numRuns: 150 },
    );
  });

  it('u64 digits at the edges: 0, 2^32, 2^53 - 1, 2^53 (where the number path hands over to BigInt), 2^64 - 1', () => {
    for (const e of ['le', 'be'] as const) {
      const s = resolveMap('cilium_ct4_global').value.withEndian(e);
      for (const v of [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
        const bytes = s.encode({ packets: v, bytes: 2n ** 64n - 1n - v, lifetime: 1 });
        compare(s, bytes);
        expect(json(s.decode(bytes))).toContain(`"packets":"${v}"`);
      }
    }
  });

  it('a check that throws hands the entry back to the decoder (write is false) instead of throwing', () => {
    const s = defineStruct({
      name: 'throwing_check',
      header: 'test',
      sizeof: 2,
      fields: { a: u8, b: u8 },
      check: checkReading<{ a: number }>(['a'], (r) => {
        if (r.a === 7) throw new Error('boom');
        return r.a === 9 ? 'nine' : undefined;
      }),
    }) as AnySchema;
    const w = compileJsonWriter(s)!;
    expect(w).not.toBeNull();
    const sink = new ByteSink(8);
    expect(w.write(Uint8Array.of(7, 1), 0, sink)).toBe(false);
    expect(w.write(Uint8Array.of(9, 1), 0, sink)).toBe(false);
    sink.pos = 0;
    expect(w.write(Uint8Array.of(1, 2), 0, sink)).toBe(true);
    expect(sink.text()).toBe('{"a":1,"b":2}');
  });

  it('declared checks read only the fields they name (a recording proxy)', () => {
    let checked = 0;
    for (const s of schemas) {
      const check = s.definition.check as ((r: unknown) => unknown) & { reads?: readonly string[] };
      if (!check) continue;
      expect(check.reads, `${s.label}: a check without declared reads gets no writer`).toBeDefined();
      for (let i = 0; i < 50; i++) {
        const bytes = makeValid(s, Uint8Array.from({ length: s.sizeof }, (_, k) => (k * 37 + i * 11) & 0xff), i);
        const rec = s.decodeReference(bytes, { onPadding: () => {} }) as Record<string, unknown>;
        const read = new Set<string>();
        const proxy = new Proxy(rec, { get: (t, k) => (typeof k === 'string' && read.add(k), Reflect.get(t, k)) });
        check(proxy);
        for (const k of read) expect(check.reads).toContain(k);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('no writer where generated code may not run (CILIUM_MAP_CODEC_NO_EVAL): the transcoder decodes', () => {
    vi.stubEnv(NO_EVAL_ENV, '1');
    const fresh = resolveMap('cilium_ipcache').key.withEndian('be').withEndian('le');
    expect(compileJsonWriter(fresh)).toBeNull();
  });
});

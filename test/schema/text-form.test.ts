/**
 * Derived text declared as data (`deriveText`): the interpreter every decoder runs, and the JSON
 * writer compiled from the same declaration. The CT and NAT tuple keys' `proto_name`,
 * `direction`, `client`/`server`, `from`/`to` and `union_member` are held to the hand-written
 * functions they replaced (kept here as the oracle), over every flags byte and protocol.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDecoder } from '../../src/compile/compile-decoder';
import { compileJsonWriter } from '../../src/compile/json-writer';
import { ctTuple4, ctTuple6, natTuple4, natTuple6 } from '../../src/cilium/ct-tuple';
import { protoName } from '../../src/cilium/names';
import { ByteSink } from '../../src/schema/byte-sink';
import { defineStruct, deriveText, flags, u8, u16, type AnySchema } from '../../src/schema/index';

type Rec = { daddr: string; saddr: string; dport: number; sport: number; nexthdr: number; flags: { raw: number } };
const hostPort = (addr: string, port: number) => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);
/** The hand-written CT derive of v0.1 (ct-tuple.ts before the declaration). */
const oldCt = (r: Rec) => {
  const direction = r.flags.raw & 4 ? 'SVC' : r.flags.raw & 1 ? 'IN' : 'OUT';
  const svc = direction === 'SVC';
  return {
    proto_name: protoName(r.nexthdr),
    direction,
    client: svc ? hostPort(r.saddr, r.dport) : hostPort(r.daddr, r.sport),
    server: svc ? hostPort(r.daddr, r.sport) : hostPort(r.saddr, r.dport),
  };
};
const oldNat = (r: Rec) => ({
  proto_name: protoName(r.nexthdr),
  direction: r.flags.raw & 1 ? 'IN' : 'OUT',
  from: hostPort(r.saddr, r.sport),
  to: hostPort(r.daddr, r.dport),
  union_member: r.flags.raw & 1 ? 'to_daddr,to_dport' : 'to_saddr,to_sport',
});

const canon = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

describe('CT and NAT tuple keys: the declared derived fields', () => {
  const cases: [string, AnySchema, (r: Rec) => object][] = [
    ['ct4', ctTuple4, oldCt],
    ['ct6', ctTuple6, oldCt],
    ['nat4', natTuple4, oldNat],
    ['nat6', natTuple6, oldNat],
  ];
  it.each(cases)('%s: = the hand-written derive; the JSON writer = JSON.stringify of the record', (_n, s, old) => {
    const w = compileJsonWriter(s);
    expect(w).not.toBeNull();
    const proto = fc.oneof(fc.constantFrom(0, 1, 6, 17, 58, 132), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), proto, fc.integer({ min: 0, max: 255 }), (raw, nexthdr, fl) => {
        raw[s.sizeof - 2] = nexthdr;
        raw[s.sizeof - 1] = fl;
        const rec = s.decodeReference(raw) as Rec & Record<string, unknown>;
        const derived = Object.fromEntries(s.derivedKeys().map((k) => [k, rec[k]]));
        expect(derived).toEqual(old(rec));
        const sink = new ByteSink(8);
        expect(w!.write(raw, 0, sink)).toBe(true);
        expect(sink.text()).toBe(canon(rec));
      }),
      { numRuns: 400 },
    );
  });
});

describe('deriveText parts', () => {
  const s = defineStruct({
    name: 'parts',
    header: 'test',
    sizeof: 4,
    fields: { kind: u8, f: flags({ a: 0, b: 3, top: 7 }), n: u16 },
    derive: deriveText({
      named: [{ field: 'kind', names: { 0: 'zero', 7: 'seven', 255: 'max' } }, '/', { field: 'n', add: -1 }],
      picked: [{ field: 'f', cases: [{ mask: 0x80, parts: ['top'] }, { mask: 0x09, parts: ['a-or-b:', { field: 'kind', names: {} }] }], otherwise: ['none'] }],
      raw: [{ field: 'n', cases: [{ mask: 0x8000, parts: ['high'] }], otherwise: [{ field: 'n' }] }],
    }),
  }) as AnySchema;

  it('names (else the decimal), cases on a flags field (first hit) and on a number field; the writer agrees', () => {
    const w = compileJsonWriter(s)!;
    expect(w).not.toBeNull();
    const rec = (bytes: number[]) => s.decode(Uint8Array.from(bytes)) as Record<string, string>;
    expect(rec([7, 0x81, 0, 0x80])).toMatchObject({ named: 'seven/32767', picked: 'top', raw: 'high' });
    expect(rec([9, 0x08, 5, 0])).toMatchObject({ named: '9/4', picked: 'a-or-b:9', raw: '5' });
    expect(rec([0, 0x00, 0, 0])).toMatchObject({ named: 'zero/-1', picked: 'none', raw: '0' });
    // The generated decoder builds these inline (no hook call); the closure twin runs the hook.
    const evalDec = compileDecoder(s);
    const closure = compileDecoder(s, { noEval: true });
    expect(evalDec.source).not.toMatch(/DX\(/);
    expect(evalDec.source).not.toMatch(/seven|a-or-b|none/); // literal text stays in the runtime's tables
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from({ length: 4 }, (_, k) => (i * (k + 7) * 2654435761) >>> (8 * k + 3));
      const want = JSON.stringify(s.decodeReference(b));
      expect(JSON.stringify(evalDec.decode(b))).toBe(want);
      expect(JSON.stringify(closure.decode(b))).toBe(want);
      const sink = new ByteSink(4);
      expect(w.write(b, 0, sink)).toBe(true);
      expect(sink.text()).toBe(want);
    }
  });

  it('a name table the writer cannot match as the interpreter does gets no writer (the decoder still works)', () => {
    const odd = defineStruct({ name: 'odd', header: 'test', sizeof: 1, fields: { k: u8 }, derive: deriveText({ t: [{ field: 'k', names: { '06': 'six' } as never }] }) }) as AnySchema;
    expect(compileJsonWriter(odd)).toBeNull();
    expect(odd.decode(Uint8Array.of(6))).toEqual({ k: 6, t: '6' });
    const quoted = defineStruct({ name: 'quoted', header: 'test', sizeof: 1, fields: { k: u8 }, derive: deriveText({ t: [{ field: 'k', names: { 1: 'a"b' } }] }) }) as AnySchema;
    expect(compileJsonWriter(quoted)).toBeNull();
    const flagsAsNumber = defineStruct({ name: 'fn', header: 'test', sizeof: 1, fields: { f: flags({ a: 0 }) }, derive: deriveText({ t: [{ field: 'f' }] }) }) as AnySchema;
    expect(compileJsonWriter(flagsAsNumber)).toBeNull();
  });
});

describe('declarations are read from own properties only (a polluted Object.prototype changes nothing)', () => {
  const names = ['names', 'cases', 'overlay', 'textForm', 'reads', 'add', 'otherwise'] as const;
  const proto = Object.prototype as Record<string, unknown>;
  it('decode, encode and the JSON writer of ipcache keys, CT keys and CE-D values', async () => {
    const { resolveMap } = await import('../../src/cilium/catalog');
    const { u8: byte } = await import('../../src/schema/index');
    const cases = [resolveMap('cilium_ipcache').key, resolveMap('cilium_ct4_global').key, resolveMap('cilium_ct6_global').value, resolveMap('cilium_lb4_backends_v3').value];
    const inputs = cases.map((s) => Uint8Array.from({ length: s.sizeof }, (_, i) => (i * 37 + 11) & 0xff));
    inputs[0]!.set(resolveMap('cilium_ipcache').key.encode({ cidr: '10.0.0.0/8' }));
    const before = cases.map((s, i) => canon(s.decodeReference(inputs[i]!)));
    try {
      proto.names = {};
      proto.cases = [];
      proto.otherwise = ['x'];
      proto.add = 5;
      proto.overlay = { evil: { offset: 0, type: byte } };
      proto.textForm = { evil: ['x'] };
      proto.reads = ['evil'];
      // Fresh schemas from the same definitions, so nothing compiled before the pollution is reused.
      for (const [i, s0] of cases.entries()) {
        const s = defineStruct({ ...s0.definition }) as AnySchema;
        for (const dec of [compileDecoder(s), compileDecoder(s, { noEval: true })]) expect(canon(dec.decode(inputs[i]!)), `${s.label}`).toBe(before[i]);
        const w = compileJsonWriter(s);
        if (w) {
          const sink = new ByteSink(8);
          if (w.write(inputs[i]!, 0, sink)) expect(sink.text()).toBe(before[i]);
        }
      }
      const ipc = resolveMap('cilium_ipcache', '1.15').key;
      expect(ipc.decode(ipc.encode({ cidr: '10.0.0.0/8' }))).toMatchObject({ cidr: '10.0.0.0/8' });
    } finally {
      for (const n of names) delete proto[n];
    }
  });
});

/**
 * `check` and `derive` run in the compiled decoders exactly as in the reference: once each, in
 * that order, on the data-only record; a reason from `check` or anything thrown by `derive` gives
 * the reference's error; derived fields are merged as `Object.assign` merges them, whatever shape
 * `derive` returns (the expected keys, other keys, fewer keys, a data key, null, a primitive).
 */
import { describe, expect, it } from 'vitest';
import { compileDecoder } from '../../src/compile/compile-decoder';
import { DecodeError, defineStruct, u8, u16, type AnySchema } from '../../src/schema/index';
import { outcome } from './harness';

/** A schema whose hooks log what they see; `derive` returns whatever `shape(rec)` builds. */
function hooked(shape: (rec: { a: number; b: number }) => unknown, reason?: (rec: { a: number }) => string | undefined) {
  const log: string[] = [];
  const s = defineStruct({
    name: 'hooked',
    header: 'test',
    sizeof: 4,
    fields: { a: u8, b: u8, c: u16 },
    check: (rec) => {
      log.push(`check ${JSON.stringify(rec)}`);
      return reason?.(rec);
    },
    derive: (rec) => {
      log.push(`derive ${JSON.stringify(rec)}`);
      return shape(rec) as object;
    },
  }) as AnySchema;
  return { s, log };
}

/** Runs the reference, the generated and the closure decoder; returns each outcome and hook log. */
function runAll(make: () => ReturnType<typeof hooked>, bytes: Uint8Array) {
  const results: Record<string, unknown> = {};
  for (const mode of ['reference', 'eval', 'closure'] as const) {
    const { s, log } = make();
    // derivedKeys() probes derive once with a zero record (as encode does); start the log after it.
    const c = mode === 'reference' ? undefined : compileDecoder(s, { noEval: mode === 'closure' });
    log.length = 0;
    const o = outcome('none', () => (c ? c.decode(bytes) : s.decodeReference(bytes)));
    results[mode] = { o, log: [...log], keys: o.ok ? Object.keys(o.value as object) : undefined };
  }
  return results;
}

const shapes: [string, (rec: { a: number; b: number }) => unknown][] = [
  ['the expected keys', (r) => ({ sum: r.a + r.b, label: `x${r.a}` })],
  ['keys that vary per record', (r) => (r.a % 2 ? { sum: r.a + r.b, label: 'odd', extra: 1 } : { label: 'even' })],
  ['the expected keys in another order', (r) => (r.a % 2 ? { label: 'x', sum: 1 } : { sum: r.a + r.b, label: `x${r.a}` })],
  ['a data key (overwritten in place)', (r) => (r.a % 2 ? { a: 99, sum: 1, label: 'z' } : { sum: 2, label: 'y' })],
  ['null or a primitive', (r) => (r.a % 3 === 0 ? null : r.a % 3 === 1 ? 7 : { sum: 0, label: '' })],
  ['an object with a getter', (r) => Object.defineProperty({ sum: r.a, label: 'g' }, 'label', { get: () => `got ${r.b}`, enumerable: true })],
  ['an object with a non-enumerable expected key', (r) => Object.defineProperty({ sum: r.a }, 'label', { value: 'hidden', enumerable: false })],
  ['an array', (r) => [r.a, r.b]],
];

describe('derive: merged as the reference merges it', () => {
  for (const [what, shape] of shapes) {
    it(what, () => {
      for (let a = 0; a < 6; a++) {
        // The first record decoded fixes the expected keys ({sum, label} from the zero record).
        const bytes = Uint8Array.of(a, 3 * a, 0, 0);
        const res = runAll(() => hooked(shape), bytes);
        expect(res.eval).toStrictEqual(res.reference);
        expect(res.closure).toStrictEqual(res.reference);
      }
    });
  }
});

describe('check and derive errors', () => {
  it('a reason from check is a DecodeError with the reference site; derive is then not called', () => {
    const res = runAll(() => hooked((r) => ({ sum: r.a, label: '' }), (r) => (r.a > 1 ? `a=${r.a} is too big` : undefined)), Uint8Array.of(5, 0, 0, 0));
    expect(res.reference).toMatchObject({ o: { ok: false, error: { cls: 'DecodeError', message: expect.stringMatching(/a=5 is too big/) } }, log: [expect.stringMatching(/^check/)] });
    expect(res.eval).toStrictEqual(res.reference);
    expect(res.closure).toStrictEqual(res.reference);
  });
  it.each([
    ['an Error', () => new TypeError('derive broke')],
    ['a DecodeError (passed through)', () => new DecodeError({ schema: 'x', path: 'y', offset: 3 }, 'own')],
    ['a string', () => 'just text'],
  ])('derive throwing %s', (_what, err) => {
    const res = runAll(() => hooked(() => {
      throw err();
    }), Uint8Array.of(1, 2, 0, 0));
    expect(res.eval).toStrictEqual(res.reference);
    expect(res.closure).toStrictEqual(res.reference);
  });
  it('check throwing (not returning) propagates unwrapped, as in the reference', () => {
    const res = runAll(() => hooked((r) => ({ sum: r.a, label: '' }), () => {
      throw new RangeError('check itself failed');
    }), Uint8Array.of(1, 2, 0, 0));
    expect(res.reference).toMatchObject({ o: { ok: false, error: { cls: 'RangeError' } } });
    expect(res.eval).toStrictEqual(res.reference);
    expect(res.closure).toStrictEqual(res.reference);
  });
});

/**
 * De-duplication decides on full bytes (issue 8, class 4): the key set against a Map oracle of
 * hex strings, with the real hash and with a hash that sends every key into one probe chain; and
 * two different values with the same 32-bit hash, which the old fingerprint took for a repeat.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DumpDecoder, decodeDumpText, resolveMap, type DecodedRecord } from '../../src/index';
import { KeySet, Seen, hashBytes } from '../../src/decode/key-set';
import { plainDump } from '../helpers/bpftool-text';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Every key hashes alike: one probe chain, so only the byte comparison tells keys apart. */
class CollidingKeySet extends KeySet {
  protected override hashKey(): number {
    return 0x12345678;
  }
}

/** Runs `ops` through a KeySet and a Map oracle; every answer must agree. */
function agreesWithOracle(set: KeySet, ops: [Uint8Array, Uint8Array][]): void {
  const oracle = new Map<string, string>();
  for (const [k, v] of ops) {
    const prev = oracle.get(hex(k));
    const want = prev === undefined ? Seen.New : prev === hex(v) ? Seen.SameValue : Seen.ChangedValue;
    expect(set.add(k, v)).toBe(want);
    oracle.set(hex(k), hex(v));
  }
  expect(set.size).toBe(oracle.size);
}

/** Entries over a small alphabet of keys and values, so repeats and changed values are common. */
const ops = (keySize: number, valueSize: number, maxLength: number) =>
  fc.array(
    fc.tuple(
      fc.uint8Array({ minLength: keySize, maxLength: keySize, min: 0, max: 3 }),
      fc.uint8Array({ minLength: valueSize, maxLength: valueSize, min: 0, max: 2 }),
    ),
    { maxLength },
  );

/**
 * Two different byte strings of `size` (≥ 8) bytes with the same hashBytes: a birthday search,
 * ~2^16 tries. Two words vary, because with one word varying and the rest fixed every round of
 * the hash is a bijection and no collision exists.
 */
function hashCollision(size: number): [Uint8Array, Uint8Array] {
  const byHash = new Map<number, number>();
  const make = (i: number): Uint8Array => {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, i, true);
    dv.setUint32(4, Math.imul(i, 0x9e3779b1), true);
    return b;
  };
  for (let i = 0; i < 1 << 22; i++) {
    const h = hashBytes(make(i));
    const j = byHash.get(h);
    if (j !== undefined) return [make(j), make(i)];
    byHash.set(h, i);
  }
  throw new Error('no hash collision found in 2^22 tries');
}

describe('KeySet', () => {
  it('agrees with a Map oracle through growth, repeats and changed values', () => {
    fc.assert(fc.property(ops(4, 3, 3000), (o) => agreesWithOracle(new KeySet(4, 3, 16), o)), { numRuns: 60 });
  });

  it('agrees with the oracle when every key has the same hash (equality never rests on the hash)', () => {
    fc.assert(fc.property(ops(3, 2, 300), (o) => agreesWithOracle(new CollidingKeySet(3, 2, 16), o)), { numRuns: 60 });
  });

  it('a changed value with the same hash as the stored one is a changed value, not a repeat', () => {
    const [a, b] = hashCollision(12);
    expect(hex(a)).not.toBe(hex(b));
    expect(hashBytes(a)).toBe(hashBytes(b));
    const set = new KeySet(4, 12);
    const key = Uint8Array.of(1, 2, 3, 4);
    expect(set.add(key, a)).toBe(Seen.New);
    expect(set.add(key, b)).toBe(Seen.ChangedValue);
    expect(set.add(key, b)).toBe(Seen.SameValue);
    expect(set.add(key, a)).toBe(Seen.ChangedValue);
  });

  it('refuses bytes of another size instead of comparing a prefix', () => {
    const set = new KeySet(4, 2);
    expect(() => set.add(new Uint8Array(4), new Uint8Array(3))).toThrow(RangeError);
    expect(() => set.add(new Uint8Array(5), new Uint8Array(2))).toThrow(RangeError);
  });
});

describe('de-duplication in a dump', () => {
  const ipc = resolveMap('cilium_ipcache');

  it('two values of one key whose 32-bit hashes collide are both printed (regression: the newer one vanished)', () => {
    const [a, b] = hashCollision(ipc.value.sizeof);
    const key = ipc.key.encode({ cidr: '10.0.0.1/32' });
    const { records, summary } = decodeDumpText(plainDump([[key, a], [key, b], [key, b]]), { map: 'ipcache' });
    expect(records.map((r) => ipc.value.encode(r.value!))).toEqual([a, b]);
    expect(summary).toMatchObject({ records: 2, repeatedKeys: 1, changedKeys: 1 });
  });

  it('per-CPU values: a repeat is identical only when every CPU has the same bytes', () => {
    const key = ipc.key.encode({ cidr: '10.0.0.2/32' });
    const v = (id: number) => ipc.value.encode({ sec_identity: id });
    const entry = (ids: number[], line: number) => ({ kind: 'entry' as const, entry: { key, values: ids.map((id, cpu) => ({ cpu, value: v(id) })), line } });
    const dec = new DumpDecoder({ map: 'ipcache' });
    const out: DecodedRecord[] = [];
    dec.push([entry([1, 2], 1), entry([1, 2], 2), entry([1, 3], 3), entry([1, 3], 4)], out);
    expect(out.map((r) => r.values!.map((c) => c.value.sec_identity))).toEqual([[1, 2], [1, 3]]);
    expect(dec.finish()).toMatchObject({ records: 2, repeatedKeys: 2, changedKeys: 1 });
  });

  it('the dump-level answer matches a full-bytes oracle for random entry sequences', () => {
    const keys = [0, 1, 2].map((i) => ipc.key.encode({ cidr: `10.0.0.${i}/32` }));
    const [a, b] = hashCollision(ipc.value.sizeof);
    const values = [a, b, ipc.value.encode({ sec_identity: 7 })];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: 1, maxLength: 30 }), (picks) => {
        const entries = picks.map(([k, v]) => [keys[k]!, values[v]!] as [Uint8Array, Uint8Array]);
        const last = new Map<number, number>();
        const want: Uint8Array[] = [];
        let repeated = 0;
        let changed = 0;
        for (const [k, v] of picks) {
          const prev = last.get(k);
          if (prev === v) repeated++;
          else {
            if (prev !== undefined) changed++;
            want.push(values[v]!);
          }
          last.set(k, v);
        }
        const { records, summary } = decodeDumpText(plainDump(entries), { map: 'ipcache' });
        expect(records.map((r) => hex(ipc.value.encode(r.value!)))).toEqual(want.map(hex));
        expect(summary).toMatchObject({ repeatedKeys: repeated, changedKeys: changed });
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The set of keys seen in a dump, for de-duplicating the repeats a live map produces
 * (bpftool-formats.md §1.7). Open addressing over one byte arena: ~40 bytes per key for a
 * 512,000-entry ipcache instead of ~130 for a `Map` of strings, and no per-key garbage.
 * Measured on the 512k-entry dump (bench/dump.js): the string `Map` cost 1.3 s and 65 MB.
 */

/** What {@link KeySet.add} found. */
export const Seen = { New: 0, SameValue: 1, ChangedValue: 2 } as const;
/** One of {@link Seen}. */
export type SeenValue = (typeof Seen)[keyof typeof Seen];

/**
 * A 32-bit hash of some bytes, 4 at a time (murmur3-style mixing of each word, then its
 * finaliser so linear probing sees well-spread low bits). Also the value fingerprint.
 */
export function hashBytes(b: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed | 0;
  const n = b.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let k = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  for (; i < n; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Keys of one size with a 32-bit fingerprint of the value last seen for each. */
export class KeySet {
  private arena: Uint8Array;
  private fps: Uint32Array;
  private hashes: Uint32Array;
  private table: Int32Array;
  private mask: number;
  private count = 0;

  constructor(private readonly keySize: number, initial = 1024) {
    const cap = Math.max(16, 1 << Math.ceil(Math.log2(initial)));
    this.arena = new Uint8Array(cap * keySize);
    this.fps = new Uint32Array(cap);
    this.hashes = new Uint32Array(cap);
    this.table = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.count;
  }

  /** Adds `key` with value fingerprint `fp`; says whether it was new, a repeat, or a changed repeat. */
  add(key: Uint8Array, fp: number): SeenValue {
    const h = hashBytes(key);
    const ks = this.keySize;
    let slot = h & this.mask;
    for (;;) {
      const idx = this.table[slot]!;
      if (idx === -1) break;
      if (this.hashes[idx] === h && this.equal(idx, key)) {
        if (this.fps[idx] === fp >>> 0) return Seen.SameValue;
        this.fps[idx] = fp;
        return Seen.ChangedValue;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.count === this.fps.length) {
      this.grow();
      return this.add(key, fp);
    }
    const idx = this.count++;
    // A loop beats TypedArray#set for keys of 2-24 bytes (no native call per key).
    const arena = this.arena;
    const base = idx * ks;
    for (let i = 0; i < ks; i++) arena[base + i] = key[i]!;
    this.fps[idx] = fp;
    this.hashes[idx] = h;
    this.table[slot] = idx;
    return Seen.New;
  }

  private equal(idx: number, key: Uint8Array): boolean {
    const base = idx * this.keySize;
    for (let i = 0; i < key.length; i++) if (this.arena[base + i] !== key[i]) return false;
    return true;
  }

  private grow(): void {
    const cap = this.fps.length * 2;
    const arena = new Uint8Array(cap * this.keySize);
    arena.set(this.arena);
    const fps = new Uint32Array(cap);
    fps.set(this.fps);
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    const table = new Int32Array(cap * 2).fill(-1);
    const mask = cap * 2 - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = hashes[i]! & mask;
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = i;
    }
    this.arena = arena;
    this.fps = fps;
    this.hashes = hashes;
    this.table = table;
    this.mask = mask;
  }
}

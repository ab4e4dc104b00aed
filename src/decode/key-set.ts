/**
 * The set of keys seen in a dump, for de-duplicating the repeats a live map produces
 * (test/fixtures/bpftool-formats), with the last value seen for each key so an identical repeat can be
 * told from a changed one by comparing **all of the value's bytes** (a hash only picks the
 * candidate slot: two values with equal hashes are still two values).
 *
 * Layout, chosen so one insert touches one random cache line:
 * - `slots` is an open-addressing table of `(hash, index + 1)` pairs side by side in one
 *   `Int32Array`: a probe reads the hash and the index from the same line, and linear probing
 *   walks on along it; a 0 index is an empty slot, so no fill pass is needed.
 * - `arena` holds each distinct entry as `key ‖ value` bytes at `index * stride`, appended in
 *   input order: a new key is written sequentially; only a hash match reads it back.
 * The table is sized at most half full. Measured on the 512k-entry ipcache dump (bench/key-set.js).
 */

/** What {@link KeySet.add} found. */
export const Seen = { New: 0, SameValue: 1, ChangedValue: 2 } as const;
/** One of {@link Seen}. */
export type SeenValue = (typeof Seen)[keyof typeof Seen];

/**
 * A 32-bit hash of some bytes, 4 at a time (murmur3-style mixing of each word, then its
 * finaliser so linear probing sees well-spread low bits). Picks a slot; never decides equality.
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

/**
 * Keys of `keySize` bytes, each with the `valueSize` bytes of the value last seen for it.
 * `hash` is replaceable only so tests can force every key into one probe chain.
 */
export class KeySet {
  private readonly stride: number;
  private arena: Uint8Array;
  private slots: Int32Array;
  private mask: number;
  private cap: number;
  private count = 0;

  constructor(
    private readonly keySize: number,
    private readonly valueSize: number,
    initial = 1024,
    private readonly hash: (key: Uint8Array) => number = hashBytes,
  ) {
    this.stride = keySize + valueSize;
    this.cap = Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, initial))));
    this.arena = new Uint8Array(this.cap * this.stride);
    this.slots = new Int32Array(this.cap * 4);
    this.mask = this.cap * 2 - 1;
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds `key` (`keySize` bytes) seen with `value` (`valueSize` bytes); says whether the key was
   * new, a repeat with byte-identical value, or a repeat with a different value (which then
   * replaces the stored one: the later entry wins). Both arrays are copied, not kept.
   */
  add(key: Uint8Array, value: Uint8Array): SeenValue {
    if (key.length !== this.keySize || value.length !== this.valueSize) {
      throw new RangeError(`KeySet of ${this.keySize}/${this.valueSize}-byte entries was given ${key.length}/${value.length} bytes`);
    }
    const h = this.hash(key) | 0;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const at = slot << 1;
      const stored = slots[at + 1]!;
      if (stored === 0) break;
      if (slots[at] === h && this.keyEquals(stored - 1, key)) return this.update(stored - 1, value);
      slot = (slot + 1) & mask;
    }
    if (this.count === this.cap) {
      this.grow();
      return this.add(key, value);
    }
    const idx = this.count++;
    // A loop beats TypedArray#set for entries of 2-100 bytes (no native call per entry).
    const arena = this.arena;
    let p = idx * this.stride;
    for (let i = 0; i < key.length; i++) arena[p++] = key[i]!;
    for (let i = 0; i < value.length; i++) arena[p++] = value[i]!;
    slots[slot << 1] = h;
    slots[(slot << 1) + 1] = idx + 1;
    return Seen.New;
  }

  private keyEquals(idx: number, key: Uint8Array): boolean {
    const arena = this.arena;
    const base = idx * this.stride;
    for (let i = 0; i < key.length; i++) if (arena[base + i] !== key[i]) return false;
    return true;
  }

  /** Full-byte comparison of the stored value; a different one is stored in its place. */
  private update(idx: number, value: Uint8Array): SeenValue {
    const arena = this.arena;
    const base = idx * this.stride + this.keySize;
    let i = 0;
    while (i < value.length && arena[base + i] === value[i]) i++;
    if (i === value.length) return Seen.SameValue;
    for (; i < value.length; i++) arena[base + i] = value[i]!;
    return Seen.ChangedValue;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const arena = new Uint8Array(cap * this.stride);
    arena.set(this.arena);
    const old = this.slots;
    const slots = new Int32Array(cap * 4);
    const mask = cap * 2 - 1;
    // Walking the old table in slot order (not index order) keeps the reads sequential.
    for (let at = 0; at < old.length; at += 2) {
      const stored = old[at + 1]!;
      if (stored === 0) continue;
      const h = old[at]!;
      let slot = h & mask;
      while (slots[(slot << 1) + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot << 1] = h;
      slots[(slot << 1) + 1] = stored;
    }
    this.arena = arena;
    this.slots = slots;
    this.mask = mask;
    this.cap = cap;
  }
}

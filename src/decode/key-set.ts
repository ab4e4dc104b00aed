/**
 * The set of keys seen in a dump, for de-duplicating the repeats a live map produces
 * (test/fixtures/bpftool-formats), with the last value seen for each key so an identical repeat can be
 * told from a changed one by comparing **all of the value's bytes** (a hash only picks the
 * candidate slot: two values with equal hashes are still two values).
 *
 * Layout, chosen so an insert costs one random memory access (the table slot) and everything
 * else is sequential:
 * - `table`: open addressing, one 32-bit word per slot, at most half full. A word holds the
 *   entry's index + 1 in its low `bits` bits (the table has 2^bits slots) and the hash's high
 *   bits above them as a tag, so a probe rejects a different key without leaving the table
 *   (a separate hash array cost a second random read per occupied slot probed); 0 is empty.
 * - `blocks`: each distinct entry as `key ‖ value` bytes, appended in input order in blocks of
 *   8192 entries (growing never copies them); read back only when a tag matches (then the key
 *   bytes decide, never the tag).
 * - `hashes`: the full hash per index, appended, read in order only when the table grows.
 * Instruction and cache-miss counts against the previous layouts: bench/key-set.js.
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

/** Entries per arena block (a power of two): 8192 ipcache entries are 288 KiB. */
const BLOCK_BITS = 13;
const BLOCK = 1 << BLOCK_BITS;

/**
 * Keys of `keySize` bytes, each with the `valueSize` bytes of the value last seen for it.
 * {@link KeySet.hashKey} is overridable only so tests can force every key into one probe chain
 * (a method, not a constructor argument: a function-valued field is not inlined and cost ~2×).
 */
export class KeySet {
  private readonly stride: number;
  /**
   * The entries, in blocks of {@link BLOCK}: growing adds a block instead of copying everything
   * into an array twice the size (fresh memory is what costs on small VMs: each new page faults).
   */
  private readonly blocks: Uint8Array[] = [];
  /** The full hash of each entry, per block, for rebuilding the table as it grows. */
  private readonly hashes: Int32Array[] = [];
  private table: Int32Array;
  /** log2 of the table's slot count; also how many low bits of a slot word hold index + 1. */
  private bits: number;
  private count = 0;

  /** `initial`: expected number of distinct keys (a hint; the set grows as needed). */
  constructor(
    private readonly keySize: number,
    private readonly valueSize: number,
    initial = 1024,
  ) {
    this.stride = keySize + valueSize;
    this.bits = Math.max(4, Math.ceil(Math.log2(Math.max(1, initial))) + 1);
    this.table = new Int32Array(2 ** this.bits);
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
    const h = this.hashKey(key) | 0;
    const table = this.table;
    const bits = this.bits;
    const mask = table.length - 1;
    const stride = this.stride;
    let slot = h & mask;
    for (;;) {
      const word = table[slot]!;
      if (word === 0) break;
      // Same tag (the hash bits above the slot index): compare the bytes.
      if ((word ^ h) >>> bits === 0) {
        const idx = (word & mask) - 1;
        const block = this.blocks[idx >>> BLOCK_BITS]!;
        const base = (idx & (BLOCK - 1)) * stride;
        let i = 0;
        while (i < key.length && block[base + i] === key[i]) i++;
        if (i === key.length) return update(block, base + key.length, value);
      }
      slot = (slot + 1) & mask;
    }
    // At most half full: grow (and find the slot again in the larger table).
    if (this.count >= table.length >>> 1) {
      this.grow();
      return this.add(key, value);
    }
    const idx = this.count++;
    const b = idx >>> BLOCK_BITS;
    if (b === this.blocks.length) {
      this.blocks.push(new Uint8Array(BLOCK * stride));
      this.hashes.push(new Int32Array(BLOCK));
    }
    const block = this.blocks[b]!;
    // A loop beats TypedArray#set for entries of 2-100 bytes (no native call per entry).
    let p = (idx & (BLOCK - 1)) * stride;
    for (let i = 0; i < key.length; i++) block[p++] = key[i]!;
    for (let i = 0; i < value.length; i++) block[p++] = value[i]!;
    this.hashes[b]![idx & (BLOCK - 1)] = h;
    table[slot] = (h & ~mask) | (idx + 1);
    return Seen.New;
  }

  /** The slot-picking hash of a key; equality is always decided on the bytes. */
  protected hashKey(key: Uint8Array): number {
    return hashBytes(key);
  }

  /** Doubles the table, rebuilt from `hashes`, read in order; the entries stay where they are. */
  private grow(): void {
    const bits = this.bits + 1;
    const table = new Int32Array(2 ** bits);
    const mask = table.length - 1;
    for (let i = 0; i < this.count; i++) {
      const h = this.hashes[i >>> BLOCK_BITS]![i & (BLOCK - 1)]!;
      let slot = h & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = (h & ~mask) | (i + 1);
    }
    this.table = table;
    this.bits = bits;
  }
}

/** Full-byte comparison of the stored value at `base`; a different one is stored in its place. */
function update(arena: Uint8Array, base: number, value: Uint8Array): SeenValue {
  let i = 0;
  while (i < value.length && arena[base + i] === value[i]) i++;
  if (i === value.length) return Seen.SameValue;
  for (; i < value.length; i++) arena[base + i] = value[i]!;
  return Seen.ChangedValue;
}

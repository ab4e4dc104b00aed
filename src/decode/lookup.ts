/**
 * Offline lookups: which entry of a dump the datapath would hit for a key, as `bpf_map_lookup_elem`
 * answers it. Hash maps match the key bytes exactly; LPM tries (`cilium_ipcache`,
 * `cilium_ipcache_v2`) take the longest stored prefix that covers the key, the kernel's rule
 * (`trie_lookup_elem` in kernel/bpf/lpm_trie.c): an entry of `prefixlen` P (the host-order u32 at
 * the start of `struct bpf_lpm_trie_key`) matches a key whose first P bits of data equal its own,
 * P not above the key's own prefixlen.
 */
import type { MapSpec } from '../cilium/catalog';
import type { DecodedRecord } from './dump-decoder';

/** Any decoded record, typed (from `decodeDumpText(text, { map: 'cilium_ipcache' })`) or generic. */
export type AnyRecord = DecodedRecord<object, object>;

/** A hit of {@link lookupEntry}. */
export interface LookupHit<R extends AnyRecord = DecodedRecord> {
  /** The entry the datapath would return. */
  record: R;
  /** `exact` for hash maps (and an LPM entry whose prefix is the key's), `longest-prefix` otherwise. */
  match: 'exact' | 'longest-prefix';
  /** For LPM maps: the matching entry's prefixlen (as stored: ipcache counts 32 static bits). */
  prefixlen?: number;
}

/**
 * Finds the entry a lookup of `key` would hit, feeding records in batches (a dump streams through
 * it, only the best hit so far is kept). Records that cannot be re-encoded with the spec (another
 * map's, in a multi-map dump) are passed over.
 */
export class EntryMatcher<R extends AnyRecord = DecodedRecord> {
  private readonly lpm: boolean;
  private readonly queryLen: number;
  private best: LookupHit<R> | undefined;
  /** Records looked at. */
  seen = 0;

  /**
   * @param spec the map (and layout) the records and the key belong to.
   * @param key the key bytes, `spec.key.sizeof` of them (e.g. from `encodeKeyArgs`).
   */
  constructor(
    private readonly spec: MapSpec,
    private readonly key: Uint8Array,
  ) {
    this.lpm = spec.def.type === 'lpm_trie';
    this.queryLen = this.lpm ? prefixlenOf(key, spec.key.endian) : 0;
  }

  /** Looks at more records. */
  push(records: readonly R[]): void {
    for (const r of records) {
      this.seen++;
      if (r.map !== undefined && r.map !== this.spec.name) continue;
      let bytes: Uint8Array;
      try {
        bytes = this.spec.key.encode(r.key as never);
      } catch {
        continue;
      }
      if (!this.lpm) {
        if (sameBytes(bytes, this.key)) this.best = { record: r, match: 'exact' };
        continue;
      }
      const p = prefixlenOf(bytes, this.spec.key.endian);
      if (p > this.queryLen || (this.best?.prefixlen !== undefined && p < this.best.prefixlen)) continue;
      if (prefixMatches(bytes, this.key, p)) this.best = { record: r, match: p === this.queryLen ? 'exact' : 'longest-prefix', prefixlen: p };
    }
  }

  /** The hit so far (the later of two equal keys wins, as a live dump's newer value does). */
  hit(): LookupHit<R> | undefined {
    return this.best;
  }
}

/**
 * The entry of `records` that a datapath lookup of `key` would hit: exact key bytes for hash
 * maps, the longest matching prefix for LPM maps; undefined when none matches.
 *
 * @param records decoded entries of one map (e.g. `decodeDumpText(text, { map }).records`).
 * @param key key bytes for `spec` (e.g. `encodeKeyArgs(spec, ['10.0.1.5'])`).
 * @param spec the map and layout of both.
 */
export function lookupEntry<R extends AnyRecord>(records: Iterable<R>, key: Uint8Array, spec: MapSpec): LookupHit<R> | undefined {
  const m = new EntryMatcher<R>(spec, key);
  m.push([...records]);
  return m.hit();
}

function prefixlenOf(key: Uint8Array, endian: 'le' | 'be'): number {
  return new DataView(key.buffer, key.byteOffset, 4).getUint32(0, endian === 'le');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether the first `bits` bits after the 4-byte prefixlen agree. */
function prefixMatches(entry: Uint8Array, key: Uint8Array, bits: number): boolean {
  const full = bits >>> 3;
  for (let i = 0; i < full; i++) if (entry[4 + i] !== key[4 + i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((entry[4 + full]! ^ key[4 + full]!) & mask) === 0;
}

/**
 * What the bpftool readers hand on: one event per thing found in bpftool's output, in input order.
 * The readers never decode Cilium structs; they only turn text into bytes (or, for BTF-formatted
 * output, into a faithful tree) and say where each piece came from.
 *
 * Format rules below are bpftool v7.1.0's (`src/map.c`, `src/json_writer.c`, `src/btf_dumper.c`), as
 * captured in test/fixtures/bpftool-formats/ (index.json names each command).
 */

/**
 * The `map show` header of one map inside a multi-map dump (test/fixtures/bpftool-formats):
 * plain `29: hash  name cilium_lb4_serv  flags 0x0`, or the members of a JSON map object
 * `{"id":29,"type":"hash","name":"cilium_lb4_serv","flags":0,"elements":[...]}`.
 */
export interface MapHeader {
  /** Kernel map id. */
  id: number;
  /** Map type as bpftool names it (`hash`, `lpm_trie`, `percpu_hash`, or `type 33` when unknown). */
  type: string;
  /** Kernel map name, cut to 15 characters by the kernel; absent when the map has no name. */
  name?: string;
  /** `map_flags` (printed in hex by plain output, in decimal by JSON). */
  flags: number;
}

/** The value of one CPU in a per-CPU map (plain `value (CPU 01): ..`, JSON `{"cpu":1,"value":[..]}`). */
export interface CpuValue {
  /** CPU number as bpftool printed it (one line per possible CPU). */
  cpu: number;
  /** The `value_size` bytes bpftool printed for that CPU. */
  value: Uint8Array;
}

/** One map element as raw bytes, exactly as bpftool printed it (hex forms, not BTF). */
export interface RawEntry {
  /** Key bytes. */
  key: Uint8Array;
  /** Value bytes of an ordinary map; empty for a zero-size value. */
  value?: Uint8Array;
  /** Values of a per-CPU map, in the order printed. */
  values?: CpuValue[];
  /**
   * The lookup of this key failed inside the dump (test/fixtures/bpftool-formats): `<no entry>` for
   * ENOENT, another `strerror` text, or the text of JSON `"value":{"error":"..."}`. No value then.
   */
  error?: string;
  /** 1-based input line where the entry starts (JSON: the line of the entry's opening `{`). */
  line: number;
  /** The map this entry belongs to, inside a multi-map dump. */
  map?: MapHeader;
  /**
   * `-j`/`-p` of a map with BTF: the `"formatted"` tree printed beside the hex arrays
   * (`{"key": .., "value": ..}`), kept for the first element of each document only. The bytes come
   * from the hex arrays; the tree's member names say which struct layout they were printed from.
   */
  formatted?: BtfNode;
}

/**
 * A BTF-formatted value as bpftool printed it, kept losslessly: duplicate `""` member names
 * stay (in order), numbers keep their literal text (u64 above 2^53, bare hex bitfields `0x1`).
 */
export type BtfNode =
  | { kind: 'object'; members: [string, BtfNode][] }
  | { kind: 'array'; items: BtfNode[] }
  | { kind: 'number'; text: string }
  | {
      kind: 'string';
      value: string;
      /**
       * True when the text was an unquoted word in bpftool's BTF plain output rather than a JSON
       * string, e.g. a `%p` pointer printed as `(nil)`.
       */
      bare?: boolean;
    }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** One event of a bpftool output stream. See each member for the bpftool output it stands for. */
export type DumpEvent =
  /** A map element in hex form (plain dump/lookup, or `-j`/`-p` hex arrays). */
  | { kind: 'entry'; entry: RawEntry }
  /** A map element in BTF plain form: typed trees, no raw bytes. */
  | {
      kind: 'btf';
      key: BtfNode;
      value?: BtfNode;
      values?: { cpu: number; value: BtfNode }[];
      line: number;
      map?: MapHeader;
    }
  /** The `Found N element(s)` trailer of a plain dump; also `[]`, an empty `-j`/`-p` dump (count 0). */
  | { kind: 'trailer'; count: number; line: number }
  /** Start of one map in a multi-map dump. */
  | { kind: 'map'; header: MapHeader; line: number }
  /** A lookup miss: plain `key:\n..\n\nNot found`, JSON `null`. */
  | { kind: 'not-found'; key?: Uint8Array; line: number }
  /** `map getnext` output; `key` is null for `key: None` / `"key":null`. */
  | { kind: 'getnext'; key: Uint8Array | null; nextKey: Uint8Array; line: number }
  /** bpftool's own `Error: ...` line, or a top-level JSON `{"error": "..."}`. */
  | { kind: 'error'; message: string; line: number }
  /** A line that is not bpftool map output (kubectl chatter, `processed N commands`, ...). */
  | { kind: 'noise'; text: string; line: number }
  /**
   * Something that looked like bpftool output but is broken; the reader resynchronises after it.
   * `stray` is true when no map element was lost to it (text after a closed JSON document, a
   * repeated member whose last value was used): the input is still broken and worth reporting.
   */
  | { kind: 'malformed'; reason: string; text: string; line: number; stray?: boolean }
  /**
   * A NUL byte: the input is binary, not bpftool's text output. The readers stop here and ignore
   * everything after it (so `decode-map </dev/zero` ends). `offset` counts the bytes (or, for
   * string input, the UTF-16 code units) before the NUL; `line` is the line it is on.
   */
  | { kind: 'binary'; offset: number; line: number };

/** The `kind` tags of {@link DumpEvent}. */
export type DumpEventKind = DumpEvent['kind'];

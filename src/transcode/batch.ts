/**
 * Entries of one map → JSON text bytes, in batches: the part of a decode that needs no state
 * from the rest of the dump, so it can run on any thread (parallel.ts hands batches to worker
 * threads, or formats them itself). Each entry is decoded by the map's schemas — the one engine
 * every decode uses — and written by the record JSON writer (format/json.ts), so a batch's text
 * is byte for byte what `writeRecordJSON` prints for the record `DumpDecoder` makes.
 *
 * An entry whose decode says anything (non-zero padding, a decode error) is not written here:
 * it is marked irregular and handed back, and the caller decodes it with the decoder's own
 * bookkeeping, so its notices name the right line and count exactly as in a run on one thread.
 */
import { resolveMap, withEntryFields, type MapSpec } from '../cilium/catalog';
import { ByteSink } from '../schema/byte-sink';
import { compileJsonWriter, type JsonWriter } from '../compile/json-writer';
import { ENTRY_KEY, ENTRY_VALUE, JSON_ARRAY, writeKeyJSON, writeValueJSON } from '../format/json';
import type { Endian } from '../schema/field';
import { CodecError } from '../schema/errors';

/** How records are framed: NDJSON (`record\n`) or the inside of a JSON array (`,\nrecord`). */
export type BatchFraming = 'ndjson' | 'json';

/**
 * What a thread needs to rebuild a {@link MapSpec} (specs hold functions, so they cannot be sent
 * to a worker): the map, the version it was resolved for, the host byte order, and the layout
 * labels that must come out again.
 */
export interface BatchSpec {
  readonly name: string;
  readonly version?: string;
  readonly endian: Endian;
  readonly key: string;
  readonly value: string;
}

/** The {@link BatchSpec} of a spec. */
export function batchSpecOf(spec: MapSpec, endian: Endian): BatchSpec {
  return { name: spec.name, version: spec.version?.text, endian, key: `${spec.key.label} ${spec.key.header}`, value: `${spec.value.label} ${spec.value.header}` };
}

const specs = new Map<string, MapSpec | null>();

/**
 * The spec a {@link BatchSpec} describes, or null when resolving it does not give the same
 * layouts (a layout picked by BTF member names that no version names): then the caller decodes.
 */
export function specFromBatch(b: BatchSpec): MapSpec | null {
  const id = JSON.stringify(b);
  let spec = specs.get(id);
  if (spec === undefined) {
    try {
      const s = resolveMap(b.name, b.version, { endian: b.endian });
      const again = batchSpecOf(s, b.endian);
      spec = again.key === b.key && again.value === b.value ? s : null;
    } catch {
      spec = null;
    }
    specs.set(id, spec);
  }
  return spec;
}

/** A batch's text and which of its entries the caller must decode. */
export interface BatchText {
  /** End offset in the sink of each entry's text (an irregular entry's span is empty). */
  readonly ends: Uint32Array;
  /** Indexes of the entries that were not written (padding notice or decode error). */
  readonly irregular: number[];
}

/**
 * Decodes `count` entries packed in `entries` (each `key ‖ value`, `spec.key.sizeof +
 * spec.value.sizeof` bytes) and appends their JSON text to `sink`, framed as `framing` says.
 * Records carry no `line` in JSON, so none is needed.
 */
export function transcodeBatch(spec: MapSpec, entries: Uint8Array, count: number, framing: BatchFraming, sink: ByteSink): BatchText {
  const ks = spec.key.sizeof;
  const stride = ks + spec.value.sizeof;
  if (entries.length < count * stride) throw new CodecError(`transcodeBatch: ${count} entries of ${stride} bytes need ${count * stride} bytes, got ${entries.length}`);
  const ends = new Uint32Array(count);
  const irregular: number[] = [];
  // Fields derived from key and value together (service entries) need both records.
  const kw = spec.deriveEntry ? null : compileJsonWriter(spec.key);
  const vw = spec.deriveEntry ? null : compileJsonWriter(spec.value);
  const opts = {
    notice: false,
    onPadding(): void {
      opts.notice = true;
    },
  };
  for (let i = 0; i < count; i++) {
    const at = i * stride;
    const start = sink.pos;
    if (framing === 'json') sink.ascii(JSON_ARRAY.sep); // the first one becomes JSON_ARRAY.open (parallel.ts)
    opts.notice = false;
    let ok: boolean;
    try {
      ok = writeParts(spec, kw, vw, entries, at, sink, opts);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      ok = false;
    }
    if (ok && !opts.notice) {
      if (framing === 'ndjson') sink.byte(10);
    } else {
      sink.pos = start;
      irregular.push(i);
    }
    ends[i] = sink.pos;
  }
  return { ends, irregular };
}

type Notice = { notice: boolean; onPadding(): void };

/**
 * Key and value each by its JSON writer, or decoded as DumpDecoder decodes it and written as the
 * record writer writes it (writers are null for maps with fields derived from the whole entry).
 */
function writeParts(spec: MapSpec, kw: JsonWriter | null, vw: JsonWriter | null, b: Uint8Array, at: number, sink: ByteSink, opts: Notice): boolean {
  sink.bytes(ENTRY_KEY);
  let key: Record<string, unknown> | undefined;
  if (kw) {
    if (!kw.write(b, at, sink)) return false;
  } else writeKeyJSON((key = spec.key.decodeAt(b, at, opts) as Record<string, unknown>), sink);
  sink.bytes(ENTRY_VALUE);
  const v = at + spec.key.sizeof;
  if (vw) {
    if (!vw.write(b, v, sink)) return false;
  } else {
    const value = spec.value.decodeAt(b, v, opts) as Record<string, unknown>;
    writeValueJSON(key ? withEntryFields(spec, key, value) : value, sink);
  }
  sink.byte(125);
  return true;
}

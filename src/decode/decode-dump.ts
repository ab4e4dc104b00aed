/**
 * The library's one-call entry points: bpftool output (a stream, an async iterable of chunks, or
 * a string) in, typed records out. Streaming end to end: memory is bounded by one input chunk,
 * one batch of records and the set of keys seen (for de-duplication).
 */
import type { KnownMapName, MapKey, MapValue } from '../cilium/catalog';
import type { DecodedRecord, DumpSummary } from './dump-decoder';
import { DumpPipeline, type DumpPipelineOptions } from './pipeline';

/** Options of {@link decodeDump}. */
export type DecodeDumpOptions = DumpPipelineOptions;

/**
 * The records of map `N` (a catalogue name or alias) at Cilium version `V`: key and value typed
 * from the map's schemas — the layouts `V` selects, all of them when `V` is not a literal, the
 * newest when there is none (as at run time).
 */
export type MapRecord<N extends KnownMapName, V extends string | undefined = undefined> = DecodedRecord<MapKey<N, V>, MapValue<N, V>>;

/** Options naming a catalogue map by a literal: the records get that map's types. */
export type DecodeMapOptions<N extends KnownMapName, V extends string | undefined> = DecodeDumpOptions & { map: N; version?: V };

/**
 * Decodes bpftool output as it streams in, yielding the records of each input chunk as one batch.
 * The generator's return value is the {@link DumpSummary}.
 *
 * @example
 * ```ts
 * for await (const batch of decodeDump(process.stdin, { map: 'cilium_ipcache' }))
 *   for (const r of batch) console.log(r.key.cidr, r.value?.sec_identity);
 * ```
 */
export function decodeDump<const N extends KnownMapName, const V extends string | undefined = undefined>(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts: DecodeMapOptions<N, V>,
): AsyncGenerator<MapRecord<N, V>[], DumpSummary, undefined>;
export function decodeDump(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts?: DecodeDumpOptions,
): AsyncGenerator<DecodedRecord[], DumpSummary, undefined>;
export async function* decodeDump(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts: DecodeDumpOptions = {},
): AsyncGenerator<DecodedRecord[], DumpSummary, undefined> {
  const p = new DumpPipeline(opts);
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    const out = p.push(chunk);
    if (out.length) yield out;
  }
  const out = p.end();
  if (out.length) yield out;
  return p.finish();
}

/**
 * Decodes a whole bpftool output held in a string. With `map` a literal catalogue name or alias,
 * the records are typed from that map's schemas ({@link MapRecord}).
 */
export function decodeDumpText<const N extends KnownMapName, const V extends string | undefined = undefined>(
  text: string,
  opts: DecodeMapOptions<N, V>,
): { records: MapRecord<N, V>[]; summary: DumpSummary };
export function decodeDumpText(text: string, opts?: DecodeDumpOptions): { records: DecodedRecord[]; summary: DumpSummary };
export function decodeDumpText(text: string, opts: DecodeDumpOptions = {}): { records: DecodedRecord[]; summary: DumpSummary } {
  const p = new DumpPipeline(opts);
  const records = p.push(text);
  for (const r of p.end()) records.push(r);
  return { records, summary: p.finish() };
}

/**
 * The library's one-call entry points: bpftool output (a stream, an async iterable of chunks, or
 * a string) in, typed records out. Streaming end to end: memory is bounded by one input chunk,
 * one batch of records and the set of keys seen (for de-duplication).
 */
import type { KnownMapName, MapKey, MapValue } from '../cilium/catalog';
import { CodecError } from '../schema/errors';
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
  checkOptions(opts, 'decodeDump');
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new CodecError(`decodeDump: the source must be an iterable or async iterable of strings or Uint8Arrays (a stream), got ${describe(source)}`);
  }
  const p = new DumpPipeline(opts);
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    checkChunk(chunk, 'decodeDump');
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
  if (typeof text !== 'string') throw new CodecError(`decodeDumpText: the text must be a string (bpftool's output), got ${describe(text)}`);
  checkOptions(opts, 'decodeDumpText');
  // The whole input is here: size the de-duplication set for it once.
  const p = new DumpPipeline({ inputBytes: text.length, ...opts });
  const records = p.push(text);
  for (const r of p.end()) records.push(r);
  return { records, summary: p.finish() };
}

/** A value's kind, for argument errors (never its content: it may be large or hostile). */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function checkOptions(opts: unknown, fn: string): void {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new CodecError(`${fn}: the options must be an object, got ${describe(opts)}`);
}

function checkChunk(chunk: unknown, fn: string): void {
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) throw new CodecError(`${fn}: every chunk must be a string or a Uint8Array, got ${describe(chunk)}`);
}

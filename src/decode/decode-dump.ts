/**
 * The library's one-call entry points: bpftool output (a stream, an async iterable of chunks, or
 * a string) in, typed records out. Streaming end to end: memory is bounded by one input chunk,
 * one batch of records and the set of keys seen (for de-duplication).
 */
import { CodecError } from '../schema/errors';
import type { DecodedRecord, DumpSummary } from './dump-decoder';
import { DumpPipeline, type DumpPipelineOptions } from './pipeline';

/** Options of {@link decodeDump}. */
export type DecodeDumpOptions = DumpPipelineOptions;

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

/** Decodes a whole bpftool output held in a string. */
export function decodeDumpText(text: string, opts: DecodeDumpOptions = {}): { records: DecodedRecord[]; summary: DumpSummary } {
  if (typeof text !== 'string') throw new CodecError(`decodeDumpText: the text must be a string (bpftool's output), got ${describe(text)}`);
  checkOptions(opts, 'decodeDumpText');
  const p = new DumpPipeline(opts);
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

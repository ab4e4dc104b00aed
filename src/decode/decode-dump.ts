/**
 * The library's one-call entry points: bpftool output (a stream, an async iterable of chunks, or
 * a string) in, typed records out. Streaming end to end: memory is bounded by one input chunk,
 * one batch of records and the set of keys seen (for de-duplication).
 */
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
  const p = new DumpPipeline(opts);
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    const out = p.push(chunk);
    if (out.length) yield out;
  }
  const out = p.end();
  if (out.length) yield out;
  return p.finish();
}

/** Decodes a whole bpftool output held in a string. */
export function decodeDumpText(text: string, opts: DecodeDumpOptions = {}): { records: DecodedRecord[]; summary: DumpSummary } {
  const p = new DumpPipeline(opts);
  const records = p.push(text);
  for (const r of p.end()) records.push(r);
  return { records, summary: p.finish() };
}

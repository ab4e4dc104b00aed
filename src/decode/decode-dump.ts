/**
 * The library's one-call entry points: bpftool output (a stream, an async iterable of chunks, or
 * a string) in, typed records out. Streaming end to end: memory is bounded by one input chunk,
 * one batch of records and the set of keys seen (for de-duplication).
 */
import type { DumpEvent } from '../bpftool/events';
import { createDumpParser, type ParseOptions } from '../bpftool/parse';
import { DumpDecoder, type DecodedRecord, type DumpDecoderOptions, type DumpSummary } from './dump-decoder';

/** Options of {@link decodeDump}. */
export interface DecodeDumpOptions extends DumpDecoderOptions, ParseOptions {}

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
  const decoder = new DumpDecoder(opts);
  let events: DumpEvent[] = [];
  const parser = createDumpParser((e) => events.push(e), opts);
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    parser.push(chunk);
    if (events.length === 0) continue;
    const out: DecodedRecord[] = [];
    decoder.push(events, out);
    events = [];
    if (out.length) yield out;
  }
  parser.end();
  const out: DecodedRecord[] = [];
  decoder.push(events, out);
  if (out.length) yield out;
  return decoder.finish();
}

/** Decodes a whole bpftool output held in a string. */
export function decodeDumpText(text: string, opts: DecodeDumpOptions = {}): { records: DecodedRecord[]; summary: DumpSummary } {
  const decoder = new DumpDecoder(opts);
  const events: DumpEvent[] = [];
  const parser = createDumpParser((e) => events.push(e), opts);
  parser.push(text);
  parser.end();
  const records: DecodedRecord[] = [];
  decoder.push(events, records);
  return { records, summary: decoder.finish() };
}

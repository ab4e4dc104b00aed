/**
 * `decode-map` reading Cilium's own list text (`cilium-dbg bpf … list`, `cilium map get`):
 * forced with `--input-format cilium-text`, or recognised from the start of the input.
 */
import { CiliumTextReader, looksLikeCiliumText } from '../index';
import { EXIT, UsageError, warn, type CliIO } from './io';
import { makeWriter, outputFormat, put } from './output';

/** The inputs with their first chunk read (and replayed), and whether they are Cilium's text. */
export async function sniffCiliumText(inputFormat: string, inputs: AsyncIterable<Uint8Array>[]): Promise<{ isText: boolean; inputs: AsyncIterable<Uint8Array>[] }> {
  if (inputFormat === 'cilium-text') return { isText: true, inputs };
  if (inputFormat !== 'auto' || inputs.length === 0) return { isText: false, inputs };
  const it = inputs[0]![Symbol.asyncIterator]();
  const first = await it.next();
  // Chunks may share a buffer that the next read refills: keep a copy of the one looked at.
  const head = first.done ? new Uint8Array(0) : Uint8Array.from(first.value);
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const isText = looksLikeCiliumText(new TextDecoder().decode(head.subarray(0, 8192)));
  return { isText, inputs: [replay(), ...inputs.slice(1)] };
}

/** Decodes Cilium's list text; resolves to the exit code. */
export async function decodeCiliumText(
  inputs: AsyncIterable<Uint8Array>[],
  opts: { map?: string; version?: string; endian?: 'le' | 'be'; output: string; headers?: boolean; strict?: boolean },
  io: CliIO,
): Promise<number> {
  if (opts.output === 'cilium') throw new UsageError('-o cilium prints what the input already is; use table, json or ndjson with Cilium text input');
  const reader = new CiliumTextReader({ map: opts.map, version: opts.version, endian: opts.endian });
  // The same writers as bpftool input: table, wide (and --no-headers), json, ndjson.
  const writer = makeWriter(outputFormat(opts.output), () => undefined, { headers: opts.headers });
  for (const input of inputs) for await (const chunk of input) await put(io, writer.write(reader.push(chunk)));
  await put(io, writer.write(reader.end()));
  await put(io, writer.end());
  const summary = reader.finish();
  for (const i of summary.issues) warn(io, i.count > 1 ? `${i.message} (and ${i.count - 1} more like it)` : i.message);
  for (const m of summary.maps) {
    if (m.notCarried.length) warn(io, `${m.name}: ${m.records} entries from Cilium's list text, which does not print ${m.notCarried.join(', ')}`);
  }
  if (summary.records === 0 && summary.skipped === 0) warn(io, "no entries in the input (Cilium's list text)");
  if (summary.skipped > 0) warn(io, `${summary.skipped} line${summary.skipped === 1 ? ' was' : 's were'} skipped`);
  return summary.skipped > 0 || (opts.strict && summary.records === 0) ? EXIT.INPUT : EXIT.OK;
}

/**
 * `decode-map`: a thin shell over the public API — arguments, streams, exit codes.
 * 0 ok, 1 input/decode errors, 2 usage errors. Dispatches to the verbs of verbs.ts; without a
 * verb (or with `decode`) it decodes bpftool output, the verb defined here.
 */
import {
  CodecError,
  DumpDecoder,
  DumpPipeline,
  DumpTranscoder,
  DumpError,
  MAX_JOBS,
  VersionError,
  entryTimes,
  findMap,
  parseBpfClock,
  type MapSpec,
  suggestMap,
  unknownMapMessage,
  type DecodedRecord,
  type DumpSummary,
} from '../index';
import { fstatSync, statSync } from 'node:fs';
import { checkInputFile, errnoText, InputError, pathKind, readSource } from './input';
import { EXIT, UsageError, warn, type CliIO } from './io';
import { decodeCiliumText, sniffCiliumText } from './cilium-text-input';
import { decodeHelp, mainHelp } from './help';
import { READ_OPTIONS, parseVerbArgs, readOptions } from './options';
import { makeWriter, put, type Times } from './output';
import type { Verb } from './verb';
import { VERBS, packageVersion, suggestVerb } from './verbs';

/** The default verb: decode bpftool output. */
const decodeVerb: Verb = {
  name: 'decode',
  usage: 'decode [MAP] [FILE...]',
  summary: 'the same as without a verb (for a file named like a verb)',
  get help() {
    return decodeHelp();
  },
  run: (args, io) => decode(args, io),
};

/** Runs the CLI; resolves to the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const first = argv[0];
  const named = first === undefined ? undefined : first === 'decode' ? decodeVerb : VERBS.find((v) => v.name === first);
  const verb = named ?? decodeVerb;
  const args = named ? argv.slice(1) : argv;
  try {
    if (!named && args.length > 0 && args.every((a) => a === '-h' || a === '--help')) {
      io.stdout.write(mainHelp());
      return EXIT.OK;
    }
    if (named && wantsHelp(args)) {
      io.stdout.write(verb.help);
      return EXIT.OK;
    }
    return await verb.run(args, io);
  } catch (e) {
    const helpHint = named ? `see 'decode-map ${verb.name} --help'` : `see 'decode-map --help'`;
    if (e instanceof UsageError || e instanceof VersionError) {
      warn(io, e.message.replace(/^cilium-map-codec: /, ''));
      warn(io, helpHint);
      return EXIT.USAGE;
    }
    if (e instanceof DumpError) {
      warn(io, e.message.replace(/^cilium-map-codec: /, ''));
      return e.kind === 'ambiguous-map' ? EXIT.USAGE : EXIT.INPUT;
    }
    if (e instanceof CodecError || e instanceof InputError) {
      warn(io, e.message.replace(/^cilium-map-codec: /, ''));
      return EXIT.INPUT;
    }
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'EPIPE') return EXIT.OK;
    if (code) {
      warn(io, `${(e as NodeJS.ErrnoException).syscall === 'write' ? 'cannot write output' : 'error'}: ${errnoText(e)}`);
      return EXIT.INPUT;
    }
    throw e;
  }
}

/** `-h`/`--help` among a verb's words (before a `--`, after which words are values). */
function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '-h' || a === '--help') return true;
  }
  return false;
}

/**
 * Which words are the map and which are files: an existing file is a file (stderr says so when the
 * word is also a map name); a pinned path on bpffs or a known map name is the map; anything else
 * is an error that offers the nearest map or verb.
 */
function mapAndFiles(positionals: string[], mapOpt: string | undefined, io: CliIO): { mapArg: string | undefined; files: string[] } {
  if (mapOpt !== undefined) {
    if (!findMap(mapOpt)) throw new UsageError(unknownMapMessage(mapOpt));
    return { mapArg: mapOpt, files: positionals };
  }
  const first = positionals[0];
  if (first === undefined || first === '-') return { mapArg: undefined, files: positionals };
  const kind = pathKind(first);
  const asMap = findMap(first);
  if (asMap && kind === 'file') {
    warn(io, `"${first}" is an existing file and also a map name: reading it as a file (to name the map, use --map ${asMap.name})`);
    return { mapArg: undefined, files: positionals };
  }
  if (asMap && (kind === 'none' || kind === 'pinned-map')) return { mapArg: first, files: positionals.slice(1) };
  if (kind === 'none') {
    const verb = suggestVerb(first);
    if (verb && !suggestMap(first)) throw new UsageError(`unknown verb or map "${first}"; did you mean ${verb}?`);
    if (!suggestMap(first) && /[./]/.test(first)) throw new UsageError(`no such file: ${first}`);
    throw new UsageError(`${unknownMapMessage(first)} (and no file of that name)`);
  }
  return { mapArg: undefined, files: positionals };
}

async function decode(argv: string[], io: CliIO): Promise<number> {
  const { values: o, positionals } = parseVerbArgs(argv, {
    ...READ_OPTIONS,
    map: { type: 'string', short: 'm' },
    strict: { type: 'boolean', default: false },
    'keep-repeats': { type: 'boolean', default: false },
    jobs: { type: 'string', short: 'j' },
    now: { type: 'string' },
    'bpf-clock': { type: 'string', default: 'ktime' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
  });
  if (o.help) {
    io.stdout.write(mainHelp());
    return EXIT.OK;
  }
  if (o.version) {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.OK;
  }
  const ro = readOptions(o);

  const { mapArg, files } = mapAndFiles(positionals, o.map, io);
  for (const f of files) checkInputFile(f);
  if (files.length === 0 && (io.stdinIsTTY ?? io.stdin.isTTY)) {
    throw new UsageError('no input: pipe bpftool output in, or name a file');
  }

  const sources = files.length ? files : ['-'];
  // Cilium's own list text (forced, or recognised from the first chunk) has its own reader.
  const sniffed = await sniffCiliumText(ro.inputFormat, sources.map((src) => readSource(src, io)));
  if (sniffed.isText) return decodeCiliumText(sniffed.inputs, { map: mapArg, version: ro.version, endian: ro.endian, output: ro.output, headers: ro.headers, strict: o.strict }, io);
  const pipelineOpts = {
    map: mapArg,
    version: ro.version,
    strict: o.strict,
    endian: ro.endian,
    dedupe: !o['keep-repeats'],
    inputBytes: inputBytes(sources),
    format: ro.inputFormat === 'cilium-text' ? ('auto' as const) : ro.inputFormat,
  };
  const times = timeOptions(o.now, o['bpf-clock']);
  const jobs = jobsOption(o.jobs);
  // JSON text without --now's added fields: straight to bytes, decoded on worker threads.
  if ((ro.output === 'ndjson' || ro.output === 'json') && times.now === undefined) {
    const t = new DumpTranscoder({ ...pipelineOpts, output: ro.output, jobs });
    try {
      for (const input of sniffed.inputs) {
        for await (const chunk of input) for await (const bytes of t.push(chunk)) await put(io, bytes);
      }
      for await (const bytes of t.end()) await put(io, bytes);
    } catch (e) {
      // An input that cannot be read: what was decoded before it is printed, `-o json` closed.
      if (e instanceof InputError) for await (const bytes of t.abort()) await put(io, bytes);
      throw e;
    } finally {
      t.close();
    }
    return report(io, t.finish(), t.decoder.spec);
  }
  const pipeline = new DumpPipeline(pipelineOpts);
  const decoder = pipeline.decoder;
  const writer = makeWriter(ro.output, () => decoder.spec, { headers: ro.headers, times });
  const emit = async (records: DecodedRecord[]): Promise<void> => {
    if (!records.length) return;
    if (times.now !== undefined && ro.output !== 'cilium') addTimes(records, decoder.spec, times);
    await put(io, writer.write(records));
  };
  try {
    for (const input of sniffed.inputs) {
      for await (const chunk of input) await emit(pipeline.push(chunk));
    }
    await emit(pipeline.end());
  } catch (e) {
    // A failing run (--strict, an unreadable file) has printed every record decoded before the
    // failure (the pipeline hands them out before it throws) and closes its document: `-o json`
    // output is always valid JSON.
    await put(io, writer.end());
    throw e;
  }
  await put(io, writer.end());
  return report(io, pipeline.finish(), decoder.spec);
}

/** The summary on stderr; the exit code it means. */
function report(io: CliIO, summary: DumpSummary, spec: MapSpec | undefined): number {
  for (const line of DumpDecoder.describe(summary, spec)) warn(io, line);
  const failed = summary.skipped > 0 || summary.issues.some((i) => i.kind !== 'noise');
  return failed ? EXIT.INPUT : EXIT.OK;
}

/** `--jobs`: worker threads, 0 to MAX_JOBS; default 0 (see TranscodeOptions.jobs for why). */
function jobsOption(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = /^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n <= MAX_JOBS)) throw new UsageError(`--jobs must be a whole number of worker threads from 0 (none) to ${MAX_JOBS}, got "${text}"`);
  return n;
}

/** The total size of the inputs when all are regular files (standard input included), else undefined. */
function inputBytes(sources: string[]): number | undefined {
  let total = 0;
  for (const src of sources) {
    try {
      const st = src === '-' ? fstatSync(0) : statSync(src);
      if (!st.isFile()) return undefined;
      total += st.size;
    } catch {
      return undefined;
    }
  }
  return total;
}

function timeOptions(now: string | undefined, clock: string): Times {
  let c;
  try {
    c = parseBpfClock(clock);
  } catch (e) {
    throw new UsageError(`--bpf-clock: ${(e as Error).message}`);
  }
  if (now === undefined) return { clock: c };
  if (!/^\d+$/.test(now.trim())) throw new UsageError(`--now must be the node's monotonic clock in whole seconds (bpf_mono_now units), got "${now}"`);
  return { now: Number(now), clock: c };
}

/** `--now` on table/json output: the CT/NAT time fields beside the raw ones. */
function addTimes(records: DecodedRecord[], spec: MapSpec | undefined, t: Times): void {
  if (!spec || t.now === undefined) return;
  for (const r of records) if (r.value) Object.assign(r.value, entryTimes(spec.def.kind, r.value, t.now, t.clock));
}

/**
 * `decode-map`: a thin shell over the public API — arguments, streams, exit codes.
 * 0 ok, 1 input/decode errors, 2 usage errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readChunks } from './read-chunks';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CodecError,
  DumpDecoder,
  DumpPipeline,
  DumpError,
  MAPS,
  TableWriter,
  VersionError,
  findMap,
  layoutsOf,
  recordToJSONText,
  type DecodedRecord,
  type MapSpec,
} from '../index';
import { ciliumRowFor } from './cilium-output';
import { EXIT, UsageError, warn, type CliIO } from './io';
import { runKeygen } from './keygen';
import { runSysdump } from './sysdump';
import { decodeCiliumText, sniffCiliumText } from './cilium-text-input';

const HELP = `decode-map — decode Cilium BPF map dumps (bpftool output) into readable records

Usage:
  decode-map [MAP] [FILE...] [options]      decode bpftool map dump/lookup output (FILEs or stdin)
  decode-map maps                           list known maps, sizes and layouts per Cilium version
  decode-map sysdump PATH [options]         decode every map dump of every node in a sysdump
                                            (see decode-map sysdump --help)
  decode-map key MAP ARGS... [--cmd lookup|delete|getnext] [--pin PATH]
                                            key hex (or a whole bpftool command) for MAP
  decode-map value MAP FIELD=VALUE...       value hex for MAP
  decode-map update MAP KEYARGS... -- FIELD=VALUE...
                                            a bpftool map update command

MAP is a map name (cilium_ipcache), a pinned path (/sys/fs/bpf/tc/globals/cilium_lxc) or an alias
(lxc, ipcache, ipcache-v2, lb4-services, lb4-backends, lb4-revnat, lb6-...). Without MAP the map is
identified from the key/value sizes in the input.

Options:
  -o, --output FORMAT        table (default), json, ndjson, cilium (the text cilium-dbg prints)
      --cilium-version X.Y[.Z]  layout of that Cilium release (default: the newest for the map)
      --strict               any malformed or skipped entry, or non-zero padding, fails the run
      --host-endian le|be    byte order of the node the dump came from (default le: x86-64, arm64)
      --input-format auto|plain|json|cilium-text
                             cilium-text: what cilium-dbg bpf ... list / cilium map get print
      --keep-repeats         keep repeated keys (default: drop identical repeats of a live dump)
  -h, --help                 this help
  -V, --version              the package version

Examples:
  kubectl -n kube-system exec ds/cilium -- bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_ipcache | decode-map cilium_ipcache
  bpftool -j map dump pinned /sys/fs/bpf/tc/globals/cilium_lxc | decode-map lxc -o ndjson | jq .
  decode-map lb4-services dump.txt --cilium-version 1.16 -o cilium
  decode-map key ipcache 10.10.1.155/32 --cmd lookup

Exit status: 0 ok, 1 input or decode errors (reported on stderr), 2 usage errors.
`;

/** Runs the CLI; resolves to the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  try {
    const sub = argv[0];
    if (sub === 'key' || sub === 'value' || sub === 'update') return await runKeygen(sub, argv.slice(1), io);
    if (sub === 'maps') return listMaps(argv.slice(1), io);
    if (sub === 'sysdump') return await runSysdump(argv.slice(1), io);
    return await decode(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof VersionError) {
      warn(io, e.message.replace(/^cilium-map-codec: /, ''));
      warn(io, 'see decode-map --help');
      return EXIT.USAGE;
    }
    if (e instanceof DumpError) {
      warn(io, e.message.replace(/^cilium-map-codec: /, ''));
      return e.kind === 'ambiguous-map' ? EXIT.USAGE : EXIT.INPUT;
    }
    if (e instanceof CodecError) {
      warn(io, e.message.replace(/^cilium-map-codec: /, ''));
      return EXIT.INPUT;
    }
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') return EXIT.OK;
    throw e;
  }
}

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return 'unknown';
}

function listMaps(args: string[], io: CliIO): number {
  if (args.length) throw new UsageError(`maps takes no arguments, got ${args.join(' ')}`);
  let out = '';
  for (const m of MAPS) {
    out += `${m.name}  (${m.type}, key ${m.keySize}B, value ${m.valueSize}B, max_entries ${m.maxEntries}, flags 0x${m.flags.toString(16)}; aliases: ${m.aliases.join(', ')})\n`;
    if (m.note) out += `    note: ${m.note}\n`;
    for (const l of layoutsOf(m)) out += `    key ${l.key.padEnd(26)} value ${l.value.padEnd(32)} ${l.versions}\n`;
  }
  io.stdout.write(out);
  return EXIT.OK;
}

type OutputFormat = 'table' | 'json' | 'ndjson' | 'cilium';

async function decode(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o', default: 'table' },
        'cilium-version': { type: 'string' },
        strict: { type: 'boolean', default: false },
        'host-endian': { type: 'string', default: 'le' },
        'input-format': { type: 'string', default: 'auto' },
        'keep-repeats': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: o, positionals } = parsed;
  if (o.help) {
    io.stdout.write(HELP);
    return EXIT.OK;
  }
  if (o.version) {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.OK;
  }
  const output = o.output as OutputFormat;
  if (!['table', 'json', 'ndjson', 'cilium'].includes(output)) throw new UsageError(`--output must be table, json, ndjson or cilium, got "${o.output}"`);
  if (o['host-endian'] !== 'le' && o['host-endian'] !== 'be') throw new UsageError(`--host-endian must be le or be, got "${o['host-endian']}"`);
  const inputFormat = o['input-format'];
  if (inputFormat !== 'auto' && inputFormat !== 'plain' && inputFormat !== 'json' && inputFormat !== 'cilium-text') throw new UsageError(`--input-format must be auto, plain, json or cilium-text, got "${inputFormat}"`);

  // MAP is the first positional when it names a map; otherwise every positional is a file.
  let mapArg: string | undefined;
  let files = positionals;
  if (positionals.length > 0 && findMap(positionals[0]!)) {
    mapArg = positionals[0];
    files = positionals.slice(1);
  } else if (positionals.length > 0 && positionals[0] !== '-' && !existsSync(positionals[0]!)) {
    throw new UsageError(`"${positionals[0]}" is neither a known map nor a file; known maps: ${MAPS.map((m) => m.name).join(', ')} (run decode-map maps)`);
  }
  for (const f of files) if (f !== '-' && !existsSync(f)) throw new UsageError(`no such file: ${f}`);
  if (files.length === 0 && (io.stdinIsTTY ?? io.stdin.isTTY)) {
    io.stderr.write(HELP);
    throw new UsageError('no input: pipe bpftool output in, or name a file');
  }

  const sources = files.length ? files : ['-'];
  const read = (src: string): AsyncIterable<Uint8Array> => (src === '-' ? (io.readStdin?.() ?? io.stdin) : readChunks(src));
  const sniffed = await sniffCiliumText(inputFormat, sources.map(read));
  if (sniffed.isText) return decodeCiliumText(sniffed.inputs, { map: mapArg, version: o['cilium-version'], endian: o['host-endian'], output, strict: o.strict }, io);
  const pipeline = new DumpPipeline({
    map: mapArg,
    version: o['cilium-version'],
    strict: o.strict,
    endian: o['host-endian'],
    dedupe: !o['keep-repeats'],
    format: inputFormat === 'cilium-text' ? 'auto' : inputFormat,
  });
  const decoder = pipeline.decoder;
  const writer = makeWriter(output, () => decoder.spec);
  const emit = async (records: DecodedRecord[]): Promise<void> => {
    if (!records.length) return;
    const text = writer.write(records);
    if (text && !io.stdout.write(text)) await once(io.stdout, 'drain');
  };
  for (const input of sniffed.inputs) {
    for await (const chunk of input) await emit(pipeline.push(chunk));
  }
  await emit(pipeline.end());
  const tail = writer.end();
  if (tail && !io.stdout.write(tail)) await once(io.stdout, 'drain');
  const summary = pipeline.finish();
  for (const line of DumpDecoder.describe(summary, decoder.spec)) warn(io, line);
  const failed = summary.skipped > 0 || summary.issues.some((i) => i.kind !== 'noise');
  return failed ? EXIT.INPUT : EXIT.OK;
}

interface Writer {
  write(records: DecodedRecord[]): string;
  end(): string;
}

function makeWriter(format: OutputFormat, spec: () => MapSpec | undefined): Writer {
  switch (format) {
    case 'ndjson':
      return {
        write: (rs) => {
          let s = '';
          for (const r of rs) s += `${recordToJSONText(r)}\n`;
          return s;
        },
        end: () => '',
      };
    case 'json': {
      let first = true;
      return {
        write: (rs) => {
          let s = '';
          for (const r of rs) {
            s += `${first ? '[\n' : ',\n'}${recordToJSONText(r)}`;
            first = false;
          }
          return s;
        },
        end: () => (first ? '[]\n' : '\n]\n'),
      };
    }
    case 'table': {
      const t = new TableWriter();
      return { write: (rs) => t.write(rs), end: () => t.end() };
    }
    case 'cilium':
      return {
        write: (rs) => {
          let s = '';
          for (const r of rs) s += `${ciliumRowFor(spec()!, r)}\n`;
          return s;
        },
        end: () => '',
      };
  }
}

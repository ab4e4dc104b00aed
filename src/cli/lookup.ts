/**
 * `decode-map lookup MAP KEYARGS... [-f FILE]`: which entry of a dump the datapath would hit for a
 * key — the longest prefix for LPM maps (ipcache), the exact key for hash maps — printed in the
 * chosen `-o` format. Exit 1 with one line when nothing matches.
 */
import { DumpDecoder, DumpPipeline, EntryMatcher, bytesToHex, encodeKeyArgs, findMap, knownVersionsText, resolveMap, CodecError, unknownMapMessage, type KeyArgOptions } from '../index';
import { checkInputFile, readSource } from './input';
import { EXIT, UsageError, warn } from './io';
import { KEY_ARGS_HELP } from './keygen';
import { READ_OPTIONS, parseVerbArgs, readOptions } from './options';
import { makeWriter, OUTPUT_HELP, put } from './output';
import type { Verb } from './verb';

const HELP = `Usage:
  decode-map lookup MAP KEYARGS... [-f FILE] [options]

Answers "which entry would the datapath hit for this key" from a bpftool dump of MAP (FILE, or
standard input without -f): the longest stored prefix that covers the key for LPM maps
(cilium_ipcache, cilium_ipcache_v2), the exact key for hash maps. Prints the hit; exit 1 when no
entry matches.

${KEY_ARGS_HELP}

Options:
  -f, --file FILE            the dump (default: standard input)
${OUTPUT_HELP}
      --cilium-version X.Y[.Z]  layout of that Cilium release; known: ${knownVersionsText()}
      --host-endian le|be    byte order of the node the dump came from (default le)
      --input-format auto|plain|json
      --slot N, --scope ext|int, --proto P   service keys (default slot 0, the master entry)
      --dir out|in|svc       conntrack and NAT keys: which entry of the connection

Example:
  decode-map lookup ipcache 10.0.1.5 -f ipcache-dump.txt
`;

/** `decode-map lookup`. */
export const lookupVerb: Verb = {
  name: 'lookup',
  usage: 'lookup MAP KEYARGS... [-f FILE]',
  summary: 'the dump entry a datapath lookup would hit',
  help: HELP,
  async run(argv, io) {
    const { values: o, positionals } = parseVerbArgs(argv, {
      ...READ_OPTIONS,
      file: { type: 'string', short: 'f' },
      slot: { type: 'string' },
      scope: { type: 'string' },
      proto: { type: 'string' },
      dir: { type: 'string' },
    });
    const [mapArg, ...keyArgs] = positionals;
    if (mapArg === undefined) throw new UsageError('no map given (e.g. ipcache, lxc, lb4-services, lb4-backends, lb4-revnat)');
    if (!findMap(mapArg)) throw new UsageError(unknownMapMessage(mapArg));
    if (keyArgs.length === 0) throw new UsageError(`no key given; e.g. decode-map lookup ${mapArg} ${findMap(mapArg)!.type === 'lpm_trie' ? '10.0.1.5' : 'KEYARGS'} -f dump.txt`);
    const ro = readOptions(o);
    const file = o.file ?? '-';
    if (o.file === '') throw new UsageError('-f needs a file name; it was given an empty one (an unset variable?)');
    checkInputFile(file);
    if (file === '-' && (io.stdinIsTTY ?? io.stdin.isTTY)) throw new UsageError('no input: pipe a bpftool dump in, or name it with -f FILE');

    const spec = resolveMap(mapArg, ro.version, { endian: ro.endian });
    const kopts: KeyArgOptions = {};
    if (o.slot !== undefined) kopts.slot = o.slot;
    if (o.scope !== undefined) kopts.scope = o.scope;
    if (o.proto !== undefined) kopts.proto = o.proto;
    if (o.dir !== undefined) kopts.dir = o.dir;
    let key: Uint8Array;
    try {
      key = encodeKeyArgs(spec, keyArgs, kopts);
    } catch (e) {
      if (e instanceof CodecError) throw new UsageError(e.message.replace(/^cilium-map-codec: /, ''));
      throw e;
    }

    if (ro.inputFormat === 'cilium-text') throw new UsageError('lookup reads bpftool output (auto, plain or json); --input-format cilium-text is for decoding');
    const pipeline = new DumpPipeline({ map: mapArg, version: ro.version, endian: ro.endian, format: ro.inputFormat });
    const matcher = new EntryMatcher(spec, key);
    for await (const chunk of readSource(file, io)) matcher.push(pipeline.push(chunk));
    matcher.push(pipeline.end());
    const summary = pipeline.finish();
    for (const line of DumpDecoder.describe(summary, pipeline.decoder.spec)) warn(io, line);

    const hit = matcher.hit();
    const asked = keyArgs.join(' ');
    if (spec.def.type === 'lpm_trie' && matcher.seen === 1 && summary.found === undefined) {
      warn(io, `the input holds one entry and no "Found N elements" line: if it is \`bpftool map lookup\` output, note that bpftool prints the key it was asked with, not the stored prefix that matched (only the value is the entry's)`);
    }
    if (!hit) {
      warn(io, `no entry of ${spec.name} matches ${asked} (key ${bytesToHex(key)}); ${matcher.seen} entr${matcher.seen === 1 ? 'y' : 'ies'} read`);
      return EXIT.INPUT;
    }
    const writer = makeWriter(ro.output, () => spec, { headers: ro.headers });
    await put(io, writer.write([hit.record]));
    await put(io, writer.end());
    if (hit.match === 'longest-prefix') warn(io, `${asked}: longest-prefix match ${String(hit.record.key.cidr ?? `prefixlen ${hit.prefixlen}`)} (line ${hit.record.line})`);
    return summary.skipped > 0 ? EXIT.INPUT : EXIT.OK;
  },
};

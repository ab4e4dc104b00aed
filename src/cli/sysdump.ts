/**
 * `decode-map sysdump PATH`: every node of a Cilium sysdump (or one bugtool directory/archive),
 * every map dump in it the package knows, decoded with the layouts of the version that node ran.
 */
import type { Verb } from './verb';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseVerbArgs } from './options';
import { Writable } from 'node:stream';
import { JSON_ARRAY, MAPS, findMap, mapFailed, readSysdump, recordToJSONText, tabwrite, type DecodedRecord, type MapReport, type NodeReport } from '../index';
import { EXIT, UsageError, warn, type CliIO } from './io';

const HELP = `decode-map sysdump — decode every map dump in a Cilium sysdump, per node, with that node's Cilium version

Usage:
  decode-map sysdump PATH [options]

PATH is a cilium-sysdump-<ts>.zip, an extracted sysdump directory, one cilium-bugtool-<pod>-<ts>/
directory, or a bugtool .tar.gz (also when left unextracted inside the sysdump). Nothing is
extracted to disk.

Options:
  -o, --output FORMAT        table (default: one line per node and map), ndjson, json (every record,
                             with "node" and "map" added)
      --map NAME             only this map (repeatable; names or aliases, see decode-map maps)
      --node NAME            only this node, the agent pod name (repeatable)
      --out DIR              write DIR/<node>/<map>.ndjson for every node and map; print the table
      --cilium-version X.Y[.Z]  decode every node with this version (default: detected per node)
      --host-endian le|be    byte order of the nodes (default le)
      --keep-repeats         keep repeated keys
  -h, --help                 this help

The version of each node comes from the DaemonSet image tag, then cilium-dbg status --verbose, then
the CLI binary's name, then the maps and sizes in bpftool map show; the table says which decided.
Exit status: 0 ok, 1 a dump was cut short or had problems (reported on stderr), 2 usage errors.
`;

type Format = 'table' | 'json' | 'ndjson';

/** Runs `decode-map sysdump`; resolves to the exit code. */
export async function runSysdump(argv: string[], io: CliIO): Promise<number> {
  const { values: o, positionals } = parseVerbArgs(argv, {
    output: { type: 'string', short: 'o', default: 'table' },
    map: { type: 'string', multiple: true },
    node: { type: 'string', multiple: true },
    out: { type: 'string' },
    'cilium-version': { type: 'string' },
    'host-endian': { type: 'string', default: 'le' },
    'keep-repeats': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  });
  if (o.help) {
    io.stdout.write(HELP);
    return EXIT.OK;
  }
  const format = o.output as Format;
  if (!['table', 'json', 'ndjson'].includes(format)) throw new UsageError(`sysdump --output must be table, json or ndjson, got "${o.output}"`);
  if (o['host-endian'] !== 'le' && o['host-endian'] !== 'be') throw new UsageError(`--host-endian must be le or be, got "${o['host-endian']}"`);
  if (positionals.length !== 1) throw new UsageError(`sysdump takes one PATH, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const path = positionals[0]!;
  if (!existsSync(path)) throw new UsageError(`no such file or directory: ${path}`);
  for (const m of o.map ?? []) {
    if (!findMap(m)) throw new UsageError(`--map ${m}: not a map this package knows; known maps: ${MAPS.map((d) => d.name).join(', ')}`);
  }

  const reports: MapReport[] = [];
  const nodes: NodeReport[] = [];
  const files = new Map<string, WriteStream>();
  const write = async (w: Writable, text: string): Promise<void> => {
    if (text && !w.write(text)) await once(w, 'drain');
  };
  const fileFor = (node: string, map: string): WriteStream => {
    const k = `${node}\u0000${map}`;
    let w = files.get(k);
    if (!w) {
      mkdirSync(join(o.out!, safe(node)), { recursive: true });
      files.set(k, (w = createWriteStream(join(o.out!, safe(node), `${safe(map)}.ndjson`))));
    }
    return w;
  };
  let firstJson = true;
  const lines = (node: string, map: string, records: DecodedRecord[], sep: string): string => {
    const head = `{"node":${JSON.stringify(node)},"map":${JSON.stringify(map)},`;
    let s = '';
    for (const r of records) {
      r.map = undefined;
      s += `${sep}${head}${recordToJSONText(r).slice(1)}\n`;
    }
    return s;
  };
  for await (const ev of readSysdump(path, {
    version: o['cilium-version'],
    maps: o.map,
    nodes: o.node,
    endian: o['host-endian'],
    dedupe: !o['keep-repeats'],
  })) {
    switch (ev.kind) {
      case 'sysdump':
        for (const n of ev.notes) warn(io, n);
        if (o.node) for (const n of o.node) if (!ev.nodes.includes(n)) warn(io, `--node ${n}: no such node in ${path}`);
        if (ev.nodes.length === 0) warn(io, `${path}: no node to read`);
        break;
      case 'node':
        nodes.push(ev.node);
        if (format !== 'table' || o.out) warn(io, `${ev.node.node}: Cilium ${ev.node.version.reason}`);
        break;
      case 'records':
        if (o.out) await write(fileFor(ev.node, ev.map), lines(ev.node, ev.map, ev.records, ''));
        else if (format === 'ndjson') await write(io.stdout, lines(ev.node, ev.map, ev.records, ''));
        else if (format === 'json') {
          // One array: every record but the first is preceded by a comma.
          let s = '';
          for (const r of ev.records) {
            s += `${firstJson ? JSON_ARRAY.open : JSON_ARRAY.sep}${lines(ev.node, ev.map, [r], '').slice(0, -1)}`;
            firstJson = false;
          }
          await write(io.stdout, s);
        }
        break;
      case 'map':
        reports.push(ev.report);
        if (mapFailed(ev.report)) for (const p of ev.report.problems) warn(io, `${ev.report.node} ${ev.report.map}: ${p}`);
        break;
    }
  }
  for (const w of files.values()) {
    w.end();
    await once(w, 'close');
  }
  if (format === 'json' && !o.out) await write(io.stdout, firstJson ? JSON_ARRAY.empty : JSON_ARRAY.close);
  if (format === 'table' || o.out) await write(io.stdout, summaryTable(nodes, reports));
  return reports.some(mapFailed) ? EXIT.INPUT : EXIT.OK;
}

/** A node or map name as a file name. */
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function summaryTable(nodes: NodeReport[], reports: MapReport[]): string {
  let s = '';
  for (const n of nodes) s += `${n.node}: Cilium ${n.version.reason}\n`;
  if (nodes.length) s += '\n';
  let t = 'NODE\tMAP\tLAYOUT\tENTRIES\tSTATUS\tPROBLEMS\n';
  for (const r of reports) {
    const first = r.problems[0] ?? '';
    const more = r.problems.length > 1 ? ` (+${r.problems.length - 1} more)` : '';
    t += `${r.node}\t${r.map}\t${r.layout ?? '-'}\t${r.status === 'unknown-map' || r.status === 'missing' || r.status === 'absent' ? '-' : r.entries}\t${r.status}\t${first.length > 100 ? `${first.slice(0, 97)}...` : first}${more}\n`;
  }
  return s + tabwrite(t, { minwidth: 0, padding: 2 });
}

/** `decode-map sysdump`, registered in verbs.ts. */
export const sysdumpVerb: Verb = {
  name: 'sysdump',
  usage: 'sysdump PATH [options]',
  summary: 'decode every map dump of every node in a sysdump',
  help: HELP,
  run: runSysdump,
};

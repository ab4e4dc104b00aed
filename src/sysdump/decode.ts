/**
 * Every node of a sysdump, every map dump it holds that the catalogue knows, decoded with the
 * layouts of the Cilium version the node ran: a stream of events (node found, record batches,
 * per-map report), pulled by the consumer, so memory stays bounded by one chunk, one batch and
 * one map's key set, whatever the number of nodes and entries.
 */
import { MAPS, findMap, resolveMap, usedBy, type MapSpec } from '../cilium/catalog';
import { parseVersion } from '../cilium/versions';
import { DumpDecoder, type DecodedRecord, type DumpSummary } from '../decode/dump-decoder';
import { DumpPipeline } from '../decode/pipeline';
import type { Endian } from '../schema/index';
import { CiliumTextReader } from '../cilium-text/reader';
import { dumpFileMap, isListTextFile, MAP_SHOW_FILE, STATUS_FILES, baseName } from './names';
import { CodecError } from '../schema/errors';
import { openSysdump, SysdumpError } from './open';
import { readText, type BugtoolFile, type BugtoolSource } from './source';
import { BugtoolUnwrap } from './unwrap';
import {
  binaryEvidence,
  daemonSetEvidence,
  decideVersion,
  mapSizeEvidence,
  parseMapShow,
  statusEvidence,
  type VersionDecision,
  type VersionEvidence,
} from './version';

/** Options of {@link readSysdump}. */
export interface SysdumpOptions {
  /** Decode every node with this Cilium version's layouts (overrides detection). */
  version?: string;
  /** Only these maps (names or aliases the catalogue knows). */
  maps?: readonly string[];
  /** Only these nodes (agent pod names). */
  nodes?: readonly string[];
  /** Host byte order of the nodes (default `le`). */
  endian?: Endian;
  /** Drop repeated keys (default true). */
  dedupe?: boolean;
}

/** What happened to one map of one node. */
export interface MapReport {
  node: string;
  /** Map name as the file names it. */
  map: string;
  /** The file read, relative to the bugtool directory (absent for `missing`). */
  file?: string;
  /**
   * - `ok`: decoded, nothing to report;
   * - `problems`: decoded, with skipped/malformed entries or bpftool errors (see `problems`);
   * - `cut`: the dump stops early (bpftool killed, no `Found N` trailer): the complete entries
   *   before the cut are decoded;
   * - `absent`: the map is not pinned on that node (bpftool: No such file or directory);
   * - `unknown-map`: a dump of a map this package does not know (listed, not decoded);
   * - `missing`: a known map of that version with no dump file in the bugtool output.
   */
  status: 'ok' | 'problems' | 'cut' | 'absent' | 'unknown-map' | 'missing';
  /** `key-label / value-label (versions)` of the layout used. */
  layout?: string;
  /** What the records were read from: bpftool's dump, or (no dump) Cilium's list text. */
  from?: 'bpftool' | 'cilium-text';
  /** Records produced. */
  entries: number;
  problems: string[];
  summary?: DumpSummary;
}

/** One agent, as found. */
export interface NodeReport {
  node: string;
  where: string;
  version: VersionDecision;
  /** Files in its bugtool output. */
  files: number;
}

/** The stream {@link readSysdump} yields. */
export type SysdumpEvent =
  | { kind: 'sysdump'; form: string; nodes: string[]; notes: string[] }
  | { kind: 'node'; node: NodeReport }
  | { kind: 'records'; node: string; map: string; records: DecodedRecord[] }
  | { kind: 'map'; report: MapReport };

/** Whether a map report should make a run fail (exit 1). */
export function mapFailed(r: MapReport): boolean {
  return r.status === 'problems' || r.status === 'cut';
}

const isMeta = (name: string): boolean => {
  const b = baseName(name);
  return name.startsWith('cmd/') && (b === MAP_SHOW_FILE || (STATUS_FILES as readonly string[]).includes(b));
};

/**
 * Reads a sysdump (zip, directory), a bugtool directory or a bugtool archive at `path` and yields,
 * node by node, the version decision, the decoded records of every known map dump (in batches),
 * and a report per map. Throws `SysdumpError` when `path` is none of those.
 */
export async function* readSysdump(path: string, opts: SysdumpOptions = {}): AsyncGenerator<SysdumpEvent, void, undefined> {
  if (opts.version !== undefined) parseVersion(opts.version);
  const wantMaps = opts.maps?.map((m) => {
    const def = findMap(m);
    if (!def) throw new SysdumpError(`unknown map "${m}"; known maps: ${MAPS.map((d) => d.name).join(', ')}`);
    return def.name;
  });
  const sd = await openSysdump(path);
  try {
    const nodes = opts.nodes ? sd.nodes.filter((n) => opts.nodes!.includes(n.node)) : sd.nodes;
    yield { kind: 'sysdump', form: sd.form, nodes: nodes.map((n) => n.node), notes: sd.notes };
    let ds: VersionEvidence | undefined;
    if (opts.version === undefined && sd.daemonset) ds = daemonSetEvidence(await sd.daemonset());
    for (const src of nodes) {
      try {
        yield* readNode(src, ds, wantMaps, opts);
      } catch (e) {
        // A damaged archive (a bugtool .tar.gz cut short, a bad zip entry) or an unreadable file:
        // what was decoded before stands; the node is reported and the next one read.
        if (e instanceof CodecError) throw e;
        const msg = (e as Error).message ?? String(e);
        yield { kind: 'map', report: { node: src.node, map: '(archive)', file: src.where, status: 'problems', entries: 0, problems: [`cannot read ${src.where}: ${msg}; the entries decoded before this are kept`] } };
      }
    }
  } finally {
    await sd.close();
  }
}

async function* readNode(src: BugtoolSource, ds: VersionEvidence | undefined, wantMaps: readonly string[] | undefined, opts: SysdumpOptions): AsyncGenerator<SysdumpEvent> {
  const evidence: VersionEvidence[] = [];
  if (opts.version !== undefined) evidence.push({ source: 'override', seen: `--cilium-version ${opts.version}`, version: parseVersion(opts.version).text });
  if (ds) evidence.push(ds);
  let names: string[] | undefined;
  // A tar archive is read once more for the metadata only when no trusted version is known yet.
  if (!src.sequential || evidence.length === 0) {
    names = [];
    const texts = new Map<string, string>();
    for await (const f of src.files((n) => (names!.push(n), isMeta(n)))) texts.set(baseName(f.name), await readText(f.chunks()));
    for (const s of STATUS_FILES) {
      const e = texts.has(s) ? statusEvidence(texts.get(s)!) : undefined;
      if (e) evidence.push(e);
    }
    const bin = binaryEvidence(names);
    if (bin) evidence.push(bin);
    const show = texts.get(MAP_SHOW_FILE);
    const sizes = show ? mapSizeEvidence(parseMapShow(show)) : undefined;
    if (sizes) evidence.push(sizes);
  }
  const decision = decideVersion(evidence);
  const seen: string[] = [];
  const reports: MapReport[] = [];
  const nodeEvent: NodeReport = { node: src.node, where: src.where, version: decision, files: names?.length ?? 0 };
  yield { kind: 'node', node: nodeEvent };
  const dumped = new Set<string>();
  for await (const f of src.files((n) => {
    seen.push(n);
    if (!n.startsWith('cmd/')) return false;
    if (isListTextFile(n)) return true;
    const m = dumpFileMap(n);
    if (m === undefined) return false;
    const def = findMap(m);
    return def !== undefined && (!wantMaps || wantMaps.includes(def.name));
  })) {
    const m = dumpFileMap(f.name);
    if (m === undefined) {
      // Bugtool files sort the bpftool dumps first: every raw dump has been seen by now.
      for (const report of yield* decodeListText(src.node, f, decision, opts, (map) => !dumped.has(map) && (!wantMaps || wantMaps.includes(map)))) {
        dumped.add(report.map);
        reports.push(report);
        yield { kind: 'map', report };
      }
      continue;
    }
    dumped.add(findMap(m)!.name);
    const report = yield* decodeFile(src.node, f, m, decision, opts);
    reports.push(report);
    yield { kind: 'map', report };
  }
  // Dumps of maps the catalogue does not know: listed, not read.
  for (const n of seen) {
    const m = n.startsWith('cmd/') ? dumpFileMap(n) : undefined;
    if (m === undefined || findMap(m) || wantMaps) continue;
    yield { kind: 'map', report: { node: src.node, map: m, file: n, status: 'unknown-map', entries: 0, problems: ['not a map this package knows: listed, not decoded'] } };
  }
  // Known maps of this version with no dump at all.
  for (const name of expectedMaps(decision.version, wantMaps)) {
    if (dumped.has(name)) continue;
    yield { kind: 'map', report: { node: src.node, map: name, status: 'missing', entries: 0, problems: ['no bpftool dump of this map in the bugtool output'] } };
  }
}

/**
 * Catalogue maps used by `version`, restricted to `want` (every map the catalogue has, so maps
 * added to it are handled here unchanged). None when the version is unknown.
 */
function expectedMaps(version: string | undefined, want: readonly string[] | undefined): string[] {
  if (version === undefined) return [];
  const v = parseVersion(version);
  return (want ?? MAPS.map((m) => m.name)).filter((name) => {
    const def = findMap(name);
    return def !== undefined && usedBy(def, v);
  });
}


function specFor(map: string, decision: VersionDecision, opts: SysdumpOptions, problems: string[]): MapSpec {
  try {
    return resolveMap(map, decision.version, { endian: opts.endian });
  } catch (e) {
    problems.push(`${(e as Error).message.replace(/^cilium-map-codec: /, '')}; decoded with the map's newest layout`);
    return resolveMap(map, undefined, { endian: opts.endian });
  }
}

async function* decodeFile(node: string, f: BugtoolFile, map: string, decision: VersionDecision, opts: SysdumpOptions): AsyncGenerator<SysdumpEvent, MapReport> {
  const problems: string[] = [];
  const spec = specFor(map, decision, opts, problems);
  const pipeline = new DumpPipeline({ map: spec.name, version: spec.version?.text, endian: opts.endian, dedupe: opts.dedupe });
  const unwrap = new BugtoolUnwrap();
  const name = spec.name;
  const emit = (records: DecodedRecord[]): SysdumpEvent | undefined => (records.length ? { kind: 'records', node, map: name, records } : undefined);
  for await (const chunk of f.chunks()) {
    for (const piece of unwrap.push(chunk)) {
      const ev = emit(pipeline.push(piece));
      if (ev) yield ev;
    }
  }
  for (const piece of unwrap.end()) {
    const ev = emit(pipeline.push(piece));
    if (ev) yield ev;
  }
  const last = emit(pipeline.end());
  const from = 'bpftool' as const;
  if (last) yield last;
  const summary = pipeline.finish();
  const layout = `${spec.key.label} / ${spec.value.label} (${summary.maps[0]?.versions ?? ''})`;
  let status: MapReport['status'] = 'ok';
  const killed = unwrap.commandErrors.find((e) => /signal: killed|exec timeout|signal: terminated|context deadline/.test(e));
  const absent = unwrap.bpftoolErrors.find((e) => /No such file or directory/.test(e));
  if (absent && summary.records === 0) {
    return { node, map: name, file: f.name, status: 'absent', layout, from, entries: 0, problems: [`not pinned on this node (bpftool: ${absent})`], summary };
  }
  for (const e of unwrap.bpftoolErrors) problems.push(`bpftool: ${e}`);
  const noTrailer = summary.found === undefined && unwrap.firstByte === 0x6b; /* 'k': plain hex dump */
  if (killed || unwrap.cutMidLine || noTrailer) {
    status = 'cut';
    const why = killed ? `bugtool: ${killed}` : unwrap.cutMidLine ? 'an error message follows the last, incomplete, line' : 'no "Found N elements" trailer';
    problems.push(`dump cut short (${why}): the ${summary.records} complete entries before the cut are decoded`);
  }
  for (const e of unwrap.commandErrors) if (e !== killed) problems.push(`bugtool: ${e}`);
  if (unwrap.firstByte < 0 && unwrap.commandErrors.length === 0 && unwrap.bpftoolErrors.length === 0) problems.push('empty file: bpftool printed nothing');
  const described = DumpDecoder.describe({ ...summary, issues: summary.issues.filter((i) => i.kind !== 'noise') }, pipeline.decoder.spec);
  problems.push(...described);
  if (status === 'ok' && problems.length > 0) status = 'problems';
  return { node, map: name, file: f.name, status, layout, from, entries: summary.records, problems, summary };
}

/**
 * A `cilium[-dbg] bpf … list` file: the records of the maps `take` accepts (those with no raw
 * dump), grouped per map in each batch; one report per map it gave entries for.
 */
async function* decodeListText(node: string, f: BugtoolFile, decision: VersionDecision, opts: SysdumpOptions, take: (map: string) => boolean): AsyncGenerator<SysdumpEvent, MapReport[]> {
  const reader = new CiliumTextReader({ version: decision.version, endian: opts.endian });
  const unwrap = new BugtoolUnwrap();
  const counts = new Map<string, number>();
  const emit = function* (records: DecodedRecord[]): Generator<SysdumpEvent> {
    const byMap = new Map<string, DecodedRecord[]>();
    for (const r of records) {
      const map = r.map!;
      if (!take(map)) continue;
      r.map = undefined;
      let list = byMap.get(map);
      if (!list) byMap.set(map, (list = []));
      list.push(r);
    }
    for (const [map, list] of byMap) {
      counts.set(map, (counts.get(map) ?? 0) + list.length);
      yield { kind: 'records', node, map, records: list };
    }
  };
  for await (const chunk of f.chunks()) for (const piece of unwrap.push(chunk)) yield* emit(reader.push(piece));
  for (const piece of unwrap.end()) yield* emit(reader.push(piece));
  yield* emit(reader.end());
  const summary = reader.finish();
  return [...counts].map(([map, entries]) => {
    const m = summary.maps.find((x) => x.name === map);
    const spec = resolveMap(map, decision.version, { endian: opts.endian });
    const problems = [`from Cilium's list text (${f.name}): no bpftool dump of this map${m?.notCarried.length ? `; the text does not print ${m.notCarried.join(', ')}` : ''}`];
    const skipped = summary.issues.filter((i) => i.skipped);
    for (const i of skipped) problems.push(i.count > 1 ? `${i.message} (and ${i.count - 1} more like it)` : i.message);
    const layout = `${spec.key.label} / ${spec.value.label}`;
    return { node, map, file: f.name, status: skipped.length ? 'problems' : 'ok', layout, from: 'cilium-text', entries, problems } satisfies MapReport;
  });
}

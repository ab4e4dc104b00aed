/**
 * Cilium's own list text (`cilium[-dbg] bpf ipcache|endpoint|lb list`, `--frontends`, `--backends`,
 * `--revnat`, `cilium map get <map>`) → the records a bpftool dump of the same maps decodes to,
 * as far as the text carries the fields. Each row's fields are encoded with the catalogue layout
 * of the version asked for and decoded back, so names, types and derived fields are exactly those
 * of the dump decoder; then the layout fields the text did not carry are removed, with every
 * derived field that depends on them.
 */
import { MAPS, findMap, resolveMap, usedBy, withEntryFields, type MapKind, type MapSpec } from '../cilium/catalog';
import { parseVersion } from '../cilium/versions';
import type { DecodedRecord } from '../decode/dump-decoder';
import { IssueLog, type DumpIssue } from '../decode/diagnostics';
import { CodecError } from '../schema/errors';
import type { AnySchema, Endian } from '../schema/index';
import { ctRow, natRow } from './ct-rows';
import { RowError, parseRow, splitRow, type RowFields, type ParsedRow } from './rows';

/** Options of {@link CiliumTextReader}. */
export interface CiliumTextReaderOptions {
  /** Only rows of this map (name or alias); its kind also decides how rows are read. */
  map?: string;
  /** The Cilium version that printed the text: picks the layouts (default: the newest). */
  version?: string;
  endian?: Endian;
}

/** What a text input gave. */
export interface CiliumTextSummary {
  /** Per map: records, and the layout fields no row carried (the text form does not print them). */
  maps: { name: string; records: number; notCarried: string[] }[];
  records: number;
  skipped: number;
  issues: DumpIssue[];
}

/** Lines that are the CLI's, not entries: titles, `No entries found.`, markdown fences. */
const NOISE = [
  /^\s*$/,
  /^(IP PREFIX\/ADDRESS|IP ADDRESS|SERVICE ADDRESS|ID|Key)\s{2,}/,
  /^No entries found\.?\s*$/,
  /^Cache is (disabled|empty)\s*$/,
  /^```/,
  /^# /,
  /^> Error while running/,
];

/** Streams text in, records out (push chunks, then `end`, then `finish`). */
export class CiliumTextReader {
  private readonly opts: CiliumTextReaderOptions;
  private readonly kind?: MapKind;
  private readonly only?: string;
  private readonly issues = new IssueLog();
  private readonly specs = new Map<string, MapSpec>();
  private readonly perMap = new Map<string, { records: number; carried: Set<string>; spec: MapSpec }>();
  private readonly dec = new TextDecoder();
  private partial = '';
  private line = 0;
  private records = 0;
  private skipped = 0;
  private lastKey = '';

  constructor(opts: CiliumTextReaderOptions = {}) {
    this.opts = opts;
    if (opts.version !== undefined) parseVersion(opts.version);
    if (opts.map !== undefined) {
      const def = findMap(opts.map);
      if (!def) throw new CodecError(`unknown map "${opts.map}"`);
      this.kind = def.kind;
      this.only = def.name;
    }
  }

  /** Feeds a chunk (UTF-8 bytes or text); returns the records of the lines it completed. */
  push(chunk: string | Uint8Array): DecodedRecord[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.dec.decode(chunk, { stream: true }));
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    const out: DecodedRecord[] = [];
    for (const l of lines) this.row(l.replace(/\r$/, ''), out);
    return out;
  }

  /** Ends the input. */
  end(): DecodedRecord[] {
    const out: DecodedRecord[] = [];
    const rest = this.partial + this.dec.decode();
    this.partial = '';
    if (rest !== '') this.row(rest, out);
    return out;
  }

  /** The summary (after `end`). */
  finish(): CiliumTextSummary {
    const maps = [...this.perMap.entries()].map(([name, m]) => ({ name, records: m.records, notCarried: dataFields(m.spec.key, m.spec.value).filter((f) => !m.carried.has(f)) }));
    return { maps, records: this.records, skipped: this.skipped, issues: this.issues.list() };
  }

  private row(text: string, out: DecodedRecord[]): void {
    const line = ++this.line;
    if (NOISE.some((re) => re.test(text))) return;
    const cells = splitRow(text);
    if (!cells) return;
    const key = cells.key || this.lastKey;
    if (cells.key) this.lastKey = cells.key;
    let parsed: (ParsedRow & { backend?: RowFields }) | undefined;
    try {
      // CT and NAT lines are whole lines, not table rows.
      if (this.kind === undefined || this.kind === 'ct') parsed = ctRow(text);
      if (!parsed && (this.kind === undefined || this.kind === 'nat')) parsed = natRow(text);
      if (!parsed) parsed = key ? parseRow(key, cells.rest, this.kind) : undefined;
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      this.skip(e.message, line, `line ${line}: ${e.message}: ${JSON.stringify(text.slice(0, 100))}`);
      return;
    }
    if (!parsed) {
      this.skip('row', line, `line ${line}: not a row of ${this.only ?? 'any map this package reads'} in Cilium's list text: ${JSON.stringify(text.slice(0, 100))}`);
      return;
    }
    if (this.only && parsed.map && parsed.map !== this.only) return; // e.g. a TCP row when ct_any was asked for
    const spec = this.specFor(parsed, line);
    if (!spec || (this.only && spec.name !== this.only)) return;
    let rec: DecodedRecord;
    try {
      rec = { key: build(spec.key, parsed.key), value: build(spec.value, parsed.value), map: spec.name, line };
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      this.skip(`encode ${spec.name}`, line, `line ${line}: ${spec.name}: ${e.message.replace(/^cilium-map-codec: /, '')}`);
      return;
    }
    if (isComplete(spec.value, parsed.value)) withEntryFields(spec, rec.key, rec.value!);
    if (parsed.backend) (rec as DecodedRecord & { backend?: RowFields }).backend = parsed.backend;
    let m = this.perMap.get(spec.name);
    if (!m) this.perMap.set(spec.name, (m = { records: 0, carried: new Set(), spec }));
    m.records++;
    for (const f of [...Object.keys(parsed.key), ...Object.keys(parsed.value)]) for (const c of [f, ...(IMPLIED[f] ?? [])]) m.carried.add(c);
    this.records++;
    out.push(rec);
  }

  /** The catalogue map of a row's kind and family for the version (the newest such map). */
  private specFor(row: ParsedRow, line: number): MapSpec | undefined {
    const k = `${row.kind}/${row.family}/${row.map ?? ''}`;
    const found = this.specs.get(k);
    if (found) return found;
    const v = this.opts.version !== undefined ? parseVersion(this.opts.version) : undefined;
    const named = this.only ? findMap(this.only) : row.map ? findMap(row.map) : undefined;
    const cands = (named ? [named] : MAPS).filter((m) => m.kind === row.kind && (m.family === row.family || m.family === 'both') && (!v || usedBy(m, v)));
    const def = cands.sort((a, b) => fromMinor(b) - fromMinor(a))[0];
    if (!def) {
      this.skip(k, line, `line ${line}: no ${row.kind} map for IPv${row.family}${v ? ` in Cilium ${v.text}` : ''}`);
      return undefined;
    }
    const spec = resolveMap(def.name, this.opts.version, { endian: this.opts.endian });
    this.specs.set(k, spec);
    return spec;
  }

  private skip(sig: string, line: number, message: string): void {
    this.skipped++;
    this.issues.add('malformed', sig, line, true, () => message);
  }
}

function fromMinor(def: (typeof MAPS)[number]): number {
  const f = def.versions[0]!.from;
  return f === 'main' ? Infinity : Number(/^1\.(\d+)/.exec(f)![1]);
}

/** Non-padding layout field names. */
function dataFields(...schemas: AnySchema[]): string[] {
  return schemas.flatMap((s) => s.layout.filter((f) => !f.padding).map((f) => f.name));
}

/** Whether the fields cover every data field of the schema. */
function isComplete(schema: AnySchema, fields: RowFields): boolean {
  return dataFields(schema).every((n) => n in fields);
}

/** RowFields the encoder fills in from others (`family` from the address, `prefixlen` from a CIDR). */
const IMPLIED: Record<string, string[]> = { ip: ['family'], address: ['family'], cidr: ['prefixlen', 'family', 'ip'] };

/**
 * Encodes the fields with the layout and decodes them back; then drops every layout field the
 * row did not carry, and every derived field whose value depends on one (found by decoding again
 * with those fields' bytes changed).
 */
function build(schema: AnySchema, all: RowFields): Record<string, unknown> {
  const fields: RowFields = {};
  for (const [k, v] of Object.entries(all)) if (k in IMPLIED || schema.layout.some((f) => f.name === k)) fields[k] = v;
  const bytes = schema.encode(fields);
  const rec = schema.decode(bytes) as Record<string, unknown>;
  const carried = new Set<string>(Object.keys(fields).flatMap((f) => [f, ...(IMPLIED[f] ?? [])]));
  const missing = schema.layout.filter((f) => !f.padding && !carried.has(f.name));
  if (missing.length === 0) return rec;
  const layoutNames = new Set(schema.layout.map((f) => f.name));
  let other: Record<string, unknown> | undefined;
  try {
    const b = Uint8Array.from(bytes);
    for (const f of missing) for (let i = f.offset; i < f.offset + f.size; i++) b[i] = b[i]! ^ 0x5a;
    other = schema.decode(b) as Record<string, unknown>;
  } catch {
    other = undefined;
  }
  for (const f of missing) delete rec[f.name];
  for (const name of Object.keys(rec)) {
    if (layoutNames.has(name)) continue;
    if (!other || !sameValue(rec[name], other[name])) delete rec[name];
  }
  return rec;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) === JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Reads a whole text. */
export function readCiliumText(text: string, opts: CiliumTextReaderOptions = {}): { records: DecodedRecord[]; summary: CiliumTextSummary } {
  const r = new CiliumTextReader(opts);
  const records = r.push(text);
  records.push(...r.end());
  return { records, summary: r.finish() };
}

/**
 * Whether text looks like Cilium's list output rather than bpftool's: a title line the CLI
 * prints, or a first data row that reads as an entry of a known map.
 */
export function looksLikeCiliumText(head: string): boolean {
  for (const raw of head.split('\n').slice(0, 20)) {
    const line = raw.replace(/\r$/, '');
    if (/^(IP PREFIX\/ADDRESS|IP ADDRESS|SERVICE ADDRESS|ID|Key)\s{2,}(IDENTITY|LOCAL ENDPOINT INFO|BACKEND|Value)/.test(line)) return true;
    if (/^(key|value|Found \d|\[|\{|Error:)/.test(line.trim())) return false;
    if (line.trim() === '' || /^(```|# )/.test(line)) continue;
    const cells = splitRow(line);
    try {
      return !!(ctRow(line) || natRow(line) || (cells && cells.key && parseRow(cells.key, cells.rest)));
    } catch {
      return true;
    }
  }
  return false;
}

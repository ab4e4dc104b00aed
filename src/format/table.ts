/**
 * Records as an aligned table for a terminal: headers in capitals, no borders (kubectl's look;
 * easy to grep and awk).
 *
 * Streaming and alignment both hold because column widths come from the schema, not from the rows
 * seen: an IPv4 text is at most 15 characters, an IPv6 text 39, a u32 10 digits, a MAC 17, a CIDR
 * 43. Flag columns, whose text is as long as the names set, go last (like kubectl's LABELS), where
 * no padding is needed. Only a column whose bound is unknown (a record without a schema, a derived
 * field this file does not know) falls back to the widest of the first `sample` rows.
 *
 * Two views, as `kubectl get` has: the default shows the columns that matter for the map kind and
 * fits a terminal (one FLAGS column with the names of the bits set); `wide` shows every field,
 * each flags field as `0x42 nodeport,routable`.
 */
import type { DecodedRecord } from '../decode/dump-decoder';
import type { MapKind, MapSpec } from '../cilium/catalog';
import type { AnySchema } from '../schema/struct';
import { ByteSink } from '../schema/byte-sink';

/** Text of one cell: flags as `0x42 nodeport,routable`, bigint as decimal, nothing as `-`. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (isFlags(v)) {
    const names = namesText(v, '', '');
    return `0x${(v.raw as number).toString(16)}${names ? ` ${names}` : ''}`;
  }
  if (Array.isArray(v)) return v.map(cellText).join(',');
  return String(v);
}

function isFlags(v: unknown): v is Record<string, unknown> & { raw: number } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, 'raw');
}

/**
 * The names of the bits set, then `unknown=0x…` for bits without a name (prefixed by
 * `unknownPrefix`), joined with commas after `text`: a flags cell, and the FLAGS cell of every row.
 */
function namesText(f: Record<string, unknown>, unknownPrefix: string, text: string): string {
  for (const k in f) {
    if (k !== 'raw' && k !== 'unknown' && f[k] === true && Object.hasOwn(f, k)) text = text ? `${text},${k}` : k;
  }
  const unknown = f.unknown as number;
  if (unknown) text = `${text ? `${text},` : ''}${unknownPrefix}unknown=0x${unknown.toString(16)}`;
  return text;
}

/** Which columns a table shows. */
export type TableView = 'default' | 'wide';

/** Options of {@link TableWriter}. */
export interface TableOptions {
  /** `default`: the columns that matter for the map kind; `wide`: every field. Default `wide` for a library caller without a spec. */
  view?: TableView;
  /** Print the header line (default true; kubectl's `--no-headers` turns it off). */
  headers?: boolean;
  /** The map's spec (or a getter, when it is known only after the first entries): field types give column widths, the kind the default columns. */
  spec?: MapSpec | (() => MapSpec | undefined);
  /** Rows looked at before fixing the width of a column whose bound is unknown (default 200). */
  sample?: number;
}

/**
 * The columns that matter per map kind (default view), by field name. Left out: always-zero or
 * internal fields (`unused`, `rt_info`, `pad`), numbers repeated by a name (`proto` beside
 * `proto_name`, a backend's `flags` beside `state`), the family beside an address.
 */
const DEFAULT_COLUMNS: Readonly<Partial<Record<MapKind, readonly string[]>>> = {
  endpoint: ['ip', 'ifindex', 'lxc_id', 'sec_id', 'mac', 'node_mac', 'flags'],
  ipcache: ['cidr', 'sec_identity', 'tunnel_endpoint', 'node_id', 'key', 'cluster_id', 'flags'],
  service: ['address', 'dport', 'proto_name', 'scope', 'backend_slot', 'backend_id', 'count', 'qcount', 'rev_nat_index', 'flags', 'flags2'],
  backend: ['backend_id', 'address', 'port', 'proto_name', 'state', 'zone', 'cluster_id'],
  revnat: ['rev_nat_index', 'address', 'port'],
};

/** Widest text of a derived field (decode-only fields the schemas add). */
const DERIVED_BOUNDS: Readonly<Record<string, number>> = {
  cidr: 43, // an IPv6 text (39) and "/128"
  proto_name: 6, // ICMPv6; other numbers print as at most 3 digits
  state: 12, // unknown(255)
  lb_algorithm: 12, // unknown(255)
  affinity_timeout: 10,
  l7_lb_proxy_port: 5,
};

const KIND_BOUNDS: Readonly<Record<string, number>> = { u8: 3, u16: 5, u32: 10, u64: 20, be16: 5, be32: 10, ipv4: 15, ipv6: 39, addr16: 39, mac: 17 };

/** Widest cell text a field of this schema can produce; undefined when not bounded here. */
function fieldBound(schema: AnySchema | undefined, name: string): number | undefined {
  if (!schema) return undefined;
  const fl = schema.layout.find((f) => f.name === name && !f.padding);
  if (fl) {
    if (fl.kind === 'flags') {
      const names = Object.keys((fl.type.params?.bits as Record<string, number> | undefined) ?? {});
      // `0x` + hex digits + " " + every name + ",unknown=0x" + hex digits.
      return 2 + fl.size * 2 + 1 + names.join(',').length + 11 + fl.size * 2;
    }
    return KIND_BOUNDS[fl.kind];
  }
  return Object.hasOwn(DERIVED_BOUNDS, name) ? DERIVED_BOUNDS[name] : undefined;
}

interface Column {
  header: string;
  /** Fixed width, or undefined while it is learnt from the first rows. */
  bound: number | undefined;
  cell(r: DecodedRecord, value: Record<string, unknown> | undefined, cpu: number | undefined): string;
  /** The field's value, whose `cellText` is the cell (numbers and plain text are written without a string per cell). */
  raw?(r: DecodedRecord, value: Record<string, unknown> | undefined): unknown;
}

/** Streams records as a table. */
export class TableWriter {
  private columns?: Column[];
  private widths: number[] = [];
  private pending: string[][] = [];
  private started = false;
  private readonly opts: TableOptions;
  private readonly sample: number;
  private readonly scratch = new ByteSink(1024);
  private fastCols?: boolean;

  /** @param opts view, headers and the spec whose field types give the widths; a number is the old `sample`. */
  constructor(opts: TableOptions | number = {}) {
    this.opts = typeof opts === 'number' ? { sample: opts } : opts;
    this.sample = this.opts.sample ?? 200;
  }

  private spec(): MapSpec | undefined {
    const s = this.opts.spec;
    return typeof s === 'function' ? s() : s;
  }

  private init(r: DecodedRecord): void {
    const spec = r.map === undefined ? this.spec() : undefined;
    const view = this.opts.view ?? (spec ? 'default' : 'wide');
    const chosen = spec ? DEFAULT_COLUMNS[spec.def.kind] : undefined;
    // Kinds without a chosen set (conntrack, NAT, metrics) show every field.
    const keep = view === 'default' && chosen ? new Set(chosen) : undefined;
    const cols: Column[] = [];
    const flagCols: { part: 'key' | 'value'; name: string; schema: AnySchema | undefined }[] = [];
    if (r.map !== undefined) cols.push({ header: 'MAP', bound: 30, cell: (rec) => rec.map ?? '-' });
    for (const k of Object.keys(r.key)) {
      if (keep && !keep.has(k)) continue;
      if (isFlags(r.key[k])) flagCols.push({ part: 'key', name: k, schema: spec?.key });
      else cols.push({ header: k.toUpperCase(), bound: fieldBound(spec?.key, k), cell: (rec) => cellText(rec.key[k]), raw: (rec) => rec.key[k] });
    }
    const value = r.value ?? r.values?.[0]?.value;
    if (r.values) cols.push({ header: 'CPU', bound: 4, cell: (_r, _v, cpu) => String(cpu) });
    // Service master entries add fields (lb_algorithm, …) other rows lack: take the schema's inputs too.
    const valueKeys = value ? Object.keys(value) : [];
    if (spec) for (const n of spec.value.inputNames) if (!valueKeys.includes(n) && Object.hasOwn(DERIVED_BOUNDS, n)) valueKeys.push(n);
    for (const k of valueKeys) {
      if (keep && !keep.has(k)) continue;
      const sample = value?.[k];
      const fl = spec?.value.layout.find((f) => f.name === k);
      if (isFlags(sample) || fl?.kind === 'flags') flagCols.push({ part: 'value', name: k, schema: spec?.value });
      else cols.push({ header: k.toUpperCase(), bound: fieldBound(spec?.value, k), cell: (_r, v) => cellText(v?.[k]), raw: (_r, v) => v?.[k] });
    }
    if (r.next_key) {
      for (const k of Object.keys(r.next_key)) cols.push({ header: `NEXT_${k.toUpperCase()}`, bound: fieldBound(spec?.key, k), cell: (rec) => cellText(rec.next_key?.[k]) });
    }
    if (keep) {
      // The default view lists its columns in the order of DEFAULT_COLUMNS (the address first).
      const order = [...keep];
      const rank = (c: Column) => order.indexOf(c.header.toLowerCase());
      cols.sort((a, b) => rank(a) - rank(b));
    }
    const get = (rec: DecodedRecord, v: Record<string, unknown> | undefined, f: (typeof flagCols)[number]) => (f.part === 'key' ? rec.key[f.name] : v?.[f.name]);
    if (view === 'default' && flagCols.length > 0) {
      // One FLAGS column, last: the names of the bits set in every flags field.
      cols.push({
        header: 'FLAGS',
        bound: undefined,
        cell: (rec, v) => {
          let text = '';
          for (const f of flagCols) {
            const fv = get(rec, v, f);
            if (isFlags(fv)) text = namesText(fv, flagCols.length > 1 ? `${f.name}.` : '', text);
          }
          return text || '-';
        },
      });
    } else {
      for (const f of flagCols) cols.push({ header: f.name.toUpperCase(), bound: fieldBound(f.schema, f.name), cell: (rec, v) => cellText(get(rec, v, f)) });
    }
    this.columns = cols;
    this.widths = cols.map((c) => Math.max(c.header.length, c.bound ?? 0));
  }

  /** Every column but the last has `raw`: rows can be written by {@link rowTo}. */
  private get fast(): boolean {
    const cols = this.columns!;
    return (this.fastCols ??= cols.every((c, i) => i === cols.length - 1 || c.raw !== undefined));
  }

  /**
   * One record's row, as {@link formatTo} writes `rows(r)[0]`, with numbers and ASCII text
   * written straight from the record (no cell strings, no row array).
   */
  private rowTo(r: DecodedRecord, sink: ByteSink): void {
    const cols = this.columns!;
    const start = sink.pos;
    const last = cols.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = cols[i]!;
      let width: number;
      const v = i < last ? c.raw!(r, r.value) : undefined;
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        const at = sink.pos;
        sink.number(v);
        width = sink.pos - at;
      } else {
        const text = i < last ? cellText(v) : c.cell(r, r.value, undefined);
        if (!ascii(text)) {
          sink.pos = start;
          this.formatTo(this.rows(r)[0]!, sink);
          return;
        }
        sink.ascii(text);
        width = text.length;
      }
      if (i < last) pad(sink, this.widths[i]!, width);
    }
    endLine(sink, start);
  }

  /** Whether every padded column (all but the last) has a known width, so rows can stream. */
  private bounded(): boolean {
    const cols = this.columns!;
    return cols.every((c, i) => i === cols.length - 1 || c.bound !== undefined);
  }

  private rows(r: DecodedRecord): string[][] {
    const cols = this.columns!;
    const one = (value: Record<string, unknown> | undefined, cpu?: number): string[] => cols.map((c) => c.cell(r, value, cpu));
    if (r.values) return r.values.map((cv) => one(cv.value, cv.cpu));
    return [one(r.value)];
  }

  /**
   * One row into `sink`: every cell but the last padded to its column's width plus two spaces,
   * then the line's trailing whitespace trimmed (`String#trimEnd`), then a newline.
   */
  private formatTo(cells: string[], sink: ByteSink): void {
    const start = sink.pos;
    const last = cells.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = cells[i]!;
      if (!ascii(c)) {
        // Rare (BTF member text): the string way, which trims Unicode whitespace too.
        sink.pos = start;
        let s = '';
        for (let j = 0; j <= last; j++) s += j === last ? cells[j]! : cells[j]!.padEnd(this.widths[j]!) + '  ';
        sink.utf8(`${s.trimEnd()}\n`);
        return;
      }
      sink.ascii(c);
      if (i < last) pad(sink, this.widths[i]!, c.length);
    }
    endLine(sink, start);
  }

  private headerTo(sink: ByteSink): void {
    if (this.opts.headers !== false) this.formatTo(this.columns!.map((c) => c.header), sink);
  }

  /** Text for a batch of records (rows are held back only while an unbounded column is sized). */
  write(records: readonly DecodedRecord[]): string {
    this.writeTo(records, this.scratch);
    return this.scratch.text();
  }

  /** {@link write}, into a byte sink (UTF-8): what the CLI prints, without a string per row. */
  writeTo(records: readonly DecodedRecord[], sink: ByteSink): void {
    for (const r of records) {
      if (!this.columns) {
        this.init(r);
        if (this.bounded()) {
          this.headerTo(sink);
          this.started = true;
        }
      }
      if (this.started && !r.values && this.fast) {
        this.rowTo(r, sink);
        continue;
      }
      for (const row of this.rows(r)) {
        if (!this.started) {
          row.forEach((c, i) => (this.widths[i] = Math.max(this.widths[i]!, c.length)));
          this.pending.push(row);
          if (this.pending.length >= this.sample) this.flushTo(sink);
        } else this.formatTo(row, sink);
      }
    }
  }

  private flushTo(sink: ByteSink): void {
    if (!this.columns) return;
    this.headerTo(sink);
    for (const row of this.pending) this.formatTo(row, sink);
    this.pending = [];
    this.started = true;
  }

  /** Text still held back. */
  end(): string {
    if (this.started) return '';
    this.flushTo(this.scratch);
    return this.scratch.text();
  }
}

/** After a cell of `length` characters: padEnd to `width`, then the two spaces between columns. */
function pad(sink: ByteSink, width: number, length: number): void {
  const n = Math.max(0, width - length) + 2;
  sink.reserve(n);
  for (let k = 0; k < n; k++) sink.buf[sink.pos++] = 32;
}

/** Ends the row begun at `start`: trailing whitespace trimmed (`trimEnd` over ASCII), a newline. */
function endLine(sink: ByteSink, start: number): void {
  let p = sink.pos;
  while (p > start && isSpace(sink.buf[p - 1]!)) p--;
  sink.pos = p;
  sink.byte(10);
}

/** Whether a string is all ASCII (then its UTF-16 units are its bytes). */
function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The ASCII characters `String#trimEnd` removes. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

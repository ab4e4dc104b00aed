/**
 * Records as an aligned table for a terminal: one column per field (key fields, then value
 * fields), headers in capitals, no borders (kubectl's look; easy to grep and awk). Column widths
 * come from the first rows seen, so output can stream; a wider cell later just pushes its row.
 */
import type { DecodedRecord } from '../decode/dump-decoder';

/** Text of one cell: flags as `0x42 nodeport,routable`, bigint as decimal, nothing as `-`. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'object' && !Array.isArray(v) && 'raw' in (v as object)) {
    const f = v as Record<string, unknown>;
    const names = Object.keys(f).filter((k) => k !== 'raw' && k !== 'unknown' && f[k] === true);
    const unknown = f.unknown as number;
    if (unknown) names.push(`unknown=0x${unknown.toString(16)}`);
    return `0x${(f.raw as number).toString(16)}${names.length ? ` ${names.join(',')}` : ''}`;
  }
  if (Array.isArray(v)) return v.map(cellText).join(',');
  return String(v);
}

/** Streams records as a table. */
export class TableWriter {
  private columns?: { role: 'map' | 'key' | 'value' | 'next_key'; name: string; header: string }[];
  private widths: number[] = [];
  private pending: string[][] = [];
  private headerDone = false;

  /** @param sample how many rows to look at before fixing column widths. */
  constructor(private readonly sample = 200) {}

  private init(r: DecodedRecord): void {
    const cols: NonNullable<TableWriter['columns']> = [];
    if (r.map !== undefined) cols.push({ role: 'map', name: 'map', header: 'MAP' });
    for (const k of Object.keys(r.key)) cols.push({ role: 'key', name: k, header: k.toUpperCase() });
    const value = r.value ?? r.values?.[0]?.value;
    if (r.values) cols.push({ role: 'value', name: '__cpu', header: 'CPU' });
    if (value) for (const k of Object.keys(value)) cols.push({ role: 'value', name: k, header: k.toUpperCase() });
    if (r.next_key) for (const k of Object.keys(r.next_key)) cols.push({ role: 'next_key', name: k, header: `NEXT_${k.toUpperCase()}` });
    this.columns = cols;
    this.widths = cols.map((c) => c.header.length);
  }

  private rows(r: DecodedRecord): string[][] {
    const cols = this.columns!;
    const one = (value: Record<string, unknown> | undefined, cpu?: number): string[] =>
      cols.map((c) => {
        if (c.role === 'map') return r.map ?? '-';
        if (c.role === 'key') return cellText(r.key[c.name]);
        if (c.role === 'next_key') return cellText(r.next_key?.[c.name]);
        if (c.name === '__cpu') return String(cpu);
        return cellText(value?.[c.name]);
      });
    if (r.values) return r.values.map((cv) => one(cv.value, cv.cpu));
    return [one(r.value)];
  }

  private format(cells: string[]): string {
    let s = '';
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      s += i === cells.length - 1 ? c : c.padEnd(this.widths[i]!) + '  ';
    }
    return `${s.trimEnd()}\n`;
  }

  /** Text for a batch of records (may hold rows back until widths are known). */
  write(records: readonly DecodedRecord[]): string {
    let out = '';
    for (const r of records) {
      if (!this.columns) this.init(r);
      for (const row of this.rows(r)) {
        if (!this.headerDone) {
          row.forEach((c, i) => (this.widths[i] = Math.max(this.widths[i]!, c.length)));
          this.pending.push(row);
          if (this.pending.length >= this.sample) out += this.flush();
        } else out += this.format(row);
      }
    }
    return out;
  }

  private flush(): string {
    if (!this.columns) return '';
    let out = this.format(this.columns.map((c) => c.header));
    for (const row of this.pending) out += this.format(row);
    this.pending = [];
    this.headerDone = true;
    return out;
  }

  /** Text still held back. */
  end(): string {
    return this.headerDone ? '' : this.flush();
  }
}

/**
 * A port of Go's `text/tabwriter` (the elastic-tabstop algorithm, `src/text/tabwriter/tabwriter.go`)
 * restricted to what Cilium's CLI uses — `tabwriter.NewWriter(os.Stdout, 5, 0, 3, ' ', 0)`: minwidth
 * 5, tabwidth 0, padding 3, pad character space, no flags — plus the two printers built on it:
 *
 * - `TablePrinter(firstTitle, secondTitle, data)` of `cilium-dbg bpf … list`
 *   (`cilium/cmd/helpers.go` ≤ v1.14, `cilium-dbg/cmd/helpers.go` ≥ v1.15), and
 * - `printMapEntries` of `cilium map get` (`cilium/cmd/map_get.go`, `cilium-dbg/cmd/map_get.go`).
 *
 * Go semantics kept on purpose (they decide every space of the output):
 * - A cell is text terminated by `\t` (or `\v`, which ends a cell without counting as a tab).
 *   The text after the last tab of a line is not a column cell: it is printed as is, unpadded.
 * - A column's width is the widest cell of a *block* of consecutive lines that all have that
 *   column, plus `padding`, but at least `minwidth`; a line with fewer cells ends the block.
 * - A line without any tab flushes everything before it, so it also separates blocks.
 * - Widths count Unicode code points (Go counts runes), not UTF-16 units or display columns.
 * - Empty cells are padded to the full column width.
 *
 * Escape sequences (`0xff`) are not handled: a JS string cannot hold the raw 0xff byte Go looks for.
 */

/** Options of {@link tabwrite} (a port of Go's text/tabwriter); the defaults are Cilium's (`NewWriter(w, 5, 0, 3, ' ', 0)`). */
export interface TabWriterOptions {
  /** Minimal cell width including padding (Go `minwidth`). Default 5. */
  minwidth?: number;
  /** Width of a tab character, used only when `padchar` is `\t` (Go `tabwidth`). Default 0. */
  tabwidth?: number;
  /** Added to the widest cell of a column (Go `padding`). Default 3. */
  padding?: number;
  /** Pad character (Go `padchar`); `\t` pads with tabs like Go does. Default a space. */
  padchar?: string;
}

interface Cell {
  /** Length of the cell text in UTF-16 units (its slice of the buffer). */
  size: number;
  /** Width in code points (Go: runes). */
  width: number;
  /** Terminated by a horizontal tab. */
  htab: boolean;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Go's `tabwriter.Writer` with `flags = 0`: feed text with {@link TabWriter.write}, collect the
 * aligned result with {@link TabWriter.flush}. Like Go it buffers until a flush, except that a line
 * without tabs flushes what came before it (Go's `Write` does the same).
 */
export class TabWriter {
  private readonly minwidth: number;
  private readonly tabwidth: number;
  private readonly padding: number;
  private readonly padchar: string;

  private buf = '';
  private cell: Cell = { size: 0, width: 0, htab: false };
  private lines: Cell[][] = [[]];
  private widths: number[] = [];
  private out: string[] = [];

  /** @param opts Go's `NewWriter` parameters; defaults are Cilium's. */
  constructor(opts: TabWriterOptions = {}) {
    this.minwidth = opts.minwidth ?? 5;
    this.tabwidth = opts.tabwidth ?? 0;
    this.padding = opts.padding ?? 3;
    this.padchar = opts.padchar ?? ' ';
    if (this.padchar.length !== 1) throw new RangeError(`padchar must be one character, got ${JSON.stringify(this.padchar)}`);
    for (const [k, v] of [['minwidth', this.minwidth], ['tabwidth', this.tabwidth], ['padding', this.padding]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer, got ${v}`);
    }
  }

  /** Go `Writer.Write`: splits `text` into cells at `\t`, `\v`, `\n` and `\f`. */
  write(text: string): this {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
        this.append(text.slice(n, i));
        n = i + 1;
        const ncells = this.terminateCell(ch === '\t');
        if (ch === '\n' || ch === '\f') {
          this.lines.push([]);
          // A line with one cell does not affect the formatting of the lines after it (its only
          // cell is the unaligned trailing text), so Go flushes here; `\f` always flushes.
          if (ch === '\f' || ncells === 1) this.flushInternal();
        }
      }
    }
    this.append(text.slice(n));
    return this;
  }

  /** Go `Writer.Flush`: formats everything written so far and returns all output not yet returned. */
  flush(): string {
    this.flushInternal();
    const s = this.out.join('');
    this.out = [];
    return s;
  }

  private append(s: string): void {
    if (!s) return;
    this.buf += s;
    this.cell.size += s.length;
    this.cell.width += runeCount(s);
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1]!;
    line.push(this.cell);
    this.cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  private flushInternal(): void {
    if (this.cell.size > 0) this.terminateCell(false);
    this.format(0, 0, this.lines.length);
    this.buf = '';
    this.cell = { size: 0, width: 0, htab: false };
    this.lines = [[]];
    this.widths = [];
  }

  /** Go `writePadding`: fill from `textw` to `cellw`. */
  private writePadding(textw: number, cellw: number): void {
    if (this.padchar === '\t') {
      if (this.tabwidth === 0) return; // tabs have no width: no padding possible
      const w = Math.ceil(cellw / this.tabwidth) * this.tabwidth;
      this.out.push('\t'.repeat(Math.ceil((w - textw) / this.tabwidth)));
      return;
    }
    if (cellw > textw) this.out.push(this.padchar.repeat(cellw - textw));
  }

  /** Go `writeLines`: prints lines `[line0, line1)` with the column widths known so far. */
  private writeLines(pos0: number, line0: number, line1: number): number {
    let pos = pos0;
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        if (c.size > 0) {
          this.out.push(this.buf.slice(pos, pos + c.size));
          pos += c.size;
        }
        if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!);
      }
      if (i + 1 === this.lines.length) {
        // Last buffered line: no newline yet, just the pending text of the open cell.
        this.out.push(this.buf.slice(pos, pos + this.cell.size));
        pos += this.cell.size;
      } else {
        this.out.push('\n');
      }
    }
    return pos;
  }

  /**
   * Go `format`: finds the blocks of lines that have column `widths.length`, sizes that column per
   * block, and recurses into the next column; lines outside any block are printed as they are.
   */
  private format(pos0: number, line0: number, line1: number): number {
    let pos = pos0;
    const column = this.widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= this.lines[cur]!.length - 1) continue;
      // This line has a cell in this column: print the lines before it, then size the block.
      pos = this.writeLines(pos, line0, cur);
      line0 = cur;
      let width = this.minwidth;
      for (; cur < line1; cur++) {
        const line = this.lines[cur]!;
        if (column >= line.length - 1) break;
        const w = line[column]!.width + this.padding;
        if (w > width) width = w;
      }
      this.widths.push(width);
      pos = this.format(pos, line0, cur);
      this.widths.pop();
      line0 = cur;
    }
    return this.writeLines(pos, line0, line1);
  }
}

/** Runs `text` through a port of Go's text/tabwriter and flushes it (Go: `Fprint(w, text); w.Flush()`). */
export function tabwrite(text: string, opts?: TabWriterOptions): string {
  return new TabWriter(opts).write(text).flush();
}

/** Options of {@link ciliumTable}. */
export interface CiliumTableOptions {
  /**
   * Terminate the header's second title with a tab (`"%s\t%s\t\n"`), as `TablePrinter` did in
   * the pre-SPDX `cilium/cmd/helpers.go` ("Copyright 2016-2019", ≤ v1.9 era). The later copies
   * read (an SPDX-era one using the v1.14+ policy-map API, and `cilium-dbg/cmd/helpers.go` with
   * the newest policy-map API) print the header as `"%s\t%s\n"`: the second title is then
   * trailing text, does not widen the value column and gets no padding. Exactly which release
   * switched was not pinned down. Default false (the newer form).
   */
  headerTabTerminated?: boolean;
}

/**
 * What `cilium-dbg bpf {endpoint,ipcache,lb} list` prints: Cilium's `TablePrinter`, i.e. the two
 * titles, then per key `"%s\t%s\t\n"` of the key and its first value, and `"\t%s\t\n"` for each
 * further value (the continuation rows have an empty, fully padded first cell).
 *
 * Go iterates a `map[string][]string`, so Cilium's row order is random; here rows keep the order
 * given. Pass a `Map<string, string[]>` or `[key, value | values]` pairs. A key with an empty list
 * of values prints nothing (Go ranges over the empty slice).
 *
 * @param title1 first column title, e.g. `IP ADDRESS`
 * @param title2 second column title, e.g. `LOCAL ENDPOINT INFO`
 */
export function ciliumTable(
  title1: string,
  title2: string,
  rows: Iterable<readonly [key: string, values: string | readonly string[]]>,
  opts: CiliumTableOptions = {},
): string {
  const w = new TabWriter();
  w.write(opts.headerTabTerminated ? `${title1}\t${title2}\t\n` : `${title1}\t${title2}\n`);
  for (const [key, vals] of rows) {
    const list = typeof vals === 'string' ? [vals] : vals;
    list.forEach((v, k) => w.write(`${k === 0 ? key : ''}\t${v}\t\n`));
  }
  return w.flush();
}

/** One row of {@link ciliumMapGetTable}: an entry of the agent's map cache (`models.BPFMapEntry`). */
export interface CiliumMapGetRow {
  /** `key.String()`. */
  key: string;
  /** `value.String()`. */
  value: string;
  /**
   * `DesiredAction.String()`: `sync` (default), `to-be-inserted`, `to-be-deleted`, `unknown`; empty
   * from v1.16 when the agent dumps a map that has no cache (`pkg/bpf/map.go`).
   */
  state?: string;
  /** `LastError`; empty when there was none (default). */
  error?: string;
}

/**
 * What `cilium map get <name>` prints (`printMapEntries` in `cilium-dbg/cmd/map_get.go`): the
 * header `"Key\tValue\tState\tError\n"`, then `"%s\t%s\t%s\t%s\n"` per entry. The Error cell is not
 * tab-terminated, so it is never padded, while State is padded to its column: with the usual
 * `sync` rows the State column is `State` + 3 = 8 wide, so each row ends in `sync` plus four spaces
 * (and the header's `State` is followed by three spaces, then `Error`). No rows prints Go's
 * `Cache is empty` message.
 */
export function ciliumMapGetTable(rows: Iterable<CiliumMapGetRow>): string {
  const w = new TabWriter();
  w.write('Key\tValue\tState\tError\n');
  let any = false;
  for (const r of rows) {
    any = true;
    w.write(`${r.key}\t${r.value}\t${r.state ?? 'sync'}\t${r.error ?? ''}\n`);
  }
  if (!any) return 'Cache is empty\n\n';
  return w.flush();
}

/**
 * One entry as a streaming CLI prints it for `-o cilium`: `key + '\t' + value`, one entry per line.
 *
 * Trade-off: Cilium's tabwriter needs every row before it can size a column (a block ends only at
 * a flush), so an aligned table cannot be streamed. Tab-separated lines can: they print as they
 * are decoded, stay exact (no padding to strip), and `column -t -s $'\t'` (or {@link ciliumTable}
 * once all rows are known) aligns them afterwards. The strings are Cilium's own, so any column the
 * agent would show is there; only the spacing differs from `cilium-dbg` until aligned.
 */
export function ciliumRow(key: string, value: string): string {
  return `${key}\t${value}`;
}

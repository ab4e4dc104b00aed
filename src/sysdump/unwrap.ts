/**
 * What bugtool adds around a command's output (`writeCmdToFile`, bugtool/cmd/root.go), taken
 * off before the output reaches the bpftool parser:
 * - with `--enable-markdown`, `# <prompt>` and a ```` ``` ```` fence before, a fence after;
 * - `> Error while running '<prompt>':  <err>` when the command failed. Without markdown the
 *   output is written straight to the file, so when bpftool is killed mid-write the error lands on
 *   the same line as the last, cut, output; v1.10 wrote it first.
 * - bpftool's own `Error: …` lines (a map not pinned on this node) are taken out too and reported.
 *
 * Hex dumps never contain `` ` ``, `#`, `>` or `E`, so a chunk without those bytes (and not in
 * the middle of a line being examined) passes through untouched: the filter costs a few byte scans.
 */

const MARKER = "> Error while running '";
const NL = 0x0a;

/** Streaming filter over one bugtool `.md` file. */
export class BugtoolUnwrap {
  /** `> Error while running` messages (the `<err>` part: `signal: killed`, `exit status 255`, …). */
  readonly commandErrors: string[] = [];
  /** bpftool's `Error: …` lines. */
  readonly bpftoolErrors: string[] = [];
  /** Whether the file was markdown-wrapped. */
  markdown = false;
  /** Whether an error message was glued to a line of output (the output was cut mid-line). */
  cutMidLine = false;
  /** Bytes of output passed on. */
  outputBytes = 0;
  private line: number[] | null = null; // a partial line being examined (slow path)
  private atLineStart = true;
  private firstLine = true;
  private readonly dec = new TextDecoder();

  /** Feeds a chunk; returns the output pieces to pass to the parser (valid until the next call). */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.line === null && !this.firstLine && !hasSpecial(chunk)) {
      return this.pass(chunk);
    }
    return this.slow(chunk);
  }

  /** Ends the file; returns the last output pieces. */
  end(): Uint8Array[] {
    if (this.line === null) return [];
    const l = Uint8Array.from(this.line);
    this.line = null;
    return this.takeLine(l, false);
  }

  /** The first byte of output (`k` for a plain hex dump, `[` for JSON), or -1 if none yet. */
  firstByte = -1;

  private pass(b: Uint8Array): Uint8Array[] {
    if (b.length === 0) return [];
    if (this.firstByte < 0) for (const x of b) if (x !== 0x20 && x !== 0x0a && x !== 0x0d && x !== 0x09) { this.firstByte = x; break; }
    this.outputBytes += b.length;
    this.atLineStart = b[b.length - 1] === NL;
    return [b];
  }

  private slow(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl + 1;
      const piece = chunk.subarray(start, end);
      if (this.line !== null || this.needsLook(piece)) {
        // Collect the whole line before deciding (it may be split across chunks).
        if (this.line === null) this.line = [];
        for (const x of piece) this.line.push(x);
        if (nl >= 0) {
          const l = Uint8Array.from(this.line);
          this.line = null;
          out.push(...this.takeLine(l, true));
        }
      } else {
        out.push(...this.pass(piece));
        this.firstLine = false;
      }
      if (nl < 0) break;
      start = nl + 1;
      if (start >= chunk.length) break;
    }
    return out;
  }

  /** A line needs a look when it may be bugtool's: first line, special bytes, or bpftool's `Error:`. */
  private needsLook(piece: Uint8Array): boolean {
    if (this.firstLine) return true;
    if (hasSpecial(piece)) return true;
    return this.atLineStart && piece[0] === 0x45 /* E */;
  }

  /** One whole line (with its newline if `complete`). */
  private takeLine(l: Uint8Array, complete: boolean): Uint8Array[] {
    const text = this.dec.decode(l);
    const wasFirst = this.firstLine;
    this.firstLine = false;
    const content = text.replace(/\r?\n$/, '');
    const at = content.indexOf(MARKER);
    if (at >= 0) {
      this.commandErrors.push(errorText(content.slice(at)));
      if (at > 0 || !this.atLineStart) this.cutMidLine = true;
      // The output before the marker is the cut line: passed on, without a newline, so the parser
      // sees it as the last, incomplete, line.
      const before = at > 0 ? this.pass(l.subarray(0, Buffer.byteLength(content.slice(0, at)))) : [];
      this.atLineStart = true;
      return before;
    }
    if (this.atLineStart) {
      if (wasFirst && /^# \S/.test(content)) {
        this.markdown = true;
        return [];
      }
      if (/^```\s*$/.test(content)) {
        this.markdown = true;
        return [];
      }
      if (/^Error: /.test(content)) {
        this.bpftoolErrors.push(content.slice(7).trim());
        return [];
      }
    }
    return complete || l.length ? this.pass(l) : [];
  }
}

function errorText(s: string): string {
  // `> Error while running '<prompt>':  <err>`
  const m = /^> Error while running '.*?':\s*(.*)$/.exec(s);
  return (m ? m[1]! : s).trim();
}

/** Any of `` ` ``, `#`, `>`, `E` (bpftool's `Error:`; hex dumps are lowercase). */
function hasSpecial(b: Uint8Array): boolean {
  return b.indexOf(0x60) >= 0 || b.indexOf(0x23) >= 0 || b.indexOf(0x3e) >= 0 || b.indexOf(0x45) >= 0;
}

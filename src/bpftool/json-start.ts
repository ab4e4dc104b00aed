/**
 * Does a JSON document start here? The one test the plain reader, the JSON reader and the
 * dispatcher (parse.ts) share, so that they always agree on where bpftool's JSON output begins
 * and other tools' `[...]` lines stay noise.
 */

/** JSON whitespace. */
export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Does a JSON document start at `s[i]`? `[` followed by a value or `]`, `{` followed by `"` or
 * `}`, or the word `null` standing alone. Returns 1 (yes), 0 (no) or -1 (cannot tell before more
 * input arrives). Only the rest of the line is looked at (the end of the line counts as a yes),
 * so the plain reader, which sees one line, and the JSON reader, which sees the whole buffer,
 * always agree. `end` bounds the look-ahead; when `complete` the text ends there for good (a
 * whole line in plain mode, or the final chunk), otherwise more may follow.
 */
export function jsonStartAt(s: string, i: number, end: number, complete: boolean): -1 | 0 | 1 {
  const c = s.charCodeAt(i);
  if (c === 91 || c === 123) {
    let j = i + 1;
    while (j < end && isWs(s.charCodeAt(j))) {
      if (s.charCodeAt(j) === 10) return 1; // `[`/`{` ending its line, like the pretty `{`
      j++;
    }
    if (j >= end) return complete ? 1 : -1;
    const d = s.charCodeAt(j);
    if (c === 123) return d === 34 || d === 125 ? 1 : 0;
    // `[`: bpftool's arrays hold objects, arrays or strings, or are empty. Anything else
    // keeps other tools' lines noise: `[WARN] ...`, a Cilium listing `[fd8b::1]:80 ...`, a note
    // `[1f 90]` (numbers, words).
    return d === 123 || d === 91 || d === 93 || d === 34 ? 1 : 0;
  }
  if (c === 110) {
    if (end - i < 4) return complete || !'null'.startsWith(s.slice(i, end)) ? 0 : -1;
    if (!s.startsWith('null', i)) return 0;
    // `null` alone on its line (bpftool prints `null\n` for a lookup miss).
    let j = i + 4;
    while (j < end) {
      const d = s.charCodeAt(j);
      if (d === 10) return 1;
      if (d !== 32 && d !== 9 && d !== 13) return d === 44 || d === 93 || d === 125 ? 1 : 0;
      j++;
    }
    return complete ? 1 : -1;
  }
  return 0;
}

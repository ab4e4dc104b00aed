// Prints map entries exactly as bpftool v7.1.0 does (bpftool-formats.md §1.1-§1.3, §2), for the
// tests, the benchmark and the dump generator, which need inputs the fixtures do not have.
// Mirrors bpftool's `fprint_hex` and `print_entry_plain`. Test and bench tooling, not shipped.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `fprint_hex`: a newline before every 16th byte, two spaces before every other 8th. */
export function fprintHex(b, off = 0, n = b.length - off) {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) s += i % 16 === 0 ? '\n' : i % 8 === 0 ? '  ' : ' ';
    s += HEX[b[off + i]];
  }
  return s;
}

/** One entry of a plain dump (forms A, B, C by the key/value sizes). */
export function plainEntry(key, value) {
  const breakNames = key.length > 16 || value.length > 16;
  const single = key.length + value.length <= 24 && !breakNames;
  if (single) return `key: ${fprintHex(key)}  value: ${fprintHex(value)}\n`;
  if (!breakNames) return `key: ${fprintHex(key)}\nvalue: ${fprintHex(value)}\n`;
  return `key:\n${fprintHex(key)}\nvalue:\n${fprintHex(value)}\n`;
}

/** The `Found N element(s)` trailer (§1.3). */
export function trailer(n) {
  return `Found ${n} element${n === 1 ? '' : 's'}\n`;
}

/** One `-j` element (§2.1): `{"key":["0x..",...],"value":[...]}`. */
export function jsonEntry(key, value) {
  const arr = (b) => `[${Array.from(b, (x) => `"0x${HEX[x]}"`).join(',')}]`;
  return `{"key":${arr(key)},"value":${arr(value)}}`;
}

/**
 * Writes a whole `bpftool map dump` of `n` entries (`entryBytes(i)` → `[key, value]`) to stdout in
 * the plain or `-j` form, 2,000 entries per write, never holding the dump in memory; a closed pipe
 * (`| head`) ends the process quietly. Used by the dump generators.
 */
export function writeDump(n, form, entryBytes) {
  const out = process.stdout;
  let i = 0;
  function pump() {
    while (i < n) {
      let chunk = '';
      const end = Math.min(n, i + 2000);
      for (; i < end; i++) {
        const [k, v] = entryBytes(i);
        if (form === 'json') chunk += (i === 0 ? '[' : ',') + jsonEntry(k, v);
        else chunk += plainEntry(k, v);
      }
      if (i === n) chunk += form === 'json' ? (n === 0 ? '[]\n' : ']\n') : trailer(n);
      if (!out.write(chunk)) {
        out.once('drain', pump);
        return;
      }
    }
  }
  out.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  pump();
}

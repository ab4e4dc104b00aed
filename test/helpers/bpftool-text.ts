/**
 * Writes map entries exactly as bpftool v7.1.0 prints them (bpftool-formats.md §1.1-§1.3, §2), for
 * tests that need inputs the fixtures do not have. Mirrors `fprint_hex` and `print_entry_plain`.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `fprint_hex`: newline before every 16th byte, two spaces before every other 8th. */
export function fprintHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i > 0) s += i % 16 === 0 ? '\n' : i % 8 === 0 ? '  ' : ' ';
    s += HEX[b[i]!];
  }
  return s;
}

/** One entry of a plain dump (forms A, B, C by the key/value sizes). */
export function plainEntry(key: Uint8Array, value: Uint8Array): string {
  const breakNames = key.length > 16 || value.length > 16;
  const single = key.length + value.length <= 24 && !breakNames;
  if (single) return `key: ${fprintHex(key)}  value: ${fprintHex(value)}\n`;
  if (!breakNames) return `key: ${fprintHex(key)}\nvalue: ${fprintHex(value)}\n`;
  return `key:\n${fprintHex(key)}\nvalue:\n${fprintHex(value)}\n`;
}

/** A whole plain dump with its trailer. */
export function plainDump(entries: [Uint8Array, Uint8Array][]): string {
  const n = entries.length;
  return entries.map(([k, v]) => plainEntry(k, v)).join('') + `Found ${n} element${n === 1 ? '' : 's'}\n`;
}

const jarr = (b: Uint8Array) => `[${Array.from(b, (x) => `"0x${HEX[x]}"`).join(',')}]`;

/** A compact `-j` dump: one line. */
export function jsonDump(entries: [Uint8Array, Uint8Array][]): string {
  return `[${entries.map(([k, v]) => `{"key":${jarr(k)},"value":${jarr(v)}}`).join(',')}]\n`;
}

/** Whole dumps in bpftool's exact text, built on scripts/bpftool-print.mjs (the one emulation). */
import { jsonEntry, plainEntry, trailer } from '../../scripts/bpftool-print.mjs';

export { fprintHex, plainEntry } from '../../scripts/bpftool-print.mjs';

/** A whole plain dump with its trailer. */
export function plainDump(entries: [Uint8Array, Uint8Array][]): string {
  return entries.map(([k, v]) => plainEntry(k, v)).join('') + trailer(entries.length);
}

/** A compact `-j` dump: one line. */
export function jsonDump(entries: [Uint8Array, Uint8Array][]): string {
  return `[${entries.map(([k, v]) => jsonEntry(k, v)).join(',')}]\n`;
}

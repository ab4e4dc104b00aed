/**
 * `-o cilium`: per entry, the key string and value string that Cilium's own `Key.String()` /
 * `Value.String()` print for the chosen version, tab-separated (one entry per line so the output
 * streams; `column -t -s $'\t'` aligns it like cilium-dbg's tabwriter).
 */
import { ciliumKeyString, ciliumKeyTo, ciliumRow, ciliumValueString, ciliumValueTo, type ByteSink, type DecodedRecord, type MapSpec } from '../index';

/** The `-o cilium` line of one record. */
export function ciliumRowFor(spec: MapSpec, r: DecodedRecord): string {
  const key = ciliumKeyString(spec, r.key);
  if (r.values) return r.values.map((cv) => ciliumRow(key, ciliumValueString(spec, cv.value, r.key))).join('\n');
  return ciliumRow(key, r.value ? ciliumValueString(spec, r.value, r.key) : '');
}

/** {@link ciliumRowFor} and its newline, written into `sink` part by part (no joined string to flatten). */
export function writeCiliumRow(spec: MapSpec, r: DecodedRecord, sink: ByteSink): void {
  if (r.values) {
    sink.string(ciliumRowFor(spec, r));
    sink.byte(10);
    return;
  }
  // The row as one unit: a value that cannot be printed takes its key with it.
  const at = sink.pos;
  try {
    ciliumKeyTo(spec, r.key, sink);
    sink.byte(9);
    if (r.value) ciliumValueTo(spec, r.value, r.key, sink);
    sink.byte(10);
  } catch (e) {
    sink.pos = at;
    throw e;
  }
}

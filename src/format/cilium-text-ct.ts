/**
 * The text `cilium-dbg` prints for the conntrack, NAT and metrics maps, per Cilium version:
 * - `cilium bpf ct list global`: one line per entry, `CtKey{4,6}Global.Dump(reverse=true)` then
 *   `CtEntry.StringWithTimeDiff` (`pkg/maps/ctmap/types.go`);
 * - `cilium bpf nat list`: `TupleKey{4,6}Global.Dump(reverse=false)` then `NatEntry{4,6}.Dump`
 *   (`pkg/tuple/ipv{4,6}.go`, `pkg/maps/nat/ipv{4,6}.go`);
 * - `cilium bpf metrics list`: a tabwriter table of the summed per-CPU counters, rows sorted as
 *   strings (`cilium-dbg/cmd/bpf_metrics_list.go`).
 *
 * Times: without a "now" the CT text is the plain `expires=N` of `ct list` without `--time-diff`;
 * with one it carries ` (remaining: R sec(s))` like `--time-diff`. NAT `Created=` always needs now:
 * v1.15+ prints `Ns ago` (or, like Cilium with an unknown clock source, `? (raw N)` when no now is
 * given); v1.10 – v1.14 print `now_ns/1e9 − created/1e9` (a unit bug that yields about the node's
 * monotonic seconds; `?sec` without now, which Cilium never prints).
 *
 * Unverified: the v1.14 – v1.15 flag words for bit 9 (assumed not printed, not `Unknown`), and that
 * `Nat64` still names bit 2 after v1.15; the negative `remaining` of expired entries.
 */
import type { MapSpec } from '../cilium/catalog';
import { monoDiffSeconds, KTIME, type BpfClock } from '../cilium/ct-time';
import { protoName } from '../cilium/names';
import type { DecodedRecord } from '../decode/dump-decoder';
import { TabWriter } from './tabwriter';
import { ByteSink } from '../schema/byte-sink';
import { netIP, textOf, versionOf } from './cilium-text';
import { HEX2 } from '../schema/ip-text';
import { atLeast } from '../cilium/versions';

type Rec = Readonly<Record<string, unknown>>;

/** Options of the CT/NAT/metrics text. */
export interface CiliumTimeOptions {
  /** The node's `bpf_mono_now()` when the dump was taken (ktime: monotonic seconds). */
  now?: number;
  /** The node's BPF clock source (default ktime). */
  clock?: BpfClock;
}

function n(rec: Rec, name: string): number {
  const v = rec[name];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`the decoded record has no numeric "${name}" (fields: ${Object.keys(rec).join(', ')})`);
}

function big(rec: Rec, name: string): string {
  const v = rec[name];
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  throw new TypeError(`the decoded record has no "${name}" (fields: ${Object.keys(rec).join(', ')})`);
}

/** {@link big}'s text written into the sink: digits straight from the number below 2^53 (no BigInt string per counter). */
function bigTo(rec: Rec, name: string, out: ByteSink): void {
  const v = rec[name];
  if (typeof v === 'bigint' && v <= 9007199254740991n && v >= 0n) out.number(Number(v));
  else out.ascii(big(rec, name));
}

function s(rec: Rec, name: string): string {
  const v = rec[name];
  if (typeof v !== 'string') throw new TypeError(`the decoded record has no "${name}" address (fields: ${Object.keys(rec).join(', ')})`);
  return v;
}

function flagsOf(rec: Rec, name: string): number {
  const v = rec[name];
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { raw?: unknown }).raw === 'number') return (v as { raw: number }).raw;
  throw new TypeError(`the decoded record has no "${name}" flags`);
}


/** Go `%#0Nx`: `0x` then at least N hex digits (the prefix does not count toward the width). */
function hexN(x: number, digits: number): string {
  return `0x${x.toString(16).padStart(digits, '0')}`;
}

/** {@link hexN} written into the sink, from the byte table when `x` fits `digits` (2 or 4). */
function hexTo(x: number, digits: 2 | 4, out: ByteSink): void {
  if (x >= 0 && x < 0x100 && digits === 2) {
    out.ascii('0x');
    out.ascii(HEX2[x]!);
  } else if (x >= 0 && x < 0x10000 && digits === 4) {
    out.ascii('0x');
    out.ascii(HEX2[x >>> 8]!);
    out.ascii(HEX2[x & 0xff]!);
  } else out.ascii(hexN(x, digits));
}

const at = (v: { minor: number; patch: number }, minor: number): boolean => atLeast(v, minor);

// ---------------------------------------------------------------------------------------------
// Conntrack

/**
 * `CtKey{4,6}Global.Dump(reverse=true)`: `TCP OUT C:c -> S:s ` (IPv6 without brackets), `IN`, from
 * v1.15 `SVC saddr:dport -> daddr:sport`; then `related ` (bit 1) and, up to v1.14, `service ` (bit 2).
 * Undefined for `nexthdr` 0, which Cilium's dump skips.
 */
export function ciliumCtKeyText(spec: MapSpec, key: Readonly<Record<string, unknown>>): string | undefined {
  let printed = false;
  const text = textOf((out) => (printed = ctKeyTo(spec, key, out)));
  return printed ? text : undefined;
}

/** {@link ciliumCtKeyText} written into `out`; false (nothing written) for `nexthdr` 0. */
function ctKeyTo(spec: MapSpec, key: Rec, out: ByteSink): boolean {
  const v = versionOf(spec);
  const proto = n(key, 'nexthdr');
  if (proto === 0) return false;
  const f = flagsOf(key, 'flags');
  const daddr = netIP(s(key, 'daddr'));
  const saddr = netIP(s(key, 'saddr'));
  out.ascii(protoName(proto));
  if (f & 1) endpoints(out, ' IN ', daddr, n(key, 'sport'), saddr, n(key, 'dport'));
  else if (at(v, 15) && f & 4) endpoints(out, ' SVC ', saddr, n(key, 'dport'), daddr, n(key, 'sport'));
  else endpoints(out, ' OUT ', daddr, n(key, 'sport'), saddr, n(key, 'dport'));
  if (f & 2) out.ascii('related ');
  if (!at(v, 15) && f & 4) out.ascii('service ');
  return true;
}

/** `<dir>a:ap -> b:bp ` (addresses as given: CT keys print IPv6 without brackets). */
function endpoints(out: ByteSink, dir: string, a: string, ap: number, b: string, bp: number): void {
  out.ascii(dir);
  out.string(a);
  out.ascii(':');
  out.number(ap);
  out.ascii(' -> ');
  out.string(b);
  out.ascii(':');
  out.number(bp);
  out.ascii(' ');
}

type FlagWords = { readonly words: readonly (readonly [number, string])[]; readonly maxFlags: number };
const flagWordsByVersion = new WeakMap<object, FlagWords>();

/** The flag words and `MaxFlags` a version prints with (worked out once per version object). */
function flagWords(v: { minor: number; patch: number }): FlagWords {
  let fw = flagWordsByVersion.get(v);
  if (fw) return fw;
  const words: [number, string][] = [
    [0, 'RxClosing'],
    [1, 'TxClosing'],
    [2, 'Nat64'],
    [3, 'LBLoopback'],
    [4, 'SeenNonSyn'],
    [5, 'NodePort'],
    [6, 'ProxyRedirect'],
    [7, at(v, 16) ? 'DSRInternal' : 'DSR'],
  ];
  if (at(v, 13)) words.push([8, 'FromL7LB']);
  if (v.minor === 13) words.push([9, 'AuthRequired']);
  if (at(v, 14)) words.push([10, 'FromTunnel']);
  // MaxFlags: the bit after the last named one; everything from there up is "unknown".
  fw = { words, maxFlags: at(v, 14) ? 1 << 11 : at(v, 13) ? 1 << 10 : 1 << 8 };
  flagWordsByVersion.set(v, fw);
  return fw;
}

/** `CtEntry.flagsString()`: `Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ]`, with `Unknown=0x…` for bits the version has no word for. */
export function ctFlagsText(flags: number, v: { minor: number; patch: number }): string {
  return textOf((out) => ctFlagsTo(flags, v, out));
}

function ctFlagsTo(flags: number, v: { minor: number; patch: number }, out: ByteSink): void {
  const { words, maxFlags } = flagWords(v);
  out.ascii('Flags=');
  hexTo(flags, 4, out);
  out.ascii(' [ ');
  for (const [bit, word] of words) {
    if (flags & (1 << bit)) {
      out.ascii(word);
      out.ascii(' ');
    }
  }
  const unknown = flags & ~(maxFlags - 1) & 0xffff;
  if (unknown) {
    out.ascii('Unknown=');
    hexTo(unknown, 4, out);
    out.ascii(' ');
  }
  out.ascii(']');
}

/** `CtEntry.StringWithTimeDiff` for the spec's version (the trailing space included, no newline). */
export function ciliumCtValueText(spec: MapSpec, value: Readonly<Record<string, unknown>>, opts: CiliumTimeOptions = {}): string {
  return textOf((out) => ctValueTo(spec, value, opts, out));
}

/** {@link ciliumCtValueText} written into `out`, piece by piece. */
function ctValueTo(spec: MapSpec, value: Rec, opts: CiliumTimeOptions, out: ByteSink): void {
  const v = versionOf(spec);
  const lifetime = n(value, 'lifetime');
  out.ascii('expires=');
  out.number(lifetime);
  if (opts.now !== undefined) out.ascii(` (remaining: ${monoDiffSeconds(lifetime, opts.now, opts.clock ?? KTIME)} sec(s))`);
  const old = !at(v, 16);
  out.ascii(old ? ' RxPackets=' : ' Packets=');
  bigTo(value, old ? 'rx_packets' : 'packets', out);
  out.ascii(old ? ' RxBytes=' : ' Bytes=');
  bigTo(value, old ? 'rx_bytes' : 'bytes', out);
  out.ascii(' RxFlagsSeen=');
  hexTo(n(value, 'rx_flags_seen'), 2, out);
  out.ascii(' LastRxReport=');
  out.number(n(value, 'last_rx_report'));
  if (old) {
    out.ascii(' TxPackets=');
    bigTo(value, 'tx_packets', out);
    out.ascii(' TxBytes=');
    bigTo(value, 'tx_bytes', out);
  }
  out.ascii(' TxFlagsSeen=');
  hexTo(n(value, 'tx_flags_seen'), 2, out);
  out.ascii(' LastTxReport=');
  out.number(n(value, 'last_tx_report'));
  out.ascii(' ');
  ctFlagsTo(flagsOf(value, 'flags'), v, out);
  out.ascii(' RevNAT=');
  out.number(n(value, 'rev_nat_index'));
  out.ascii(' SourceSecurityID=');
  out.number(n(value, 'src_sec_id'));
  if (old || !at(v, 18)) {
    out.ascii(' IfIndex=');
    out.number(n(value, 'ifindex'));
  }
  if (!old) {
    out.ascii(' BackendID=');
    bigTo(value, 'backend_id', out);
  }
  if (at(v, 19)) {
    out.ascii(' NatPort=');
    out.number(n(value, 'nat_port'));
  }
  out.ascii(' ');
}

// ---------------------------------------------------------------------------------------------
// NAT

/** `TupleKey{4,6}Global.Dump(reverse=false)`: `TCP OUT 10.0.1.5:43210 -> 1.1.1.1:443 ` (IPv6 in brackets). */
export function ciliumNatKeyText(spec: MapSpec, key: Readonly<Record<string, unknown>>): string | undefined {
  const proto = n(key, 'nexthdr');
  if (proto === 0) return undefined;
  const hp = (a: string, p: number) => (spec.def.family === 6 ? `[${netIP(a)}]:${p}` : `${netIP(a)}:${p}`);
  const dir = flagsOf(key, 'flags') & 1 ? 'IN' : 'OUT';
  return `${protoName(proto)} ${dir} ${hp(s(key, 'saddr'), n(key, 'sport'))} -> ${hp(s(key, 'daddr'), n(key, 'dport'))} `;
}

/** `NatEntry{4,6}.Dump`: `XLATE_SRC 192.168.1.10:43210 Created=465sec ago NeedsCT=1` (no newline). */
export function ciliumNatValueText(spec: MapSpec, key: Readonly<Record<string, unknown>>, value: Readonly<Record<string, unknown>>, opts: CiliumTimeOptions = {}): string {
  const v = versionOf(spec);
  const which = flagsOf(key, 'flags') & 1 ? 'DST' : 'SRC';
  const addr = netIP(s(value, 'to_addr'));
  const to = spec.def.family === 6 ? `[${addr}]:${n(value, 'to_port')}` : `${addr}:${n(value, 'to_port')}`;
  const createdRaw = value.created as bigint;
  let created: string;
  if (at(v, 15)) {
    created = opts.now === undefined ? `? (raw ${createdRaw})` : `${monoDiffSeconds(opts.now, Number(createdRaw), opts.clock ?? KTIME)}sec ago`;
  } else {
    // NatDumpCreated(now_ns, created): uint64 seconds of each, subtracted (wraps like Go's uint64).
    created = opts.now === undefined ? '?sec' : `${BigInt.asUintN(64, BigInt(Math.trunc(opts.now)) - createdRaw / 1_000_000_000n)}sec`;
  }
  const last = at(v, 14) ? `NeedsCT=${big(value, 'needs_ct')}` : `HostLocal=${big(value, 'host_local')}`;
  return `XLATE_${which} ${to} Created=${created} ${last}`;
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** The `cilium bpf metrics list` table of per-CPU metrics records (summed), rows sorted as strings. */
export function ciliumMetricsTable(spec: MapSpec, records: readonly DecodedRecord[]): string {
  const v = versionOf(spec);
  const withLine = at(v, 16);
  const rows: string[][] = [];
  for (const r of records) {
    const k = r.key;
    let count = 0n;
    let bytes = 0n;
    for (const cv of r.values ?? (r.value ? [{ cpu: 0, value: r.value }] : [])) {
      count += cv.value.count as bigint;
      bytes += cv.value.bytes as bigint;
    }
    const row = [s(k, 'reason_name'), s(k, 'direction'), String(BigInt.asUintN(64, count)), String(BigInt.asUintN(64, bytes))];
    if (withLine) row.push(String(n(k, 'line')), s(k, 'file_name'));
    rows.push(row);
  }
  if (rows.length === 0) return '';
  rows.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  });
  const w = new TabWriter();
  w.write(withLine ? 'REASON\tDIRECTION\tPACKETS\tBYTES\tLINE\tFILE\n' : 'REASON\tDIRECTION\tPACKETS\tBYTES\n');
  for (const row of rows) w.write(`${row.join('\t')}\n`);
  return w.flush();
}

// ---------------------------------------------------------------------------------------------
// Streaming writer

/**
 * `-o cilium` for the CT, NAT and metrics maps: CT and NAT lines stream, metrics rows are held until
 * {@link CiliumDatapathText.end} (the table is sorted). `add` returns undefined for other maps.
 */
export class CiliumDatapathText {
  private metrics: DecodedRecord[] = [];
  private metricsSpec?: MapSpec;
  constructor(private readonly opts: CiliumTimeOptions = {}) {}

  /** Text for one record (lines end in `\n`; empty when Cilium prints nothing for it), or undefined when the map is not CT/NAT/metrics. */
  add(spec: MapSpec, r: DecodedRecord): string | undefined {
    let known = false;
    const text = textOf((out) => (known = this.addTo(spec, r, out)));
    return known ? text : undefined;
  }

  /**
   * {@link add}, written into `out` (the CLI's output buffer); false when the map is not
   * CT/NAT/metrics. On a throw (a record without a field the line needs) the sink is left as it was.
   */
  addTo(spec: MapSpec, r: DecodedRecord, out: ByteSink): boolean {
    const at = out.pos;
    try {
      return this.write(spec, r, out);
    } catch (e) {
      out.pos = at;
      throw e;
    }
  }

  private write(spec: MapSpec, r: DecodedRecord, out: ByteSink): boolean {
    switch (spec.def.kind) {
      case 'ct': {
        // The key is printed only with its value, and not at all for nexthdr 0.
        if (!r.value || n(r.key, 'nexthdr') === 0) return true;
        ctKeyTo(spec, r.key, out);
        ctValueTo(spec, r.value, this.opts, out);
        out.ascii('\n');
        return true;
      }
      case 'nat': {
        const k = ciliumNatKeyText(spec, r.key);
        if (k !== undefined && r.value) out.string(`${k}${ciliumNatValueText(spec, r.key, r.value, this.opts)}\n`);
        return true;
      }
      case 'metrics':
        this.metricsSpec = spec;
        this.metrics.push(r);
        return true;
      default:
        return false;
    }
  }

  /** The held metrics table, if any. */
  end(): string {
    return this.metricsSpec ? ciliumMetricsTable(this.metricsSpec, this.metrics) : '';
  }
}

/**
 * One line of `cilium[-dbg] bpf ct list global` or `bpf nat list` → the key and value fields it
 * carries (the inverse of format/cilium-text-ct.ts). These lines are
 * not tabwritten: key text, then value text, on one line.
 *
 * - CT: `CtKey{4,6}Global.Dump(reverse=true)` prints `daddr:sport -> saddr:dport` for IN and OUT
 *   and `saddr:dport -> daddr:sport` for SVC (v1.15+); IPv6 without brackets (split at the last
 *   colon). TCP entries live in `cilium_ct{4,6}_global`, all others in `cilium_ct_any{4,6}_global`.
 *   Not printed: `nat_addr` (v1.19+).
 * - NAT: `saddr:sport -> daddr:dport` (IPv6 in brackets). `Created=` is relative to the dump time
 *   (`Nsec ago`, or v1.10 – v1.14's mixed-unit `Nsec`), so `created` is carried only by the raw form
 *   `? (raw N)`.
 */
import { ctKeyFromText, natKeyFromText, TupleTextError, type TupleKeyInput } from '../cilium/ct-tuple-text';
import { familyOf, RowError, type ParsedRow, type RowFields } from './rows';

/** A key parsed from tuple text; unreadable text is this row's error. */
function tupleKey(parse: () => TupleKeyInput): RowFields {
  try {
    return { ...parse() };
  } catch (e) {
    if (e instanceof TupleTextError) throw new RowError(e.message.replace(/^cilium-map-codec: /, ''));
    throw e;
  }
}

/** Recognises a CT line's key text (its fields are read by ctKeyFromText). */
const CT_KEY = /^\S+ (?:IN|OUT|SVC) \S+:\d+ -> \S+:\d+ (?:related |service )*/;

const unbracket = (a: string): string => (a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a);

const CT_OLD = /^expires=(\d+)(?: \(remaining: -?\d+ sec\(s\)\))? RxPackets=(\d+) RxBytes=(\d+) RxFlagsSeen=0x([0-9a-f]+) LastRxReport=(\d+) TxPackets=(\d+) TxBytes=(\d+) TxFlagsSeen=0x([0-9a-f]+) LastTxReport=(\d+) Flags=0x([0-9a-f]+) \[[^\]]*\] RevNAT=(\d+) SourceSecurityID=(\d+) IfIndex=(\d+)\s*$/;
const CT_NEW = /^expires=(\d+)(?: \(remaining: -?\d+ sec\(s\)\))? Packets=(\d+) Bytes=(\d+) RxFlagsSeen=0x([0-9a-f]+) LastRxReport=(\d+) TxFlagsSeen=0x([0-9a-f]+) LastTxReport=(\d+) Flags=0x([0-9a-f]+) \[[^\]]*\] RevNAT=(\d+) SourceSecurityID=(\d+)(?: IfIndex=(\d+))? BackendID=(\d+)(?: NatPort=(\d+))?\s*$/;

/** A `bpf ct list` line, or undefined when the line is not one. */
export function ctRow(line: string): ParsedRow | undefined {
  const k = CT_KEY.exec(line);
  if (!k) return undefined;
  const rest = line.slice(k[0].length);
  const old = CT_OLD.exec(rest);
  const neu = old ? undefined : CT_NEW.exec(rest);
  if (!old && !neu) return undefined;
  // The key text is the connection text `decode-map key` reads: one parser, one CT key swap.
  const key = tupleKey(() => ctKeyFromText(k[0]!));
  const nexthdr = key.nexthdr as number;
  let value: RowFields;
  if (old) {
    value = {
      lifetime: Number(old[1]), rx_packets: BigInt(old[2]!), rx_bytes: BigInt(old[3]!), rx_flags_seen: parseInt(old[4]!, 16), last_rx_report: Number(old[5]),
      tx_packets: BigInt(old[6]!), tx_bytes: BigInt(old[7]!), tx_flags_seen: parseInt(old[8]!, 16), last_tx_report: Number(old[9]), flags: parseInt(old[10]!, 16),
      rev_nat_index: Number(old[11]), src_sec_id: Number(old[12]), ifindex: Number(old[13]),
    };
  } else {
    const v = neu!;
    value = {
      lifetime: Number(v[1]), packets: BigInt(v[2]!), bytes: BigInt(v[3]!), rx_flags_seen: parseInt(v[4]!, 16), last_rx_report: Number(v[5]),
      tx_flags_seen: parseInt(v[6]!, 16), last_tx_report: Number(v[7]), flags: parseInt(v[8]!, 16), rev_nat_index: Number(v[9]), src_sec_id: Number(v[10]),
      backend_id: BigInt(v[12]!),
    };
    if (v[11] !== undefined) value.ifindex = Number(v[11]);
    if (v[13] !== undefined) value.nat_port = Number(v[13]);
  }
  const family = familyOf(key.daddr as string);
  const map = `cilium_ct${nexthdr === 6 ? '' : '_any'}${family}_global`;
  return { kind: 'ct', family, key, value, map };
}

/** A NAT line; the key text before ` XLATE_` is read by natKeyFromText, the groups are the value's. */
const NAT = /^\S+ (?:IN|OUT) \S+:\d+ -> \S+:\d+ XLATE_(?:SRC|DST) (\S+):(\d+) Created=(?:\? \(raw (\d+)\)|\S+(?: ago)?) (NeedsCT|HostLocal)=(\d+)\s*$/;

/** A `bpf nat list` line, or undefined when the line is not one. */
export function natRow(line: string): ParsedRow | undefined {
  const m = NAT.exec(line);
  if (!m) return undefined;
  const key = tupleKey(() => natKeyFromText(line.slice(0, line.indexOf(' XLATE_'))));
  const value: RowFields = { to_addr: unbracket(m[1]!), to_port: Number(m[2]) };
  if (m[3] !== undefined) value.created = BigInt(m[3]);
  value[m[4] === 'NeedsCT' ? 'needs_ct' : 'host_local'] = BigInt(m[5]!);
  const family = familyOf(key.saddr as string);
  return { kind: 'nat', family, key, value, map: `cilium_snat_v${family}_external` };
}

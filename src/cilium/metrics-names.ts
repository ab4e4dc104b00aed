/**
 * Names for `cilium_metrics` keys: drop/forward reasons (`pkg/monitor/api/drop.go` `DropReason`),
 * BPF source file IDs (`pkg/monitor/api/files.go` `BPFFileName`, `__MAGIC_FILE__` ids) and
 * directions (`metricsmap.MetricDirection`). Both tables change between releases (strings are
 * reworded, file IDs renumbered, cb92b91416), so each is a per-version table.
 *
 * Unverified: the tables were read at two snapshots each, not at every
 * release tag, and the version boundaries between them are assumptions (see {@link reasonTableFor},
 * {@link fileTableFor}). Codes a table does not name print as Go prints them: the decimal number
 * (reasons) or `unknown(N)` (files).
 */
import type { CiliumVersion } from './versions';

/** Code → name. */
export type NameTable = Readonly<Record<number, string>>;

/** Reason codes 0–181 as of the v1.10 era (read at cilium/cilium ed49278ac5). */
const REASONS_V110: NameTable = {
  0: 'Success',
  2: 'Invalid packet',
  3: 'Interface',
  4: 'Interface Decrypted',
  5: 'LB, sock cgroup: No backend slot entry found',
  6: 'LB, sock cgroup: No backend entry found',
  7: 'LB, sock cgroup: Reverse entry update failed',
  8: 'LB, sock cgroup: Reverse entry stale',
  9: 'Fragmented packet',
  10: 'Fragmented packet entry update failed',
  130: 'Invalid source mac',
  131: 'Invalid destination mac',
  132: 'Invalid source ip',
  133: 'Policy denied',
  134: 'Invalid packet',
  135: 'CT: Truncated or invalid header',
  136: 'CT: Missing TCP ACK flag',
  137: 'CT: Unknown L4 protocol',
  138: "CT: Can't create entry from packet",
  139: 'Unsupported L3 protocol',
  140: 'Missed tail call',
  141: 'Error writing to packet',
  142: 'Unknown L4 protocol',
  143: 'Unknown ICMPv4 code',
  144: 'Unknown ICMPv4 type',
  145: 'Unknown ICMPv6 code',
  146: 'Unknown ICMPv6 type',
  147: 'Error retrieving tunnel key',
  148: 'Error retrieving tunnel options',
  149: 'Invalid Geneve option',
  150: 'Unknown L3 target address',
  151: 'Stale or unroutable IP',
  152: 'No matching local container found',
  153: 'Error while correcting L3 checksum',
  154: 'Error while correcting L4 checksum',
  155: 'CT: Map insertion failed',
  156: 'Invalid IPv6 extension header',
  157: 'IP fragmentation not supported',
  158: 'Service backend not found',
  160: 'No tunnel/encapsulation endpoint (datapath BUG!)',
  161: 'Failed to insert into proxymap',
  162: 'Reached EDT rate-limiting drop horizon',
  163: 'Unknown connection tracking state',
  164: 'Local host is unreachable',
  165: 'No configuration available to perform policy decision',
  166: 'Unsupported L2 protocol',
  167: 'No mapping for NAT masquerade',
  168: 'Unsupported protocol for NAT masquerade',
  169: 'FIB lookup failed',
  170: 'Encapsulation traffic is prohibited',
  171: 'Invalid identity',
  172: 'Unknown sender',
  173: 'NAT not needed',
  174: 'Is a ClusterIP',
  175: 'First logical datagram fragment not found',
  176: 'Forbidden ICMPv6 message',
  177: 'Denied by LB src range check',
  178: 'Socket lookup failed',
  179: 'Socket assign failed',
  180: 'Proxy redirection not supported for protocol',
  181: 'Policy denied by denylist',
};

/** Reason codes 0–198 as of the v1.16 era (the table with `DropReasonExt(reason, int8)`). */
const REASONS_V116: NameTable = {
  ...REASONS_V110,
  11: 'Missed tail call to custom program',
  136: 'Fragmentation needed',
  161: 'NAT 46/64 not enabled',
  182: 'VLAN traffic disallowed by VLAN filter',
  183: 'Incorrect VNI from VTEP',
  184: 'Failed to update or lookup TC buffer',
  185: 'No SID was found for the IP address',
  186: 'SRv6 state was removed during tail call',
  187: 'L3 translation from IPv4 to IPv6 failed (NAT46)',
  188: 'L3 translation from IPv6 to IPv4 failed (NAT64)',
  189: 'Authentication required',
  190: 'No conntrack map found',
  191: 'No nat map found',
  192: 'Invalid ClusterID',
  193: 'Unsupported packet protocol for DSR encapsulation',
  194: 'No egress gateway found',
  195: 'Traffic is unencrypted',
  196: 'TTL exceeded',
  197: 'No node ID found',
  198: 'Rate limited',
};

/** File IDs v1.16 – v1.18 (`bpf/lib/source_info.h` numbering before cb92b91416; 101 arp.h … 105 nodeport.h confirmed at v1.16.0). */
const FILES_V116: NameTable = {
  1: 'bpf_host.c',
  2: 'bpf_lxc.c',
  3: 'bpf_overlay.c',
  4: 'bpf_xdp.c',
  5: 'bpf_sock.c',
  6: 'bpf_network.c',
  101: 'arp.h',
  102: 'drop.h',
  103: 'srv6.h',
  104: 'icmp6.h',
  105: 'nodeport.h',
  106: 'lb.h',
  107: 'mcast.h',
  108: 'ipv4.h',
  109: 'conntrack.h',
  110: 'l3.h',
  111: 'trace.h',
  112: 'encap.h',
  113: 'encrypt.h',
};

/** File IDs v1.19 → main (renumbered by cb92b91416, "misaligned file indexing", 2025-11-10). */
const FILES_MAIN: NameTable = {
  1: 'bpf_host.c',
  2: 'bpf_lxc.c',
  3: 'bpf_overlay.c',
  4: 'bpf_xdp.c',
  5: 'bpf_sock.c',
  7: 'bpf_wireguard.c',
  101: 'drop.h',
  102: 'srv6.h',
  103: 'icmp6.h',
  104: 'nodeport.h',
  105: 'lb.h',
  106: 'mcast.h',
  107: 'ipv4.h',
  108: 'conntrack.h',
  109: 'local_delivery.h',
  110: 'trace.h',
  111: 'encap.h',
  112: 'host_firewall.h',
  113: 'nodeport_egress.h',
  114: 'ipv6.h',
  115: 'classifiers.h',
};


/** The reason table of a version: the v1.10 table for v1.10 – v1.11, the v1.16 table after (boundary unverified). */
export function reasonTableFor(v: Pick<CiliumVersion, 'minor'>): NameTable {
  return v.minor <= 11 ? REASONS_V110 : REASONS_V116;
}

/** The file-ID table of a version (keys carry a file ID only from v1.16, MK-B). */
export function fileTableFor(v: Pick<CiliumVersion, 'minor'>): NameTable {
  return v.minor <= 18 ? FILES_V116 : FILES_MAIN;
}

/** `DropReason(reason)`: the name, or the decimal code. */
export function dropReasonName(reason: number, v: Pick<CiliumVersion, 'minor'>): string {
  return reasonTableFor(v)[reason] ?? String(reason);
}

/** `BPFFileName(file)`: the file name, or `unknown(N)`. */
export function bpfFileName(file: number, v: Pick<CiliumVersion, 'minor'>): string {
  return fileTableFor(v)[file] ?? `unknown(${file})`;
}

/** `MetricDirection(dir)`: `INGRESS` (1), `EGRESS` (2), `SERVICE` (3), else `UNKNOWN`. */
export function metricDirection(dir: number): 'INGRESS' | 'EGRESS' | 'SERVICE' | 'UNKNOWN' {
  return dir === 1 ? 'INGRESS' : dir === 2 ? 'EGRESS' : dir === 3 ? 'SERVICE' : 'UNKNOWN';
}

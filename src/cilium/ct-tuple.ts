/**
 * `struct ipv4_ct_tuple` (14 bytes, `__packed`) / `struct ipv6_ct_tuple` (38 bytes, `__packed`):
 * the key of the conntrack maps (`cilium_ct{4,6}_global`, `cilium_ct_any{4,6}_global`) and of the
 * SNAT maps (`cilium_snat_v{4,6}_external`). One layout in every version v1.10 → main
 * (`bpf/lib/common.h` ≤ v1.18 BP, `bpf/lib/conntrack.h` v1.19 →; Go `pkg/tuple/ipv{4,6}.go`;
 * docs/layouts.md).
 *
 * Byte orders: addresses and both ports are network order (decoded to host-order numbers);
 * `nexthdr` is the IP protocol; `flags` holds `TUPLE_F_IN` (bit 0; clear = `TUPLE_F_OUT`),
 * `TUPLE_F_RELATED` (bit 1) and `TUPLE_F_SERVICE` (bit 2).
 *
 * The same bytes mean different things in the two map families:
 * - **CT keys are stored reversed.** For a connection client C:c → server S:s the OUT and IN
 *   entries are `{daddr: C, saddr: S, dport: s, sport: c}`; a SERVICE entry is
 *   `{daddr: VIP, saddr: C, dport: c, sport: vport}`. The derived `client` / `server` undo this.
 * - **NAT keys are not swapped**: `saddr:sport → daddr:dport` is the packet as it was seen.
 * Hence two schemas over one struct, differing only in the derived fields.
 */
import { be16, defineStruct, deriveText, flags, ipv4, ipv6, u8, type Decoded, type Encodable, type TextPart } from '../schema/index';
import { PROTO_NAMES } from './names';
import type { NatUnionMember } from './nat-entry';

/** `TUPLE_F_*` bits of the tuple's `flags` byte (`TUPLE_F_OUT` is 0: no bit). */
export const tupleFlags = flags({ in: 0, related: 1, service: 2 });

/** Which way a CT entry was created: `OUT` (CT_EGRESS), `IN` (CT_INGRESS) or `SVC` (CT_SERVICE). */
export type CtDirection = 'OUT' | 'IN' | 'SVC';

/** `addr:port`, with IPv6 addresses in brackets (`[fd00::1]:80`). */
export function hostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

interface TupleRecord {
  daddr: string;
  saddr: string;
  dport: number;
  sport: number;
  nexthdr: number;
  flags: { raw: number; in: boolean; related: boolean; service: boolean };
}

/** Fields derived from a CT key. */
export interface CtTupleDerived {
  /** `TCP`, `UDP`, `ICMP`, `ICMPv6`, `SCTP`, or the protocol number. */
  proto_name: string;
  /** `SVC` when `TUPLE_F_SERVICE` is set, else `IN` / `OUT` from `TUPLE_F_IN`. */
  direction: CtDirection;
  /** The connection's client as the user thinks of it, `addr:port` (the CT key swap undone). */
  client: string;
  /** The connection's server (for a SERVICE entry: the frontend VIP:port). */
  server: string;
}

/** Fields derived from a NAT key. */
export interface NatTupleDerived {
  proto_name: string;
  /** `OUT` (egress, SNAT: value is `to_saddr:to_sport`) or `IN` (ingress, RevSNAT: value is `to_daddr:to_dport`). */
  direction: 'OUT' | 'IN';
  /** The packet's source, `saddr:sport`. */
  from: string;
  /** The packet's destination, `daddr:dport`. */
  to: string;
  /** Which member of the value's `to_*` union this entry uses (see `nat-entry.ts`). */
  union_member: NatUnionMember;
}

/** CT direction word of a tuple flags byte. */
export function ctDirection(flagsRaw: number): CtDirection {
  return flagsRaw & 4 ? 'SVC' : flagsRaw & 1 ? 'IN' : 'OUT';
}

/**
 * `addr:port` of two fields as {@link hostPort} prints them: the family is the schema's, so the
 * IPv6 schemas always bracket.
 */
const endpoint = (v6: boolean, addr: string, port: string): TextPart[] => (v6 ? ['[', { field: addr }, ']:', { field: port }] : [{ field: addr }, ':', { field: port }]);
/** `TUPLE_F_SERVICE`, `TUPLE_F_IN` (`TUPLE_F_OUT` is no bit). */
const SERVICE = 4;
const IN = 1;

/**
 * The CT key's derived fields, declared as data (text-form.ts) so the compiled decoder and the
 * JSON transcoder write them from the bytes: OUT/IN keys are `{daddr: C, saddr: S, dport: s,
 * sport: c}`, SERVICE keys `{daddr: VIP, saddr: C, dport: c, sport: vport}`.
 */
function deriveCt(v6: boolean) {
  return deriveText({
    proto_name: [{ field: 'nexthdr', names: PROTO_NAMES }],
    direction: [{ field: 'flags', cases: [{ mask: SERVICE, parts: ['SVC'] }, { mask: IN, parts: ['IN'] }], otherwise: ['OUT'] }],
    client: [{ field: 'flags', cases: [{ mask: SERVICE, parts: endpoint(v6, 'saddr', 'dport') }], otherwise: endpoint(v6, 'daddr', 'sport') }],
    server: [{ field: 'flags', cases: [{ mask: SERVICE, parts: endpoint(v6, 'daddr', 'sport') }], otherwise: endpoint(v6, 'saddr', 'dport') }],
  }) as unknown as (rec: TupleRecord) => CtTupleDerived; // the declaration yields exactly these literals
}

/** The NAT key's derived fields (not swapped: `saddr:sport → daddr:dport` is the packet). */
function deriveNat(v6: boolean) {
  return deriveText({
    proto_name: [{ field: 'nexthdr', names: PROTO_NAMES }],
    direction: [{ field: 'flags', cases: [{ mask: IN, parts: ['IN'] }], otherwise: ['OUT'] }],
    from: endpoint(v6, 'saddr', 'sport'),
    to: endpoint(v6, 'daddr', 'dport'),
    union_member: [{ field: 'flags', cases: [{ mask: IN, parts: ['to_daddr,to_dport' satisfies NatUnionMember] }], otherwise: ['to_saddr,to_sport' satisfies NatUnionMember] }],
  }) as unknown as (rec: TupleRecord) => NatTupleDerived;
}

const v4Fields = { daddr: ipv4, saddr: ipv4, dport: be16, sport: be16, nexthdr: u8, flags: tupleFlags } as const;
const v6Fields = { daddr: ipv6, saddr: ipv6, dport: be16, sport: be16, nexthdr: u8, flags: tupleFlags } as const;
const header = 'bpf/lib/common.h @ v1.10.0 … v1.18 BP; bpf/lib/conntrack.h @ v1.19 → main';

/** `ipv4_ct_tuple` as a conntrack key (stored reversed; see the module comment). */
export const ctTuple4 = defineStruct({ name: 'ipv4_ct_tuple', variant: 'CT', header, sizeof: 14, packed: true, derive: deriveCt(false), fields: v4Fields });
/** `ipv6_ct_tuple` as a conntrack key. */
export const ctTuple6 = defineStruct({ name: 'ipv6_ct_tuple', variant: 'CT', header, sizeof: 38, packed: true, derive: deriveCt(true), fields: v6Fields });
/** `ipv4_ct_tuple` as a SNAT key (not swapped: saddr:sport → daddr:dport is the packet). */
export const natTuple4 = defineStruct({ name: 'ipv4_ct_tuple', variant: 'NAT', header: `${header}; bpf/lib/nat.h`, sizeof: 14, packed: true, derive: deriveNat(false), fields: v4Fields });
/** `ipv6_ct_tuple` as a SNAT key. */
export const natTuple6 = defineStruct({ name: 'ipv6_ct_tuple', variant: 'NAT', header: `${header}; bpf/lib/nat.h`, sizeof: 38, packed: true, derive: deriveNat(true), fields: v6Fields });

/** Decoded CT key (IPv4). */
export type CtTuple4 = Decoded<typeof ctTuple4>;
/** Decoded CT key (IPv6). */
export type CtTuple6 = Decoded<typeof ctTuple6>;
/** Decoded NAT key (IPv4). */
export type NatTuple4 = Decoded<typeof natTuple4>;
/** Encodable CT/NAT key (IPv4). */
export type CtTuple4Input = Encodable<typeof ctTuple4>;

/**
 * `struct ipv4_nat_entry` (40 bytes) / `struct ipv6_nat_entry` (56 bytes): the value of
 * `cilium_snat_v{4,6}_external`. One layout in every version v1.10 → main; only the name of the
 * second u64 changed (`host_local` ≤ v1.13 → `needs_ct` v1.14+, 83d2621f80). Must be in sync with
 * `bpf/lib/nat.h`; Go mirror `NatEntry4`/`NatEntry6` in `pkg/maps/nat/ipv{4,6}.go`
 * (docs/layouts.md).
 *
 * The translated address and port are a C union: `{to_saddr, to_sport}` in egress entries (key flags
 * `TUPLE_F_OUT`: the masquerade address the packet's source becomes) and `{to_daddr, to_dport}` in
 * ingress entries (`TUPLE_F_IN`: the original address the reply's destination is restored to). The
 * bytes are the same, so the record calls them `to_addr` / `to_port` and the key says which member
 * applies (its derived `union_member`, see {@link natUnionMember}).
 *
 * Byte orders: `created`, `needs_ct` host order (`created` is `bpf_mono_now()`); `to_addr`,
 * `to_port` network order (decoded to text / a host-order number).
 */
import { be16, defineStruct, ipv4, ipv6, pad, u64, type Decoded, type Encodable } from '../schema/index';

const header = 'bpf/lib/nat.h';
const v4Tail = { pad1: pad(8), pad2: pad(8), to_addr: ipv4, to_port: be16, pad3: pad(2) } as const;
const v6Tail = { pad1: pad(8), pad2: pad(8), to_addr: ipv6, to_port: be16, pad3: pad(6) } as const;

/** `ipv4_nat_entry`, v1.10 – v1.13 (`host_local`). */
export const natEntry4V110 = defineStruct({ name: 'ipv4_nat_entry', variant: 'host_local', header: `${header} @ v1.10.0 … v1.13`, sizeof: 40, fields: { created: u64, host_local: u64, ...v4Tail } });
/** `ipv4_nat_entry`, v1.14 → main (`needs_ct`). */
export const natEntry4 = defineStruct({ name: 'ipv4_nat_entry', variant: 'needs_ct', header: `${header} @ v1.14.0 → main`, sizeof: 40, fields: { created: u64, needs_ct: u64, ...v4Tail } });
/** `ipv6_nat_entry`, v1.10 – v1.13 (`host_local`). */
export const natEntry6V110 = defineStruct({ name: 'ipv6_nat_entry', variant: 'host_local', header: `${header} @ v1.10.0 … v1.13`, sizeof: 56, fields: { created: u64, host_local: u64, ...v6Tail } });
/** `ipv6_nat_entry`, v1.14 → main (`needs_ct`). */
export const natEntry6 = defineStruct({ name: 'ipv6_nat_entry', variant: 'needs_ct', header: `${header} @ v1.14.0 → main`, sizeof: 56, fields: { created: u64, needs_ct: u64, ...v6Tail } });

/** Which member of the `to_*` union an entry uses, from its key's flags. */
export type NatUnionMember = 'to_saddr,to_sport' | 'to_daddr,to_dport';

/** `to_saddr,to_sport` for egress (`TUPLE_F_OUT`) keys, `to_daddr,to_dport` for ingress (`TUPLE_F_IN`). */
export function natUnionMember(keyFlagsRaw: number): NatUnionMember {
  return keyFlagsRaw & 1 ? 'to_daddr,to_dport' : 'to_saddr,to_sport';
}

/** Decoded NAT value (IPv4, newest names). */
export type NatEntry4 = Decoded<typeof natEntry4>;
/** Decoded NAT value (IPv6, newest names). */
export type NatEntry6 = Decoded<typeof natEntry6>;
/** Encodable NAT value (IPv4). */
export type NatEntry4Input = Encodable<typeof natEntry4>;

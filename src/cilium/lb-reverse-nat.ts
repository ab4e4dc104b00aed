/**
 * Reverse NAT: key `__u16` service ID stored **big-endian** (Go `RevNat4Key.ToNetwork()`; ID 2 is
 * bytes `00 02`), value `struct lb4_reverse_nat` (6 bytes, `__packed`) / `struct lb6_reverse_nat`
 * (18 bytes, `__packed`). Same in every version (docs/layouts.md).
 */
import { be16, defineStruct, ipv4, ipv6, type Decoded, type Encodable } from '../schema/index';

/** Key of `cilium_lb{4,6}_reverse_nat`: the service ID, network order. */
export const revNatKey = defineStruct({
  name: 'lb_rev_nat_key',
  header: 'bpf/lib/lb.h (__u16 key); pkg/maps/lbmap/ipv4.go RevNat4Key.ToNetwork()',
  sizeof: 2,
  fields: { rev_nat_index: be16 },
});

/** `struct lb4_reverse_nat`. */
export const lb4ReverseNat = defineStruct({
  name: 'lb4_reverse_nat',
  header: 'bpf/lib/common.h @ v1.10.0 …; bpf/lib/lb.h @ main',
  sizeof: 6,
  packed: true,
  fields: { address: ipv4, port: be16 },
});

/** `struct lb6_reverse_nat`. */
export const lb6ReverseNat = defineStruct({
  name: 'lb6_reverse_nat',
  header: 'bpf/lib/common.h @ v1.10.0 …; bpf/lib/lb.h @ main',
  sizeof: 18,
  packed: true,
  fields: { address: ipv6, port: be16 },
});

/** Decoded reverse-NAT key. */
export type RevNatKey = Decoded<typeof revNatKey>;
/** Decoded IPv4 reverse-NAT value. */
export type Lb4ReverseNat = Decoded<typeof lb4ReverseNat>;
/** Decoded IPv6 reverse-NAT value. */
export type Lb6ReverseNat = Decoded<typeof lb6ReverseNat>;
/** Encodable IPv4 reverse-NAT value. */
export type Lb4ReverseNatInput = Encodable<typeof lb4ReverseNat>;

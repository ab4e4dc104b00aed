/**
 * Backends: the key (`__u16` backend ID in v1.10's `cilium_lb{4,6}_backends`, `__u32` from v1.11)
 * and `struct lb4_backend` / `struct lb6_backend`. Must be in sync with `bpf/lib/common.h`
 * @ v1.10.0, v1.12.0, v1.13.0, v1.15.0, v1.16.0 and `bpf/lib/lb.h` @ main (docs/layouts.md).
 * Address and port are network order; `cluster_id` is host order.
 */
import { be16, defineStruct, ipv4, ipv6, pad, u8, u16, u32, type Decoded, type Encodable } from '../schema/index';
import { backendStateName, protoName } from './names';

/** v1.10: `.size_key = sizeof(__u16)`. */
export const backendKeyU16 = defineStruct({ name: 'lb_backend_key', variant: 'u16', header: 'bpf/lib/lb.h @ v1.10.0', sizeof: 2, fields: { backend_id: u16 } });
/** v1.11 →: `__type(key, __u32)`. */
export const backendKeyU32 = defineStruct({ name: 'lb_backend_key', variant: 'u32', header: 'bpf/lib/lb.h @ v1.11.0 → main', sizeof: 4, fields: { backend_id: u32 } });

const deriveProto = (rec: { proto: number }) => ({ proto_name: protoName(rec.proto) });
/** `flags` holds `BE_STATE_*` from v1.12. */
const deriveState = (rec: { proto: number; flags: number }) => ({ proto_name: protoName(rec.proto), state: backendStateName(rec.flags) });

/**
 * The five backend layouts of one address family. lb4 and lb6 differ only in the address (4 or 16
 * bytes), so one definition serves both and they cannot drift apart.
 */
function backendVariants<const A extends typeof ipv4 | typeof ipv6>(name: 'lb4_backend' | 'lb6_backend', address: A) {
  const head = { address, port: be16, proto: u8 } as const;
  const s = address.size; // 4 → 8/12-byte structs, 16 → 20/24-byte structs
  return {
    /** BE-A, v1.10.x – v1.11.x: byte after proto is padding. */
    BEA: defineStruct({ name, variant: 'BE-A', header: 'bpf/lib/common.h @ v1.10.0', sizeof: s + 4, derive: deriveProto, fields: { ...head, pad: pad(1) } }),
    /** BE-B, v1.12.x: that byte is `flags` (BE_STATE_*). */
    BEB: defineStruct({ name, variant: 'BE-B', header: 'bpf/lib/common.h @ v1.12.0', sizeof: s + 4, derive: deriveState, fields: { ...head, flags: u8 } }),
    /** BE-C, v1.13.x – v1.14.x: `cluster_id` (u8). */
    BEC: defineStruct({ name, variant: 'BE-C', header: 'bpf/lib/common.h @ v1.13.0', sizeof: s + 8, derive: deriveState, fields: { ...head, flags: u8, cluster_id: u8, pad: pad(3) } }),
    /** BE-D, v1.15.x: `cluster_id` (u16). */
    BED: defineStruct({ name, variant: 'BE-D', header: 'bpf/lib/common.h @ v1.15.0', sizeof: s + 8, derive: deriveState, fields: { ...head, flags: u8, cluster_id: u16, pad: pad(2) } }),
    /** BE-E, v1.16.0 → main: `zone` (u8) — a numeric ID only the agent can name. */
    BEE: defineStruct({
      name, variant: 'BE-E', header: 'bpf/lib/common.h @ v1.16.0; bpf/lib/lb.h @ main', sizeof: s + 8, derive: deriveState,
      fields: { ...head, flags: u8, cluster_id: u16, zone: u8, pad: pad(1) },
    }),
  };
}

const lb4 = backendVariants('lb4_backend', ipv4);
const lb6 = backendVariants('lb6_backend', ipv6);

/** lb4 BE-A (8 bytes), v1.10 – v1.11. */
export const lb4BackendBEA = lb4.BEA;
/** lb4 BE-B (8 bytes), v1.12. */
export const lb4BackendBEB = lb4.BEB;
/** lb4 BE-C (12 bytes), v1.13 – v1.14. */
export const lb4BackendBEC = lb4.BEC;
/** lb4 BE-D (12 bytes), v1.15. */
export const lb4BackendBED = lb4.BED;
/** lb4 BE-E (12 bytes), v1.16 → main. */
export const lb4BackendBEE = lb4.BEE;
/** lb6 BE-A (20 bytes), v1.10 – v1.11. */
export const lb6BackendBEA = lb6.BEA;
/** lb6 BE-B (20 bytes), v1.12. */
export const lb6BackendBEB = lb6.BEB;
/** lb6 BE-C (24 bytes), v1.13 – v1.14. */
export const lb6BackendBEC = lb6.BEC;
/** lb6 BE-D (24 bytes), v1.15. */
export const lb6BackendBED = lb6.BED;
/** lb6 BE-E (24 bytes), v1.16 → main. */
export const lb6BackendBEE = lb6.BEE;

/** Decoded backend key. */
export type BackendKey = Decoded<typeof backendKeyU32>;
/** Decoded IPv4 backend (newest layout). */
export type Lb4Backend = Decoded<typeof lb4BackendBEE>;
/** Decoded IPv6 backend (newest layout). */
export type Lb6Backend = Decoded<typeof lb6BackendBEE>;
/** Encodable IPv4 backend (newest layout). */
export type Lb4BackendInput = Encodable<typeof lb4BackendBEE>;

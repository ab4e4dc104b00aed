/**
 * Service load balancing: `struct lb4_key` / `struct lb6_key` (key of `cilium_lb{4,6}_services_v2`)
 * and `struct lb4_service` / `struct lb6_service` (its value; identical for both families).
 * Must be in sync with `bpf/lib/common.h` (≤ v1.18 BP) / `bpf/lib/lb.h` (v1.19 → main); Go mirror
 * `Service4Key`/`Service4Value` in `pkg/maps/lbmap/ipv4.go` (≤ v1.17) and
 * `pkg/loadbalancer/maps/types.go` (v1.18 →); byte layouts in docs/layouts.md.
 *
 * Byte orders: `address` and `dport` are network order; `backend_slot`, `backend_id`, `count`,
 * `qcount` are host order; `rev_nat_index` is declared `__u16` but Go stores it big-endian
 * (`ToNetwork()`), and the datapath uses the stored value directly as the reverse-NAT key.
 */
import { array, be16, defineStruct, flags, ipv4, ipv6, pad, u8, u16, u32, type Decoded, type Encodable } from '../schema/index';
import { lbAlgorithmName, protoName } from './names';

const keyDerive = (rec: { proto: number }) => ({ proto_name: protoName(rec.proto) });

/** `struct lb4_key` (12 bytes; one layout in every version). */
export const lb4Key = defineStruct({
  name: 'lb4_key',
  header: 'bpf/lib/common.h @ v1.10.0 … v1.18 BP; bpf/lib/lb.h @ v1.19 → main',
  sizeof: 12,
  derive: keyDerive,
  fields: { address: ipv4, dport: be16, backend_slot: u16, proto: u8, scope: u8, pad: array(pad(1), 2) },
});

/** `struct lb6_key` (24 bytes, align 2; `union v6addr` is packed). */
export const lb6Key = defineStruct({
  name: 'lb6_key',
  header: 'bpf/lib/common.h @ v1.10.0 … v1.18 BP; bpf/lib/lb.h @ v1.19 → main',
  sizeof: 24,
  derive: keyDerive,
  fields: { address: ipv6, dport: be16, backend_slot: u16, proto: u8, scope: u8, pad: array(pad(1), 2) },
});

/** `SVC_FLAG_*` in byte 8: the same bits in every version (`SVC_FLAG_LOCAL_SCOPE` was renamed `EXT_LOCAL_SCOPE` in v1.13). */
const svcFlags = flags({ external_ip: 0, nodeport: 1, ext_local_scope: 2, hostport: 3, affinity: 4, loadbalancer: 5, routable: 6, source_range: 7 });
/** `flags2` bits known in v1.10 – v1.11. */
const flags2V110 = flags({ localredirect: 0 });
/** v1.12 adds NAT_46X64 and L7_LOADBALANCER. */
const flags2V112 = flags({ localredirect: 0, nat_46x64: 1, l7_loadbalancer: 2 });
/** v1.13 adds LOOPBACK, INT_LOCAL_SCOPE, TWO_SCOPES. */
const flags2V113 = flags({ localredirect: 0, nat_46x64: 1, l7_loadbalancer: 2, loopback: 3, int_local_scope: 4, two_scopes: 5 });
/**
 * v1.17 adds bit 6 (QUARANTINED on slot entries, SOURCE_RANGE_DENY on the master) and bit 7
 * FWD_MODE_DSR. Bit 3 is also L7_DELEGATE for non-HostPort services from v1.18.
 */
const flags2V117 = flags({ localredirect: 0, nat_46x64: 1, l7_loadbalancer: 2, loopback: 3, int_local_scope: 4, two_scopes: 5, quarantined: 6, fwd_mode_dsr: 7 });

const svcHeader = 'bpf/lib/common.h';

type SvcInput = { backend_id?: number; lb_algorithm?: string | number; affinity_timeout?: string | number; l7_lb_proxy_port?: string | number };

const ALGOS: Record<string, number> = { default: 0, random: 1, maglev: 2, custom: 0x80 };

/**
 * Friendly inputs for the master entry's first u32 (a union in C): `affinity_timeout`,
 * `l7_lb_proxy_port` (stored as `uint32(HostToNetwork16(port))`, so its bytes are the port in
 * network order, `SetL7LBProxyPort` in pkg/maps/lbmap/ipv4.go) and, from v1.17, `lb_algorithm` in
 * the upper 8 bits with a 24-bit affinity timeout (`LB_ALGORITHM_SHIFT = 24`, commit b751556457).
 */
function svcPrepare(split: boolean) {
  return <T extends SvcInput>(input: T): T => {
    const { lb_algorithm, affinity_timeout, l7_lb_proxy_port, ...rest } = input;
    if (lb_algorithm === undefined && affinity_timeout === undefined && l7_lb_proxy_port === undefined) return input;
    let word = 0;
    if (l7_lb_proxy_port !== undefined) {
      const p = Number(l7_lb_proxy_port);
      if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw new Error(`l7_lb_proxy_port: ${String(l7_lb_proxy_port)} is not a port (0..65535)`);
      word = ((p & 0xff) << 8) | (p >> 8);
    } else {
      const t = affinity_timeout === undefined ? 0 : Number(affinity_timeout);
      const max = split ? 0xffffff : 0xffffffff;
      if (!Number.isInteger(t) || t < 0 || t > max) throw new Error(`affinity_timeout: ${String(affinity_timeout)} is not 0..${max} seconds`);
      let alg = 0;
      if (lb_algorithm !== undefined) {
        if (!split) throw new Error('lb_algorithm exists only from Cilium v1.17 (SV-C)');
        alg = typeof lb_algorithm === 'number' ? lb_algorithm : ALGOS[lb_algorithm] ?? (/^\d+$/.test(lb_algorithm) ? Number(lb_algorithm) : NaN);
        if (!Number.isInteger(alg) || alg < 0 || alg > 255) throw new Error(`lb_algorithm: ${String(lb_algorithm)} is not one of ${Object.keys(ALGOS).join(', ')} or 0..255`);
      }
      word = ((alg << 24) | t) >>> 0;
    }
    if (rest.backend_id !== undefined && rest.backend_id !== word) {
      throw new Error(`backend_id ${rest.backend_id} disagrees with ${l7_lb_proxy_port !== undefined ? 'l7_lb_proxy_port' : 'lb_algorithm/affinity_timeout'} (which give ${word})`);
    }
    return { ...rest, backend_id: word } as T;
  };
}

/** The master entry's derived fields (only `backend_slot` 0 carries them). */
export interface ServiceMasterDerived {
  /** v1.17+: upper 8 bits of the first u32 (`default`, `random`, `maglev`, `custom`). */
  lb_algorithm?: string;
  /** Session-affinity timeout in seconds (when `flags.affinity`; always split out from v1.17). */
  affinity_timeout?: number;
  /** The L7 proxy port, when `flags2.l7_loadbalancer`. */
  l7_lb_proxy_port?: number;
}

/**
 * Fields derived from a whole service entry: the first u32 of the value means a backend ID on slot
 * entries but packed service settings on the master (`backend_slot` 0), so the key decides.
 */
export function deriveServiceEntry(
  key: { backend_slot: number },
  value: { backend_id: number; flags: { affinity: boolean }; flags2: { l7_loadbalancer?: boolean } },
  split: boolean,
): ServiceMasterDerived {
  if (key.backend_slot !== 0) return {};
  const id = value.backend_id;
  if (value.flags2.l7_loadbalancer) return { l7_lb_proxy_port: ((id & 0xff) << 8) | ((id >>> 8) & 0xff) };
  if (split) return { lb_algorithm: lbAlgorithmName(id >>> 24), affinity_timeout: id & 0xffffff };
  return value.flags.affinity ? { affinity_timeout: id } : {};
}

const svcInputs = ['lb_algorithm', 'affinity_timeout', 'l7_lb_proxy_port'] as const;

/** The 12-byte service value: variants differ in which flags2 bits have names and in the tail. */
const svcHead = { backend_id: u32, count: u16, rev_nat_index: be16, flags: svcFlags } as const;
const padTail = { pad: array(pad(1), 2) } as const;
const svcCommon = { name: 'lb_service', sizeof: 12, inputs: svcInputs } as const;

/**
 * SV-A, v1.10.0 – v1.11.20. `backend_id` is a union with `affinity_timeout` (the master entry's
 * first u32 is the affinity timeout, not a backend).
 */
export const lbServiceSVA = defineStruct({
  ...svcCommon,
  variant: 'SV-A',
  header: `${svcHeader} @ v1.10.0 … v1.11.20`,
  prepare: svcPrepare(false),
  fields: { ...svcHead, flags2: flags2V110, ...padTail },
});

/** SV-B with the v1.12 flags2 names (the union gains `l7_lb_proxy_port`). */
export const lbServiceSVB112 = defineStruct({
  ...svcCommon,
  variant: 'SV-B',
  header: `${svcHeader} @ v1.12.0`,
  prepare: svcPrepare(false),
  fields: { ...svcHead, flags2: flags2V112, ...padTail },
});

/** SV-B, v1.13.0 – v1.16.x. */
export const lbServiceSVB = defineStruct({
  ...svcCommon,
  variant: 'SV-B',
  header: `${svcHeader} @ v1.13.0 … v1.16.0`,
  prepare: svcPrepare(false),
  fields: { ...svcHead, flags2: flags2V113, ...padTail },
});

/** SV-C, v1.17 → main: the last 2 bytes are `qcount` (quarantined slots after the active ones). */
export const lbServiceSVC = defineStruct({
  ...svcCommon,
  variant: 'SV-C',
  header: `${svcHeader} @ v1.17 BP; bpf/lib/lb.h @ main`,
  prepare: svcPrepare(true),
  fields: { ...svcHead, flags2: flags2V117, qcount: u16 },
});

/** Decoded service key (IPv4). */
export type Lb4Key = Decoded<typeof lb4Key>;
/** Decoded service key (IPv6). */
export type Lb6Key = Decoded<typeof lb6Key>;
/** Decoded service value (newest layout). */
export type LbService = Decoded<typeof lbServiceSVC>;
/** Decoded service value, v1.13 – v1.16. */
export type LbServiceSVB = Decoded<typeof lbServiceSVB>;
/** Encodable service key (IPv4). */
export type Lb4KeyInput = Encodable<typeof lb4Key>;
/** Encodable service value (newest layout). */
export type LbServiceInput = Encodable<typeof lbServiceSVC>;

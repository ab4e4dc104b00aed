/**
 * `struct ct_entry` (56 bytes, 8-aligned): the value of the conntrack maps, in four variants of the
 * same size (docs/layouts.md). Must be in sync with `bpf/lib/common.h` (≤ v1.18 BP) /
 * `bpf/lib/conntrack.h` (v1.19 →); Go mirror `CtEntry` in `pkg/maps/ctmap/types.go`.
 *
 * | variant | versions | bytes 0–31 | bytes 40–41 |
 * |---|---|---|---|
 * | CE-A | v1.10 | `rx_packets`, `rx_bytes`, `tx_packets`, `tx_bytes` | `ifindex` |
 * | CE-B | v1.11 – v1.15 | same (`rx_bytes` is a union with `backend_id`) | `ifindex` |
 * | CE-C | v1.16 – v1.18 | `reserved0`, `backend_id`, `packets`, `bytes` | `ifindex` (v1.18: `reserved4`) |
 * | CE-D | v1.19 → main | union `nat_addr` / {`reserved0`, `backend_id`}, `packets`, `bytes` | `nat_port` (BE) |
 *
 * Byte orders: counters, `lifetime`, `flags`, `src_sec_id` and the report times are host order;
 * `rev_nat_index` is stored **big-endian** (copied from the service value, Go: "RevNAT is in network
 * byte order") and `nat_port` is a `__be16` — both decode to host-order numbers. `lifetime` and
 * `last_{tx,rx}_report` are `bpf_mono_now()` values: CLOCK_MONOTONIC seconds, or `jiffies >> 8`
 * with the jiffies clock (see `ct-time.ts`).
 *
 * CE-A/CE-B: in CT_SERVICE entries `rx_bytes` holds the backend ID ("rx_bytes hack"); CE-A and CE-B
 * have the same bytes and cannot be told apart without the version.
 *
 * CE-D's first 16 bytes are a union: `nat_addr` (`union v6addr`, DSR RevDNAT address stashed in
 * CT_EGRESS entries) or `{reserved0, backend_id}` (CT_SERVICE entries). The two members overlap in
 * both families, so one is the field and the other is derived from the same bytes (in host order,
 * so those schemas are built per byte order) and accepted as an input:
 * - IPv4 maps: the datapath writes `nat_addr.p4` — the last 32 bits of `union v6addr`, bytes
 *   12–15 (`struct { __u32 p1, p2, p3, p4; }`; Cilium's own tests read `ct_entry->nat_addr.p4`).
 *   `backend_id` (8–15) is the field, `nat_addr` the IPv4 address in bytes 12–15.
 *   (A reading of the union as "bytes 0–3 (`nat_addr.p4`)" is wrong: p4 is not at 0; this follows the C.)
 * - IPv6 maps: `nat_addr` (0–15) is the field, `backend_id` is bytes 8–15.
 */
import { be16, defineStruct, deriveOverlay, flags, ipv4, ipv6, pad, u8, u16, u32, u64, type AnySchema, type Decoded, type Encodable, type Endian, type Schema } from '../schema/index';
import { formatIPv6, parseIPv4Into, parseIPv6Into } from '../schema/ip-text';

/** Flag bits v1.10 – v1.11 (`struct ct_entry` bitfield, LSB first). */
const bitsV110 = { rx_closing: 0, tx_closing: 1, nat46: 2, lb_loopback: 3, seen_non_syn: 4, node_port: 5, proxy_redirect: 6, dsr: 7 } as const;
/** v1.12 adds `from_l7lb` (d1d8e7a35b). */
const bitsV112 = { ...bitsV110, from_l7lb: 8 } as const;
/** v1.13 adds `auth_required` (7f46106c5d). */
const bitsV113 = { ...bitsV112, auth_required: 9 } as const;
/** v1.14: bit 9 back to reserved, `from_tunnel` (4ee6978fc7). */
const bitsV114 = { ...bitsV112, from_tunnel: 10 } as const;
/** v1.15: bit 2 renamed `unused_nat46`. */
const { nat46: _n, ...noNat46 } = bitsV114;
const bitsV115 = { ...noNat46, unused_nat46: 2 } as const;
/** v1.16 → main: bit 2 `reserved1`, bit 7 `dsr_internal` (3117a52f98), bit 9 `reserved2`. */
const { dsr: _d, unused_nat46: _u, ...noDsr } = bitsV115;
const bitsV116 = { ...noDsr, dsr_internal: 7 } as const;

/** The flags bit table a Cilium minor version names (for docs and `-o cilium`). */
export const CT_FLAG_BITS = { v110: bitsV110, v112: bitsV112, v113: bitsV113, v114: bitsV114, v115: bitsV115, v116: bitsV116 } as const;

const tail = { tx_flags_seen: u8, rx_flags_seen: u8, src_sec_id: u32, last_tx_report: u32, last_rx_report: u32 } as const;
const header = 'bpf/lib/common.h';

function ceAB<const B extends Record<string, number>>(variant: 'CE-A' | 'CE-B', versions: string, bits: B) {
  return defineStruct({
    name: 'ct_entry',
    variant,
    header: `${header} @ ${versions}`,
    sizeof: 56,
    fields: {
      rx_packets: u64,
      rx_bytes: u64,
      tx_packets: u64,
      tx_bytes: u64,
      lifetime: u32,
      flags: flags(bits, { size: 2 }),
      rev_nat_index: be16,
      ifindex: u16,
      ...tail,
    },
  });
}

/** CE-A, v1.10.x. */
export const ctEntryCEA = ceAB('CE-A', 'v1.10.0', bitsV110);
/** CE-B, v1.11 (v1.10 flag names). */
export const ctEntryCEB111 = ceAB('CE-B', 'v1.11.0', bitsV110);
/** CE-B, v1.12 (`from_l7lb`). */
export const ctEntryCEB112 = ceAB('CE-B', 'v1.12.0', bitsV112);
/** CE-B, v1.13 (`auth_required`). */
export const ctEntryCEB113 = ceAB('CE-B', 'v1.13.0', bitsV113);
/** CE-B, v1.14 (`from_tunnel`). */
export const ctEntryCEB114 = ceAB('CE-B', 'v1.14.0', bitsV114);
/** CE-B, v1.15 (`unused_nat46`). */
export const ctEntryCEB115 = ceAB('CE-B', 'v1.15.0', bitsV115);

const ceFlags = flags(bitsV116, { size: 2 });
const counters = { packets: u64, bytes: u64, lifetime: u32, flags: ceFlags, rev_nat_index: be16 } as const;

/** CE-C, v1.16 – v1.17: `reserved0`, `backend_id`, `packets`, `bytes` (641f1f892f); `ifindex` at 40. */
export const ctEntryCEC = defineStruct({
  name: 'ct_entry',
  variant: 'CE-C',
  header: `${header} @ v1.16.0 … v1.17 BP`,
  sizeof: 56,
  fields: { reserved0: pad(8), backend_id: u64, ...counters, ifindex: u16, ...tail },
});

/** CE-C, v1.18: bytes 40–41 `reserved4` ("unused since v1.18", 439b6f75fc). */
export const ctEntryCEC118 = defineStruct({
  name: 'ct_entry',
  variant: 'CE-C',
  header: `${header} @ v1.18 BP`,
  sizeof: 56,
  fields: { reserved0: pad(8), backend_id: u64, ...counters, reserved4: pad(2), ...tail },
});

const dHeader = 'bpf/lib/conntrack.h @ v1.19 BP → main (37cefd5fba)';

/** `backend_id` as written to bytes 8–15 by a host of this byte order. */
function u64Bytes(id: bigint, le: boolean): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, id, le);
  return b;
}

function parseBackendId(v: unknown): bigint {
  let id: bigint;
  try {
    id = BigInt(v as bigint | number | string);
  } catch {
    throw new Error(`backend_id: ${String(v)} is not an unsigned 64-bit integer`);
  }
  if (id < 0n || id > 0xffff_ffff_ffff_ffffn) throw new Error(`backend_id: ${id} is out of range for u64`);
  return id;
}

/** IPv4 maps: `nat_addr.p4`, bytes 12–15 of the union (the upper half of `backend_id`). */
const natAddrP4 = deriveOverlay({ nat_addr: { offset: 12, type: ipv4 } });
/** IPv6 maps: `backend_id`, bytes 8–15 of `nat_addr`, in host order. */
const backendIdInV6 = deriveOverlay({ backend_id: { offset: 8, type: u64 } });

/**
 * CE-D for the IPv4 maps, one byte order. The datapath writes an IPv4 `nat_addr` as
 * `nat_addr.p4`, the **last** 32 bits of the `union v6addr` (bytes 12–15; `p1`–`p3` stay zero), so
 * it shares bytes 12–15 with `backend_id`: `backend_id` (bytes 8–15, host order) is the field,
 * `nat_addr` is derived from bytes 12–15 and accepted as an input (written there).
 */
function ctEntryCED4For(endian: Endian) {
  const le = endian === 'le';
  return defineStruct({
    name: 'ct_entry',
    variant: 'CE-D',
    header: `${dHeader}; IPv4 nat_addr.p4 at 12`,
    sizeof: 56,
    endian,
    inputs: ['nat_addr'],
    derive: natAddrP4,
    prepare: (input) => {
      const { nat_addr, ...rest } = input as typeof input & { nat_addr?: string };
      if (nat_addr === undefined) return rest;
      const b = u64Bytes(rest.backend_id === undefined ? 0n : parseBackendId(rest.backend_id), le);
      const addr = new Uint8Array(4);
      if (!parseIPv4Into(String(nat_addr), addr, 0)) throw new Error(`nat_addr: ${String(nat_addr)} is not an IPv4 address (IPv4 CT maps hold nat_addr.p4)`);
      const hi = b.subarray(4);
      if (rest.backend_id !== undefined && hi.some((x) => x !== 0) && hi.some((x, i) => x !== addr[i])) {
        throw new Error(`nat_addr ${String(nat_addr)} disagrees with backend_id ${String(rest.backend_id)} (they share bytes 12–15)`);
      }
      b.set(addr, 4);
      return { ...rest, backend_id: new DataView(b.buffer).getBigUint64(0, le) };
    },
    fields: { reserved0: pad(8), backend_id: u64, ...counters, nat_port: be16, ...tail },
  });
}

/**
 * Builds the IPv6 CE-D schema for one byte order: `nat_addr` is bytes 0–15, `backend_id` (CT_SERVICE
 * entries) is derived from bytes 8–15 read in host order, and accepted on input (written there).
 */
function ctEntryCED6For(endian: Endian) {
  const le = endian === 'le';
  return defineStruct({
    name: 'ct_entry',
    variant: 'CE-D',
    header: `${dHeader}; IPv6 nat_addr`,
    sizeof: 56,
    endian,
    inputs: ['backend_id'],
    derive: backendIdInV6,
    prepare: (input) => {
      const { backend_id, ...rest } = input as typeof input & { backend_id?: bigint | number | string };
      if (backend_id === undefined) return rest;
      const id = parseBackendId(backend_id);
      const b = new Uint8Array(16);
      if (rest.nat_addr !== undefined && !parseIPv6Into(String(rest.nat_addr), b, 0)) throw new Error(`nat_addr: ${String(rest.nat_addr)} is not an IPv6 address`);
      const dv = new DataView(b.buffer);
      if (rest.nat_addr !== undefined && dv.getBigUint64(8, le) !== id && dv.getBigUint64(8, le) !== 0n) {
        throw new Error(`backend_id ${id} disagrees with nat_addr ${String(rest.nat_addr)} (they share bytes 8–15)`);
      }
      dv.setBigUint64(8, id, le);
      return { ...rest, nat_addr: formatIPv6(b, 0) };
    },
    fields: { nat_addr: ipv6, ...counters, nat_port: be16, ...tail },
  });
}

/**
 * A schema whose `withEndian` builds the other byte order's schema with `make`, for layouts whose
 * derived fields depend on the host byte order (the engine's `withEndian` keeps `derive` as is).
 */
function perEndian<S extends AnySchema>(make: (e: Endian) => S): S {
  const built: Partial<Record<Endian, S>> = {};
  const get = (e: Endian): S => {
    if (!built[e]) built[e] = { ...make(e), withEndian: get } as S;
    return built[e]!;
  };
  return get('le');
}

/** CE-D for the IPv4 maps: `backend_id` at 8–15, `nat_addr` (derived) = `nat_addr.p4` at 12–15, `nat_port` (BE) at 40. */
export const ctEntryCED4 = perEndian(ctEntryCED4For);

/** CE-D for the IPv6 maps: `nat_addr` at 0–15, `backend_id` (derived) = bytes 8–15, `nat_port` (BE) at 40. */
export const ctEntryCED6: Schema<CtEntry6, CtEntry6Input> = perEndian(ctEntryCED6For) as unknown as Schema<CtEntry6, CtEntry6Input>;

/** Decoded CT value, newest layout (IPv4 maps). */
export type CtEntry4 = Decoded<typeof ctEntryCED4>;
/** Decoded CT value, newest layout (IPv6 maps): the IPv4 record's fields, `nat_addr` an IPv6 address. */
export type CtEntry6 = CtEntry4;
/** Encodable CT value of the IPv6 maps, newest layout: `backend_id` (u64) is written into `nat_addr` bytes 8–15. */
export type CtEntry6Input = CtEntry4Input;
/** Decoded CT value, v1.16 – v1.17. */
export type CtEntryCEC = Decoded<typeof ctEntryCEC>;
/** Decoded CT value, v1.10 – v1.15. */
export type CtEntryCEB = Decoded<typeof ctEntryCEB115>;
/** Encodable CT value, newest layout (IPv4 maps). */
export type CtEntry4Input = Encodable<typeof ctEntryCED4>;

/**
 * `struct remote_endpoint_info`: value of the ipcache (docs/layouts.md).
 * Must be in sync with `struct remote_endpoint_info` in `bpf/lib/common.h` (≤ v1.18 BP) /
 * `bpf/lib/eps.h` (v1.19 → main); Go mirror `pkg/maps/ipcache/ipcache.go` `RemoteEndpointInfo`.
 *
 * 12-byte family (`cilium_ipcache`, v1.10 → v1.17): the encryption `key` byte moves from offset
 * 8 to offset 10 when `node_id` arrives (v1.11.14 / v1.12.8 / v1.13.0) and stays at 10 after
 * node_id is reverted to `pad` (v1.11.20 / v1.12.13 / v1.13.6 / v1.14.1).
 * 24-byte family (`cilium_ipcache_v2`, v1.18 → main): the tunnel endpoint is a 16-byte union
 * chosen by `flag_ipv6_tunnel_ep` (commit 541956718f, PR cilium/cilium#38296).
 */
import { addrUnion, defineStruct, flags, ipv4, pad, parseCidr, u8, u16, u32, type AnyField, type Decoded, type Encodable } from '../schema/index';

/** RE-A: v1.10.0 – v1.11.13, v1.12.0 – v1.12.7. `key` at 8, then 3 bytes of implicit padding. */
export const remoteEndpointInfoREA = defineStruct({
  name: 'remote_endpoint_info',
  variant: 'RE-A',
  header: 'bpf/lib/common.h @ v1.10.0 … v1.12.7',
  sizeof: 12,
  fields: { sec_identity: u32, tunnel_endpoint: ipv4, key: u8, _pad_9: pad(3, { implicit: true }) },
});

/** RE-B ("node_id"): v1.11.14 – v1.11.19, v1.12.8 – v1.12.12, v1.13.0 – v1.13.5, v1.14.0. */
export const remoteEndpointInfoREB = defineStruct({
  name: 'remote_endpoint_info',
  variant: 'RE-B',
  header: 'bpf/lib/common.h @ v1.13.0 (node_id, commit b80ac08f62 on v1.11)',
  sizeof: 12,
  fields: { sec_identity: u32, tunnel_endpoint: ipv4, node_id: u16, key: u8, _pad_11: pad(1, { implicit: true }) },
});

/** RE-C ("pad"): v1.11.20, v1.12.13 – v1.12.19, v1.13.6 – v1.13.18, v1.14.1 – v1.15.x. */
export const remoteEndpointInfoREC = defineStruct({
  name: 'remote_endpoint_info',
  variant: 'RE-C',
  header: 'bpf/lib/common.h @ v1.14.1 … v1.15.x',
  sizeof: 12,
  fields: { sec_identity: u32, tunnel_endpoint: ipv4, pad: pad(2), key: u8, _pad_11: pad(1, { implicit: true }) },
});

/** RE-D: v1.16.0 – v1.17 (and the legacy map v1.18/v1.19 agents restore from). `flag_skip_tunnel:1` at byte 11 (commit d9be0a0146). */
export const remoteEndpointInfoRED = defineStruct({
  name: 'remote_endpoint_info',
  variant: 'RE-D',
  header: 'bpf/lib/common.h @ v1.16.0, v1.17 BP',
  sizeof: 12,
  fields: { sec_identity: u32, tunnel_endpoint: ipv4, pad: pad(2), key: u8, flags: flags({ flag_skip_tunnel: 0 }, { bitfield: true }) },
});

const tunnel = addrUnion({ by: 'flag', field: 'flags', bit: 2, flag: 'flag_ipv6_tunnel_ep' });

/**
 * Like Go's `NewValue`: a tunnel endpoint given without flags sets `flag_has_tunnel_ep` (and the
 * IPv6 bit for an IPv6 endpoint); `0.0.0.0` or none means no tunnel.
 */
function prepareV2<T extends { tunnel_endpoint?: string; flags?: unknown }>(input: T): T {
  if (input.flags !== undefined || input.tunnel_endpoint === undefined) return input;
  const ep = input.tunnel_endpoint;
  // Any spelling of the zero address (`::`, `0::`, `0.0.0.0`) means no tunnel.
  const none = parseCidr(ep)?.bytes.every((b) => b === 0) ?? false;
  return { ...input, flags: { flag_has_tunnel_ep: !none, flag_ipv6_tunnel_ep: ep.includes(':') } };
}

/** The 24-byte layout; only the named flag bits differ between RE-E and RE-F. */
const v2Fields = <F extends AnyField>(f: F) => ({ sec_identity: u32, tunnel_endpoint: tunnel, pad: pad(2), key: u8, flags: f }) as const;
const v2Bits = { flag_skip_tunnel: 0, flag_has_tunnel_ep: 1, flag_ipv6_tunnel_ep: 2 } as const;

/** RE-E: v1.18 (24 bytes; bits skip_tunnel, has_tunnel_ep, ipv6_tunnel_ep). */
export const remoteEndpointInfoREE = defineStruct({
  name: 'remote_endpoint_info',
  variant: 'RE-E',
  header: 'bpf/lib/common.h @ v1.18 BP',
  sizeof: 24,
  prepare: prepareV2,
  fields: v2Fields(flags(v2Bits, { bitfield: true })),
});

/**
 * RE-F: v1.19 → main; adds bit 3 `flag_remote_cluster` (commit 75faf0c441). Bit 4
 * (`flag_unroutable`) was proposed but never merged: it stays in `unknown`.
 */
export const remoteEndpointInfoREF = defineStruct({
  name: 'remote_endpoint_info',
  variant: 'RE-F',
  header: 'bpf/lib/eps.h @ v1.19 BP → main',
  sizeof: 24,
  prepare: prepareV2,
  fields: v2Fields(flags({ ...v2Bits, flag_remote_cluster: 3 }, { bitfield: true })),
});

/** Decoded 24-byte ipcache value (`cilium_ipcache_v2`, newest layout). */
export type RemoteEndpointInfo = Decoded<typeof remoteEndpointInfoREF>;
/** Decoded 12-byte ipcache value, v1.16 – v1.17. */
export type RemoteEndpointInfoRED = Decoded<typeof remoteEndpointInfoRED>;
/** Decoded 12-byte ipcache value with node_id. */
export type RemoteEndpointInfoREB = Decoded<typeof remoteEndpointInfoREB>;
/** Encodable 24-byte ipcache value. */
export type RemoteEndpointInfoInput = Encodable<typeof remoteEndpointInfoREF>;

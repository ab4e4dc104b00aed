/**
 * `struct endpoint_info`: value of `cilium_lxc` (48 bytes, 8-byte aligned because of `mac_t`).
 * Must be in sync with `struct endpoint_info` in `bpf/lib/common.h` (≤ v1.18) / `bpf/lib/eps.h`
 * (v1.19 → main); Go mirror `pkg/maps/lxcmap/lxcmap.go` `EndpointInfo` (docs/layouts.md).
 * The 4 bytes at offset 12 are compiler padding until v1.20 names them `rt_info`, so the MAC
 * always starts at 16.
 */
import { array, defineStruct, flags, mac, pad, u16, u32, type Decoded, type Encodable } from '../schema/index';

/** `ENDPOINT_F_*` bits: HOST (all), ATHOSTNS (v1.17+), NO_SNAT_V4/V6 (v1.19+). */
const flagsAll = flags({ host: 0 }, { size: 4 });
const flags117 = flags({ host: 0, athostns: 1 }, { size: 4 });
const flags119 = flags({ host: 0, athostns: 1, no_snat_v4: 2, no_snat_v6: 3 }, { size: 4 });

const head = { ifindex: u32, unused: u16, lxc_id: u16 } as const;

/** EI-A, v1.10.0 – v1.13.18: no security identity in the value. */
export const endpointInfoEIA = defineStruct({
  name: 'endpoint_info',
  variant: 'EI-A',
  header: 'bpf/lib/common.h @ v1.10.0 … v1.13.18',
  sizeof: 48,
  fields: { ...head, flags: flagsAll, _pad_12: pad(4, { implicit: true }), mac, node_mac: mac, pad: array(pad(4), 4) },
});

/** EI-B, v1.14.0 – v1.16.x: `sec_id` at 32 (stored host order, despite a stale comment in v1.14). */
export const endpointInfoEIB = defineStruct({
  name: 'endpoint_info',
  variant: 'EI-B',
  header: 'bpf/lib/common.h @ v1.14.0 … v1.16.0',
  sizeof: 48,
  fields: { ...head, flags: flagsAll, _pad_12: pad(4, { implicit: true }), mac, node_mac: mac, sec_id: u32, pad: array(pad(4), 3) },
});

/** EI-C, v1.17 – v1.19: adds `parent_ifindex` at 36 (commit fadfc2b930). */
export const endpointInfoEIC = defineStruct({
  name: 'endpoint_info',
  variant: 'EI-C',
  header: 'bpf/lib/common.h @ v1.17 BP; bpf/lib/eps.h @ v1.19 BP',
  sizeof: 48,
  fields: { ...head, flags: flags119, _pad_12: pad(4, { implicit: true }), mac, node_mac: mac, sec_id: u32, parent_ifindex: u32, pad: array(pad(4), 2) },
});

/** EI-D, v1.20 → main: the gap at 12 becomes `rt_info` (commit 248ca76448). */
export const endpointInfoEID = defineStruct({
  name: 'endpoint_info',
  variant: 'EI-D',
  header: 'bpf/lib/eps.h @ v1.20 BP → main',
  sizeof: 48,
  fields: { ...head, flags: flags119, rt_info: u32, mac, node_mac: mac, sec_id: u32, parent_ifindex: u32, pad: array(pad(4), 2) },
});

/** v1.17 – v1.18 name only `host` and `athostns`; NO_SNAT bits arrived in v1.19. */
export const endpointInfoEIC117 = defineStruct({
  name: 'endpoint_info',
  variant: 'EI-C',
  header: 'bpf/lib/common.h @ v1.17 BP, v1.18 BP',
  sizeof: 48,
  fields: { ...head, flags: flags117, _pad_12: pad(4, { implicit: true }), mac, node_mac: mac, sec_id: u32, parent_ifindex: u32, pad: array(pad(4), 2) },
});

/** Decoded `cilium_lxc` value (newest layout). */
export type EndpointInfo = Decoded<typeof endpointInfoEID>;
/** Decoded `cilium_lxc` value, v1.10 – v1.13. */
export type EndpointInfoEIA = Decoded<typeof endpointInfoEIA>;
/** Decoded `cilium_lxc` value, v1.14 – v1.16. */
export type EndpointInfoEIB = Decoded<typeof endpointInfoEIB>;
/** Decoded `cilium_lxc` value, v1.17 – v1.19. */
export type EndpointInfoEIC = Decoded<typeof endpointInfoEIC>;
/** Encodable `cilium_lxc` value (newest layout). */
export type EndpointInfoInput = Encodable<typeof endpointInfoEID>;

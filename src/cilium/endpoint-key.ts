/**
 * `struct endpoint_key`: key of `cilium_lxc` (20 bytes, `__packed`).
 * Must be in sync with `struct endpoint_key` in `bpf/lib/common.h` (v1.10.0 … v1.18) and
 * `bpf/lib/eps.h` (v1.19 → main); Go mirror `pkg/bpf/endpoint.go` `EndpointKey`.
 * Only bytes 18-19 changed across releases (docs/layouts.md).
 */
import { addrUnion, defineStruct, pad, u8, u16, type Decoded, type Encodable } from '../schema/index';

/** IPv4 in bytes 0-3, IPv6 in 0-15, chosen by `family` (`ENDPOINT_KEY_IPV4 = 1`, `ENDPOINT_KEY_IPV6 = 2`). */
const ip = addrUnion({ by: 'family', field: 'family', v4: 1, v6: 2 });
const header = 'bpf/lib/common.h';

/** EK-A, v1.10.0 – v1.13.18: bytes 18-19 are `__u16 pad5`. */
export const endpointKeyEKA = defineStruct({
  name: 'endpoint_key',
  variant: 'EK-A',
  header: `${header} @ v1.10.0 … v1.13.18`,
  sizeof: 20,
  packed: true,
  fields: { ip, family: u8, key: u8, pad5: pad(2) },
});

/** EK-B, v1.14.0 – v1.14.13: `__u8 cluster_id` @18, `__u8 pad` @19. */
export const endpointKeyEKB = defineStruct({
  name: 'endpoint_key',
  variant: 'EK-B',
  header: `${header} @ v1.14.0`,
  sizeof: 20,
  packed: true,
  fields: { ip, family: u8, key: u8, cluster_id: u8, pad: pad(1) },
});

/** EK-C, v1.15.0 → main: `__u16 cluster_id` @18 (commit d1ae72a8cb "extend cluster_id to uint16"). */
export const endpointKeyEKC = defineStruct({
  name: 'endpoint_key',
  variant: 'EK-C',
  header: `${header} @ v1.15.0; bpf/lib/eps.h @ v1.19 → main`,
  sizeof: 20,
  packed: true,
  fields: { ip, family: u8, key: u8, cluster_id: u16 },
});

/** Decoded `cilium_lxc` key (newest layout). */
export type EndpointKey = Decoded<typeof endpointKeyEKC>;
/** Decoded `cilium_lxc` key, v1.10 – v1.13. */
export type EndpointKeyEKA = Decoded<typeof endpointKeyEKA>;
/** Decoded `cilium_lxc` key, v1.14. */
export type EndpointKeyEKB = Decoded<typeof endpointKeyEKB>;
/** Encodable `cilium_lxc` key (newest layout). */
export type EndpointKeyInput = Encodable<typeof endpointKeyEKC>;

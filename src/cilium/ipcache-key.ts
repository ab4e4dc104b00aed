/**
 * `struct ipcache_key`: key of `cilium_ipcache` / `cilium_ipcache_v2` (24 bytes, `__packed`, LPM).
 * Must be in sync with `struct ipcache_key` in `bpf/lib/maps.h` (≤ v1.17) / `bpf/lib/eps.h`
 * (v1.18 → main); Go mirror `pkg/maps/ipcache/ipcache.go` `Key` (docs/layouts.md).
 *
 * `prefixlen` counts `IPCACHE_STATIC_PREFIX` = 32 extra bits: the 4 bytes after it (pads,
 * cluster_id, family) always take part in the LPM match, so an IPv4 /32 is stored as 64.
 */
import { addrUnion, defineStruct, formatCidrAddress, pad, parseCidr, u8, u16, u32, type Decoded, type Encodable } from '../schema/index';
import { checkReading, deriveText } from '../schema/text-form';

/** `IPCACHE_STATIC_PREFIX` (bpf/lib/eps.h): 8 * (24 - 4 - 16). */
export const IPCACHE_STATIC_PREFIX = 32;

const ip = addrUnion({ by: 'family', field: 'family', v4: 1, v6: 2 });

function maxBits(family: number): number {
  return family === 2 ? 128 : family === 1 ? 32 : 128;
}

const check = checkReading<{ prefixlen: number; family: number }>(['prefixlen', 'family'], (rec) => {
  const bits = rec.prefixlen - IPCACHE_STATIC_PREFIX;
  if (bits < 0 || bits > maxBits(rec.family)) {
    return `prefixlen ${rec.prefixlen} is not 32 + 0..${maxBits(rec.family)} (IPCACHE_PREFIX_LEN counts 32 static bits); is this really an ipcache key?`;
  }
  if (rec.family !== 1 && rec.family !== 2) return `family ${rec.family} is neither 1 (IPv4) nor 2 (IPv6); is this really an ipcache key?`;
  return undefined;
});

/** `cidr`: the CIDR the key matches, `ip/(prefixlen - 32)`, e.g. `10.10.1.155/32`. */
const derive = deriveText({ cidr: [{ field: 'ip' }, '/', { field: 'prefixlen', add: -IPCACHE_STATIC_PREFIX }] });

/**
 * Friendly input: `{ cidr }` or `{ ip }` alone sets family, prefixlen and ip. Host bits past the
 * prefix are rejected, never cleared: the datapath would never match such a key.
 */
function prepare<T extends { cidr?: string; ip?: string; prefixlen?: number; family?: number }>(input: T): T {
  const out = { ...input };
  const text = out.cidr ?? (out.prefixlen === undefined && typeof out.ip === 'string' ? out.ip : undefined);
  if (text === undefined) return out;
  const c = parseCidr(text);
  if (!c) throw new Error(`cidr: ${JSON.stringify(text)} is not a CIDR or address (examples: 10.10.1.155/32, 10.0.0.0/8, fd00::/64, 0.0.0.0/0)`);
  if (c.hostBitsSet) {
    throw new Error(`cidr: ${text} has bits set past /${c.bits}; the datapath clears them (GET_PREFIX), so this key could never match — did you mean the network address?`);
  }
  const ipText = formatCidrAddress(c);
  if (out.ip !== undefined && out.cidr !== undefined && parseCidr(out.ip)?.bytes.join() !== c.bytes.join()) {
    throw new Error(`ip ${out.ip} disagrees with cidr ${out.cidr}`);
  }
  const prefixlen = c.bits + IPCACHE_STATIC_PREFIX;
  if (out.prefixlen !== undefined && out.prefixlen !== prefixlen) throw new Error(`prefixlen ${out.prefixlen} disagrees with cidr ${text} (which needs ${prefixlen})`);
  const family = c.family === 4 ? 1 : 2;
  if (out.family !== undefined && out.family !== family) throw new Error(`family ${out.family} disagrees with cidr ${text}`);
  // `cidr` is consumed: cleared, not deleted (delete turns the object into a slow dictionary).
  out.cidr = undefined;
  out.ip = ipText;
  out.prefixlen = prefixlen;
  out.family = family;
  return out;
}

const common = { sizeof: 24, packed: true, check, derive, prepare, inputs: ['cidr'] as const };

/** IK-A, v1.10.0 – v1.13.18: `pad1` (u16), `pad2` (u8). */
export const ipcacheKeyIKA = defineStruct({
  name: 'ipcache_key',
  variant: 'IK-A',
  header: 'bpf/lib/maps.h @ v1.10.0 … v1.13.18',
  ...common,
  fields: { prefixlen: u32, pad1: pad(2), pad2: pad(1), family: u8, ip },
});

/** IK-B, v1.14.x: `cluster_id` (u8) at 6 (commit 0c06864f3d). */
export const ipcacheKeyIKB = defineStruct({
  name: 'ipcache_key',
  variant: 'IK-B',
  header: 'bpf/lib/maps.h @ v1.14.0',
  ...common,
  fields: { prefixlen: u32, pad1: pad(2), cluster_id: u8, family: u8, ip },
});

/** IK-C, v1.15.0 → main: `cluster_id` (u16) at 4 (commit d1ae72a8cb). */
export const ipcacheKeyIKC = defineStruct({
  name: 'ipcache_key',
  variant: 'IK-C',
  header: 'bpf/lib/maps.h @ v1.15.0; bpf/lib/eps.h @ v1.18 BP → main',
  ...common,
  fields: { prefixlen: u32, cluster_id: u16, pad1: pad(1), family: u8, ip },
});

/** Decoded ipcache key (newest layout). */
export type IpcacheKey = Decoded<typeof ipcacheKeyIKC>;
/** Decoded ipcache key, v1.10 – v1.13 (no cluster_id). */
export type IpcacheKeyIKA = Decoded<typeof ipcacheKeyIKA>;
/** Encodable ipcache key: fields, or `{ cidr }`. */
export type IpcacheKeyInput = Encodable<typeof ipcacheKeyIKC>;

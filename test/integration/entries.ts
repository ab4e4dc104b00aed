/**
 * Generated map contents for the kernel tests: for each map, thousands of intended records (every
 * data field, in decoded form) and the CLI-style arguments that say the same thing, written the
 * many ways an operator might (shorthands, pairs, decimal or hex, flag names or numbers, proto
 * and state names). Edge values on purpose: 0 and the maximum of every integer, 0.0.0.0/0 and
 * ::/0, every prefix length, every flag bit, cluster IDs 0/1/255/256/65535, IPv6 everywhere.
 */
import type { MapSpec } from '../../src/cilium/catalog';
import type { KeyArgOptions } from '../../src/cilium/friendly';
import { PROTO_NAMES, BACKEND_STATES } from '../../src/cilium/names';
import { formatIPv4, formatIPv6 } from '../../src/schema/ip-text';
import type { AnySchema } from '../../src/schema/index';
import type { prng } from './kernel-env';

type Rng = ReturnType<typeof prng>;

/** One entry to insert. */
export interface GenEntry {
  keyArgs: string[];
  keyOpts: KeyArgOptions;
  valueArgs: string[];
  /** Every data field of the key as decoding must give it (flags as their raw number). */
  key: Record<string, unknown>;
  /** Every data field of the value, the same way. */
  value: Record<string, unknown>;
}

const U32 = 0xffffffff;
const U16 = 0xffff;

function num(r: Rng, n: number): string {
  return r.bool(0.3) ? `0x${n.toString(16)}` : String(n);
}

function u32(r: Rng): number {
  return r.pick([0, 1, 2, U32, U32 - 1, 0x80000000, r.int(U32), r.int(U32), r.int(0xffff)]);
}
function u16(r: Rng): number {
  return r.pick([0, 1, U16, 0x8000, r.int(U16), r.int(U16), r.int(0xff)]);
}
function u8(r: Rng): number {
  return r.pick([0, 1, 0xff, 0x80, r.int(0xff), r.int(0xff)]);
}

function ip4(r: Rng): string {
  return r.bool(0.05) ? r.pick(['0.0.0.0', '255.255.255.255']) : formatIPv4(r.bytes(4));
}
function ip6(r: Rng): string {
  if (r.bool(0.05)) return r.pick(['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::1']);
  const b = r.bytes(16);
  // Also some with zero runs, so RFC 5952 "::" forms are exercised.
  if (r.bool(0.5)) b.fill(0, 2 + r.int(6), 8 + r.int(6));
  return formatIPv6(b);
}
function mac(r: Rng): string {
  return Array.from(r.bytes(6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** `ip/bits` with the host bits cleared, as the datapath keeps ipcache keys (GET_PREFIX). */
function masked(family: 4 | 6, bytes: Uint8Array, bits: number): string {
  const b = Uint8Array.from(bytes);
  for (let i = 0; i < b.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    b[i] = b[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return family === 4 ? formatIPv4(b) : formatIPv6(b);
}

function flagNames(schema: AnySchema, field: string): Record<string, number> {
  return (schema.layout.find((f) => f.name === field)!.type.params?.bits as Record<string, number>) ?? {};
}

/** `field=value` arguments for every data field of `rec`; zero fields are sometimes left out. */
function pairs(r: Rng, schema: AnySchema, rec: Record<string, unknown>, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const f of schema.layout) {
    if (f.padding || skip.includes(f.name)) continue;
    const v = rec[f.name];
    if ((v === 0 || v === '0.0.0.0' || v === '::' || v === '00:00:00:00:00:00') && r.bool(0.4)) continue;
    if (f.kind === 'flags') {
      const bits = flagNames(schema, f.name);
      const raw = v as number;
      const named = Object.entries(bits).filter(([, b]) => raw & (1 << b));
      const rest = raw & ~named.reduce((m, [, b]) => m | (1 << b), 0);
      if (r.bool(0.5) && named.length) out.push(`${f.name}=${[...named.map(([n]) => n), ...(rest ? [num(r, rest >>> 0)] : [])].join(',')}`);
      else out.push(`${f.name}=${num(r, raw >>> 0)}`);
    } else if (typeof v === 'number') {
      if (f.name === 'proto' && PROTO_NAMES[v] && r.bool(0.5)) out.push(r.bool() ? `proto=${PROTO_NAMES[v]!.toLowerCase()}` : `proto_name=${PROTO_NAMES[v]}`);
      else if (f.name === 'flags' && /^lb[46]_backend$/.test(schema.name) && v < 4 && r.bool(0.5)) out.push(r.bool() ? `state=${BACKEND_STATES[v]}` : `flags=${BACKEND_STATES[v]}`);
      else out.push(`${f.name}=${num(r, v)}`);
    } else {
      out.push(`${f.name}=${f.kind === 'mac' && r.bool(0.3) ? String(v).toUpperCase() : String(v)}`);
    }
  }
  return out;
}

function hostPort(addr: string, port: number, r: Rng): string {
  return `${addr.includes(':') ? `[${addr}]` : addr}:${num(r, port)}`;
}

/** ipcache (`cilium_ipcache` RE-D or `cilium_ipcache_v2` RE-E/F): every prefix length, both families, cluster IDs. */
export function ipcacheEntries(spec: MapSpec, r: Rng, n: number): GenEntry[] {
  const v2 = spec.value.sizeof === 24;
  const keys: { family: 4 | 6; cidr: string; cluster: number }[] = [];
  for (const cluster of [0, 65535]) keys.push({ family: 4, cidr: '0.0.0.0/0', cluster }, { family: 6, cidr: '::/0', cluster });
  for (let i = 0; i < 4; i++) {
    const b = r.bytes(4);
    for (let bits = 0; bits <= 32; bits++) keys.push({ family: 4, cidr: `${masked(4, b, bits)}/${bits}`, cluster: i === 3 ? 1 : 0 });
  }
  for (let i = 0; i < 2; i++) {
    const b = r.bytes(16);
    for (let bits = 0; bits <= 128; bits++) keys.push({ family: 6, cidr: `${masked(6, b, bits)}/${bits}`, cluster: i === 1 ? 256 : 0 });
  }
  while (keys.length < n) {
    const family = r.bool(0.7) ? 4 : 6;
    const max = family === 4 ? 32 : 128;
    const bits = r.bool(0.7) ? max : r.int(max);
    keys.push({ family, cidr: `${masked(family, r.bytes(family === 4 ? 4 : 16), bits)}/${bits}`, cluster: r.pick([0, 0, 0, 0, 1, 255, 256, 65535, r.int(U16)]) });
  }
  return keys.map((k, i) => {
    const [ip, bits] = k.cidr.split('/') as [string, string];
    const key = { prefixlen: 32 + Number(bits), cluster_id: k.cluster, family: k.family === 4 ? 1 : 2, ip };
    const keyArgs = r.bool(0.8)
      ? [k.cidr, ...(k.cluster || r.bool(0.2) ? [`cluster_id=${num(r, k.cluster)}`] : [])]
      : [`ip=${ip}`, `prefixlen=${num(r, key.prefixlen)}`, `family=${r.bool() ? `ipv${k.family}` : key.family}`, `cluster_id=${num(r, k.cluster)}`];
    // Every flag byte value in turn (every bit, every combination).
    const flags = i % 256;
    const v6tun = v2 && (flags & 4) !== 0;
    const value = { sec_identity: u32(r), tunnel_endpoint: v6tun ? ip6(r) : ip4(r), key: u8(r), flags };
    let valueArgs = pairs(r, spec.value, value);
    if (v2) {
      // Go NewValue's flags (has_tunnel_ep, ipv6_tunnel_ep) are filled in when flags are left out.
      const none = value.tunnel_endpoint === '0.0.0.0' || value.tunnel_endpoint === '::';
      const implied = none ? (v6tun ? 4 : 0) : 2 | (v6tun ? 4 : 0);
      if (implied === flags && !none && r.bool(0.7)) valueArgs = [`sec_identity=${value.sec_identity}`, `tunnel_endpoint=${value.tunnel_endpoint}`, `key=${value.key}`];
      else if (!valueArgs.some((a) => a.startsWith('flags='))) valueArgs.push(`flags=${flags}`); // the union needs the discriminant
    }
    return { keyArgs, keyOpts: {}, valueArgs, key, value };
  });
}

/** `cilium_lxc` (EK-C / EI-D): IPv4 and IPv6 endpoints, every flag bit, MACs, edge integers. */
export function lxcEntries(spec: MapSpec, r: Rng, n: number): GenEntry[] {
  const out: GenEntry[] = [];
  for (let i = 0; i < n; i++) {
    const family = r.bool(0.6) ? 4 : 6;
    const ip = family === 4 ? ip4(r) : ip6(r);
    const key = { ip, family: family === 4 ? 1 : 2, key: r.bool(0.8) ? 0 : u8(r), cluster_id: r.bool(0.7) ? 0 : u16(r) };
    const keyArgs = r.bool(0.8) ? [ip, ...pairs(r, spec.key, key, ['ip', 'family'])] : pairs(r, spec.key, { ...key, ip: ip });
    if (!keyArgs.some((a) => a === ip || a.startsWith('ip='))) keyArgs.push(`ip=${ip}`);
    const flags = i < 32 ? 2 ** i : r.pick([1, 2, 4, 8, 15, 0, U32, r.int(U32)]);
    const value: Record<string, unknown> = {};
    for (const f of spec.value.layout) {
      if (f.padding) continue;
      value[f.name] = f.kind === 'mac' ? mac(r) : f.kind === 'u16' ? u16(r) : u32(r);
    }
    value.flags = flags;
    out.push({ keyArgs, keyOpts: {}, valueArgs: pairs(r, spec.value, value), key, value });
  }
  return out;
}

/** Service maps (lb4/lb6 services_v2, SV-C): masters and slots, every proto, both scopes, every flag byte. */
export function serviceEntries(spec: MapSpec, r: Rng, n: number): GenEntry[] {
  const v6 = spec.def.family === 6;
  const out: GenEntry[] = [];
  while (out.length < n) {
    const address = v6 ? ip6(r) : ip4(r);
    const dport = r.pick([0, 53, 443, 65535, r.int(U16)]);
    const proto = r.pick([0, 6, 17, 132, 255, r.int(255)]);
    const scope = r.pick([0, 0, 1]);
    const slots = [...Array(1 + r.int(4)).keys(), ...(r.bool(0.1) ? [U16] : [])];
    for (const backend_slot of slots) {
      const key = { address, dport, backend_slot, proto, scope };
      const shorthand = r.bool(0.8);
      const protoText = PROTO_NAMES[proto] && r.bool() ? (r.bool() ? PROTO_NAMES[proto]! : PROTO_NAMES[proto]!.toLowerCase()) : String(proto);
      const keyArgs = shorthand ? [`${hostPort(address, dport, r)}/${protoText}${scope === 1 && r.bool() ? '/i' : ''}`] : pairs(r, spec.key, key);
      const keyOpts: KeyArgOptions = {};
      if (shorthand) {
        if (backend_slot || r.bool(0.2)) keyOpts.slot = num(r, backend_slot);
        if (scope === 1 && !keyArgs[0]!.endsWith('/i')) keyOpts.scope = r.pick(['int', 'internal', '1']);
      }
      const k = out.length;
      const value = { backend_id: u32(r), count: u16(r), rev_nat_index: u16(r), flags: k % 256, flags2: (k * 7 + (k >> 8)) % 256, qcount: u16(r) };
      let valueArgs = pairs(r, spec.value, value);
      const alg = value.backend_id >>> 24;
      if (backend_slot === 0 && [0, 1, 2, 0x80].includes(alg) && r.bool(0.5)) {
        // v1.17+ masters: LB algorithm in the upper 8 bits, affinity timeout in the lower 24.
        valueArgs = [...valueArgs.filter((a) => !a.startsWith('backend_id=')), `lb_algorithm=${['default', 'random', 'maglev'][alg] ?? 'custom'}`, `affinity_timeout=${value.backend_id & 0xffffff}`];
      }
      out.push({ keyArgs, keyOpts, valueArgs, key, value });
    }
  }
  return out;
}

/** Backend maps: `_v2` (BE-B, v1.12: state byte) and `_v3` (BE-E: cluster_id, zone). */
export function backendEntries(spec: MapSpec, r: Rng, n: number): GenEntry[] {
  const v6 = spec.def.family === 6;
  const ids = [0, 1, 2, U32, U32 - 1, 0x80000000];
  while (ids.length < n) ids.push(r.bool(0.5) ? ids.length : r.int(U32));
  return ids.map((backend_id, i) => {
    const value: Record<string, unknown> = { address: v6 ? ip6(r) : ip4(r), port: r.pick([0, 53, 65535, r.int(U16)]), proto: r.pick([0, 6, 17, 132, r.int(255)]), flags: i < 256 ? i : r.pick([0, 1, 2, 3, r.int(255)]) };
    if (spec.value.layout.some((f) => f.name === 'cluster_id')) value.cluster_id = u16(r);
    if (spec.value.layout.some((f) => f.name === 'zone')) value.zone = u8(r);
    let valueArgs = pairs(r, spec.value, value);
    if (r.bool(0.3)) {
      const proto = value.proto as number;
      valueArgs = [`${hostPort(value.address as string, value.port as number, r)}/${PROTO_NAMES[proto]?.toLowerCase() ?? proto}`, ...pairs(r, spec.value, value, ['address', 'port', 'proto'])];
    }
    return { keyArgs: [num(r, backend_id)], keyOpts: {}, valueArgs, key: { backend_id }, value };
  });
}

/** Reverse-NAT maps: u16 service IDs stored big-endian, the VIP and port as the value. */
export function revNatEntries(spec: MapSpec, r: Rng, n: number): GenEntry[] {
  const v6 = spec.def.family === 6;
  const ids = new Set([0, 1, 2, 0xff, 0x100, U16 - 1, U16]);
  while (ids.size < n) ids.add(r.int(U16));
  return [...ids].map((rev_nat_index) => {
    const value = { address: v6 ? ip6(r) : ip4(r), port: r.pick([0, 53, U16, r.int(U16)]) };
    const valueArgs = r.bool(0.5) ? [hostPort(value.address, value.port, r)] : pairs(r, spec.value, value);
    return { keyArgs: r.bool(0.8) ? [num(r, rev_nat_index)] : [`rev_nat_index=${num(r, rev_nat_index)}`], keyOpts: {}, valueArgs, key: { rev_nat_index }, value };
  });
}

/** The generator for a map's kind. */
export function entriesFor(spec: MapSpec, r: Rng, n: number): GenEntry[] {
  switch (spec.def.kind) {
    case 'ipcache':
      return ipcacheEntries(spec, r, n);
    case 'endpoint':
      return lxcEntries(spec, r, n);
    case 'service':
      return serviceEntries(spec, r, n);
    case 'backend':
      return backendEntries(spec, r, n);
    case 'revnat':
      return revNatEntries(spec, r, n);
    default:
      throw new Error(`no generator here for ${spec.name}; see ct-entries.ts`);
  }
}

/** Compares a decoded record with the intended one, field by field (flags by raw value). */
export function fieldDiffs(schema: AnySchema, decoded: Record<string, unknown>, intended: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  for (const f of schema.layout) {
    if (f.padding) continue;
    const got = f.kind === 'flags' ? (decoded[f.name] as { raw: number }).raw : decoded[f.name];
    if (got !== intended[f.name]) diffs.push(`${f.name}: got ${String(got)}, intended ${String(intended[f.name])}`);
  }
  return diffs;
}

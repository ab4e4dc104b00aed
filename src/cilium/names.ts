/**
 * Names of Cilium's numeric constants: L4 protocols, backend states, LB
 * algorithms, lookup scopes. Unknown numbers stay visible as their decimal value.
 */

/** `pkg/u8proto` names; any other number prints as itself. */
export const PROTO_NAMES: Readonly<Record<number, string>> = { 0: 'ANY', 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP' };

/** Name of an L4 protocol number (`ANY`, `TCP`, `UDP`, ... or the decimal number). */
export function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}

/**
 * `RemoteEndpointInfoFlags.String()` words (ipcache value `flags`), in Go's order, with the minor
 * version that first prints each: the one table the `-o cilium` writer and the list-text reader share.
 */
export const IPCACHE_FLAG_WORDS: readonly { readonly bit: number; readonly word: string; readonly from: number }[] = [
  { bit: 0x01, word: 'skiptunnel', from: 16 },
  { bit: 0x02, word: 'hastunnel', from: 18 },
  { bit: 0x04, word: 'ipv6tunnel', from: 18 },
  { bit: 0x08, word: 'remotecluster', from: 19 },
];

/**
 * `loadbalancer.ServiceFlags.String()` words, as Go's 16-bit flags (`flags2 << 8 | flags`): the
 * service types (the first set one is printed, else `ClusterIP`) and the flag words with the minor
 * version that first prints each. Two words share a bit where Cilium renamed or reused it
 * (`loopback` / `delegate-if-local`, `deny` / `quarantined`); `non-routable` is printed when
 * `SVC_FLAG_ROUTABLE` (0x0040) is clear. The writer's order and conditions are in
 * format/cilium-text.ts `serviceFlagsText`; the list-text reader reads any of these words.
 */
export const SERVICE_TYPE_WORDS: readonly { readonly bit: number; readonly word: string }[] = [
  { bit: 0x0001, word: 'ExternalIPs' },
  { bit: 0x0002, word: 'NodePort' },
  { bit: 0x0020, word: 'LoadBalancer' },
  { bit: 0x0008, word: 'HostPort' },
  { bit: 0x0100, word: 'LocalRedirect' },
  { bit: 0, word: 'ClusterIP' },
];
export const SERVICE_ROUTABLE = 0x0040;
export const SERVICE_FLAG_WORDS = {
  Local: { bit: 0x0004, from: 10 },
  InternalLocal: { bit: 0x1000, from: 13 },
  'two-scopes': { bit: 0x2000, from: 13 },
  sessionAffinity: { bit: 0x0010, from: 10 },
  'check source-range': { bit: 0x0080, from: 10 },
  deny: { bit: 0x4000, from: 17 },
  '46x64': { bit: 0x0200, from: 12 },
  'l7-load-balancer': { bit: 0x0400, from: 12 },
  loopback: { bit: 0x0800, from: 13 },
  'delegate-if-local': { bit: 0x0800, from: 18 },
  quarantined: { bit: 0x4000, from: 17 },
  dsr: { bit: 0x8000, from: 17 },
} as const satisfies Record<string, { bit: number; from: number }>;

/** Protocol number of a name (`tcp`, `UDP`, `any`, `17`); undefined when unknown. */
export function protoNumber(name: string): number | undefined {
  const up = name.trim().toUpperCase();
  for (const [n, v] of Object.entries(PROTO_NAMES)) if (v.toUpperCase() === up) return Number(n);
  return /^[0-9]{1,3}$/.test(up) && Number(up) <= 255 ? Number(up) : undefined;
}

/** `BE_STATE_*` (byte 7 of lb*_backend, v1.12+). Decode the byte with these, not Go's enum. */
export const BACKEND_STATES = ['active', 'terminating', 'quarantined', 'maintenance'] as const;

/** Name of a backend state byte (`active`, ..., or `unknown(N)`). */
export function backendStateName(b: number): string {
  return BACKEND_STATES[b] ?? `unknown(${b})`;
}

/** LB algorithm in the upper byte of a v1.17+ master entry (`SVCLoadBalancingAlgorithm*`). */
export function lbAlgorithmName(a: number): string {
  return a === 0 ? 'default' : a === 1 ? 'random' : a === 2 ? 'maglev' : a === 0x80 ? 'custom' : `unknown(${a})`;
}

/** `LB_LOOKUP_SCOPE_EXT = 0`, `LB_LOOKUP_SCOPE_INT = 1`. */
export function scopeName(s: number): string {
  return s === 0 ? 'external' : s === 1 ? 'internal' : `unknown(${s})`;
}

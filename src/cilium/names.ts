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

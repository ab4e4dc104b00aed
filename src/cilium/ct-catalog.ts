/**
 * Catalogue entries of the conntrack, NAT and metrics maps (docs/layouts.md):
 * names, aliases, BPF map types, sizes and the layout of each Cilium version. Kept beside the
 * structs they use; `catalog.ts` adds them to `MAPS`.
 *
 * Types: the CT and NAT maps are `LRU_HASH` on every kernel Cilium supports today (v1.10 – v1.13
 * fall back to a plain `HASH` with `BPF_F_NO_PREALLOC` where LRU is missing; the dump is the same);
 * `cilium_metrics` is a `PERCPU_HASH` whose dump has one value per possible CPU.
 */
import type { MapDefinition, MapLayout, MapSpec } from './catalog';
import { ctEntryCEA, ctEntryCEB111, ctEntryCEB112, ctEntryCEB113, ctEntryCEB114, ctEntryCEB115, ctEntryCEC, ctEntryCEC118, ctEntryCED4, ctEntryCED6 } from './ct-entry';
import { ctTuple4, ctTuple6, natTuple4, natTuple6 } from './ct-tuple';
import { metricsKeyMKA, metricsKeyMKA110, metricsKeyMKB, metricsKeyMKB116, metricsValue, sumMetricsValues } from './metrics';
import { natEntry4, natEntry4V110, natEntry6, natEntry6V110 } from './nat-entry';

// Literal types kept (as in catalog.ts), so that resolveMap('cilium_ct4_global', '1.16') types its records.
const r = <const F extends string, const T extends string>(from: F, to: T) => ({ from, to }) as const;
const ALL = [r('1.10', 'main')] as const;

/** Per-family schema types, so that `cilium_ct6_*` records have IPv6 fields in the types too. */
type ByFamily<F, A, B> = F extends 4 ? A : B;

function ctLayouts<const F extends 4 | 6>(f: F) {
  const key = (f === 4 ? ctTuple4 : ctTuple6) as ByFamily<F, typeof ctTuple4, typeof ctTuple6>;
  const ced = (f === 4 ? ctEntryCED4 : ctEntryCED6) as ByFamily<F, typeof ctEntryCED4, typeof ctEntryCED6>;
  return [
    { versions: [r('1.10', '1.10')], key, value: ctEntryCEA },
    { versions: [r('1.11', '1.11')], key, value: ctEntryCEB111 },
    { versions: [r('1.12', '1.12')], key, value: ctEntryCEB112 },
    { versions: [r('1.13', '1.13')], key, value: ctEntryCEB113 },
    { versions: [r('1.14', '1.14')], key, value: ctEntryCEB114 },
    { versions: [r('1.15', '1.15')], key, value: ctEntryCEB115 },
    { versions: [r('1.16', '1.17')], key, value: ctEntryCEC },
    { versions: [r('1.18', '1.18')], key, value: ctEntryCEC118 },
    { versions: [r('1.19', 'main')], key, value: ced },
  ] as const satisfies readonly MapLayout[];
}

function ctMap<const F extends 4 | 6, const A extends boolean>(f: F, any: A) {
  const name = (any ? `cilium_ct_any${f}_global` : `cilium_ct${f}_global`) as A extends true ? `cilium_ct_any${F}_global` : `cilium_ct${F}_global`;
  const aliases = (any ? [`ct-any${f}`, `ct_any${f}`] : [`ct${f}`, `ct${f}-tcp`]) as unknown as A extends true ? readonly [`ct-any${F}`, `ct_any${F}`] : readonly [`ct${F}`, `ct${F}-tcp`];
  return {
    name,
    aliases,
    kind: 'ct',
    family: f,
    type: 'lru_hash',
    keySize: f === 4 ? 14 : 38,
    valueSize: 56,
    maxEntries: any ? 262144 : 524288,
    flags: 0,
    versions: ALL,
    note: any
      ? 'non-TCP connections and RELATED (ICMP error) entries; key stored reversed (client = daddr:sport); v1.10 – v1.13 plain hash without LRU support'
      : 'TCP connections; key stored reversed (client = daddr:sport); v1.10 – v1.13 plain hash without LRU support',
    layouts: ctLayouts(f),
  } as const satisfies MapDefinition;
}

function natMap<const F extends 4 | 6>(f: F) {
  const key = (f === 4 ? natTuple4 : natTuple6) as ByFamily<F, typeof natTuple4, typeof natTuple6>;
  const v110 = (f === 4 ? natEntry4V110 : natEntry6V110) as ByFamily<F, typeof natEntry4V110, typeof natEntry6V110>;
  const v114 = (f === 4 ? natEntry4 : natEntry6) as ByFamily<F, typeof natEntry4, typeof natEntry6>;
  return {
    name: `cilium_snat_v${f}_external`,
    aliases: [`nat${f}`, `snat${f}`, `snat-v${f}`],
    kind: 'nat',
    family: f,
    type: 'lru_hash',
    keySize: key.sizeof,
    valueSize: f === 4 ? 40 : 56,
    maxEntries: 524288,
    flags: 0,
    versions: ALL,
    note: 'key not swapped (saddr:sport -> daddr:dport is the packet); to_addr/to_port is to_saddr/to_sport (egress) or to_daddr/to_dport (ingress)',
    layouts: [
      { versions: [r('1.10', '1.13')], key, value: v110 },
      { versions: [r('1.14', 'main')], key, value: v114 },
    ],
  } as const satisfies MapDefinition;
}

/** The conntrack, NAT and metrics maps. */
// Built outside the array: inside it, the array's contextual type (MapDefinition) would widen F to 4 | 6.
const ct4 = ctMap(4, false);
const ctAny4 = ctMap(4, true);
const ct6 = ctMap(6, false);
const ctAny6 = ctMap(6, true);
const nat4 = natMap(4);
const nat6 = natMap(6);

export const CT_NAT_METRICS_MAPS = [
  ct4,
  ctAny4,
  ct6,
  ctAny6,
  nat4,
  nat6,
  {
    name: 'cilium_metrics',
    aliases: ['metrics'],
    kind: 'metrics',
    family: 'both',
    type: 'percpu_hash',
    keySize: 8,
    valueSize: 16,
    maxEntries: 65536,
    flags: 0,
    versions: ALL,
    note: 'per-CPU: one value per possible CPU, summed in `sum`; max_entries 1024 in v1.16, 65536 in main\'s spec',
    layouts: [
      { versions: [r('1.10', '1.11')], key: metricsKeyMKA110, value: metricsValue },
      { versions: [r('1.12', '1.15')], key: metricsKeyMKA, value: metricsValue },
      { versions: [r('1.16', '1.18')], key: metricsKeyMKB116, value: metricsValue },
      { versions: [r('1.19', 'main')], key: metricsKeyMKB, value: metricsValue },
    ],
    extend: (): Partial<MapSpec> => ({ sumValues: sumMetricsValues }),
  },
] as const satisfies readonly MapDefinition[];

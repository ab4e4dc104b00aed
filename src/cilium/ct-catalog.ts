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
import type { AnySchema } from '../schema/index';
import type { VersionRange } from './versions';

const r = (from: string, to: string): VersionRange => ({ from, to });
const ALL = [r('1.10', 'main')];

function ctLayouts(f: 4 | 6): MapLayout[] {
  const key = f === 4 ? ctTuple4 : ctTuple6;
  const ced: AnySchema = f === 4 ? ctEntryCED4 : ctEntryCED6;
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
  ];
}

function ctMap(f: 4 | 6, any: boolean): MapDefinition {
  const name = any ? `cilium_ct_any${f}_global` : `cilium_ct${f}_global`;
  return {
    name,
    aliases: any ? [`ct-any${f}`, `ct_any${f}`] : [`ct${f}`, `ct${f}-tcp`],
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
  };
}

function natMap(f: 4 | 6): MapDefinition {
  const key = f === 4 ? natTuple4 : natTuple6;
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
      { versions: [r('1.10', '1.13')], key, value: f === 4 ? natEntry4V110 : natEntry6V110 },
      { versions: [r('1.14', 'main')], key, value: f === 4 ? natEntry4 : natEntry6 },
    ],
  };
}

/** The conntrack, NAT and metrics maps. */
export const CT_NAT_METRICS_MAPS: readonly MapDefinition[] = [
  ctMap(4, false),
  ctMap(4, true),
  ctMap(6, false),
  ctMap(6, true),
  natMap(4),
  natMap(6),
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
];

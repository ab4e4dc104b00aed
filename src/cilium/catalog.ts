/**
 * The map catalogue: map name + Cilium version → BPF map type, sizes, key and value schemas
 * (docs/layouts.md). Map names, types, sizes and flags come from `pkg/maps/*` and
 * `bpf/lib/{maps,lb,eps}.h` at the cited versions; layouts from the struct files beside this one.
 */
import type { AnySchema, Decoded, Encodable, Endian, Schema } from '../schema/index';
import { endpointInfoEIA, endpointInfoEIB, endpointInfoEIC, endpointInfoEIC117, endpointInfoEID } from './endpoint-info';
import { endpointKeyEKA, endpointKeyEKB, endpointKeyEKC } from './endpoint-key';
import { ipcacheKeyIKA, ipcacheKeyIKB, ipcacheKeyIKC } from './ipcache-key';
import {
  backendKeyU16,
  backendKeyU32,
  lb4BackendBEA,
  lb4BackendBEB,
  lb4BackendBEC,
  lb4BackendBED,
  lb4BackendBEE,
  lb6BackendBEA,
  lb6BackendBEB,
  lb6BackendBEC,
  lb6BackendBED,
  lb6BackendBEE,
} from './lb-backend';
import { lb4ReverseNat, lb6ReverseNat, revNatKey } from './lb-reverse-nat';
import { deriveServiceEntry, lb4Key, lb6Key, lbServiceSVA, lbServiceSVB, lbServiceSVB112, lbServiceSVC, type ServiceMasterDerived } from './lb-service';
import {
  remoteEndpointInfoREA,
  remoteEndpointInfoREB,
  remoteEndpointInfoREC,
  remoteEndpointInfoRED,
  remoteEndpointInfoREE,
  remoteEndpointInfoREF,
} from './remote-endpoint-info';
import { formatRange, inRange, parseVersion, VersionError, type CiliumVersion, type VersionRange } from './versions';
import type { LayoutsForVersion } from './version-types';
import { unknownMapMessage } from './suggest';
import { CT_NAT_METRICS_MAPS } from './ct-catalog';

/** What a map holds, for formatters (Cilium's CLI prints each kind its own way). */
export type MapKind = 'endpoint' | 'ipcache' | 'service' | 'backend' | 'revnat' | 'ct' | 'nat' | 'metrics';

/** One layout of a map, valid for some versions. */
export interface MapLayout {
  readonly versions: readonly VersionRange[];
  readonly key: AnySchema;
  readonly value: AnySchema;
}

/** Everything the catalogue knows about one map name. */
export interface MapDefinition {
  /** Pinned name, e.g. `cilium_ipcache`. */
  readonly name: string;
  /** Short names that each point at exactly this map. */
  readonly aliases: readonly string[];
  readonly kind: MapKind;
  /** IP family of the entries (lxc and ipcache hold both). */
  readonly family: 4 | 6 | 'both';
  /** BPF map type as bpftool prints it. */
  readonly type: 'hash' | 'lpm_trie' | 'lru_hash' | 'percpu_hash';
  readonly keySize: number;
  readonly valueSize: number;
  /** Default max_entries. */
  readonly maxEntries: number;
  /** Default map_flags (`CONDITIONAL_PREALLOC` resolves to BPF_F_NO_PREALLOC = 1). */
  readonly flags: number;
  /** Versions whose datapath uses this map. */
  readonly versions: readonly VersionRange[];
  /** A note shown by `decode-map maps` and the docs. */
  readonly note?: string;
  /** Layouts, oldest first; the last one is the default. */
  readonly layouts: readonly MapLayout[];
  /** Entry-level hooks added to the resolved spec (fields that need key and value together, per-CPU sums). */
  readonly extend?: (spec: MapSpec) => Partial<Pick<MapSpec, 'deriveEntry' | 'sumValues'>>;
}

// Literal types kept (`{ from: '1.16'; to: '1.19' }`) so that resolveMap can pick layouts by version at compile time.
const r = <const F extends string, const T extends string>(from: F, to: T) => ({ from, to }) as const;
const ALL = [r('1.10', 'main')] as const;

const ipcache12Values = [
  { versions: [r('1.10.0', '1.11.13'), r('1.12.0', '1.12.7')], key: ipcacheKeyIKA, value: remoteEndpointInfoREA },
  { versions: [r('1.11.14', '1.11.19'), r('1.12.8', '1.12.12'), r('1.13.0', '1.13.5')], key: ipcacheKeyIKA, value: remoteEndpointInfoREB },
  { versions: [r('1.11.20', '1.11'), r('1.12.13', '1.12'), r('1.13.6', '1.13')], key: ipcacheKeyIKA, value: remoteEndpointInfoREC },
  { versions: [r('1.14.0', '1.14.0')], key: ipcacheKeyIKB, value: remoteEndpointInfoREB },
  { versions: [r('1.14.1', '1.14')], key: ipcacheKeyIKB, value: remoteEndpointInfoREC },
  { versions: [r('1.15', '1.15')], key: ipcacheKeyIKC, value: remoteEndpointInfoREC },
  { versions: [r('1.16', '1.19')], key: ipcacheKeyIKC, value: remoteEndpointInfoRED },
] as const satisfies readonly MapLayout[];

/** Per-family schema types, so that `cilium_lb6_*` records have IPv6 fields in the types too. */
type ByFamily<F, A, B> = F extends 4 ? A : B;

function lbMaps<const F extends 4 | 6>(f: F) {
  type BE<S4, S6> = ByFamily<F, S4, S6>;
  const key = (f === 4 ? lb4Key : lb6Key) as BE<typeof lb4Key, typeof lb6Key>;
  const bea = (f === 4 ? lb4BackendBEA : lb6BackendBEA) as BE<typeof lb4BackendBEA, typeof lb6BackendBEA>;
  const beb = (f === 4 ? lb4BackendBEB : lb6BackendBEB) as BE<typeof lb4BackendBEB, typeof lb6BackendBEB>;
  const bec = (f === 4 ? lb4BackendBEC : lb6BackendBEC) as BE<typeof lb4BackendBEC, typeof lb6BackendBEC>;
  const bed = (f === 4 ? lb4BackendBED : lb6BackendBED) as BE<typeof lb4BackendBED, typeof lb6BackendBED>;
  const bee = (f === 4 ? lb4BackendBEE : lb6BackendBEE) as BE<typeof lb4BackendBEE, typeof lb6BackendBEE>;
  const revNat = (f === 4 ? lb4ReverseNat : lb6ReverseNat) as BE<typeof lb4ReverseNat, typeof lb6ReverseNat>;
  const p = `lb${f}` as const;
  return [
    {
      name: `cilium_${p}_services_v2`,
      aliases: [`${p}-services`, `${p}-services-v2`, `${p}_services`],
      kind: 'service',
      family: f,
      type: 'hash',
      keySize: key.sizeof,
      valueSize: 12,
      maxEntries: 65536,
      flags: 1,
      versions: ALL,
      layouts: [
        { versions: [r('1.10', '1.11')], key, value: lbServiceSVA },
        { versions: [r('1.12', '1.12')], key, value: lbServiceSVB112 },
        { versions: [r('1.13', '1.16')], key, value: lbServiceSVB },
        { versions: [r('1.17', 'main')], key, value: lbServiceSVC },
      ],
    },
    {
      name: `cilium_${p}_backends`,
      aliases: [`${p}-backends-v1`],
      kind: 'backend',
      family: f,
      type: 'hash',
      keySize: 2,
      valueSize: bea.sizeof,
      maxEntries: 65536,
      flags: 1,
      versions: [r('1.10', '1.10')],
      note: 'u16 backend IDs; v1.10 only',
      layouts: [{ versions: [r('1.10', '1.10')], key: backendKeyU16, value: bea }],
    },
    {
      name: `cilium_${p}_backends_v2`,
      aliases: [`${p}-backends-v2`],
      kind: 'backend',
      family: f,
      type: 'hash',
      keySize: 4,
      valueSize: bea.sizeof,
      maxEntries: 65536,
      flags: 1,
      versions: [r('1.11', '1.12')],
      layouts: [
        { versions: [r('1.11', '1.11')], key: backendKeyU32, value: bea },
        { versions: [r('1.12', '1.12')], key: backendKeyU32, value: beb },
      ],
    },
    {
      name: `cilium_${p}_backends_v3`,
      aliases: [`${p}-backends`, `${p}-backends-v3`, `${p}_backends`],
      kind: 'backend',
      family: f,
      type: 'hash',
      keySize: 4,
      valueSize: bee.sizeof,
      maxEntries: 65536,
      flags: 1,
      versions: [r('1.13', 'main')],
      layouts: [
        { versions: [r('1.13', '1.14')], key: backendKeyU32, value: bec },
        { versions: [r('1.15', '1.15')], key: backendKeyU32, value: bed },
        { versions: [r('1.16', 'main')], key: backendKeyU32, value: bee },
      ],
    },
    {
      name: `cilium_${p}_reverse_nat`,
      aliases: [`${p}-revnat`, `${p}-reverse-nat`, `${p}_reverse_nat`],
      kind: 'revnat',
      family: f,
      type: 'hash',
      keySize: 2,
      valueSize: f === 4 ? 6 : 18,
      maxEntries: 65536,
      flags: 1,
      versions: ALL,
      note: 'key is the service ID stored big-endian',
      layouts: [{ versions: ALL, key: revNatKey, value: revNat }],
    },
  ] as const satisfies readonly MapDefinition[];
}

/** The catalogue with its literal types (names, aliases, layouts): the source of the typed API. */
const CATALOG = [
  {
    name: 'cilium_lxc',
    aliases: ['lxc', 'endpoints', 'endpoint'],
    kind: 'endpoint',
    family: 'both',
    type: 'hash',
    keySize: 20,
    valueSize: 48,
    maxEntries: 65535,
    flags: 1,
    versions: ALL,
    note: 'flags 0x81 (adds BPF_F_RDONLY_PROG_COND) from v1.20',
    layouts: [
      { versions: [r('1.10', '1.13')], key: endpointKeyEKA, value: endpointInfoEIA },
      { versions: [r('1.14', '1.14')], key: endpointKeyEKB, value: endpointInfoEIB },
      { versions: [r('1.15', '1.16')], key: endpointKeyEKC, value: endpointInfoEIB },
      { versions: [r('1.17', '1.18')], key: endpointKeyEKC, value: endpointInfoEIC117 },
      { versions: [r('1.19', '1.19')], key: endpointKeyEKC, value: endpointInfoEIC },
      { versions: [r('1.20', 'main')], key: endpointKeyEKC, value: endpointInfoEID },
    ],
  },
  {
    name: 'cilium_ipcache',
    aliases: ['ipcache', 'ipcache-v1'],
    kind: 'ipcache',
    family: 'both',
    type: 'lpm_trie',
    keySize: 24,
    valueSize: 12,
    maxEntries: 512000,
    flags: 1,
    versions: [r('1.10', '1.19')],
    note: 'datapath map v1.10 – v1.17; v1.18 – v1.19 agents only read it to restore CIDRs',
    layouts: ipcache12Values,
  },
  {
    name: 'cilium_ipcache_v2',
    aliases: ['ipcache-v2', 'ipcache_v2'],
    kind: 'ipcache',
    family: 'both',
    type: 'lpm_trie',
    keySize: 24,
    valueSize: 24,
    maxEntries: 512000,
    flags: 1,
    versions: [r('1.18', 'main')],
    note: 'flags 0x81 (adds BPF_F_RDONLY_PROG) from v1.19',
    layouts: [
      { versions: [r('1.18', '1.18')], key: ipcacheKeyIKC, value: remoteEndpointInfoREE },
      { versions: [r('1.19', 'main')], key: ipcacheKeyIKC, value: remoteEndpointInfoREF },
    ],
  },
  ...lbMaps(4),
  ...lbMaps(6),
  ...CT_NAT_METRICS_MAPS,
] as const satisfies readonly MapDefinition[];

/** Every map the package knows. */
export const MAPS: readonly MapDefinition[] = CATALOG;

/** Entries declared with literal types (a block typed `MapDefinition[]` gives no names to the types). */
type LiteralEntry<D> = D extends { readonly name: infer N } ? (string extends N ? never : D) : never;
type CatalogEntry = LiteralEntry<(typeof CATALOG)[number]>;
/** Every pinned map name of the catalogue (`cilium_ipcache`, `cilium_lxc`, `cilium_lb4_services_v2`, …). */
export type MapName = CatalogEntry['name'];
/** Every short name of the catalogue (`ipcache`, `lxc`, `lb4-services`, …). */
export type MapAlias = CatalogEntry['aliases'][number];
/** A name {@link resolveMap} knows exactly: typed records come from it. */
export type KnownMapName = MapName | MapAlias;

/** The catalogue entry a name or alias points at. */
export type MapDefinitionOf<N extends string> = CatalogEntry extends infer D
  ? D extends { readonly name: infer Name; readonly aliases: readonly (infer A)[] }
    ? N extends Name | A
      ? D
      : never
    : never
  : never;

type Last<T> = T extends readonly [...unknown[], infer L] ? L : T extends readonly (infer E)[] ? E : never;
/** The layouts a version selects: all of them for a `string`, the newest without a version. */
type LayoutsOf<D, V extends string | undefined> = D extends { readonly layouts: infer L extends readonly unknown[] }
  ? [V] extends [undefined]
    ? Last<L>
    : string extends V
      ? L[number]
      : [LayoutsForVersion<L[number], V & string>] extends [never]
        ? L[number]
        : LayoutsForVersion<L[number], V & string>
  : never;
/** One schema type for several layouts: decoding gives any of their records. */
type MergeSchemas<S> = Schema<Decoded<S>, Encodable<S>>;
// Indexed access distributes over the union of layouts (an `infer` would keep only one of them).
type KeySchemaOf<D, V extends string | undefined> = MergeSchemas<LayoutsOf<D, V>['key' & keyof LayoutsOf<D, V>]>;
type ValueSchemaOf<D, V extends string | undefined> = MergeSchemas<LayoutsOf<D, V>['value' & keyof LayoutsOf<D, V>]>;

/**
 * The {@link MapSpec} `resolveMap(name, version)` returns, typed from the catalogue: the key and
 * value schemas of the layouts `version` selects (the union of all of them for a version that is
 * not a literal; the newest when there is none).
 */
export type MapSpecOf<N extends string, V extends string | undefined = undefined> = MapSpec<
  KeySchemaOf<MapDefinitionOf<N>, V>,
  ValueSchemaOf<MapDefinitionOf<N>, V>
>;

/** The decoded key of map `N` at version `V` (`MapKey<'cilium_ipcache', '1.16'>['cidr']` is a string). */
export type MapKey<N extends KnownMapName, V extends string | undefined = undefined> = Decoded<KeySchemaOf<MapDefinitionOf<N>, V>>;
/**
 * The decoded value of map `N` at version `V`, with the fields derived from the whole entry
 * (service master entries: `affinity_timeout`, `lb_algorithm`, `l7_lb_proxy_port`).
 */
export type MapValue<N extends KnownMapName, V extends string | undefined = undefined> =
  MapDefinitionOf<N> extends { kind: 'service' }
    ? Decoded<ValueSchemaOf<MapDefinitionOf<N>, V>> & ServiceMasterDerived
    : Decoded<ValueSchemaOf<MapDefinitionOf<N>, V>>;

/** A map resolved for one Cilium version: what to decode its keys and values with. */
export interface MapSpec<K extends AnySchema = AnySchema, V extends AnySchema = AnySchema> {
  readonly def: MapDefinition;
  readonly name: string;
  /** The version asked for, or undefined for "newest layout". */
  readonly version?: CiliumVersion;
  /** Versions this exact layout covers. */
  readonly layoutVersions: readonly VersionRange[];
  readonly key: K;
  readonly value: V;
  /** Fields derived from key and value together (service master entries). */
  deriveEntry?(key: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown>;
  /** Per-CPU maps: the record's `sum` of the CPUs' values (metrics counters). */
  sumValues?(values: readonly { cpu: number; value: Record<string, unknown> }[]): Record<string, unknown>;
}

/**
 * A decoded value with the fields derived from the whole entry merged in (service master
 * entries); the value itself when the map has none. The one place that rule is applied, for the
 * decoder and the transcoder alike.
 */
export function withEntryFields(spec: MapSpec, key: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  if (spec.deriveEntry) Object.assign(value, spec.deriveEntry(key, value));
  return value;
}

/** Unknown map names, and versions in which a map did not exist. */
export class CatalogError extends VersionError {
  override name = 'CatalogError';
}

/**
 * Whether Cilium `version` uses the map (one of its version ranges holds it): the one answer to
 * "which maps does version V have", for resolveMap, the dump and list-text readers and sysdumps.
 */
export function usedBy(def: Pick<MapDefinition, 'versions'>, version: CiliumVersion): boolean {
  return def.versions.some((r) => inRange(version, r));
}

/** Finds a map by name, alias or pinned path (`/sys/fs/bpf/tc/globals/cilium_lxc`). */
export function findMap(nameOrAlias: string): MapDefinition | undefined {
  if (typeof nameOrAlias !== 'string') return undefined;
  const base = nameOrAlias.includes('/') ? nameOrAlias.slice(nameOrAlias.lastIndexOf('/') + 1) : nameOrAlias;
  const n = base.trim().toLowerCase();
  return MAPS.find((m) => m.name === n || m.aliases.includes(n));
}

/** Options of {@link resolveMap}. */
export interface ResolveOptions {
  /** Host byte order of the node the dump came from (default `le`: x86-64, arm64). */
  endian?: Endian;
}

/**
 * Resolves a map name/alias/path and an optional Cilium version to its layout.
 *
 * **Names.** The pinned name, one of its aliases, or a pinned path whose last part is one
 * (`/sys/fs/bpf/tc/globals/cilium_lxc`); case does not matter. With a literal name or alias the
 * result is typed from the map's schemas ({@link MapSpecOf}); any other string is accepted at run
 * time and gives an untyped {@link MapSpec}.
 *
 * | map | aliases | used by Cilium |
 * |---|---|---|
 * | `cilium_lxc` | `lxc`, `endpoints`, `endpoint` | v1.10 → main |
 * | `cilium_ipcache` | `ipcache`, `ipcache-v1` | v1.10 – v1.19 |
 * | `cilium_ipcache_v2` | `ipcache-v2`, `ipcache_v2` | v1.18 → main |
 * | `cilium_lb4_services_v2` | `lb4-services`, `lb4-services-v2`, `lb4_services` | v1.10 → main |
 * | `cilium_lb4_backends` | `lb4-backends-v1` | v1.10 |
 * | `cilium_lb4_backends_v2` | `lb4-backends-v2` | v1.11 – v1.12 |
 * | `cilium_lb4_backends_v3` | `lb4-backends`, `lb4-backends-v3`, `lb4_backends` | v1.13 → main |
 * | `cilium_lb4_reverse_nat` | `lb4-revnat`, `lb4-reverse-nat`, `lb4_reverse_nat` | v1.10 → main |
 * | `cilium_lb6_services_v2` | `lb6-services`, `lb6-services-v2`, `lb6_services` | v1.10 → main |
 * | `cilium_lb6_backends` | `lb6-backends-v1` | v1.10 |
 * | `cilium_lb6_backends_v2` | `lb6-backends-v2` | v1.11 – v1.12 |
 * | `cilium_lb6_backends_v3` | `lb6-backends`, `lb6-backends-v3`, `lb6_backends` | v1.13 → main |
 * | `cilium_lb6_reverse_nat` | `lb6-revnat`, `lb6-reverse-nat`, `lb6_reverse_nat` | v1.10 → main |
 * | `cilium_ct4_global` | `ct4`, `ct4-tcp` | v1.10 → main |
 * | `cilium_ct_any4_global` | `ct-any4`, `ct_any4` | v1.10 → main |
 * | `cilium_ct6_global` | `ct6`, `ct6-tcp` | v1.10 → main |
 * | `cilium_ct_any6_global` | `ct-any6`, `ct_any6` | v1.10 → main |
 * | `cilium_snat_v4_external` | `nat4`, `snat4`, `snat-v4` | v1.10 → main |
 * | `cilium_snat_v6_external` | `nat6`, `snat6`, `snat-v6` | v1.10 → main |
 * | `cilium_metrics` | `metrics` | v1.10 → main |
 *
 * **Versions.** `1.12` means the newest 1.12.x patch, `1.16.0` (or `v1.16.0`) that patch, `main`
 * (also `latest`, `newest`) the development line; a pre-release suffix (`1.17.0-rc.1`) is read as
 * its patch. Covered: v1.10 to main. Without a version: the newest layout the map has had.
 *
 * @throws {@link CatalogError} for an unknown name (with the closest known names), or a version
 *   in which the map did not exist (naming the map that version uses instead).
 * @throws {@link VersionError} for text that is not a version, or one older than v1.10.
 */
export function resolveMap<const N extends KnownMapName, const V extends string | undefined = undefined>(
  name: N,
  version?: V,
  opts?: ResolveOptions,
): MapSpecOf<N, V>;
export function resolveMap(nameOrAlias: string, version?: string, opts?: ResolveOptions): MapSpec;
export function resolveMap(nameOrAlias: string, version?: string, opts: ResolveOptions = {}): MapSpec {
  const def = findMap(nameOrAlias);
  if (!def) {
    throw new CatalogError(unknownMapMessage(nameOrAlias));
  }
  let layout = def.layouts[def.layouts.length - 1]!;
  let v: CiliumVersion | undefined;
  if (version !== undefined) {
    v = parseVersion(version);
    if (!usedBy(def, v)) {
      const other = MAPS.filter((m) => m.kind === def.kind && m.family === def.family && usedBy(m, v!)).map((m) => m.name);
      throw new CatalogError(
        `${def.name} is not used by Cilium ${v.text} (it exists in ${def.versions.map(formatRange).join(', ')})${other.length ? `; Cilium ${v.text} uses ${other.join(', ')}` : ''}`,
      );
    }
    const found = def.layouts.find((l) => l.versions.some((rg) => inRange(v!, rg)));
    if (!found) throw new CatalogError(`no layout of ${def.name} is known for Cilium ${v.text}`);
    layout = found;
  }
  const endian = opts.endian ?? 'le';
  const key = layout.key.withEndian(endian);
  const value = layout.value.withEndian(endian);
  const spec: MapSpec = { def, name: def.name, version: v, layoutVersions: layout.versions, key, value };
  if (def.kind === 'service') {
    const split = value.variant === 'SV-C';
    return { ...spec, deriveEntry: (k, val) => deriveServiceEntry(k as never, val as never, split) as Record<string, unknown> };
  }
  if (def.extend) return { ...spec, ...def.extend(spec) };
  return spec;
}

/** Maps whose key and value sizes are these (several can fit: ipcache and lb6 services are both 24/12). */
export function mapsBySize(keySize: number, valueSize: number): MapDefinition[] {
  return MAPS.filter((m) => m.keySize === keySize && m.valueSize === valueSize);
}

/** Every layout a map has had, with the versions of each (for `decode-map maps` and padding notes). */
export function layoutsOf(def: MapDefinition): { versions: string; key: string; value: string }[] {
  return def.layouts.map((l) => ({
    versions: l.versions.map(formatRange).join(', '),
    key: l.key.variant ? l.key.label : l.key.name,
    value: l.value.variant ? l.value.label : l.value.name,
  }));
}

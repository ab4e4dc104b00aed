/**
 * Which layout a BTF-formatted entry was printed from. BTF output names every C member, and the
 * layouts of one map differ in their members (`sec_label` → `sec_identity`, `node_id` vs the flag
 * bits of `remote_endpoint_info`, ...), so the names pick the variant: a BTF dump decodes without
 * `--cilium-version`, and plain BTF, `-j` and `-p` (whose `"formatted"` part carries the same
 * names) of one map pick the same layout and give the same records.
 */
import type { BtfNode } from '../bpftool/events';
import { resolveMap, type MapDefinition, type MapSpec } from '../cilium/catalog';
import type { AnySchema, Endian } from '../schema/index';
import { BTF_ALIASES, BTF_VIEWS } from './btf-bytes';

/** Every member of a BTF tree by name (first occurrence), at any depth, looking through `""`. */
export function btfNames(node: BtfNode | undefined, into: Map<string, BtfNode> = new Map()): Map<string, BtfNode> {
  if (node?.kind === 'object') {
    for (const [name, child] of node.members) {
      if (name !== '' && !into.has(name)) into.set(name, child);
      btfNames(child, into);
    }
  } else if (node?.kind === 'array') for (const it of node.items) btfNames(it, into);
  return into;
}

/**
 * Does the printed member have the shape of the field? The names of lb4 and lb6 structs are the
 * same; their address members are not: `__be32` prints as a number, `union v6addr` as an object.
 */
function shaped(kind: string, n: BtfNode): boolean {
  if (kind === 'ipv4') return n.kind === 'number';
  if (kind === 'ipv6' || kind === 'addr16') return n.kind === 'object' || n.kind === 'array';
  return true;
}

/** How well one struct layout explains the names: members it lacks, names it has no place for. */
function fit(schema: AnySchema, names: Map<string, BtfNode>, bare: boolean): { missing: number; extra: number } {
  const data = schema.layout.filter((f) => !f.padding);
  // A bare number (u16/u32 keys): the struct has exactly one field.
  if (bare) return { missing: data.length === 1 ? 0 : data.length, extra: 0 };
  const known = new Set<string>(BTF_VIEWS);
  let missing = 0;
  for (const f of data) {
    const aliases = [f.name, ...(BTF_ALIASES[f.name] ?? [])];
    aliases.forEach((a) => known.add(a));
    let present = aliases.some((a) => names.has(a) && shaped(f.kind, names.get(a)!));
    if (f.kind === 'flags') {
      const bits = Object.keys((f.type.params as { bits: Record<string, number> }).bits);
      bits.forEach((b) => known.add(b));
      present ||= bits.some((b) => names.has(b));
    }
    // The address unions: `ip` of endpoint/ipcache keys is anonymous (`ip4`/`ip6`/`addr` under `""`).
    if (f.kind === 'addr16') present ||= names.has('ip6') || names.has('addr');
    if (!present) missing++;
  }
  let extra = 0;
  for (const n of names.keys()) if (!known.has(n)) extra++;
  return { missing, extra };
}

/** A layout of a map, chosen by BTF names. */
export interface BtfChoice {
  spec: MapSpec;
  /** Other layouts (or maps) the names fit exactly as well. */
  ties: number;
}

/**
 * The layout whose members explain the BTF names of one entry best: every field present, then the
 * fewest unexplained names; among equals, the newest layout. Undefined when no layout has all its
 * fields in the tree.
 * @param maps candidate maps (one when the map was named).
 */
export function chooseByBtf(maps: readonly MapDefinition[], key: BtfNode, value: BtfNode | undefined, endian: Endian): BtfChoice | undefined {
  const keyNames = btfNames(key);
  const valueNames = btfNames(value);
  let best: { def: MapDefinition; index: number; extra: number } | undefined;
  let ties = 0;
  for (const def of maps) {
    def.layouts.forEach((l, index) => {
      const k = fit(l.key, keyNames, key.kind !== 'object');
      const v = value ? fit(l.value, valueNames, value.kind !== 'object') : { missing: 0, extra: 0 };
      if (k.missing + v.missing > 0) return;
      const extra = k.extra + v.extra;
      if (!best || extra < best.extra) {
        best = { def, index, extra };
        ties = 0;
      } else if (extra === best.extra) {
        // Layouts are oldest first: a later one of the same map with the same fit is newer.
        if (def === best.def) best = { def, index, extra };
        else ties++;
      }
    });
  }
  if (!best) return undefined;
  const { def, index } = best;
  const layout = def.layouts[index]!;
  // Resolving by the first version of the layout's range gives exactly that layout.
  const version = index === def.layouts.length - 1 ? undefined : layout.versions[0]!.from;
  return { spec: resolveMap(def.name, version, { endian }), ties };
}

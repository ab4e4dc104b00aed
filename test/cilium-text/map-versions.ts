/** The (map, version) pairs a round-trip test covers: every catalogue map of the kinds, at each version it exists in. */
import { MAPS, resolveMap, type MapDefinition, type MapKind, type MapSpec } from '../../src/index';

export function mapVersions(kinds: readonly MapKind[], versions: readonly string[]): { def: MapDefinition; v: string; spec: MapSpec }[] {
  const out: { def: MapDefinition; v: string; spec: MapSpec }[] = [];
  for (const def of MAPS.filter((m) => kinds.includes(m.kind))) {
    for (const v of versions) {
      try {
        out.push({ def, v, spec: resolveMap(def.name, v) });
      } catch {
        // the map does not exist in that version
      }
    }
  }
  return out;
}

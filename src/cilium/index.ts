/** Cilium's structs, names, versions and the map catalogue. */
export * from './endpoint-key';
export * from './endpoint-info';
export * from './ipcache-key';
export * from './remote-endpoint-info';
export * from './lb-service';
export * from './lb-backend';
export * from './lb-reverse-nat';
export * from './names';
export * from './ct-tuple';
export * from './ct-tuple-text';
export * from './ct-entry';
export * from './ct-time';
export * from './nat-entry';
export * from './metrics';
export * from './metrics-names';
export { parseVersion, knownVersionsText, compareVersions, formatRange, inRange, VersionError, NEWEST_MINOR, OLDEST_MINOR, type CiliumVersion, type VersionRange } from './versions';
export {
  MAPS,
  findMap,
  resolveMap,
  mapsBySize,
  layoutsOf,
  CatalogError,
  type MapDefinition,
  type MapLayout,
  type MapSpec,
  type MapKind,
  type ResolveOptions,
  type MapName,
  type MapAlias,
  type KnownMapName,
  type MapDefinitionOf,
  type MapSpecOf,
  type MapKey,
  type MapValue,
} from './catalog';
export { nearestWord, suggestMap, unknownMapMessage } from './suggest';

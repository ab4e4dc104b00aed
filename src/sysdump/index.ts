/** Reading `cilium sysdump` archives and bugtool output offline. */
export { readSysdump, mapFailed, type SysdumpOptions, type SysdumpEvent, type MapReport, type NodeReport } from './decode';
export { openSysdump, SysdumpError } from './open';
export type { Sysdump, BugtoolSource, BugtoolFile } from './source';
export { BugtoolUnwrap } from './unwrap';
export { bugtoolFileName, dumpFileMap, nodeNameOf } from './names';
export {
  decideVersion,
  daemonSetEvidence,
  statusEvidence,
  binaryEvidence,
  mapSizeEvidence,
  parseMapShow,
  type VersionDecision,
  type VersionEvidence,
  type VersionSource,
  type ShownMap,
} from './version';

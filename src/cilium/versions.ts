/**
 * Cilium release numbers. `1.12` means the newest 1.12.x patch; `1.16.0` that exact patch; `main`
 * (or nothing) the newest layout. A pre-release (`1.16.0-rc1`, `1.16.0-pre.3`) is read as the
 * release it leads to (`1.16.0`): release candidates are tagged on the release branch, whose
 * layouts that release ships; an early `-pre.N` tag cut from main may predate a layout change made
 * later in that cycle, so give the neighbouring release explicitly if its dump does not decode. Layout boundaries (docs/layouts.md) come from the patch tags
 * v1.10.0 … v1.16.0 read one by one; v1.17 and later read at branch points only).
 */
import { CodecError } from '../schema/errors';

/** A parsed version; `patch` is Infinity when only `major.minor` was given. */
export interface CiliumVersion {
  major: number;
  minor: number;
  patch: number;
  /** As the user wrote it, normalised (`1.16.0`, `1.12`, `main`); a pre-release as its release. */
  text: string;
  /** The pre-release suffix as written (`rc1`, `pre.3`), when there was one. */
  prerelease?: string;
}

/** The development line the newest layouts were read from (main, 2026-07-15, VERSION 1.21.0-dev). */
export const NEWEST_MINOR = 21;
/** The oldest release covered. */
export const OLDEST_MINOR = 10;

/** Raised for a version string that is not one, or a map that did not exist in that version. */
export class VersionError extends CodecError {
  override name = 'VersionError';
}

/** The releases whose layouts are known, as `--cilium-version` accepts them: `1.10, …, 1.21 (main)`. */
export function knownVersionsText(): string {
  const out: string[] = [];
  for (let m = OLDEST_MINOR; m <= NEWEST_MINOR; m++) out.push(`1.${m}`);
  return `${out.join(', ')} (main)`;
}

/**
 * Parses `1.12`, `v1.16.0`, `1.19.3`, `1.16.0-rc1` (read as `1.16.0`), `main`.
 *
 * @throws {@link VersionError} for text that is no version, or a release outside 1.10 … 1.21
 *   (the message lists the known ones).
 */
export function parseVersion(text: string): CiliumVersion {
  if (typeof text !== 'string') throw new VersionError(`a Cilium version is text like 1.16 or main, got ${text === null ? 'null' : typeof text}`);
  const t = text.trim().toLowerCase();
  if (t === 'main' || t === 'latest' || t === 'newest') return { major: 1, minor: NEWEST_MINOR, patch: Infinity, text: 'main' };
  const m = /^v?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?(?:-([0-9a-z.]+))?$/.exec(t);
  if (!m) throw new VersionError(`${JSON.stringify(text)} is not a Cilium version; use X.Y or X.Y.Z (e.g. 1.12, 1.16.0, 1.19), a pre-release like 1.16.0-rc1, or main`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? Infinity : Number(m[3]);
  if (major !== 1 || minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
    throw new VersionError(`Cilium ${text.trim()} is not a known release; layouts are known for ${knownVersionsText()}`);
  }
  const v: CiliumVersion = { major, minor, patch, text: m[3] === undefined ? `${major}.${minor}` : `${major}.${minor}.${patch}` };
  if (m[4] !== undefined) v.prerelease = m[4];
  return v;
}

/** `a < b` → negative. */
export function compareVersions(a: Pick<CiliumVersion, 'minor' | 'patch'>, b: Pick<CiliumVersion, 'minor' | 'patch'>): number {
  return a.minor !== b.minor ? a.minor - b.minor : a.patch === b.patch ? 0 : a.patch < b.patch ? -1 : 1;
}

/** `v >= 1.minor.patch`, without an argument object (the text formats ask this per printed entry). */
export function atLeast(v: Pick<CiliumVersion, 'minor' | 'patch'>, minor: number, patch = 0): boolean {
  return v.minor !== minor ? v.minor > minor : v.patch >= patch;
}

/** An inclusive range `from`..`to`, written `1.12.8`, `1.12` (all of 1.12), or `main`. */
export interface VersionRange {
  from: string;
  to: string;
}

function bound(text: string, end: 'from' | 'to'): { minor: number; patch: number } {
  if (text === 'main') return { minor: Infinity, patch: Infinity };
  const m = /^1\.(\d+)(?:\.(\d+))?$/.exec(text)!;
  const patch = m[2] !== undefined ? Number(m[2]) : end === 'from' ? 0 : Infinity;
  return { minor: Number(m[1]), patch };
}

/** Whether `v` falls in `r`. */
export function inRange(v: CiliumVersion, r: VersionRange): boolean {
  return compareVersions(v, bound(r.from, 'from')) >= 0 && compareVersions(v, bound(r.to, 'to')) <= 0;
}

/** `v1.12.8 – v1.12.11`, `v1.16.0 → main`. */
export function formatRange(r: VersionRange): string {
  if (r.to === 'main') return `v${r.from} → main`;
  if (r.from === r.to) return `v${r.from}`;
  // `1.11.20`..`1.11` means every patch from .20 on.
  const to = /^1\.\d+$/.test(r.to) && /^1\.\d+\.\d+$/.test(r.from) ? `${r.to}.x` : r.to;
  return `v${r.from} – v${to}`;
}

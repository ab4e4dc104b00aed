/**
 * Which Cilium release an agent ran, from what a sysdump holds, in order of trust:
 * the DaemonSet's image tag, the `Cilium:` line of
 * `cilium[-dbg] status --verbose`, the CLI binary's name (`cilium` ≤ v1.14, `cilium-dbg` ≥ v1.15),
 * and which maps exist with which key/value sizes in `bpftool map show`.
 */
import { MAPS } from '../cilium/catalog';
import { NEWEST_MINOR, OLDEST_MINOR, parseVersion } from '../cilium/versions';

/** Where a version (or a range of minors) came from. */
export type VersionSource = 'override' | 'daemonset' | 'status' | 'binary' | 'map-sizes';

/** One piece of evidence. */
export interface VersionEvidence {
  source: VersionSource;
  /** What was seen (`image quay.io/cilium/cilium:v1.16.3`, `Cilium: Ok 1.16.3 (…)`). */
  seen: string;
  /** An exact release (`1.16.3`), when the evidence names one. */
  version?: string;
  /** Otherwise the minors it allows, inclusive (`NEWEST_MINOR` = main). */
  minors?: [number, number];
}

/** The version an agent's maps are decoded with, and why. */
export interface VersionDecision {
  /** `1.16.3`, `1.17` (newest patch of a guessed minor), or undefined: newest layouts. */
  version?: string;
  /** Which source decided. */
  source?: VersionSource;
  /** One line saying why (and what disagreed). */
  reason: string;
  evidence: VersionEvidence[];
}

/**
 * The agent's image tag in `cilium-daemonset-<ts>.yaml`: the first `image:` whose repository's
 * last component is `cilium` (or `cilium-ci`/`cilium-dev`, …) with a version tag.
 */
export function daemonSetEvidence(yaml: string): VersionEvidence | undefined {
  for (const m of yaml.matchAll(/^\s*-?\s*image:\s*["']?([^\s"']+)/gm)) {
    const image = m[1]!;
    const noDigest = image.split('@')[0]!;
    const colon = noDigest.lastIndexOf(':');
    if (colon < 0 || colon < noDigest.lastIndexOf('/')) continue;
    const repo = noDigest.slice(0, colon);
    const last = repo.slice(repo.lastIndexOf('/') + 1);
    if (!/^cilium(-ci|-dev)?$/.test(last)) continue;
    const v = exact(noDigest.slice(colon + 1));
    if (v) return { source: 'daemonset', seen: `image ${image}`, version: v };
  }
  return undefined;
}

/** The `Cilium:   Ok   1.16.3 (v1.16.3-…)` line of `status --verbose`. */
export function statusEvidence(text: string): VersionEvidence | undefined {
  const m = /^Cilium:\s+(?:[A-Za-z]+\s+)?v?(\d+\.\d+\.\d+\S*)/m.exec(text);
  if (!m) return undefined;
  const v = exact(m[1]!);
  return v ? { source: 'status', seen: m[0].replace(/\s+/g, ' ').trim(), version: v } : undefined;
}

/** `cilium-dbg-*` files: v1.15+; `cilium-bpf-*`, `cilium-status-*`, `cilium-map-*`: v1.10 – v1.14. */
export function binaryEvidence(files: readonly string[]): VersionEvidence | undefined {
  const base = files.map((f) => f.slice(f.lastIndexOf('/') + 1));
  const dbg = base.find((f) => f.startsWith('cilium-dbg-'));
  if (dbg) return { source: 'binary', seen: `cilium-dbg (${dbg})`, minors: [15, NEWEST_MINOR] };
  const old = base.find((f) => /^cilium-(bpf|status|map|endpoint|identity|service|config)-/.test(f));
  if (old) return { source: 'binary', seen: `cilium, not cilium-dbg (${old})`, minors: [OLDEST_MINOR, 14] };
  return undefined;
}

/** One map of `bpftool map show`: the kernel's 15-character name and the sizes. */
export interface ShownMap {
  name: string;
  keySize: number;
  valueSize: number;
}

/** Parses `bpftool map show` text (plain form; markdown fences and other lines are skipped). */
export function parseMapShow(text: string): ShownMap[] {
  const out: ShownMap[] = [];
  const re = /^\d+:\s+\S+\s+name\s+(\S+).*\n\s+key\s+(\d+)B\s+value\s+(\d+)B/gm;
  for (const m of text.matchAll(re)) out.push({ name: m[1]!, keySize: Number(m[2]), valueSize: Number(m[3]) });
  return out;
}

/**
 * What the maps on the node allow. A map exists only from the release that introduced it, so
 * each known map present gives a lower bound (the kernel truncates names to 15 characters; the
 * sizes pick among maps sharing a prefix). Per-endpoint policy maps, recreated by the running
 * agent, bound it both ways: key 8 B → ≤ v1.13, 12 B → ≥ v1.14; value 24 B → ≤ v1.17, 8 B → v1.18,
 * 12 B → ≥ v1.19 (docs/layouts.md).
 */
export function mapSizeEvidence(shown: readonly ShownMap[]): VersionEvidence | undefined {
  let lo = OLDEST_MINOR;
  let hi = NEWEST_MINOR;
  const why: string[] = [];
  for (const s of shown) {
    const defs = MAPS.filter((m) => m.name.slice(0, 15) === s.name && m.keySize === s.keySize && m.valueSize === s.valueSize);
    if (defs.length === 0) continue;
    const from = Math.min(...defs.map((d) => Math.min(...d.versions.map((r) => minorOf(r.from)))));
    if (from > lo) {
      lo = from;
      why.push(`${defs.map((d) => d.name).join('/')} ${s.keySize}/${s.valueSize} B`);
    }
  }
  const policy = shown.find((s) => s.name.startsWith('cilium_policy'));
  if (policy) {
    const [kLo, kHi] = policy.keySize === 8 ? [OLDEST_MINOR, 13] : policy.keySize === 12 ? [14, NEWEST_MINOR] : [lo, hi];
    const [vLo, vHi] = policy.valueSize === 24 ? [OLDEST_MINOR, 17] : policy.valueSize === 8 ? [18, 18] : policy.valueSize === 12 ? [19, NEWEST_MINOR] : [lo, hi];
    const nlo = Math.max(lo, kLo, vLo);
    const nhi = Math.min(hi, kHi, vHi);
    if (nlo <= nhi && (nlo !== lo || nhi !== hi)) {
      lo = nlo;
      hi = nhi;
      why.push(`${policy.name} ${policy.keySize}/${policy.valueSize} B`);
    }
  }
  if (why.length === 0) return undefined;
  return { source: 'map-sizes', seen: why.join(', '), minors: [lo, hi] };
}

function minorOf(text: string): number {
  if (text === 'main') return NEWEST_MINOR;
  return Number(/^1\.(\d+)/.exec(text)![1]);
}

/** A version tag → `1.16.3` (pre-release suffixes kept off: layouts follow the release). */
function exact(tag: string): string | undefined {
  const m = /^v?(\d+\.\d+\.\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(tag);
  if (!m) return undefined;
  try {
    return parseVersion(m[1]!).text;
  } catch {
    return undefined;
  }
}

const ORDER: VersionSource[] = ['override', 'daemonset', 'status', 'binary', 'map-sizes'];

function minorOfVersion(v: string): number {
  return parseVersion(v).minor;
}

function describe(e: VersionEvidence): string {
  if (e.version) return `${e.source} ${e.seen}`;
  const [lo, hi] = e.minors!;
  return `${e.source} ${e.seen} → ${lo === hi ? `v1.${lo}` : `v1.${lo} – ${hi === NEWEST_MINOR ? 'main' : `v1.${hi}`}`}`;
}

/**
 * Decides: the most trusted exact version; otherwise the newest minor all ranges allow (its
 * newest patch). Evidence that disagrees with the decision is named in the reason.
 */
export function decideVersion(evidence: readonly VersionEvidence[]): VersionDecision {
  const ev = [...evidence].sort((a, b) => ORDER.indexOf(a.source) - ORDER.indexOf(b.source));
  const exactOne = ev.find((e) => e.version !== undefined);
  const disagree = (minor: number, skip: VersionEvidence): string[] =>
    ev
      .filter((e) => e !== skip)
      .filter((e) => (e.version ? minorOfVersion(e.version) !== minor : minor < e.minors![0] || minor > e.minors![1]))
      .map((e) => `${describe(e)} disagrees`);
  if (exactOne) {
    const others = disagree(minorOfVersion(exactOne.version!), exactOne);
    return {
      version: exactOne.version,
      source: exactOne.source,
      reason: [`${exactOne.version} from ${describe(exactOne)}`, ...others].join('; '),
      evidence: [...ev],
    };
  }
  let lo = OLDEST_MINOR;
  let hi = NEWEST_MINOR;
  const used: VersionEvidence[] = [];
  let decisive: VersionEvidence | undefined; // the last source that narrowed the range
  for (const e of ev) {
    const [a, b] = e.minors!;
    if (Math.max(lo, a) > Math.min(hi, b)) continue; // contradicts a more trusted source
    if (a > lo || b < hi) decisive = e;
    lo = Math.max(lo, a);
    hi = Math.min(hi, b);
    used.push(e);
  }
  if (used.length === 0) return { reason: 'unknown (no version evidence): newest layouts', evidence: [...ev] };
  const version = hi === NEWEST_MINOR ? 'main' : `1.${hi}`;
  const range = lo === hi ? `v1.${lo}` : `v1.${lo} – ${hi === NEWEST_MINOR ? 'main' : `v1.${hi}`}`;
  const ignored = ev.filter((e) => !used.includes(e)).map((e) => `${describe(e)} ignored (contradicts)`);
  return {
    version,
    source: (decisive ?? used[0]!).source,
    reason: [`guessed ${range} from ${used.map(describe).join(', ')}: decoded as ${version === 'main' ? 'main' : `v${version}`}`, ...ignored].join('; '),
    evidence: [...ev],
  };
}

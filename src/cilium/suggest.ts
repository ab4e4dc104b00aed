/**
 * "Did you mean …?" for a mistyped map name: the one wording every verb of the CLI and
 * {@link resolveMap} use for an unknown map.
 */
import { MAPS, type MapDefinition } from './catalog';

/** Levenshtein distance (insertions, deletions, substitutions, and adjacent swaps count 1). */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate fewest edits away from `word` (case-insensitive), with that number of edits. */
export function nearestWord(word: string, candidates: Iterable<string>): { word: string; distance: number } | undefined {
  const w = word.toLowerCase();
  let best: { word: string; distance: number } | undefined;
  for (const c of candidates) {
    const dd = distance(w, c.toLowerCase());
    if (!best || dd < best.distance) best = { word: c, distance: dd };
  }
  return best;
}

/**
 * The known map closest to a mistyped name (its full name, alias, or name without `cilium_`),
 * or undefined when nothing is close: at most 2 edits, 3 for names of 10+ characters.
 */
export function suggestMap(name: string): MapDefinition | undefined {
  if (typeof name !== 'string') return undefined;
  const base = (name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name).trim().toLowerCase();
  if (base === '') return undefined;
  const owner = new Map<string, MapDefinition>();
  for (const m of MAPS) for (const n of [m.name, m.name.replace(/^cilium_/, ''), ...m.aliases]) if (!owner.has(n)) owner.set(n, m);
  const near = nearestWord(base, owner.keys());
  return near && near.distance <= (base.length >= 10 ? 3 : 2) ? owner.get(near.word) : undefined;
}

/**
 * `unknown map "cilium_ipcahe"; did you mean cilium_ipcache?` or, when nothing is close, the
 * list of known maps: the message of {@link resolveMap} and of every CLI verb.
 */
export function unknownMapMessage(name: string): string {
  const near = suggestMap(name);
  if (near) return `unknown map ${JSON.stringify(name)}; did you mean ${near.name}?`;
  return `unknown map ${JSON.stringify(name)}; known maps: ${MAPS.map((m) => m.name).join(', ')} (aliases: ${MAPS.flatMap((m) => m.aliases.slice(0, 1)).join(', ')})`;
}

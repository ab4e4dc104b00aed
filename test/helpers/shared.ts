/**
 * Where the read-only reference material lives: `../shared` beside the checkout (as in CI), or
 * wherever CILIUM_MAP_CODEC_SHARED points. Tests read fixtures from here; the package never does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = process.env.CILIUM_MAP_CODEC_SHARED ?? resolve(repoRoot, '../shared');
export const hasShared = existsSync(join(sharedDir, 'fixtures'));
// Fixture tests skip without ../shared on a developer's machine, but CI always has it: a CI run
// that silently skipped the ground-truth tests would look green while proving nothing.
if (!hasShared && process.env.CI) {
  throw new Error(`CI is set but the shared fixtures are missing at ${sharedDir} (set CILIUM_MAP_CODEC_SHARED)`);
}

export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/** A fixture file as text, gunzipped when it ends in `.gz`. */
export function readShared(...parts: string[]): string {
  const p = sharedPath(...parts);
  const raw = readFileSync(p);
  return (p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** One ground-truth line of `fixtures/generated/*.truth.jsonl.gz`. */
export interface TruthLine {
  map: string;
  key_hex: string;
  value_hex: string;
  key: Record<string, unknown>;
  value: Record<string, unknown>;
  kind?: string;
}

export function readTruth(map: string): TruthLine[] {
  return readShared('fixtures', 'generated', `${map}.truth.jsonl.gz`)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TruthLine);
}

export const generatedMaps = [
  'cilium_ipcache',
  'cilium_lxc',
  'cilium_lb4_services_v2',
  'cilium_lb4_backends_v2',
  'cilium_lb4_backends_v3',
  'cilium_lb4_reverse_nat',
] as const;

/**
 * Where the tests' fixtures live: `test/fixtures/` in this repository, written by
 * `scripts/capture-fixtures.sh` from real bpftool on a real kernel (see test/fixtures/README.md).
 * Nothing here reads outside the repository, so a fresh clone passes `npm test` on its own.
 *
 * The names (`sharedDir`, `readShared`, …) are kept from when the fixtures lived in a
 * sibling reference folder outside the repository; paths are still given as `('fixtures', 'generated', file)`.
 * Large captures are stored gzipped (`X.gz`); asking for `X` finds `X.gz` transparently.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The folder that holds `fixtures/` (the repository's `test/`). */
export const sharedDir = join(repoRoot, 'test');
/** Always true: the fixtures are part of the repository (kept for the tests' `skipIf`). */
export const hasShared = existsSync(join(sharedDir, 'fixtures'));

/** Gunzipped copies of `X.gz` fixtures, for tests that hand a file path to the CLI. */
const unzippedDir = join(repoRoot, 'node_modules', '.cache', 'fixtures');

/**
 * The path of a fixture file. When only `X.gz` is stored, a gunzipped copy is written under
 * node_modules/.cache/fixtures (refreshed when the .gz is newer) and its path returned.
 */
export function sharedPath(...parts: string[]): string {
  const p = join(sharedDir, ...parts);
  if (existsSync(p) || !existsSync(`${p}.gz`)) return p;
  const out = join(unzippedDir, relative(sharedDir, p));
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(`${p}.gz`).mtimeMs) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(`${out}.${process.pid}`, gunzipSync(readFileSync(`${p}.gz`)));
    // Rename is atomic: parallel test workers never see a half-written copy.
    renameSync(`${out}.${process.pid}`, out);
  }
  return out;
}

/** A fixture file as text, gunzipped when it ends in `.gz` (or when only `X.gz` is stored). */
export function readShared(...parts: string[]): string {
  let p = join(sharedDir, ...parts);
  if (!existsSync(p) && existsSync(`${p}.gz`)) p += '.gz';
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

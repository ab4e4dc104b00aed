/**
 * The built CLI (`dist/cli.js`) for tests that spawn it. `npm test` builds first (pretest); a
 * direct `npx vitest run` rebuilds here when dist is missing or older than src/, one build at a
 * time (a lock directory), because tsup cleans dist/ before writing it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/shared';

export const cliPath = join(repoRoot, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

function fresh(): boolean {
  return existsSync(cliPath) && existsSync(join(repoRoot, 'dist', 'index.js')) && statSync(cliPath).mtimeMs >= newestMtime(join(repoRoot, 'src'));
}

/** Builds dist/ with tsup unless it is already newer than every file under src/. */
export function ensureCliBuilt(): void {
  if (fresh()) return;
  const lock = join(repoRoot, 'node_modules', '.cache', 'cilium-map-codec-build.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker is building; a lock older than two minutes is left over from a crash.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync('npx', ['tsup'], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npx tsup failed (rc ${r.status}):\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `node dist/cli.js ARGS...`. */
export function runCli(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8' });
}

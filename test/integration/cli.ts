/**
 * The built CLI (`dist/cli.js`) for tests that spawn it. `npm test` builds first (pretest); a
 * direct `npx vitest run` rebuilds here when dist is missing or older than src/.
 *
 * tsup cleans dist/ before writing it, so a rebuild while another test file is spawning the CLI
 * would pull the file from under it. Hence: at most one check (and build) per vitest run, taken
 * under a lock by the first test file that asks, before any of them spawns; the rest of the run
 * uses that build even if src/ changes meanwhile.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { repoRoot } from '../helpers/shared';

export const cliPath = join(repoRoot, 'dist', 'cli.js');

const cacheDir = join(repoRoot, 'node_modules', '.cache');
const lockDir = join(cacheDir, 'cilium-map-codec-build.lock');
const runFile = join(cacheDir, 'cilium-map-codec-build.run');

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

/**
 * Identifies this vitest run: the main vitest process (the parent of a forked worker, or this
 * process for thread workers) and its start time, so a reused pid is a different run.
 */
function runId(): string {
  const pid = isMainThread ? process.ppid : process.pid;
  let start = '';
  try {
    // Field 22 of /proc/<pid>/stat is the start time; the command name (field 2) may hold blanks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    /* not Linux: the pid alone */
  }
  return `${pid}:${start}`;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ with tsup unless it is newer than every file under src/; once per vitest run. */
export function ensureCliBuilt(): void {
  mkdirSync(cacheDir, { recursive: true });
  const id = runId();
  const deadline = Date.now() + 150_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // Another worker is checking or building; a lock older than three minutes was left by a crash.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 180_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      sleep(200);
    }
  }
  try {
    const done = existsSync(runFile) ? readFileSync(runFile, 'utf8') : '';
    if (done === id && existsSync(cliPath)) return;
    if (!fresh()) {
      const r = spawnSync('npx', ['tsup'], { cwd: repoRoot, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`npx tsup failed (rc ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    writeFileSync(runFile, id);
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Runs `node dist/cli.js ARGS...`. */
export function runCli(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8' });
}

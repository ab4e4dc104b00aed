/**
 * The real kernel and the real bpftool for the integration tests: can they run here, the BPF
 * filesystem, a scratch directory that is always removed, bpftool calls, map creation, batches.
 *
 * Scratch maps live under `/sys/fs/bpf/cilium-map-codec-test-<pid>-<random>/`, never under
 * `tc/globals` where a real Cilium pins its maps (cilium-layouts.md §1 "Pin path").
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { DumpEvent, RawEntry } from '../../src/bpftool/events';
import type { MapDefinition } from '../../src/cilium/catalog';
import { mulberry32 } from '../../scripts/prng.mjs';

export const BPFFS = '/sys/fs/bpf';

/** Whether the kernel tests can run here, and why not. */
export function kernelTestsRunnable(): { runnable: boolean; reason: string } {
  const reasons: string[] = [];
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) reasons.push('not running as root');
  const v = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) reasons.push(`bpftool not usable (${v.error?.message ?? `rc ${v.status}: ${v.stderr.trim()}`})`);
  return { runnable: reasons.length === 0, reason: reasons.join('; ') };
}

function bpffsMounted(): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((l) => {
      const f = l.split(' ');
      return f[1] === BPFFS && f[2] === 'bpf';
    });
}

/** Mounts the BPF filesystem at /sys/fs/bpf unless it already is (`mount -t bpf bpf /sys/fs/bpf`). */
export function ensureBpffs(): void {
  if (bpffsMounted()) return;
  mkdirSync(BPFFS, { recursive: true });
  const r = spawnSync('mount', ['-t', 'bpf', 'bpf', BPFFS], { encoding: 'utf8' });
  if (r.status !== 0 || !bpffsMounted()) throw new Error(`cannot mount bpffs at ${BPFFS}: rc ${r.status} ${r.stderr}`);
}

/**
 * A scratch directory on bpffs, plus an ordinary temporary directory for batch files (bpffs holds
 * only pins and directories); `remove()` unpins (and so frees) every map and deletes both.
 */
export class Scratch {
  readonly dir: string;
  /** Ordinary files (batch files) go here. */
  readonly files: string;
  private removed = false;
  private readonly onExit = () => this.remove();

  constructor() {
    this.dir = join(BPFFS, `cilium-map-codec-test-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.dir);
    this.files = mkdtempSync(join(tmpdir(), 'cilium-map-codec-test-'));
    // afterAll removes it; this covers a worker that dies before afterAll runs.
    process.once('exit', this.onExit);
  }

  /** A path under the bpffs scratch directory. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** A path for an ordinary file. */
  file(name: string): string {
    return join(this.files, name);
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    process.removeListener('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.files, { recursive: true, force: true });
  }

  get exists(): boolean {
    return existsSync(this.dir) || existsSync(this.files);
  }
}

/** Runs bpftool with arguments (no shell). */
export function bpftool(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync('bpftool', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

/** Runs a command line through `sh -c`, as a user pasting it would. */
export function sh(command: string): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Creates and pins a map the way Cilium defines it: type, key/value size, max_entries and flags
 * of the catalogue (cilium-layouts.md §2). The kernel keeps the first 15 characters of the name.
 */
export function createMap(path: string, def: MapDefinition, maxEntries = def.maxEntries): void {
  const r = bpftool([
    'map', 'create', path,
    'type', def.type,
    'key', String(def.keySize),
    'value', String(def.valueSize),
    'entries', String(maxEntries),
    'name', def.name,
    'flags', String(def.flags),
  ]);
  if (r.status !== 0) throw new Error(`bpftool map create ${path} failed (rc ${r.status}): ${r.stderr}`);
}

/** `bpftool -j map show pinned PATH`, parsed. */
export function mapShow(path: string): { type: string; name: string; flags: number; bytes_key: number; bytes_value: number; max_entries: number } {
  const r = bpftool(['-j', 'map', 'show', 'pinned', path]);
  if (r.status !== 0) throw new Error(`bpftool map show ${path} failed: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Writes the lines to a file and runs `bpftool batch file F`. bpftool stops at the first failing
 * line and then prints no `processed N commands` (bpftool-formats.md §3.5), so anything but
 * exactly `processed <lines> commands` is an error.
 */
export function runBatch(file: string, lines: readonly string[], extraArgs: readonly string[] = []): string {
  writeFileSync(file, lines.join('\n') + '\n');
  const r = bpftool([...extraArgs, 'batch', 'file', file]);
  const want = `processed ${lines.length} commands`;
  if (r.status !== 0 || !r.stdout.trimEnd().endsWith(want)) {
    throw new Error(`bpftool batch file ${file}: rc ${r.status}, expected "${want}"\nstderr: ${r.stderr}\nstdout tail: ${r.stdout.slice(-500)}`);
  }
  return r.stdout;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be repeated. */
export function prng(seed: number): { next(): number; int(maxInclusive: number): number; pick<T>(xs: readonly T[]): T; bool(p?: number): boolean; bytes(n: number): Uint8Array } {
  const next = mulberry32(seed);
  const int = (max: number) => Math.floor(next() * (max + 1));
  return {
    next,
    int,
    pick: (xs) => xs[int(xs.length - 1)]!,
    bool: (p = 0.5) => next() < p,
    bytes: (n) => Uint8Array.from({ length: n }, () => int(255)),
  };
}

/**
 * Registers the suite's scratch directory: created before the tests (failing the suite when CI is
 * set but the kernel tests cannot run), removed after them. Returns a getter for it.
 */
export function useScratch(env: { runnable: boolean; reason: string }): () => Scratch {
  let scratch: Scratch | undefined;
  beforeAll(() => {
    if (!env.runnable) throw new Error(`CI is set but the kernel tests cannot run here: ${env.reason}`);
    ensureBpffs();
    scratch = new Scratch();
  });
  afterAll(() => {
    scratch?.remove();
    if (scratch) expect(scratch.exists).toBe(false);
  });
  return () => scratch!;
}

/** The entries of a parsed dump, asserting it holds nothing but entries and the trailer. */
export function entriesOf(events: DumpEvent[], what: string): RawEntry[] {
  const bad = events.filter((e) => e.kind !== 'entry' && e.kind !== 'trailer');
  expect(bad, `${what}: unexpected events`).toEqual([]);
  return events.filter((e): e is Extract<DumpEvent, { kind: 'entry' }> => e.kind === 'entry').map((e) => e.entry);
}

/** Possible CPUs (`/sys/devices/system/cpu/possible`, e.g. `0-1`): how many values a per-CPU map entry has. */
export function possibleCpus(): number {
  let n = 0;
  for (const part of readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    n += b === undefined ? 1 : b - a! + 1;
  }
  return n;
}

/**
 * The worker threads of transcodeDump, through the built package (the worker script exists only
 * there): the same text, summary and errors as the one-thread pipeline, for generated dumps with
 * every kind of irregular entry, in batches small enough that each dump spans many workers'
 * batches; and the CLI's `-j` changes nothing in what it prints.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from '../integration/cli';
import { repoRoot } from '../helpers/shared';
import { plainDump } from '../helpers/bpftool-text';
import { caseArb, dumpOf, viaPipeline, viaTranscoder, type Mod } from '../helpers/transcode-cases';
import { makeValid } from '../helpers/valid-bytes';
import { resolveMap } from '../../src/index';

let dist: Mod & { workersAvailable(): boolean };
const dir = mkdtempSync(join(tmpdir(), 'decode-map-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  ensureCliBuilt();
  dist = (await import(join(repoRoot, 'dist/index.js'))) as typeof dist;
}, 180_000);

describe('transcodeDump with worker threads (built package)', () => {
  it('the worker script is found beside the library', () => {
    expect(dist.workersAvailable()).toBe(true);
  });

  it('the workers really write batches (not the main thread behind them): 2,000 entries in batches of 100, two workers, the same text as none', async () => {
    const spec = resolveMap('cilium_ipcache');
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 2000; i++) {
      const key = new Uint8Array(24);
      key.set([64, 0, 0, 0, 0, 0, 0, 1, 10, 1, (i >> 8) & 255, i & 255]);
      entries.push([key, makeValid(spec.value, new Uint8Array(12).fill(i & 0x7f), i)]);
    }
    const bytes = new TextEncoder().encode(plainDump(entries));
    const T = (dist as unknown as { DumpTranscoder: new (o: object) => { push(c: Uint8Array): AsyncIterable<Uint8Array>; end(): AsyncIterable<Uint8Array>; close(): void; workerBatches: number } }).DumpTranscoder;
    const run = async (jobs: number) => {
      const t = new T({ map: 'cilium_ipcache', output: 'ndjson', jobs, batchEntries: 100, inputBytes: 64 << 20 });
      const parts: Buffer[] = [];
      for await (const c of t.push(bytes)) parts.push(Buffer.from(c));
      for await (const c of t.end()) parts.push(Buffer.from(c));
      t.close();
      return { text: Buffer.concat(parts).toString('utf8'), byWorkers: t.workerBatches };
    };
    const none = await run(0);
    const two = await run(2);
    expect(none.byWorkers).toBe(0);
    expect(two.byWorkers).toBeGreaterThan(10);
    expect(two.text).toBe(none.text);
    expect(none.text.split('\n')).toHaveLength(2001);
  }, 60_000);

  it('random dumps with padding, check failures, repeats, changed values, wrong sizes and noise: same text, summary and errors as one thread', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.integer({ min: 1, max: 3 }), async (c, jobs) => {
        const d = dumpOf(c);
        if (!d) return;
        const bytes = new TextEncoder().encode(d.text);
        // One entry per batch at most 9: every batch of a dump goes through the workers.
        const opts = { map: c.map, version: d.version, output: c.output, batchEntries: c.batchEntries, jobs, inputBytes: 64 << 20 };
        const want = viaPipeline(dist, bytes, c.chunk, opts);
        const got = await viaTranscoder(dist, bytes, c.chunk, opts);
        expect(got.text).toBe(want.text);
        expect(got.error).toBe(want.error);
        expect(got.summary).toEqual(want.summary);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('a read error after a big dump: everything decoded before it is printed and -o json is closed, with or without workers', () => {
    // Reading /proc/self/mem at offset 0 fails with EIO on Linux: an input that breaks mid-run.
    const spec = resolveMap('cilium_ipcache');
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 20_000; i++) {
      const key = new Uint8Array(24);
      key.set([64, 0, 0, 0, 0, 0, 0, 1, 10, (i >> 16) & 255, (i >> 8) & 255, i & 255]);
      entries.push([key, makeValid(spec.value, new Uint8Array(12).fill(i & 0x7f), i)]);
    }
    const file = join(dir, 'ipcache.txt');
    writeFileSync(file, plainDump(entries));
    for (const j of ['0', '2']) {
      const r = spawnSync(process.execPath, [cliPath, '-m', 'ipcache', file, '/proc/self/mem', '-o', 'json', '-j', j], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/cannot read \/proc\/self\/mem/);
      expect((JSON.parse(r.stdout) as unknown[]).length, `-j ${j}`).toBe(20_000);
    }
  }, 120_000);

  it('decode-map -j 0, -j 1 and -j 3 print the same bytes, messages and exit code for a 20,000-entry dump with faults', () => {
    const spec = resolveMap('cilium_lxc');
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 20_000; i++) {
      const raw = Uint8Array.from({ length: 64 }, (_, k) => (i * 131 + k * 7) & 0xff);
      const key = makeValid(spec.key, raw.subarray(0, spec.key.sizeof), i);
      key[0] = i & 0xff;
      key[1] = (i >> 8) & 0xff;
      const value = makeValid(spec.value, raw.subarray(64 - spec.value.sizeof), i);
      if (i % 997 === 5) value[value.length - 1] = 1; // padding: decoded again on the main thread
      entries.push([key, value]);
      if (i % 1999 === 7) entries.push([key, value]); // an exact repeat
    }
    const file = join(dir, 'lxc.txt');
    writeFileSync(file, plainDump(entries));
    const run = (j: string) => spawnSync(process.execPath, [cliPath, 'cilium_lxc', '-o', 'ndjson', '-j', j, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const base = run('0');
    expect(base.stdout.split('\n').length).toBeGreaterThan(19_000);
    expect(base.stderr).toMatch(/non-zero padding/);
    for (const j of ['1', '3']) {
      const r = run(j);
      expect(r.status).toBe(base.status);
      expect(r.stderr).toBe(base.stderr);
      expect(r.stdout === base.stdout).toBe(true);
    }
  }, 120_000);
});

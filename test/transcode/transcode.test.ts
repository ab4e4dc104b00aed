/**
 * transcodeDump (src/transcode/) against the one-thread pipeline: for dumps with every kind of
 * entry a decoder must speak about — non-zero padding, keys its `check` refuses, wrong sizes,
 * exact repeats, changed values, noise — in any chunking and batch size, the bytes are those of
 * `writeRecordJSON` for each record `DumpPipeline` returns (NDJSON, or one JSON array), and the
 * summary (counts, issues with their first lines, padding notes) is the same object.
 *
 * Run from source, there is no worker script, so this runs the batches on the calling thread;
 * test/transcode/workers.test.ts runs the same comparison through the built package's workers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DumpPipeline, recordToJSONText, resolveMap, transcodeDump, type TranscodeOptions } from '../../src/index';
import { plainDump } from '../helpers/bpftool-text';
import { caseArb, dumpOf, viaPipeline, viaTranscoder, type Mod } from '../helpers/transcode-cases';
import { makeValid } from '../helpers/valid-bytes';

const src: Mod = { transcodeDump, DumpPipeline, recordToJSONText };

describe('transcodeDump on this thread == DumpPipeline + writeRecordJSON', () => {
  it('random dumps of every single-value map with padding, check failures, repeats, changed values, wrong sizes and noise', async () => {
    let irregular = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const d = dumpOf(c);
        if (!d) return;
        const bytes = new TextEncoder().encode(d.text);
        const opts: TranscodeOptions = { map: c.map, version: d.version, output: c.output, batchEntries: c.batchEntries, jobs: 0 };
        const want = viaPipeline(src, bytes, c.chunk, opts);
        const got = await viaTranscoder(src, bytes, c.chunk, opts);
        expect(got.text).toBe(want.text);
        expect(got.error).toBe(want.error);
        expect(got.summary).toEqual(want.summary);
        if (want.summary && (want.summary.padding.length || want.summary.skipped)) irregular++;
      }),
      { numRuns: 600 },
    );
    // The generator really produced entries the transcoder must hand back to the decoder.
    expect(irregular).toBeGreaterThan(50);
  });

  it('strict mode stops at the first problem, with everything before it printed and a JSON array closed', async () => {
    const spec = resolveMap('cilium_lxc');
    const good = (i: number): [Uint8Array, Uint8Array] => [makeValid(spec.key, new Uint8Array(spec.key.sizeof).fill(i), i), makeValid(spec.value, new Uint8Array(spec.value.sizeof).fill(i + 1), i)];
    const bad = good(9);
    bad[1][bad[1].length - 1] = 0xff; // padding at the end of endpoint_info
    const bytes = new TextEncoder().encode(plainDump([good(1), good(2), bad, good(4)]));
    for (const output of ['ndjson', 'json'] as const) {
      const opts: TranscodeOptions = { map: 'cilium_lxc', strict: true, output, batchEntries: 1, jobs: 0 };
      const want = viaPipeline(src, bytes, 64, opts);
      const got = await viaTranscoder(src, bytes, 64, opts);
      expect(want.error).toMatch(/padding/);
      expect(got).toEqual(want);
      if (output === 'json') expect(() => JSON.parse(got.text)).not.toThrow();
    }
  });

  it('an empty dump and a dump of no bpftool output: the same text and summary', async () => {
    for (const text of ['Found 0 elements\n', '[]\n', 'Error: no such map\n', '']) {
      const bytes = new TextEncoder().encode(text);
      for (const output of ['ndjson', 'json'] as const) {
        const opts: TranscodeOptions = { map: 'cilium_ipcache', output, jobs: 0 };
        expect(await viaTranscoder(src, bytes, 7, opts)).toEqual(viaPipeline(src, bytes, 7, opts));
      }
    }
  });

  it('bad options are CodecErrors', async () => {
    await expect(transcodeDump([], { output: 'yaml' as never }).next()).rejects.toThrow(/output must be/);
    await expect(transcodeDump([], { jobs: -1 }).next()).rejects.toThrow(/jobs must be/);
    await expect(transcodeDump([], { batchEntries: 0 }).next()).rejects.toThrow(/batchEntries/);
  });
});

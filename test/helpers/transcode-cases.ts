/** Generated dumps with every kind of irregular entry, and the two ways of turning them into JSON text (test/transcode). */
import fc from 'fast-check';
import type { DumpPipeline, DumpSummary, DecodedRecord, recordToJSONText, transcodeDump, TranscodeOptions } from '../../src/index';
import { MAPS, resolveMap } from '../../src/index';
import { jsonDump, plainDump } from './bpftool-text';
import { makeValid } from './valid-bytes';

/** The package's entry points, from source or from the build. */
export type Mod = { transcodeDump: typeof transcodeDump; DumpPipeline: typeof DumpPipeline; recordToJSONText: typeof recordToJSONText };

/** Maps whose entries are one value (per-CPU maps are decoded on the calling thread anyway). */
export const TRANSCODE_MAPS = MAPS.filter((m) => m.type !== 'percpu_hash').map((m) => m.name);

/** An entry of a generated dump: valid bytes, then what is done to it. */
export const entryArb = fc.record({
  raw: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  seed: fc.nat(),
  what: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'flip', 'repeat', 'changed', 'short', 'noise'),
});

export const caseArb = fc.record({
  map: fc.constantFrom(...TRANSCODE_MAPS),
  version: fc.option(fc.constantFrom('1.10', '1.12', '1.14', '1.16', '1.18', 'main'), { nil: undefined }),
  entries: fc.array(entryArb, { maxLength: 40 }),
  form: fc.constantFrom('plain', 'json'),
  output: fc.constantFrom<'ndjson' | 'json'>('ndjson', 'json'),
  batchEntries: fc.integer({ min: 1, max: 9 }),
  chunk: fc.integer({ min: 1, max: 4096 }),
});

/** The dump text of a case: entries built from valid bytes, with the case's faults. */
export type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

export function dumpOf(c: Case): { text: string; version?: string } | undefined {
  let spec;
  try {
    spec = resolveMap(c.map, c.version);
  } catch {
    return undefined; // the map did not exist in that version
  }
  const ks = spec.key.sizeof;
  const vs = spec.value.sizeof;
  const out: [Uint8Array, Uint8Array][] = [];
  const noise: number[] = [];
  c.entries.forEach((e, i) => {
    let key = makeValid(spec.key, e.raw.subarray(0, ks), e.seed);
    key[0] = i; // distinct keys, so only the explicit repeats repeat
    key = makeValid(spec.key, key, e.seed);
    const value = makeValid(spec.value, e.raw.subarray(64 - vs), e.seed + 1);
    const prev = out[e.seed % Math.max(1, out.length)];
    switch (e.what) {
      case 'flip': {
        // Any one bit: padding, a discriminant, a prefix length, or plain data.
        const both = new Uint8Array([...key, ...value]);
        both[e.seed % both.length]! ^= 1 << (e.seed % 8);
        out.push([both.subarray(0, ks), both.subarray(ks)]);
        break;
      }
      case 'repeat':
        if (prev) out.push([prev[0], prev[1]]);
        break;
      case 'changed':
        if (prev) out.push([prev[0], value]);
        break;
      case 'short':
        out.push([key, value.subarray(0, Math.max(0, vs - 1 - (e.seed % 3)))]);
        break;
      case 'noise':
        noise.push(out.length);
        out.push([key, value]);
        break;
      default:
        out.push([key, value]);
    }
  });
  let text = c.form === 'plain' ? plainDump(out) : jsonDump(out);
  if (c.form === 'plain' && noise.length) {
    const lines = text.split('\n');
    lines.splice(Math.min(lines.length - 1, noise[0]! * 2), 0, 'Defaulted container "cilium-agent" out of: cilium-agent');
    text = lines.join('\n');
  }
  return { text, version: c.version };
}

const chunks = (bytes: Uint8Array, n: number) => Array.from({ length: Math.ceil(bytes.length / n) }, (_, i) => bytes.slice(i * n, (i + 1) * n));

/** What the one-thread pipeline gives: the records' JSON text, the summary or error. */
export function viaPipeline(m: Mod, bytes: Uint8Array, chunk: number, opts: TranscodeOptions): { text: string; summary?: DumpSummary; error?: string } {
  const p = new m.DumpPipeline(opts);
  const records: DecodedRecord[] = [];
  let error: string | undefined;
  try {
    for (const c of chunks(bytes, chunk)) records.push(...p.push(c));
    records.push(...p.end());
  } catch (e) {
    if (!(e instanceof Error) || e.name !== 'DumpError') throw e;
    error = e.message;
  }
  const texts = records.map((r) => m.recordToJSONText(r));
  const text = opts.output === 'json' ? (texts.length ? `[\n${texts.join(',\n')}\n]\n` : '[]\n') : texts.map((t) => `${t}\n`).join('');
  return { text, summary: error === undefined ? p.finish() : undefined, error };
}

/** What transcodeDump gives for the same input. */
export async function viaTranscoder(m: Mod, bytes: Uint8Array, chunk: number, opts: TranscodeOptions): Promise<{ text: string; summary?: DumpSummary; error?: string }> {
  const parts: Buffer[] = [];
  const gen = m.transcodeDump(chunks(bytes, chunk), opts);
  let summary: DumpSummary | undefined;
  let error: string | undefined;
  try {
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        summary = r.value;
        break;
      }
      parts.push(Buffer.from(r.value)); // copied: the chunk is valid until the next one
    }
  } catch (e) {
    if (!(e instanceof Error) || e.name !== 'DumpError') throw e;
    error = e.message;
  }
  return { text: Buffer.concat(parts).toString('utf8'), summary, error };
}


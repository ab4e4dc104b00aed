/**
 * bpftool output in, NDJSON or JSON bytes out, using every core: {@link transcodeDump}.
 *
 * The work splits where the state ends. This thread reads, parses (the stateful part: sections,
 * map identification, the trailer count) and de-duplicates (the key set must see every entry, in
 * order); each entry due to be printed is packed, bytes only, into a batch. Batches go to worker
 * threads, which decode and write their text (batch.ts) — the costly, stateless part — and come
 * back in any order; their text is handed out in input order. An entry whose decode says anything
 * (padding, an error) is decoded again here, by the decoder, so every notice and count is what a
 * one-thread run reports; the decoder keeps each notice's earliest line for that reason.
 *
 * Memory stays flat: at most `4 × jobs` batches are in flight, and input and output buffers go
 * back and forth between the threads instead of being allocated per batch.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MapSpec } from '../cilium/catalog';
import type { DecodedRecord, DumpSummary } from '../decode/dump-decoder';
import { DumpPipeline, type DumpPipelineOptions } from '../decode/pipeline';
import { ByteSink, literal } from '../schema/byte-sink';
import { JSON_ARRAY, writeRecordJSON } from '../format/json';
import { CodecError } from '../schema/errors';
import { batchSpecOf, transcodeBatch, type BatchFraming, type BatchSpec, type BatchText } from './batch';

/** Options of {@link transcodeDump}. */
export interface TranscodeOptions extends DumpPipelineOptions {
  /** `ndjson` (default): one record per line; `json`: one array, always closed. */
  output?: BatchFraming;
  /**
   * Worker threads that decode and write records; default 0, all the work on this thread.
   * Measured on 2 cores (512k ipcache dump, README Performance): 0 workers 0.88 s, 1 worker
   * 1.07 s, 2 workers slower still, each worker adding ~28 MB of peak RSS: the workers and the
   * parsing thread slowed each other more than the split saved. Not measured on more cores,
   * hence opt-in.
   * Workers start only once a dump fills its first batch, so small inputs never start one; when
   * the worker script is not beside the library (running from source), 0.
   */
  jobs?: number;
  /** Entries per batch (default 8192). */
  batchEntries?: number;
}

/**
 * Batches per worker at once: enough that a worker always has the next one queued while this
 * thread parses (it hands batches out only between input chunks), few enough to bound memory.
 */
const MAX_IN_FLIGHT = 4;

/** Most worker threads a run may ask for (each one is a V8 isolate: ~28 MB). */
export const MAX_JOBS = 16;

/** Inputs at least this large start their workers at once (a worker takes ~0.1 s to load). */
const EARLY_START_BYTES = 8 << 20;

const WORKER_URL = new URL('./transcode-worker.js', import.meta.url);

/** Whether worker threads can be started (the built worker script is beside this module). */
export function workersAvailable(): boolean {
  try {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  } catch {
    return false;
  }
}

interface Result {
  ok: boolean;
  out?: ArrayBuffer;
  length?: number;
  ends?: Uint32Array;
  irregular?: number[];
}

/** A batch of entries packed for a thread. */
interface Batch {
  readonly kind: 'batch';
  readonly spec: MapSpec;
  readonly bspec: BatchSpec;
  /** Over a SharedArrayBuffer: a worker reads it in place, and it stays here if a worker fails. */
  readonly entries: Uint8Array;
  readonly lines: Float64Array;
  /** Each entry's place in the input (the decoder's `order`), for its notices. */
  readonly orders: Float64Array;
  count: number;
  /** Its text from a worker (undefined: the worker failed; decode here). */
  result?: Promise<Result | undefined>;
  done?: boolean;
  /** Its text, written on this thread ahead of its turn while a worker had the batch before it. */
  pre?: { sink: ByteSink; text: BatchText };
}

/** Records this thread decoded (entries that were not deferred), in input order. */
interface Records {
  readonly kind: 'records';
  readonly records: DecodedRecord[];
}

type Segment = Batch | Records;

/** Worker threads, each answering batch messages in order. */
class Pool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: Result) => void; reject: (e: unknown) => void }>();
  private next = 0;
  private id = 0;
  broken?: unknown;

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      const w = new Worker(WORKER_URL);
      w.on('message', (m: Result & { id: number }) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        p?.resolve(m);
      });
      // A worker that cannot start or dies fails its batches; they are then decoded here.
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`transcode worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  private fail(e: unknown): void {
    this.broken ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  run(job: { spec: BatchSpec; framing: BatchFraming; entries: SharedArrayBuffer; count: number; out?: ArrayBuffer }): Promise<Result> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.id++;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ id, ...job }, job.out ? [job.out] : []);
    });
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/**
 * Decodes bpftool output (as {@link DumpPipeline} does: same options, same records, same summary)
 * straight to NDJSON or JSON bytes — the bytes `writeRecordJSON` writes for each record, in input
 * order — decoding on `jobs` worker threads. Each yielded chunk is valid until the next is asked
 * for (buffers are reused). Returns the summary. An error that stops the run (see `DumpPipeline`)
 * is thrown after every record decoded before it has been yielded and, for `json`, the array
 * closed. Strict mode decodes on this thread: it stops at the first problem, so cannot run ahead.
 *
 * @throws {@link CodecError} for bad options; `DumpError` as `DumpPipeline`.
 */
export async function* transcodeDump(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts: TranscodeOptions = {},
): AsyncGenerator<Uint8Array, DumpSummary, undefined> {
  const t = new DumpTranscoder(opts);
  try {
    for await (const chunk of source as AsyncIterable<string | Uint8Array>) yield* t.push(chunk);
    yield* t.end();
  } finally {
    t.close();
  }
  return t.finish();
}

/**
 * The push interface behind {@link transcodeDump}, as {@link DumpPipeline} is behind
 * `decodeDump`: `push` each chunk and write out what it yields, then `end`, then `finish` for the
 * summary. `decoder.spec` is the map in use. Call `close` if the run is abandoned (it stops the
 * workers; `end` does too).
 */
export class DumpTranscoder {
  private readonly framing: BatchFraming;
  private readonly jobs: number;
  private readonly batchEntries: number;
  private readonly endian;
  private readonly pipeline: DumpPipeline;
  private readonly queue: Segment[] = [];
  private cur?: Batch;
  private pool?: Pool;
  private inFlight = 0;
  /** Entry buffers whose batch is done, and output buffers the workers may write into again. */
  private readonly spareEntries: SharedArrayBuffer[] = [];
  private readonly spareIndex: { lines: Float64Array; orders: Float64Array }[] = [];
  private readonly spareOut: ArrayBuffer[] = [];
  private readonly spareSinks: ByteSink[] = [];
  private readonly sink = new ByteSink();
  private first = true;
  private byWorkers = 0;

  constructor(opts: TranscodeOptions) {
    this.framing = opts.output ?? 'ndjson';
    if (this.framing !== 'ndjson' && this.framing !== 'json') throw new CodecError(`transcodeDump: output must be "ndjson" or "json", got ${JSON.stringify(opts.output)}`);
    const jobs = opts.jobs ?? 0;
    if (!Number.isInteger(jobs) || jobs < 0 || jobs > MAX_JOBS) throw new CodecError(`transcodeDump: jobs must be a whole number from 0 to ${MAX_JOBS}, got ${String(opts.jobs)}`);
    this.jobs = jobs > 0 && workersAvailable() ? jobs : 0;
    const b = opts.batchEntries ?? 8192;
    if (!Number.isInteger(b) || b < 1) throw new CodecError(`transcodeDump: batchEntries must be a whole number ≥ 1, got ${String(opts.batchEntries)}`);
    this.batchEntries = b;
    this.endian = opts.endian ?? 'le';
    this.pipeline = new DumpPipeline({ ...opts, defer: (spec, key, value, line, order, out) => this.defer(spec, key, value, line, order, out) });
    // A big input known from the start (a file): the workers load while the first batch is parsed.
    if (this.jobs > 0 && !opts.strict && (opts.inputBytes ?? 0) >= EARLY_START_BYTES) this.pool = new Pool(this.jobs);
  }

  /** The decoder (its `spec` is known once the map is). */
  get decoder(): DumpPipeline['decoder'] {
    return this.pipeline.decoder;
  }

  /**
   * Batches whose text a worker thread wrote (the others were written on this thread: before the
   * workers loaded, when one failed, or with `jobs: 0`). For tests and diagnostics.
   */
  get workerBatches(): number {
    return this.byWorkers;
  }

  /** The summary (after `end`). */
  finish(): DumpSummary {
    return this.pipeline.finish();
  }

  /** Stops the worker threads. */
  close(): void {
    this.pool?.close();
    this.pool = undefined;
  }

  /** Feeds a chunk (not kept: it may be overwritten once this is done); yields the text it completes. */
  async *push(chunk: string | Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    let records: DecodedRecord[] = [];
    let failure: { error: unknown } | undefined;
    try {
      records = this.pipeline.push(chunk);
    } catch (e) {
      failure = { error: e };
    }
    this.queueRecords(records);
    if (failure) {
      try {
        yield* this.finishAll();
      } finally {
        this.close();
      }
      throw failure.error;
    }
    yield* this.drain(false);
  }

  /** Ends the input; yields the rest of the text (and closes a JSON array). */
  async *end(): AsyncGenerator<Uint8Array, void, undefined> {
    let records: DecodedRecord[] = [];
    let failure: { error: unknown } | undefined;
    try {
      records = this.pipeline.end();
    } catch (e) {
      failure = { error: e };
    }
    this.queueRecords(records);
    try {
      yield* this.finishAll();
    } finally {
      this.close();
    }
    if (failure) throw failure.error;
  }

  /**
   * The input failed (a read error): yields the text of every entry decoded so far and closes a
   * JSON array, without ending the parser (an entry cut by the failure is not guessed at), then
   * stops the workers. What `end` is for a run that cannot go on.
   */
  async *abort(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      yield* this.finishAll();
    } finally {
      this.close();
    }
  }

  /** Closes the open batch, hands out everything queued, and closes a JSON array. */
  private async *finishAll(): AsyncGenerator<Uint8Array, void, undefined> {
    this.closeBatch();
    yield* this.drain(true);
    if (this.framing === 'json') {
      this.sink.ascii(this.first ? JSON_ARRAY.empty : JSON_ARRAY.close);
      this.first = false;
      yield this.sink.view();
    }
  }

  /** Queues records decoded on this thread; they follow every entry deferred so far. */
  private queueRecords(records: DecodedRecord[]): void {
    if (!records.length) return;
    this.closeBatch();
    this.queue.push({ kind: 'records', records });
  }

  private defer(spec: MapSpec, key: Uint8Array, value: Uint8Array, line: number, order: number, out: DecodedRecord[]): void {
    if (out.length) this.queueRecords(out.splice(0));
    let b = this.cur;
    if (b && b.spec !== spec) {
      this.closeBatch();
      b = undefined;
    }
    if (!b) {
      const size = this.batchEntries * (spec.key.sizeof + spec.value.sizeof);
      let sab = this.spareEntries.pop();
      if (!sab || sab.byteLength < size) sab = new SharedArrayBuffer(size);
      // Line and order arrays come back with the entries (see `release`): fresh memory is what costs.
      const { lines, orders } = this.spareIndex.pop() ?? { lines: new Float64Array(this.batchEntries), orders: new Float64Array(this.batchEntries) };
      b = this.cur = { kind: 'batch', spec, bspec: batchSpecOf(spec, this.endian), entries: new Uint8Array(sab, 0, size), lines, orders, count: 0 };
    }
    let p = b.count * (key.length + value.length);
    const e = b.entries;
    for (let i = 0; i < key.length; i++) e[p++] = key[i]!;
    for (let i = 0; i < value.length; i++) e[p++] = value[i]!;
    b.orders[b.count] = order;
    b.lines[b.count++] = line;
    if (b.count === this.batchEntries) this.closeBatch();
  }

  /** Queues the open batch; starts it on a worker when one is free. */
  private closeBatch(): void {
    const b = this.cur;
    if (!b) return;
    this.cur = undefined;
    this.queue.push(b);
    // Only a full batch starts the workers: a small dump is done before one would have loaded.
    if (this.jobs > 0 && !this.pool && b.count === this.batchEntries) this.pool = new Pool(this.jobs);
    this.dispatch(b);
  }

  /** Sends a batch to the workers if fewer than `4 × jobs` are there; else it waits its turn here. */
  private dispatch(b: Batch): void {
    if (!this.pool || this.pool.broken || b.result || b.pre || this.inFlight >= MAX_IN_FLIGHT * this.jobs) return;
    const sab = b.entries.buffer as SharedArrayBuffer;
    b.result = this.pool.run({ spec: b.bspec, framing: this.framing, entries: sab, count: b.count, out: this.spareOut.pop() }).then(
      (r) => {
        b.done = true;
        return r;
      },
      () => {
        // The worker failed: the entries are still here (shared memory), so decode them here.
        b.done = true;
        return undefined;
      },
    );
    this.inFlight++;
  }

  /**
   * Hands out queued text in input order. Unless `final`, stops at a batch still in a worker
   * while fewer than `4 × jobs` are in flight; past that it waits, which bounds memory.
   */
  private async *drain(final: boolean): AsyncGenerator<Uint8Array, void, undefined> {
    while (this.queue.length) {
      const seg = this.queue[0]!;
      if (seg.kind === 'records') {
        this.queue.shift();
        for (const r of seg.records) this.record(r);
        yield* this.flushSink();
        continue;
      }
      if (seg.result && !seg.done) {
        // While a worker has the head batch: hand waiting batches to free workers, else write
        // one here, ahead of its turn; with nothing to do, read on (or wait, at the end).
        const waiting = this.queue.find((q): q is Batch => q.kind === 'batch' && !q.result && !q.pre);
        if (waiting && this.inFlight < MAX_IN_FLIGHT * this.jobs && !this.pool?.broken) {
          this.dispatch(waiting);
          continue;
        }
        // At the end of the input, this thread shares the last batches with the workers; before
        // that it keeps parsing (measured: writing batches here meanwhile left the workers idle).
        if (waiting && final) {
          this.preformat(waiting);
          continue;
        }
        if (!final && this.inFlight < MAX_IN_FLIGHT * this.jobs) return;
        await seg.result;
        continue;
      }
      this.queue.shift();
      if (seg.result) {
        this.inFlight--;
        const r = await seg.result;
        if (r?.ok) {
          this.byWorkers++;
          yield* this.merge(seg, new Uint8Array(r.out!, 0, r.length), r.ends!, r.irregular!);
          this.spareOut.push(r.out!);
          continue;
        }
      }
      if (seg.pre) {
        const { sink, text } = seg.pre;
        yield* this.merge(seg, sink.buf.subarray(0, sink.pos), text.ends, text.irregular);
        sink.pos = 0;
        this.spareSinks.push(sink);
        continue;
      }
      yield* this.local(seg);
    }
  }

  /** Writes a batch's text on this thread, kept until its turn. */
  private preformat(b: Batch): void {
    const sink = this.spareSinks.pop() ?? new ByteSink(1 << 20);
    b.pre = { sink, text: transcodeBatch(b.spec, b.entries, b.count, this.framing, sink) };
  }

  /** A batch formatted on this thread, in its turn. */
  private *local(b: Batch): Generator<Uint8Array, void, undefined> {
    const { ends, irregular } = transcodeBatch(b.spec, b.entries, b.count, this.framing, this.sink);
    if (irregular.length === 0) {
      this.pipeline.decoder.countDeferred(b.count);
      this.release(b);
      yield* this.flushSink();
      return;
    }
    // Copied out: the irregular entries' records are written into the same sink.
    const text = this.sink.buf.slice(0, this.sink.pos);
    this.sink.pos = 0;
    yield* this.merge(b, text, ends, irregular);
  }

  /** A batch's text, with its irregular entries decoded here in their places. */
  private *merge(b: Batch, text: Uint8Array, ends: Uint32Array, irregular: number[]): Generator<Uint8Array, void, undefined> {
    const decoder = this.pipeline.decoder;
    decoder.countDeferred(b.count - irregular.length);
    const ks = b.spec.key.sizeof;
    const stride = ks + b.spec.value.sizeof;
    let from = 0;
    for (const i of irregular) {
      const upTo = i === 0 ? 0 : ends[i - 1]!;
      if (upTo > from) yield* this.emit(text.subarray(from, upTo));
      from = ends[i]!;
      const recs: DecodedRecord[] = [];
      const at = i * stride;
      decoder.decodeDeferred(b.spec, b.entries.subarray(at, at + ks), b.entries.subarray(at + ks, at + stride), b.lines[i]!, b.orders[i]!, recs);
      for (const r of recs) this.record(r);
      yield* this.flushSink();
    }
    if (text.length > from) yield* this.emit(text.subarray(from));
    this.release(b);
  }

  /** A batch is done: its buffers serve the next one. */
  private release(b: Batch): void {
    this.spareEntries.push(b.entries.buffer as SharedArrayBuffer);
    this.spareIndex.push({ lines: b.lines, orders: b.orders });
  }

  /** One record decoded on this thread, into the sink, framed. */
  private record(r: DecodedRecord): void {
    if (this.framing === 'json') this.sink.ascii(JSON_ARRAY.sep); // the first becomes JSON_ARRAY.open (emit)
    writeRecordJSON(r, this.sink);
    if (this.framing === 'ndjson') this.sink.byte(10);
  }

  private *flushSink(): Generator<Uint8Array, void, undefined> {
    if (this.sink.pos > 0) yield* this.emit(this.sink.view());
  }

  /** Text out; the first JSON record loses its `,\n` and gains the array's `[\n`. */
  private *emit(bytes: Uint8Array): Generator<Uint8Array, void, undefined> {
    if (bytes.length === 0) return;
    if (this.framing === 'json' && this.first) {
      yield JSON_OPEN.slice();
      bytes = bytes.subarray(JSON_ARRAY.sep.length);
    }
    this.first = false;
    if (bytes.length) yield bytes;
  }
}

const JSON_OPEN = literal(JSON_ARRAY.open);


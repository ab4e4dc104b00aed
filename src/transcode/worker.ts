/**
 * The worker-thread side of parallel.ts: receives batches of packed entries, answers with their
 * JSON text (transcodeBatch). Built to dist/transcode-worker.js; it imports the library build
 * beside it (one copy of the codec), as the CLI does.
 *
 * Messages in: `{ id, spec: BatchSpec, framing, entries: SharedArrayBuffer, count, out?: ArrayBuffer }`
 * (`entries` is read in place; `out`: an output buffer the main thread is done with, to write
 * into again: fresh memory is slow to touch on small VMs, and reuse keeps the peak RSS flat).
 * Messages out: `{ id, ok: true, out, length, ends, irregular }` (buffers transferred), or
 * `{ id, ok: false }` when the spec cannot be rebuilt here (the main thread then decodes).
 */
import { parentPort } from 'node:worker_threads';
import { ByteSink, specFromBatch, transcodeBatch, type BatchFraming, type BatchSpec } from '../index';

interface Job {
  id: number;
  spec: BatchSpec;
  framing: BatchFraming;
  entries: SharedArrayBuffer;
  count: number;
  out?: ArrayBuffer;
}

const port = parentPort!;
const spare: ArrayBuffer[] = [];

port.on('message', (job: Job) => {
  if (job.out) spare.push(job.out);
  const spec = specFromBatch(job.spec);
  if (!spec) {
    port.postMessage({ id: job.id, ok: false });
    return;
  }
  const sink = new ByteSink(0);
  const reuse = spare.pop();
  sink.buf = reuse ? new Uint8Array(reuse) : new Uint8Array(1 << 20);
  const { ends, irregular } = transcodeBatch(spec, new Uint8Array(job.entries), job.count, job.framing, sink);
  const out = sink.buf.buffer as ArrayBuffer;
  port.postMessage({ id: job.id, ok: true, out, length: sink.pos, ends, irregular }, [out, ends.buffer as ArrayBuffer]);
});

/**
 * Reads a file descriptor into one reused buffer. A stream (`process.stdin`, `createReadStream`)
 * allocates a new 64 KiB buffer per read; those are external memory that V8 frees only at its
 * next GC, and when decoding allocates little (a live dump's repeats are dropped undecoded) tens
 * of MB of dead chunks pile up before one comes. Measured on a 512k-entry ipcache dump read
 * twice (test/cli/streaming.test.ts), peak RSS: 141 MB through the stream; 109 MB with this
 * reader and the fast parser's reused join buffer, the same as reading it once. Either alone
 * left 137-142 MB. The consumer must be done with a chunk before asking for the next
 * (DumpPipeline.push is).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** 64 KiB: measured best for the 512k ipcache dump (1 MiB: more records alive at once; 16-32 KiB: more per-read overhead). */
export const CHUNK_SIZE = 1 << 16;

/**
 * Yields what `fd` (or the file at a path) holds, each chunk a view of the same buffer. A
 * non-blocking descriptor (a pipe some earlier reader switched to O_NONBLOCK) answers EAGAIN
 * instead of waiting; the rest then comes from `whenNonBlocking()`, a stream that polls it.
 */
export async function* readChunks(
  src: number | string,
  whenNonBlocking?: () => AsyncIterable<Uint8Array>,
  size = CHUNK_SIZE,
): AsyncGenerator<Uint8Array> {
  const fd = typeof src === 'number' ? src : openSync(src, 'r');
  const buf = Buffer.allocUnsafe(size);
  try {
    for (;;) {
      let n: number;
      try {
        // Synchronous: the CLI has nothing else to do meanwhile (its stdout writes are synchronous
        // too), and each read through the thread pool cost a round trip: 130 ms of idle time
        // over the 62 MB dump's 950 reads (--cpu-prof).
        n = readSync(fd, buf, 0, size, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || !whenNonBlocking) throw e;
        yield* whenNonBlocking();
        return;
      }
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    if (typeof src === 'string') closeSync(fd);
  }
}

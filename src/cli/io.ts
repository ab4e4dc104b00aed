/**
 * The CLI's contact with the outside world, injectable so tests can run it in-process.
 * Exit codes (DEVELOPERS.md): 0 ok, 1 input/decode errors, 2 usage errors.
 */
import type { Readable, Writable } from 'node:stream';

/** Streams and environment of one CLI run. */
export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: Record<string, string | undefined>;
  /**
   * Reads standard input. Chunks may share one buffer, each valid until the next is asked for.
   * Default: the `stdin` stream (tests pass one); the binary reads fd 0 (read-chunks.ts).
   * Named files are always read with read-chunks.ts.
   */
  readStdin?: () => AsyncIterable<Uint8Array>;
  /**
   * Writes output bytes to standard output at once, keeping no reference to them (so the caller
   * may reuse the buffer); false when it cannot (then `stdout` is used with a copy). The binary
   * writes fd 1 with `writeSync`, which saves a copy of every output batch (~115 MB for a 512k
   * ipcache dump as NDJSON: 170 ms in a profile).
   */
  writeOut?: (bytes: Uint8Array) => boolean;
  /** Is standard input a terminal? Default: `stdin.isTTY`. */
  stdinIsTTY?: boolean;
}

/** Exit codes. */
export const EXIT = { OK: 0, INPUT: 1, USAGE: 2 } as const;

/** A usage error: wrong arguments, unknown map or field. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Writes a line to stderr with the program name. */
export function warn(io: CliIO, msg: string): void {
  io.stderr.write(`decode-map: ${msg}\n`);
}

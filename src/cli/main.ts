#!/usr/bin/env node
// The `decode-map` binary: wires the process to run(); everything else lives in the library.
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { CliIO } from './io';
import { errnoText } from './input';
import { readChunks } from './read-chunks';
import { run } from './run';

// Writing into a closed pipe (`| head`) ends quietly with exit 0 (node#947, getsentry/cli#250);
// any other write error (`> /dev/full`: ENOSPC) is one line and exit 1, never a stack trace.
function writeFailed(e: NodeJS.ErrnoException): never {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`decode-map: cannot write output: ${errnoText(e)}\n`);
  process.exit(1);
}
process.stdout.on('error', writeFailed);

// Output bytes go straight to fd 1 (a file, pipe or terminal: blocking, so written in full before
// returning) until it answers EAGAIN — a pipe someone made non-blocking — and from then on, the
// rest of that batch included, through the stream, which waits for it.
let direct = true;
function writeOut(bytes: Uint8Array): boolean {
  if (!direct) return false;
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done, bytes.length - done);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') writeFailed(e as NodeJS.ErrnoException);
    direct = false;
    process.stdout.write(bytes.slice(done));
  }
  return true;
}

// Input is read from the descriptors into one reused buffer (read-chunks.ts). `process.stdin` is
// only created if that fails: creating it switches a piped fd 0 to non-blocking mode.
const io: CliIO = {
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdinIsTTY: isatty(0),
  writeOut,
  readStdin: () => readChunks(0, () => process.stdin),
};

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // A bug of ours: one line; the stack only when asked for (DECODE_MAP_DEBUG=1).
    const debug = process.env.DECODE_MAP_DEBUG === '1' && e instanceof Error && e.stack;
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`decode-map: internal error: ${debug || msg.split('\n')[0]} (please report it; DECODE_MAP_DEBUG=1 shows where)\n`);
    process.exitCode = 1;
  },
);

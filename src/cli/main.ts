#!/usr/bin/env node
// The `decode-map` binary: wires the process to run(); everything else lives in the library.
import { run } from './run';

// Writing into a closed pipe (`| head`) ends quietly with exit 0 (node#947, getsentry/cli#250).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`decode-map: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);

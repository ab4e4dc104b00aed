/**
 * Where the verbs that read bpftool output get it: named files (read with read-chunks.ts) or
 * standard input, and how a word on the command line is told apart: a file, a pinned map, or a
 * map name.
 */
import { statSync, statfsSync } from 'node:fs';
import { readChunks } from './read-chunks';
import { UsageError, type CliIO } from './io';

/** bpffs's `f_type` (`BPF_FS_MAGIC` in include/uapi/linux/magic.h). */
const BPF_FS_MAGIC = 0xcafe4a11;

/** A file that could not be read (exit 1, one line). */
export class InputError extends Error {
  override name = 'InputError';
}

/** Words for an errno, for one-line messages. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'EISDIR':
      return 'is a directory';
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EIO':
      return 'input/output error';
    default:
      return err?.code ? `${err.code} (${err.message})` : String(err?.message ?? e);
  }
}

/** What a command-line word names on this machine. */
export type PathKind = 'file' | 'directory' | 'pinned-map' | 'none';

/** Whether `p` is a readable file, a directory, an object pinned on bpffs (a map, not a dump), or nothing. */
export function pathKind(p: string): PathKind {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 'none';
  }
  if (st.isDirectory()) return 'directory';
  try {
    if (statfsSync(p).type === BPF_FS_MAGIC) return 'pinned-map';
  } catch {
    /* statfs unsupported: a file */
  }
  return 'file';
}

/** Refuses a FILE argument that is not a readable file (exit 2, before any output). */
export function checkInputFile(f: string): void {
  if (f === '-') return;
  const kind = pathKind(f);
  if (kind === 'none') throw new UsageError(`no such file: ${f}`);
  if (kind === 'directory') throw new UsageError(`${f} is a directory, not a bpftool dump`);
  if (kind === 'pinned-map') throw new UsageError(`${f} is a pinned BPF object, not a dump; dump it first: bpftool map dump pinned ${f} | decode-map ...`);
}

/** The chunks of a source (`-` is standard input); read errors become one-line InputErrors. */
export async function* readSource(src: string, io: CliIO): AsyncGenerator<Uint8Array> {
  const it = src === '-' ? (io.readStdin?.() ?? io.stdin) : readChunks(src);
  try {
    for await (const chunk of it as AsyncIterable<Uint8Array>) yield chunk;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code) throw new InputError(`cannot read ${src === '-' ? 'standard input' : src}: ${errnoText(e)}`);
    throw e;
  }
}

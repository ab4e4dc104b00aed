/**
 * A bugtool archive (`.tar.gz`, or `.tar` before cilium-cli v0.10.1), streamed through
 * node:zlib and tar-stream: nothing is extracted to disk and only one entry's chunk is held at a
 * time. Bugtool puts everything under its temporary directory
 * (`cilium-bugtool-<time>-<random>/cmd/…`); that first component is stripped, as cilium-cli does.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { nodeNameOf } from './names';
import type { BugtoolSource } from './source';

/** Opens the archive's bytes afresh (a file, or a zip entry). */
export type Opener = () => Promise<Readable>;

/** Whether the stream starts with the gzip magic; returns a stream that still yields every byte. */
async function gunzipIfNeeded(src: Readable): Promise<Readable> {
  const first = await new Promise<Buffer | null>((resolve, reject) => {
    const onReadable = (): void => {
      cleanup();
      resolve(src.read(2) ?? src.read());
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      src.off('readable', onReadable);
      src.off('end', onEnd);
      src.off('error', onError);
    };
    src.on('readable', onReadable);
    src.on('end', onEnd);
    src.on('error', onError);
  });
  if (first) src.unshift(first);
  const gz = first !== null && first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  return gz ? src.pipe(createGunzip()) : src;
}

/** Strips bugtool's top directory: `cilium-bugtool-…/cmd/x.md` → `cmd/x.md`. */
function stripTop(name: string): string {
  const n = name.replace(/^\.\//, '');
  const i = n.indexOf('/');
  return i < 0 ? n : n.slice(i + 1);
}

/** A bugtool archive as a {@link BugtoolSource}; `name` is the archive's file name (gives the node). */
export function tarSource(open: Opener, name: string, where: string): BugtoolSource {
  return {
    node: nodeNameOf(name),
    where,
    sequential: true,
    async *files(want) {
      const raw = await open();
      // Loaded on first use, like yauzl (zip.ts): runs that read no archive do not pay for it.
      const { extract } = await import('tar-stream');
      const ex = extract();
      const input = await gunzipIfNeeded(raw);
      input.on('error', (e) => ex.destroy(e));
      input.pipe(ex);
      try {
        for await (const entry of ex) {
          const file = stripTop(entry.header.name);
          if (entry.header.type === 'file' && file !== '' && want(file)) {
            let read = false;
            yield {
              name: file,
              chunks: () => {
                read = true;
                return entry as AsyncIterable<Uint8Array>;
              },
            };
            // A file the consumer did not read (or stopped reading) is skipped to reach the next.
            if (!read || !entry.readableEnded) entry.resume();
          } else {
            entry.resume();
          }
        }
      } finally {
        raw.destroy();
      }
    },
  };
}

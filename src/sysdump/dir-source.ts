/** A bugtool directory on disk (extracted by cilium-cli, or by hand). */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { nodeNameOf } from './names';
import type { BugtoolFile, BugtoolSource } from './source';

/** Every regular file under `dir`, relative, `/`-separated, sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** A bugtool directory as a {@link BugtoolSource}. */
export function dirSource(dir: string, node = nodeNameOf(dir)): BugtoolSource {
  return {
    node,
    where: `${dir.replace(/\/+$/, '')}/`,
    async *files(want) {
      for (const name of await listFiles(dir)) {
        if (!want(name)) continue;
        const file: BugtoolFile = { name, chunks: () => createReadStream(join(dir, name), { highWaterMark: 64 << 10 }) };
        yield file;
      }
    },
  };
}

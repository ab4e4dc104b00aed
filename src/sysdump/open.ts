/**
 * PATH → the agents it holds. PATH is a `cilium-sysdump-<ts>.zip`, an extracted sysdump
 * directory (or the directory it was extracted into), one `cilium-bugtool-<pod>-<ts>/` directory,
 * or a bugtool `.tar.gz` / `.tar`.
 */
import { createReadStream } from 'node:fs';
import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CodecError } from '../schema/errors';
import { dirSource } from './dir-source';
import { baseName, isArchiveName, isBugtoolName, isDaemonSetFile, nodeNameOf } from './names';
import type { BugtoolSource, Sysdump } from './source';
import { tarSource } from './tar-source';
import { openZipSysdump } from './zip';

/** PATH is not something a sysdump reader can read. */
export class SysdumpError extends CodecError {
  override name = 'SysdumpError';
}

async function magic(path: string): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Opens PATH, whichever form it has. Throws {@link SysdumpError} for anything else. */
export async function openSysdump(path: string): Promise<Sysdump> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new SysdumpError(`${path}: no such file or directory`);
  }
  if (st.isDirectory()) return openDirectory(path);
  const m = await magic(path);
  if (m[0] === 0x50 && m[1] === 0x4b) {
    try {
      return await openZipSysdump(path);
    } catch (e) {
      throw new SysdumpError(`${path}: not a readable zip archive: ${(e as Error).message}`);
    }
  }
  const gz = m[0] === 0x1f && m[1] === 0x8b;
  if (gz || isArchiveName(path)) {
    const src = tarSource(async () => createReadStream(path), baseName(path), path);
    return { form: 'bugtool-archive', nodes: [src], notes: [], close: async () => {} };
  }
  throw new SysdumpError(`${path}: neither a sysdump (.zip or directory) nor a bugtool directory or archive (.tar.gz)`);
}

async function openDirectory(dir: string): Promise<Sysdump> {
  const entries = await readdir(dir, { withFileTypes: true });
  // A bugtool directory itself: it has cmd/ (and conf/).
  if (entries.some((e) => e.isDirectory() && e.name === 'cmd')) {
    return { form: 'bugtool-directory', nodes: [dirSource(dir)], notes: [], close: async () => {} };
  }
  const found = await scanSysdumpDir(dir, entries);
  if (found.nodes.length === 0) {
    // The directory the zip was extracted into: look one level down.
    for (const e of entries) {
      if (!e.isDirectory() || !e.name.startsWith('cilium-sysdump-')) continue;
      const inner = await scanSysdumpDir(join(dir, e.name), await readdir(join(dir, e.name), { withFileTypes: true }));
      if (inner.nodes.length) return inner;
    }
    throw new SysdumpError(`${dir}: no cilium-bugtool-* directory or archive inside, and no cmd/ directory (is it a sysdump?)`);
  }
  return found;
}

async function scanSysdumpDir(dir: string, entries: { name: string; isDirectory(): boolean; isFile(): boolean }[]): Promise<Sysdump> {
  const nodes: BugtoolSource[] = [];
  const notes: string[] = [];
  const have = new Set<string>();
  for (const e of entries) {
    if (e.isDirectory() && isBugtoolName(e.name)) {
      nodes.push(dirSource(join(dir, e.name)));
      have.add(nodeNameOf(e.name));
    }
  }
  for (const e of entries) {
    if (!e.isFile() || !isBugtoolName(e.name) || !isArchiveName(e.name)) continue;
    if (have.has(nodeNameOf(e.name))) {
      notes.push(`${e.name}: not read, its extracted directory is`);
      continue;
    }
    have.add(nodeNameOf(e.name));
    const p = join(dir, e.name);
    nodes.push(tarSource(async () => createReadStream(p), e.name, p));
  }
  nodes.sort((a, b) => a.node.localeCompare(b.node));
  const ds = entries.find((e) => e.isFile() && isDaemonSetFile(e.name));
  return {
    form: 'sysdump-directory',
    nodes,
    daemonset: ds ? () => readFile(join(dir, ds.name), 'utf8') : undefined,
    notes,
    close: async () => {},
  };
}

/**
 * A `cilium-sysdump-<ts>.zip`, read with yauzl: the central directory is read once (names
 * only), then each wanted entry is inflated as a stream straight from the file. Bugtool
 * directories extracted by cilium-cli and bugtool archives it failed to extract are both agents.
 */
import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { baseName, isArchiveName, isBugtoolName, isDaemonSetFile, nodeNameOf } from './names';
import { readText, type BugtoolSource, type Sysdump } from './source';
import { tarSource } from './tar-source';

// yauzl is loaded on first use: a decode-map run that reads no zip does not pay for it (heap and
// start-up; the streaming memory bound of a 512k-entry dump is measured in test/cli/streaming).
async function openZip(path: string): Promise<ZipFile> {
  const { default: yauzl } = await import('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true }, (err, zf) => (err ? reject(err) : resolve(zf)));
  });
}

function entries(zf: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const out: Entry[] = [];
    zf.on('entry', (e: Entry) => {
      out.push(e);
      zf.readEntry();
    });
    zf.once('end', () => resolve(out));
    zf.once('error', reject);
    zf.readEntry();
  });
}

function stream(zf: ZipFile, e: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zf.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s))));
}

/** Opens a sysdump zip. */
export async function openZipSysdump(path: string): Promise<Sysdump> {
  const zf = await openZip(path);
  const all = (await entries(zf)).filter((e) => !e.fileName.endsWith('/'));
  const dirs = new Map<string, Entry[]>(); // bugtool directory prefix (with '/') → its entries
  const archives: Entry[] = [];
  let daemonset: Entry | undefined;
  for (const e of all) {
    const parts = e.fileName.split('/');
    const at = parts.findIndex((p) => isBugtoolName(p));
    if (at >= 0 && at < parts.length - 1) {
      const prefix = `${parts.slice(0, at + 1).join('/')}/`;
      let list = dirs.get(prefix);
      if (!list) dirs.set(prefix, (list = []));
      list.push(e);
    } else if (at === parts.length - 1 && isArchiveName(e.fileName)) {
      archives.push(e);
    } else if (isDaemonSetFile(e.fileName) && !daemonset) {
      daemonset = e;
    }
  }
  const nodes: BugtoolSource[] = [];
  const notes: string[] = [];
  for (const [prefix, list] of dirs) {
    nodes.push({
      node: nodeNameOf(prefix.slice(0, -1)),
      where: `${path}:${prefix}`,
      async *files(want) {
        for (const e of list) {
          const name = e.fileName.slice(prefix.length);
          if (!want(name)) continue;
          yield { name, chunks: () => streamIterable(() => stream(zf, e)) };
        }
      },
    });
  }
  const have = new Set(nodes.map((n) => n.node));
  for (const e of archives) {
    const node = nodeNameOf(e.fileName);
    if (have.has(node)) {
      notes.push(`${baseName(e.fileName)}: not read, its extracted directory is`);
      continue;
    }
    have.add(node);
    nodes.push(tarSource(() => stream(zf, e), baseName(e.fileName), `${path}:${e.fileName}`));
  }
  nodes.sort((a, b) => a.node.localeCompare(b.node));
  return {
    form: 'sysdump-zip',
    nodes,
    daemonset: daemonset ? async () => readText(streamIterable(() => stream(zf, daemonset!))) : undefined,
    notes,
    close: async () => zf.close(),
  };
}

async function* streamIterable(open: () => Promise<Readable>): AsyncIterable<Uint8Array> {
  yield* (await open()) as AsyncIterable<Uint8Array>;
}

/**
 * Sysdump-shaped archives for the tests, built from the dumps captured on the real kernel
 * (test/fixtures/sysdump, scripts/capture-sysdump-fixtures.mjs): bugtool directories with the
 * file names bugtool gives (`cmd/<prompt with / and space → ->.md`), optionally markdown-wrapped
 * or cut the way a killed bpftool leaves them, zipped as cilium-cli does, or tar.gz'ed as bugtool does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { pack } from 'tar-stream';
import { bugtoolFileName } from '../../src/sysdump/names';
import { repoRoot } from '../helpers/shared';

export const FIXTURES = join(repoRoot, 'test/fixtures/sysdump');
export const PIN = '/sys/fs/bpf/tc/globals';

/** Versions captured, and their maps. */
export function capturedVersions(): string[] {
  return readdirSync(FIXTURES).map((d) => d.replace(/^v/, ''));
}
export function capturedMaps(version: string): string[] {
  return readdirSync(join(FIXTURES, `v${version}`))
    .filter((f) => f.endsWith('.dump.txt'))
    .map((f) => f.slice(0, -'.dump.txt'.length));
}
export function dumpText(version: string, map: string): string {
  return readFileSync(join(FIXTURES, `v${version}`, `${map}.dump.txt`), 'utf8');
}
/** The entries inserted: key and value hex (no spaces), in insertion order. */
export function truth(version: string, map: string): { key: string; value: string }[] {
  return readFileSync(join(FIXTURES, `v${version}`, `${map}.truth.txt`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [key, value] = l.split(' ');
      return { key: key!, value: value! };
    });
}

/** How bugtool wrote one command's output. */
export function bugtoolOutput(prompt: string, output: string, opts: { markdown?: boolean; error?: string } = {}): string {
  let s = opts.markdown ? `# ${prompt}\n\n\`\`\`\n${output}\n\`\`\`\n` : output;
  if (opts.error !== undefined) s += `> Error while running '${prompt}':  ${opts.error}\n\n`;
  return s;
}

/** A dump as bpftool leaves it when killed: stopped at a 4 KiB boundary, bugtool's error glued on. */
export function cutDump(text: string, at = 4096): string {
  return text.slice(0, at);
}

export interface NodeSpec {
  /** Version whose captured dumps the node holds. */
  version: string;
  /** `cilium-dbg status --verbose` version line to include (exact text after `Ok`), or none. */
  status?: string;
  /** Binary the bugtool ran: decides the file names of the CLI commands. */
  binary?: 'cilium' | 'cilium-dbg';
  markdown?: boolean;
  /** Maps whose dump is cut (bpftool killed). */
  cut?: string[];
  /** Maps to leave out. */
  omit?: string[];
  /** Include the captured bpftool map show. */
  mapShow?: boolean;
  /** Extra files (relative to the bugtool directory). */
  extra?: Record<string, string>;
}

/** The files of one bugtool directory, relative to it. */
export function bugtoolFiles(spec: NodeSpec): Record<string, string> {
  const files: Record<string, string> = {};
  const md = spec.markdown ?? false;
  for (const map of capturedMaps(spec.version)) {
    if (spec.omit?.includes(map)) continue;
    const prompt = `bpftool map dump pinned ${PIN}/${map}`;
    const text = dumpText(spec.version, map);
    const cut = spec.cut?.includes(map);
    files[`cmd/${bugtoolFileName(prompt)}`] = cut ? bugtoolOutput(prompt, cutDump(text), { error: 'signal: killed' }) : bugtoolOutput(prompt, text, { markdown: md });
  }
  // A map the package does not know, and one not pinned on this node.
  const unknown = `bpftool map dump pinned ${PIN}/cilium_call_policy`;
  files[`cmd/${bugtoolFileName(unknown)}`] = bugtoolOutput(unknown, 'key: 00 00 00 00  value: 2a 00 00 00\nFound 1 element\n', { markdown: md });
  const absent = `bpftool map dump pinned ${PIN}/cilium_lb6_reverse_nat`;
  if (!capturedMaps(spec.version).includes('cilium_lb6_reverse_nat')) {
    files[`cmd/${bugtoolFileName(absent)}`] = bugtoolOutput(absent, `Error: bpf obj get (${PIN}): No such file or directory\n`, { markdown: md, error: 'exit status 255' });
  }
  const bin = spec.binary ?? 'cilium-dbg';
  if (spec.status !== undefined) {
    const p = `${bin} status --verbose`;
    files[`cmd/${bugtoolFileName(p)}`] = bugtoolOutput(p, `KVStore:                 Ok   Disabled\nKubernetes:              Ok   1.29 (v1.29.2) [linux/amd64]\nCilium:                  Ok   ${spec.status}\nNodeMonitor:             Listening for events on 2 CPUs\n`, { markdown: md });
  }
  const ipc = `${bin} bpf ipcache list`;
  files[`cmd/${bugtoolFileName(ipc)}`] = bugtoolOutput(ipc, 'IP PREFIX/ADDRESS   IDENTITY\n', { markdown: md });
  if (spec.mapShow) files[`cmd/${bugtoolFileName('bpftool map show')}`] = bugtoolOutput('bpftool map show', readFileSync(join(FIXTURES, `v${spec.version}`, 'bpftool-map-show.md'), 'utf8'), { markdown: md });
  Object.assign(files, spec.extra ?? {});
  return files;
}

/** A bugtool .tar.gz as bugtool writes it: everything under its temporary directory. */
export async function bugtoolTarGz(files: Record<string, string>, top = 'cilium-bugtool-20260102-030405.123+0000-UTC-4242'): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => p.on('end', resolve));
  for (const [name, text] of Object.entries(files)) p.entry({ name: `${top}/${name}` }, text);
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A DaemonSet manifest with the agent image. */
export function daemonSetYaml(tag: string): string {
  return `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: cilium\nspec:\n  template:\n    spec:\n      containers:\n      - name: cilium-agent\n        image: quay.io/cilium/cilium:${tag}@sha256:0123\n      initContainers:\n      - name: config\n        image: quay.io/cilium/cilium:${tag}@sha256:0123\n`;
}

export const TS = '20260102-030405';

/** A cilium-sysdump zip: `cilium-sysdump-<ts>/` + per node a bugtool directory, or its .tar.gz. */
export async function sysdumpZip(nodes: Record<string, { files: Record<string, string>; tarGz?: boolean }>, opts: { daemonset?: string } = {}): Promise<Uint8Array> {
  const root = `cilium-sysdump-${TS}`;
  const z: Record<string, Uint8Array> = {};
  const enc = new TextEncoder();
  if (opts.daemonset) z[`${root}/cilium-daemonset-${TS}.yaml`] = enc.encode(daemonSetYaml(opts.daemonset));
  z[`${root}/cilium-sysdump.log`] = enc.encode('sysdump log\n');
  for (const [pod, n] of Object.entries(nodes)) {
    const dir = `${root}/cilium-bugtool-${pod}-${TS}`;
    if (n.tarGz) z[`${dir}.tar.gz`] = await bugtoolTarGz(n.files);
    else for (const [name, text] of Object.entries(n.files)) z[`${dir}/${name}`] = enc.encode(text);
  }
  return zipSync(z, { level: 6 });
}

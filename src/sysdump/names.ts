/**
 * How cilium-cli and cilium-bugtool name things: bugtool writes
 * every command's output to `cmd/<name>.md` with `name = prompt`, `/` → space, space → `-`
 * (`writeCmdToFile`, same rule from v1.10 to main); cilium-cli names each agent's directory
 * `cilium-bugtool-<pod>-<YYYYMMDD-HHMMSS>` and the sysdump `cilium-sysdump-<ts>`.
 */

/** The file bugtool writes a command's output to (`cmd/` relative): `bpftool map show` → `bpftool-map-show.md`. */
export function bugtoolFileName(prompt: string): string {
  return `${prompt.replaceAll('/', ' ').replaceAll(' ', '-')}.md`;
}

const DUMP_PREFIX = 'bpftool-map-dump-pinned-';

/**
 * The map a `bpftool map dump pinned <path>` output file holds: the last path component
 * (`bpftool-map-dump-pinned--sys-fs-bpf-tc-globals-cilium_ct4_global.md` → `cilium_ct4_global`).
 * Undefined for any other file. Map names never contain `-` or `/`, so the last `-` separates it.
 */
export function dumpFileMap(file: string): string | undefined {
  const base = baseName(file);
  if (!base.startsWith(DUMP_PREFIX) || !base.endsWith('.md')) return undefined;
  const path = base.slice(DUMP_PREFIX.length, -3);
  const name = path.slice(path.lastIndexOf('-') + 1);
  return name === '' ? undefined : name;
}

/** The `bpftool map show` output (key/value sizes of every map on the node). */
export const MAP_SHOW_FILE = bugtoolFileName('bpftool map show');

/** `cilium-dbg status --verbose` (v1.15+) and `cilium status --verbose` (v1.10 – v1.14). */
export const STATUS_FILES = [bugtoolFileName('cilium-dbg status --verbose'), bugtoolFileName('cilium status --verbose')] as const;

/** Last path component (`/` separated, as archives and POSIX paths are). */
export function baseName(path: string): string {
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  return p.slice(p.lastIndexOf('/') + 1);
}

const BUGTOOL_NAME = /^cilium-bugtool-(.+)-(\d{8}-\d{6})$/;
const ARCHIVE_EXT = /\.(tar\.gz|tgz|tar)$/;

/**
 * The agent pod of a bugtool directory or archive as cilium-cli names it
 * (`cilium-bugtool-cilium-x7k2p-20240502-101530[.tar.gz]` → `cilium-x7k2p`). Any other name (a
 * bugtool archive made by hand: `cilium-bugtool-20240502-101530.123+0000-UTC-812345.tar.gz`) is
 * returned without its archive extension: it is still unique per agent.
 */
export function nodeNameOf(dirOrArchive: string): string {
  const base = baseName(dirOrArchive).replace(ARCHIVE_EXT, '');
  return BUGTOOL_NAME.exec(base)?.[1] ?? base;
}

/** Whether a path component names a bugtool directory or archive. */
export function isBugtoolName(name: string): boolean {
  return /(^|-)cilium-bugtool-/.test(baseName(name));
}

/** Whether a file name is a bugtool archive (`.tar.gz`, `.tgz`, `.tar`). */
export function isArchiveName(name: string): boolean {
  return ARCHIVE_EXT.test(name);
}

/** `cilium-daemonset-<ts>.yaml`: the agent DaemonSet, whose image tag is the best version source. */
export function isDaemonSetFile(name: string): boolean {
  return /^cilium-daemonset-[0-9-]+\.yaml$/.test(baseName(name));
}

/**
 * Cilium's own list commands in the bugtool (`cilium[-dbg] bpf ipcache list`, `bpf endpoint list`,
 * `bpf lb list` and its `--frontends`, `--backends`, `--revnat` modes, `bpf ct list global [--time-diff]`,
 * `bpf ct list --time-diff` (v1.19+), `bpf nat list`): read when a map has no raw
 * dump (v1.10 dumps no lxc or ipcache with bpftool). Sorted names put `--frontends` before the
 * plain `lb list`, which carries fewer service fields.
 */
export function isListTextFile(file: string): boolean {
  return /^(cilium|cilium-dbg)-bpf-(ipcache-list|endpoint-list|lb-list(---frontends|---backends|---revnat)?|ct-list(-global)?(---time-diff)?|nat-list)\.md$/.test(baseName(file));
}

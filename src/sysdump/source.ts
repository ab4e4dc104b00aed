/**
 * One agent's bugtool output, wherever it lives (a directory, a directory inside a zip, a bugtool
 * `.tar.gz` on disk or inside a zip), read as files without extracting anything to disk.
 */

/** One file of a bugtool directory, named relative to it (`cmd/bpftool-map-show.md`). */
export interface BugtoolFile {
  readonly name: string;
  /** Its bytes in chunks; read at most once, and before asking for the next file. */
  chunks(): AsyncIterable<Uint8Array>;
}

/** One agent's bugtool output. */
export interface BugtoolSource {
  /** The agent pod (from cilium-cli's directory name), or the directory's name. */
  readonly node: string;
  /** Where it is, for messages (`sysdump.zip:cilium-sysdump-…/cilium-bugtool-…/`). */
  readonly where: string;
  /** Files can only be read in order, from the start (a tar archive): every pass costs a full read. */
  readonly sequential?: boolean;
  /**
   * The files `want` accepts, in the source's order. `want` sees every file name (so one pass
   * also lists the directory); a tar archive is read from the start on every call.
   */
  files(want: (name: string) => boolean): AsyncIterable<BugtoolFile>;
}

/** What a PATH holds: the agents, and the cluster-wide files cilium-cli adds. */
export interface Sysdump {
  /** What PATH turned out to be. */
  readonly form: 'sysdump-zip' | 'sysdump-directory' | 'bugtool-directory' | 'bugtool-archive';
  readonly nodes: BugtoolSource[];
  /** `cilium-daemonset-<ts>.yaml`, when present. */
  readonly daemonset?: () => Promise<string>;
  /** Things found but not read (e.g. a bugtool archive and its extracted directory both present). */
  readonly notes: string[];
  /** Releases open files (zip). */
  close(): Promise<void>;
}

/** Reads a whole (small) text file. */
export async function readText(chunks: AsyncIterable<Uint8Array>, limit = 64 << 20): Promise<string> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    if (n >= limit) continue;
    // Chunks may share a buffer that the producer refills: copy.
    parts.push(Uint8Array.from(c));
    n += c.length;
  }
  return Buffer.concat(parts).toString('utf8');
}

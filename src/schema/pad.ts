/**
 * Padding: explicit (`pad[2]`, `pad1`) or implicit (the compiler's alignment gap, such as the 4
 * bytes at offset 12 of `endpoint_info`). Written as zero; never part of a record. Non-zero bytes
 * are reported through the read context, because in another Cilium release they may hold data
 * (bytes 8-9 of a 12-byte ipcache value held `node_id` in v1.11.14-v1.14.0).
 */
import type { FieldType } from './field';

/** Options of {@link pad}. */
export interface PadOptions {
  /** Compiler-inserted rather than declared in C. Documentation only; both behave alike. */
  implicit?: boolean;
}

/** `n` bytes of padding. */
export function pad(n: number, opts: PadOptions = {}): FieldType<never, never> {
  return {
    kind: 'pad',
    size: n,
    align: 1,
    padding: true,
    params: { implicit: opts.implicit === true },
    read: (b, _v, off, ctx, site) => {
      for (let i = 0; i < n; i++) {
        if (b[off + i] !== 0) {
          ctx.padding(site.name, off - ctx.start, n);
          break;
        }
      }
      return undefined as never;
    },
    write: () => {
      /* the encode buffer starts zeroed */
    },
  };
}

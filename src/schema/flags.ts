/**
 * Flag bitfields: an unsigned integer in host order whose bits have names. Decodes to the raw
 * value, one boolean per named bit, and `unknown` (the bits no name covers in this layout), so
 * nothing is hidden: Cilium prints unknown bits too (`Unknown=%#04x`). Bit numbers are LSB-first,
 * which is how GCC and clang lay out C bitfields on little-endian targets.
 *
 * Two kinds of flags field exist in Cilium's structs, and they differ on a big-endian host:
 * - an integer tested with `#define` masks (`__u8 flags` of `lb4_service`, `SVC_FLAG_*`;
 *   `__u32 flags` of `endpoint_info`, `ENDPOINT_F_*`): bit n is `1 << n` on every host;
 * - C bit-fields (`__u8 flag_skip_tunnel:1, flag_has_tunnel_ep:1, …` of `remote_endpoint_info`):
 *   their place is the compiler's. The psABIs of big-endian targets allocate bit-fields from the
 *   most significant bit of the storage unit ("bit-fields are allocated from left to right (most
 *   to least significant)": the zSeries/s390x ELF ABI Supplement and the 64-bit PowerPC ELF ABI,
 *   "Bit-fields"), and GCC does so on every target where `BYTES_BIG_ENDIAN` is set (GCC Internals,
 *   "Storage Layout": `BYTES_BIG_ENDIAN` — not `BITS_BIG_ENDIAN` — decides how structure fields are
 *   packed); clang's `bpfeb` target, which Cilium's datapath is built with on such hosts, follows
 *   the same rule. So the first declared bit-field is bit 0 on little-endian hosts and bit
 *   `width - 1` on big-endian ones. Mark such fields `{ bitfield: true }`: the struct engine
 *   mirrors their bit numbers when it builds a big-endian schema (`--host-endian be`).
 */
import { checkUint, describeValue, type FieldType, type WriteContext } from './field';

/** A decoded flags field. */
export type FlagsValue<N extends string> = { raw: number } & { [K in N]: boolean } & { unknown: number };
/** What encoding a flags field accepts: the raw number, or named booleans (plus an optional raw base). */
export type FlagsInput<N extends string> = number | ({ raw?: number; unknown?: number } & { [K in N]?: boolean });

/** Options of {@link flags}. */
export interface FlagsOptions {
  /** 1, 2 or 4 bytes. */
  size?: 1 | 2 | 4;
  /**
   * The names are C bit-fields in declaration order (bit 0 = the first declared), not `#define`
   * masks: on a big-endian host they are allocated from the most significant bit (see above).
   */
  bitfield?: boolean;
}

/**
 * A flags field of `size` bytes whose bit `bits[name]` is called `name`.
 * @param bits name → bit index (0 = least significant).
 */
export function flags<const N extends string>(bits: Readonly<Record<N, number>>, opts: FlagsOptions = {}): FieldType<FlagsValue<N>, FlagsInput<N>> {
  const size = opts.size ?? 1;
  const width = size * 8;
  const names = Object.keys(bits) as N[];
  const masks = names.map((n) => 2 ** bits[n]);
  let known = 0;
  for (const n of names) {
    const bit = bits[n];
    if (!Number.isInteger(bit) || bit < 0 || bit >= width) throw new RangeError(`flags: bit ${bit} of ${n} does not fit ${width} bits`);
    known |= 1 << bit;
  }
  known >>>= 0;
  const readRaw = (v: DataView, off: number, le: boolean): number =>
    size === 1 ? v.getUint8(off) : size === 2 ? v.getUint16(off, le) : v.getUint32(off, le);
  return {
    kind: 'flags',
    size,
    align: size,
    padding: false,
    params: { bits, known, bitfield: opts.bitfield === true },
    read: (_b, v, off, ctx) => {
      const raw = readRaw(v, off, ctx.le);
      const out: Record<string, number | boolean> = { raw };
      for (let i = 0; i < names.length; i++) out[names[i]!] = (raw & masks[i]!) !== 0;
      out.unknown = (raw & ~known) >>> 0;
      return out as FlagsValue<N>;
    },
    write: (_b, v, off, value, ctx) => {
      const raw = flagsToRaw(value, bits, width, ctx);
      if (size === 1) v.setUint8(off, raw);
      else if (size === 2) v.setUint16(off, raw, ctx.le);
      else v.setUint32(off, raw, ctx.le);
    },
  };
}

/** Resolves a flags input to its raw number, checking that raw and named bits agree. */
export function flagsToRaw(value: unknown, bits: Readonly<Record<string, number>>, width: number, ctx: WriteContext): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return checkUint(value, width, ctx);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ctx.fail(`expected a number or an object of named flag booleans, got ${describeValue(value)}`);
  }
  const obj = value as Record<string, unknown>;
  // Own properties only: a polluted Object.prototype.raw must not turn into bits.
  const hasRaw = Object.hasOwn(obj, 'raw') && obj.raw !== undefined;
  let raw = hasRaw ? checkUint(obj.raw, width, ctx) : 0;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'raw') continue;
    if (k === 'unknown') {
      const u = checkUint(v, width, ctx);
      if (hasRaw) {
        if (((raw & ~knownMask(bits)) >>> 0) !== u) throw ctx.fail(`unknown=${hex(u)} disagrees with raw=${hex(raw)}`);
      } else raw = (raw | u) >>> 0;
      continue;
    }
    const bit = Object.hasOwn(bits, k) ? bits[k] : undefined;
    if (bit === undefined) throw ctx.fail(`unknown flag "${k}"; this layout names: ${Object.keys(bits).join(', ') || '(none)'}`);
    if (typeof v !== 'boolean') throw ctx.fail(`flag "${k}" must be true or false, got ${describeValue(v)}`);
    const m = 2 ** bit;
    if (hasRaw) {
      if (((raw & m) !== 0) !== v) throw ctx.fail(`${k}=${v} disagrees with raw=${hex(raw)}; give the raw value or the named flags, not both`);
    } else if (v) raw = (raw | m) >>> 0;
  }
  return raw;
}

function knownMask(bits: Readonly<Record<string, number>>): number {
  let m = 0;
  for (const b of Object.values(bits)) m |= 1 << b;
  return m >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * The same bit-field flags as a big-endian host's compiler lays them out: bit `b` becomes bit
 * `width - 1 - b` of the storage unit. Only for fields built with `{ bitfield: true }`.
 */
export function mirroredBitfield(bits: Readonly<Record<string, number>>, size: 1 | 2 | 4): FieldType<FlagsValue<string>, FlagsInput<string>> {
  const width = size * 8;
  const out: Record<string, number> = {};
  for (const [n, b] of Object.entries(bits)) out[n] = width - 1 - b;
  return flags(out, { size, bitfield: true });
}

/**
 * Unsigned integers in host byte order. Cilium's `__u16`/`__u32`/`__u64` fields are native-endian
 * (little-endian on x86-64 and arm64, docs/layouts.md); the struct chooses the order, so an
 * s390x dump can be read by defining the schema big-endian. Never restructure's BE default.
 */
import { checkUint, type FieldType } from './field';

/** `__u8`. */
export const u8: FieldType<number, number> = {
  kind: 'u8',
  size: 1,
  align: 1,
  padding: false,
  read: (b, _v, off) => b[off]!,
  write: (b, _v, off, value, ctx) => {
    b[off] = value === undefined ? 0 : checkUint(value, 8, ctx);
  },
};

/** `__u16` in host order. */
export const u16: FieldType<number, number> = {
  kind: 'u16',
  size: 2,
  align: 2,
  padding: false,
  read: (_b, v, off, ctx) => v.getUint16(off, ctx.le),
  write: (_b, v, off, value, ctx) => v.setUint16(off, value === undefined ? 0 : checkUint(value, 16, ctx), ctx.le),
};

/** `__u32` in host order. */
export const u32: FieldType<number, number> = {
  kind: 'u32',
  size: 4,
  align: 4,
  padding: false,
  read: (_b, v, off, ctx) => v.getUint32(off, ctx.le),
  write: (_b, v, off, value, ctx) => v.setUint32(off, value === undefined ? 0 : checkUint(value, 32, ctx), ctx.le),
};

/**
 * `__u64` in host order, as `bigint` all the way through: JSON.parse and `number` lose everything
 * past 2^53 (restructure has no 64-bit type at all, its issue #46). Encoding also takes a safe
 * integer `number` or a decimal string.
 */
export const u64: FieldType<bigint, bigint | number | string> = {
  kind: 'u64',
  size: 8,
  align: 8,
  padding: false,
  read: (_b, v, off, ctx) => v.getBigUint64(off, ctx.le),
  write: (_b, v, off, value, ctx) => {
    let n: bigint;
    if (value === undefined) n = 0n;
    else if (typeof value === 'bigint') n = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
    else if (typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)) n = BigInt(value);
    else throw ctx.fail(`expected an unsigned 64-bit integer (bigint, safe integer or decimal string), got ${String(value)}`);
    if (n < 0n || n > 0xffff_ffff_ffff_ffffn) throw ctx.fail(`${n} is out of range for u64`);
    v.setBigUint64(off, n, ctx.le);
  },
};

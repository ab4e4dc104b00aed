/**
 * Network-order (big-endian) integers: `__be16` ports, and the `__u16` fields the Go agent swaps
 * with `ToNetwork()` before writing (`rev_nat_index`, the reverse-NAT key; docs/layouts.md).
 * They decode to host-order numbers (port 53, not 13568; cilium/cilium#13243 shows the bug).
 */
import { checkUint, type FieldType } from './field';

/** `__be16`: decoded as the host-order number. */
export const be16: FieldType<number, number> = {
  kind: 'be16',
  size: 2,
  align: 2,
  padding: false,
  read: (_b, v, off) => v.getUint16(off, false),
  write: (_b, v, off, value, ctx) => v.setUint16(off, value === undefined ? 0 : checkUint(value, 16, ctx), false),
};

/** `__be32`: decoded as the host-order number. */
export const be32: FieldType<number, number> = {
  kind: 'be32',
  size: 4,
  align: 4,
  padding: false,
  read: (_b, v, off) => v.getUint32(off, false),
  write: (_b, v, off, value, ctx) => v.setUint32(off, value === undefined ? 0 : checkUint(value, 32, ctx), false),
};

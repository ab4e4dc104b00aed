/**
 * `mac_t`: a `__u64` whose first 6 bytes are the MAC in wire order and whose last 2 are zero
 * (docs/layouts.md). Go reads it as a native u64 and prints the low byte first, which is wire
 * order on LE hosts; we copy the 6 bytes, so the result does not depend on host order.
 */
import { describeValue, type FieldType } from './field';
import { formatMac, parseMacInto } from './ip-text';

/** A MAC address in a `mac_t` (8 bytes, aligned like the u64 it is). */
export const mac: FieldType<string, string> = {
  kind: 'mac',
  size: 8,
  align: 8,
  padding: false,
  read: (b, _v, off, ctx, site) => {
    if (b[off + 6] !== 0 || b[off + 7] !== 0) ctx.padding(`${site.name}[6..7]`, off - ctx.start + 6, 2);
    return formatMac(b, off);
  },
  write: (b, _v, off, value, ctx) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || !parseMacInto(value, b, off)) {
      throw ctx.fail(`expected a MAC address like ea:c4:71:d6:4f:a0, got ${describeValue(value)}`);
    }
  },
};

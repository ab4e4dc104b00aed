/**
 * IP addresses stored as raw wire-order bytes (`__be32` addresses, `union v6addr`). They decode to
 * canonical text: dotted quad, RFC 5952 for IPv6.
 */
import { describeValue, type FieldType } from './field';
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from './ip-text';

/** An IPv4 address in 4 bytes (a `__be32` in C). */
export const ipv4: FieldType<string, string> = {
  kind: 'ipv4',
  size: 4,
  align: 4,
  padding: false,
  read: (b, _v, off) => formatIPv4(b, off),
  write: (b, _v, off, value, ctx) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || !parseIPv4Into(value, b, off)) {
      throw ctx.fail(`expected an IPv4 address like 10.96.0.10, got ${describeValue(value)}`);
    }
  },
};

/** An IPv6 address in 16 bytes (`union v6addr`, declared `__packed`, so alignment 1). */
export const ipv6: FieldType<string, string> = {
  kind: 'ipv6',
  size: 16,
  align: 1,
  padding: false,
  read: (b, _v, off) => formatIPv6(b, off),
  write: (b, _v, off, value, ctx) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || !parseIPv6Into(value, b, off)) {
      throw ctx.fail(`expected an IPv6 address like fd00::1, got ${describeValue(value)}`);
    }
  },
};

/**
 * A 16-byte address union chosen by a sibling discriminant: Cilium's `{ __u32 ip4, pad1, pad2,
 * pad3 } | union v6addr ip6` (v1.20: `union v4addr ip4`). IPv4 fills bytes 0-3 and the rest must be
 * zero (docs/layouts.md). The discriminant is either a `family` byte (endpoint and ipcache keys:
 * 1 = IPv4, 2 = IPv6) or a flag bit (`flag_ipv6_tunnel_ep` in the 24-byte ipcache value). It may
 * sit before or after the union in the struct, so the engine resolves its offset at definition.
 */
import { describeValue, type FieldType, type FieldSite, type WriteContext } from './field';
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from './ip-text';

/** How the union learns which arm is live. */
export type AddrDiscriminant =
  /** A byte field: `v4` → IPv4, `v6` → IPv6; any other value decodes all 16 bytes as IPv6 text, losslessly. */
  | { by: 'family'; field: string; v4: number; v6: number }
  /** A bit of a flags byte: set → IPv6, clear → IPv4. `flag` is the bit's name in that flags field. */
  | { by: 'flag'; field: string; bit: number; flag: string };

/** A bound site with the discriminant's struct-relative offset resolved by the engine. */
export interface UnionSite extends FieldSite {
  readonly refOffset?: number;
}

/** A 16-byte IPv4/IPv6 union, decoded to one address string. */
export function addrUnion(disc: AddrDiscriminant): FieldType<string, string> & { readonly discriminant: AddrDiscriminant } {
  const isV6Byte = (d: number): 0 | 1 | 2 =>
    disc.by === 'family' ? (d === disc.v6 ? 2 : d === disc.v4 ? 1 : 0) : (d >> disc.bit) & 1 ? 2 : 1;
  return {
    kind: 'addr16',
    size: 16,
    align: 1,
    padding: false,
    params: { discriminant: disc },
    discriminant: disc,
    read: (b, _v, off, ctx, site) => {
      const ref = (site as UnionSite).refOffset!;
      const arm = isV6Byte(b[ctx.start + ref]!);
      if (arm === 1) {
        for (let i = 4; i < 16; i++) {
          if (b[off + i] !== 0) {
            ctx.padding(`${site.name}[4..15]`, off - ctx.start + 4, 12);
            break;
          }
        }
        return formatIPv4(b, off);
      }
      return formatIPv6(b, off);
    },
    write: (b, _v, off, value, ctx, site) => {
      if (value === undefined) return;
      if (typeof value !== 'string') throw ctx.fail(`expected an IPv4 or IPv6 address, got ${describeValue(value)}`);
      const wantV6 = discriminantSaysV6(disc, ctx);
      if (wantV6 === false) {
        if (!parseIPv4Into(value, b, off)) throw ctx.fail(`${disc.field} says IPv4 but ${describeValue(value)} is not an IPv4 address`);
      } else if (!parseIPv6Into(value, b, off)) {
        throw ctx.fail(wantV6 === true ? `${disc.field} says IPv6 but ${describeValue(value)} is not an IPv6 address` : `expected an IPv6 address for ${disc.field}=${String(ctx.input[disc.field])}, got ${describeValue(value)}`);
      }
      void site;
    },
  };
}

/** true/false when the input's discriminant picks IPv6/IPv4, undefined for an unknown family. */
function discriminantSaysV6(disc: AddrDiscriminant, ctx: WriteContext): boolean | undefined {
  const d = ctx.input[disc.field];
  if (disc.by === 'family') {
    if (d === disc.v4) return false;
    if (d === disc.v6) return true;
    return undefined;
  }
  if (typeof d === 'number') return ((d >> disc.bit) & 1) === 1;
  if (d && typeof d === 'object') {
    const o = d as Record<string, unknown>;
    if (Object.hasOwn(o, disc.flag) && typeof o[disc.flag] === 'boolean') return o[disc.flag] as boolean;
    if (Object.hasOwn(o, 'raw') && typeof o.raw === 'number') return ((o.raw >> disc.bit) & 1) === 1;
  }
  return false;
}

/**
 * BTF-formatted entries (plain `bpftool map dump` of a map that has BTF, test/fixtures/bpftool-formats)
 * carry no raw bytes, only typed trees. This rebuilds the bytes from the tree by C member name,
 * using our schema's layout for offsets, so BTF output decodes to exactly the same records as the
 * hex forms.
 *
 * How bpftool prints each kind (btf_dumper.c) decides how a value goes back to bytes:
 * integers — including `__be16`/`__be32` typedefs — print as the host-order reading of their
 * bytes, so writing them back in host order restores the bytes; u64 (and `mac_t`) can exceed 2^53,
 * so the literal text is parsed as a BigInt; bitfields print as bare hex (`0x1`); anonymous
 * unions appear under `""` (possibly several times in one object); `union v6addr` and the
 * address unions are rebuilt from their `addr` byte array, never from the lossy u32/u64 views.
 */
import type { BtfNode } from '../bpftool/events';
import type { AnySchema, Endian } from '../schema/index';
import { CodecError } from '../schema/errors';

/** A BTF tree that cannot be mapped onto a layout. */
export class BtfMappingError extends CodecError {
  override name = 'BtfMappingError';
}

/** Older C names of fields whose newest name the records use. */
export const BTF_ALIASES: Readonly<Record<string, readonly string[]>> = {
  sec_identity: ['sec_label'],
  ext_local_scope: ['local_scope'],
};

type Leaves = Map<string, BtfNode>;

/** Every named member anywhere in the tree (first occurrence wins), descending through `""`. */
function collect(node: BtfNode, into: Leaves, parents?: Map<string, BtfNode>): void {
  if (node.kind !== 'object') return;
  for (const [name, child] of node.members) {
    if (name !== '' && !into.has(name)) {
      into.set(name, child);
      parents?.set(name, node);
    }
    if (child.kind === 'object') collect(child, into, parents);
  }
}

function toBigInt(n: BtfNode, what: string): bigint {
  if (n.kind === 'number') {
    const t = n.text.trim();
    if (/^-?(0|[1-9][0-9]*)$/.test(t) || /^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  }
  if (n.kind === 'bool') return n.value ? 1n : 0n;
  throw new BtfMappingError(`BTF member ${what} is not an integer`);
}

function addrBytes(n: BtfNode | undefined): number[] | undefined {
  if (!n) return undefined;
  if (n.kind === 'array' && n.items.length === 16 && n.items.every((i) => i.kind === 'number')) {
    return n.items.map((i) => Number(inRange(toBigInt(i, 'addr'), 1, 'an address byte', i)));
  }
  if (n.kind === 'object') {
    const leaves: Leaves = new Map();
    collect(n, leaves);
    return addrBytes(leaves.get('addr'));
  }
  return undefined;
}

/**
 * Every member of Cilium's map structs is unsigned (`__u8`..`__u64`, `__be16`/`__be32`, bitfields):
 * a value outside its C range (`"family": 257`, an address byte 266, `"ifindex": -1`) was not printed
 * by bpftool from these bytes, and cutting it to size would make a wrong record.
 */
function inRange(v: bigint, size: number, what: string, n: BtfNode, bits = size * 8): bigint {
  if (v < 0n || v >= 1n << BigInt(bits)) {
    const text = n.kind === 'number' ? n.text : String(v);
    throw new BtfMappingError(`BTF member ${what} = ${text} is outside the range of its ${bits === size * 8 ? `${size}-byte unsigned field` : `${bits}-bit field`} (0..${(1n << BigInt(bits)) - 1n})`);
  }
  return v;
}

function writeInt(out: Uint8Array, off: number, size: number, v: bigint, le: boolean): void {
  let x = v;
  for (let i = 0; i < size; i++) {
    out[le ? off + i : off + size - 1 - i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** Union views and padding that never carry data of their own. */
export const BTF_VIEWS: ReadonlySet<string> = new Set(['ip4', 'ip6', 'addr', 'p1', 'p2', 'p3', 'p4', 'd1', 'd2', 'pad', 'pad1', 'pad2', 'pad3', 'pad4', 'pad5', 'pad6', 'data', 'prefixlen_unused']);

/** A non-zero BTF member the layout has no field for (it would otherwise vanish silently). */
export interface UnplacedMember {
  name: string;
  text: string;
}

/**
 * Rebuilds the bytes of one struct (a key or value) from bpftool's BTF tree, by member name.
 * Non-zero members the layout has no place for are pushed to `unplaced`.
 * @param endian host byte order of the machine that printed the tree.
 */
export function btfToBytes(node: BtfNode, schema: AnySchema, endian: Endian = 'le', unplaced?: UnplacedMember[]): Uint8Array {
  const le = endian === 'le';
  const out = new Uint8Array(schema.sizeof);
  const data = schema.layout.filter((f) => !f.padding);
  // A bare number (backend ID key, reverse-NAT key) is the struct's only field.
  if (node.kind !== 'object') {
    if (data.length !== 1) throw new BtfMappingError(`${schema.label} has ${data.length} fields but bpftool printed a single value`);
    const f = data[0]!;
    writeInt(out, f.offset, f.size, inRange(toBigInt(node, f.name), f.size, f.name, node), le);
    return out;
  }
  const leaves: Leaves = new Map();
  const parents = new Map<string, BtfNode>();
  collect(node, leaves, parents);
  const used = new Set<string>();
  const find = (name: string): BtfNode | undefined => {
    const direct = leaves.get(name);
    if (direct) {
      used.add(name);
      return direct;
    }
    for (const alt of BTF_ALIASES[name] ?? []) {
      if (leaves.has(alt)) {
        used.add(alt);
        return leaves.get(alt);
      }
    }
    return undefined;
  };
  for (const f of data) {
    const v = find(f.name);
    if (f.kind === 'addr16' || f.kind === 'ipv6') {
      // `ip` of endpoint/ipcache keys is an anonymous union: its `addr` array sits under `""`.
      const bytes = addrBytes(v) ?? (f.kind === 'addr16' ? addrBytes(leaves.get('ip6')) ?? addrBytes(leaves.get('addr')) : undefined);
      if (bytes) {
        out.set(bytes, f.offset);
        continue;
      }
      const ip4 = v?.kind === 'number' ? v : leaves.get('ip4');
      if (ip4 && f.kind === 'addr16') {
        writeInt(out, f.offset, 4, inRange(toBigInt(ip4, 'ip4'), 4, 'ip4', ip4), le);
        continue;
      }
      throw new BtfMappingError(`${schema.label}: no address bytes for ${f.name} in the BTF output`);
    }
    if (f.kind === 'flags') {
      if (v) {
        writeInt(out, f.offset, f.size, inRange(toBigInt(v, f.name), f.size, f.name, v), le);
        continue;
      }
      // C bitfields (`flag_skip_tunnel:1`, ...): each named bit is its own member.
      const bits = (f.type.params as { bits: Record<string, number> }).bits;
      let raw = 0n;
      let any = false;
      for (const [name, bit] of Object.entries(bits)) {
        const b = leaves.get(name);
        if (!b) continue;
        any = true;
        used.add(name);
        // A one-bit bitfield prints as 0 or 1 (bare hex `0x1`); anything else is not one bit.
        if (inRange(toBigInt(b, name), 1, name, b, 1) !== 0n) raw |= 1n << BigInt(bit);
      }
      if (!any) throw new BtfMappingError(`${schema.label}: no ${f.name} (or its bits) in the BTF output`);
      writeInt(out, f.offset, f.size, raw, le);
      continue;
    }
    if (!v) throw new BtfMappingError(`${schema.label}: member ${f.name} is not in the BTF output (is this the right map or Cilium version?)`);
    if (f.kind === 'array') throw new BtfMappingError(`${schema.label}: array member ${f.name} cannot be rebuilt from BTF`);
    // Integers, be16/be32 typedefs, ipv4 (`__be32`), mac_t (u64): the host-order reading, written back.
    writeInt(out, f.offset, f.size, inRange(toBigInt(v, f.name), f.size, f.name, v), le);
  }
  if (unplaced) {
    for (const [name, n] of leaves) {
      if (used.has(name) || BTF_VIEWS.has(name) || n.kind !== 'number') continue;
      // Another member of the same anonymous union was placed: this one views the same bytes.
      const parent = parents.get(name);
      if (parent?.kind === 'object' && parent !== node && parent.members.some(([m]) => used.has(m))) continue;
      if (/^0x0*$|^0$/i.test(n.text.trim())) continue;
      unplaced.push({ name, text: n.text });
    }
  }
  return out;
}

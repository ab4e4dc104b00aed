/**
 * Real-shaped entries for every schema, built from the schema's own layout (no per-map code), so
 * the benchmark measures what a dump of a live node costs: pod addresses 10.244.x.y and
 * fd00:10:244:x::y (half of the address unions IPv6, as on a dual-stack node), service VIPs,
 * small identities and ports, MACs with their two zero bytes, zeroed padding, valid LPM prefixes.
 * Deterministic (a fixed xorshift seed) so runs compare.
 */

/** xorshift32; deterministic. */
export function rng(seed = 0x9e3779b9) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function setUint(b, off, size, v, le) {
  for (let i = 0; i < size; i++) b[off + (le ? i : size - 1 - i)] = Math.floor(v / 2 ** (8 * i)) & 0xff;
}

/** One entry of `schema` (bytes of `sizeof`), the `i`-th of a dump. */
export function makeEntry(schema, i, rand) {
  const b = new Uint8Array(schema.sizeof);
  const le = schema.endian === 'le';
  const v6 = (i & 1) === 1;
  const writeV4 = (off) => b.set([10, 244, (i >> 8) & 0xff, i & 0xff], off);
  const writeV6 = (off) => b.set([0xfd, 0x00, 0x00, 0x10, 0x02, 0x44, 0x00, (i >> 16) & 0xff, 0, 0, 0, 0, 0, 0, (i >> 8) & 0xff, i & 0xff], off);
  for (const f of schema.layout) {
    const off = f.offset;
    switch (f.kind) {
      case 'u8':
        b[off] = rand() % 8;
        break;
      case 'u16':
      case 'be16':
        setUint(b, off, 2, f.name.includes('port') ? [53, 80, 443, 8080][rand() % 4] : rand() % 4096, f.kind === 'u16' ? le : false);
        break;
      case 'u32':
      case 'be32':
        setUint(b, off, 4, rand() % 70000, f.kind === 'u32' ? le : false);
        break;
      case 'u64':
        setUint(b, off, 8, rand() * 1024, le);
        break;
      case 'ipv4':
        writeV4(off);
        break;
      case 'ipv6':
        writeV6(off);
        break;
      case 'mac':
        b.set([0x0a, rand() & 0xff, rand() & 0xff, rand() & 0xff, rand() & 0xff, rand() & 0xff, 0, 0], off);
        break;
      case 'flags': {
        const { known } = f.type.params;
        setUint(b, off, f.size, rand() & known & 0x3, le);
        break;
      }
      default:
        break; // pad, arrays of pad, unions: below
    }
  }
  for (const f of schema.layout) {
    if (f.kind !== 'addr16') continue;
    const d = f.type.params.discriminant;
    if (d.by === 'family') b[f.refOffset] = v6 ? d.v6 : d.v4;
    else b[f.refOffset] = v6 ? b[f.refOffset] | (1 << d.bit) : b[f.refOffset] & ~(1 << d.bit);
    if (v6) writeV6(f.offset);
    else writeV4(f.offset);
  }
  if (schema.name === 'ipcache_key') setUint(b, 0, 4, 32 + (v6 ? 128 : 32), le); // host routes, /32 and /128
  return b;
}

/** `n` entries of `schema` back to back in one buffer (the shape of a dump). */
export function makeDump(schema, n, seed = 1) {
  const rand = rng(seed);
  const buf = new Uint8Array(n * schema.sizeof);
  for (let i = 0; i < n; i++) buf.set(makeEntry(schema, i, rand), i * schema.sizeof);
  return buf;
}

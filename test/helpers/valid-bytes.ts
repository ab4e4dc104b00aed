/**
 * Turns arbitrary bytes into bytes a real map could hold for a schema, using only the schema's
 * own layout: padding zeroed, union discriminants set to a real family, IPv4 arms zero past byte 4,
 * MAC high bytes zero, LPM prefixlen in range. Property tests feed these to decode → encode.
 */
import type { AnySchema } from '../../src/schema/index';

export function makeValid(schema: AnySchema, raw: Uint8Array, seed: number): Uint8Array {
  const b = Uint8Array.from(raw);
  const le = schema.endian === 'le';
  const dv = new DataView(b.buffer);
  for (const f of schema.layout) {
    if (f.padding) b.fill(0, f.offset, f.offset + f.size);
    if (f.kind === 'mac') b.fill(0, f.offset + 6, f.offset + 8);
  }
  for (const f of schema.layout) {
    if (f.kind !== 'addr16') continue;
    const disc = (f.type.params as { discriminant: { by: string; v4?: number; v6?: number; bit?: number } }).discriminant;
    const v6 = (seed & 1) === 1;
    const ref = f.refOffset!;
    if (disc.by === 'family') b[ref] = v6 ? disc.v6! : disc.v4!;
    else b[ref] = v6 ? b[ref]! | (1 << disc.bit!) : b[ref]! & ~(1 << disc.bit!);
    if (!v6) b.fill(0, f.offset + 4, f.offset + 16);
  }
  if (schema.name === 'ipcache_key') {
    const fam = b[7];
    const max = fam === 2 ? 128 : 32;
    const bits = seed % (max + 1);
    dv.setUint32(0, 32 + bits, le);
    // Clear host bits past the prefix, as the datapath does.
    for (let i = 0; i < 16; i++) {
      const keep = Math.max(0, Math.min(8, bits - 8 * i));
      b[8 + i] = b[8 + i]! & ((0xff << (8 - keep)) & 0xff);
    }
  }
  return b;
}

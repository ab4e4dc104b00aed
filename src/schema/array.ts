/**
 * Fixed-length arrays (`__u8 pad[2]`, `__u32 pad[3]`). An array of padding is padding.
 */
import { describeValue, type FieldType, type DecodedOf, type EncodableOf } from './field';

/** `count` elements of `elem`, back to back. */
export function array<const T extends FieldType<any, any>>(elem: T, count: number): FieldType<DecodedOf<T>[], EncodableOf<T>[]> {
  return {
    kind: 'array',
    size: elem.size * count,
    align: elem.align,
    padding: elem.padding,
    params: { elem, count },
    read: (b, v, off, ctx, site) => {
      const out: DecodedOf<T>[] = [];
      for (let i = 0; i < count; i++) out.push(elem.read(b, v, off + i * elem.size, ctx, { name: `${site.name}[${i}]`, offset: site.offset + i * elem.size }));
      return out;
    },
    write: (b, v, off, value, ctx, site) => {
      if (value === undefined) return;
      if (!Array.isArray(value) || value.length !== count) {
        throw ctx.fail(`expected an array of ${count} elements, got ${describeValue(value)}${Array.isArray(value) ? ` of ${value.length}` : ''}`);
      }
      for (let i = 0; i < count; i++) elem.write(b, v, off + i * elem.size, value[i], ctx, { name: `${site.name}[${i}]`, offset: site.offset + i * elem.size });
    },
  };
}

/** fast-check round trips for every schema and layout variant in the catalogue, both byte orders. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniqueSchemas } from '../helpers/schemas';
import { makeValid } from '../helpers/valid-bytes';

const schemas = new Map(uniqueSchemas().map((s) => [`${s.label} ${s.header}`, s] as const));

describe('every schema round-trips real-shaped bytes', () => {
  it('covers every variant named in cilium-layouts.md', () => {
    const variants = new Set([...schemas.values()].map((s) => `${s.name}/${s.variant ?? ''}`));
    for (const v of ['EK-A', 'EK-B', 'EK-C']) expect(variants).toContain(`endpoint_key/${v}`);
    for (const v of ['EI-A', 'EI-B', 'EI-C', 'EI-D']) expect(variants).toContain(`endpoint_info/${v}`);
    for (const v of ['IK-A', 'IK-B', 'IK-C']) expect(variants).toContain(`ipcache_key/${v}`);
    for (const v of ['RE-A', 'RE-B', 'RE-C', 'RE-D', 'RE-E', 'RE-F']) expect(variants).toContain(`remote_endpoint_info/${v}`);
    for (const v of ['SV-A', 'SV-B', 'SV-C']) expect(variants).toContain(`lb_service/${v}`);
    for (const v of ['BE-A', 'BE-B', 'BE-C', 'BE-D', 'BE-E']) {
      expect(variants).toContain(`lb4_backend/${v}`);
      expect(variants).toContain(`lb6_backend/${v}`);
    }
    for (const n of ['lb4_key/', 'lb6_key/', 'lb4_reverse_nat/', 'lb6_reverse_nat/', 'lb_rev_nat_key/', 'lb_backend_key/u16', 'lb_backend_key/u32']) expect(variants).toContain(n);
  });

  for (const [name, schema] of schemas) {
    for (const endian of ['le', 'be'] as const) {
      it(`${name} (${endian}): encode(decode(bytes)) === bytes, decode(encode(record)) === record`, () => {
        const s = schema.withEndian(endian);
        fc.assert(
          fc.property(fc.uint8Array({ minLength: s.sizeof, maxLength: s.sizeof }), fc.nat(), (raw, seed) => {
            const bytes = makeValid(s, raw, seed);
            const rec = s.decode(bytes, { strictPadding: true });
            expect(Array.from(s.encode(rec))).toEqual(Array.from(bytes));
            expect(s.decode(s.encode(rec))).toEqual(rec);
          }),
          { numRuns: 150 },
        );
      });
    }
  }
});

/** Every schema the catalogue uses, for tests that must cover them all. */
import { MAPS } from '../../src/cilium/catalog';
import type { AnySchema } from '../../src/schema/index';

/** Every key and value schema of every layout of every map, deduplicated (host byte order). */
export function uniqueSchemas(): AnySchema[] {
  const seen = new Set<AnySchema>();
  for (const m of MAPS) for (const l of m.layouts) seen.add(l.key).add(l.value);
  return [...seen];
}

/** The same in both byte orders, named for test titles. */
export function catalogueSchemas(): { name: string; schema: AnySchema }[] {
  return uniqueSchemas().flatMap((s) => (['le', 'be'] as const).map((e) => ({ name: `${s.label} [${s.header}] ${e}`, schema: s.withEndian(e) })));
}

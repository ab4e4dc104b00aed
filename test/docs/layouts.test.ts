/**
 * docs/layouts.md is generated from the schemas (scripts/gen-layout-doc.mjs): the committed file
 * must equal what the code generates now, so the byte-layout reference can never drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkg from '../../src/index';
import { layoutDoc } from '../../scripts/gen-layout-doc.mjs';
import { repoRoot } from '../helpers/shared';

describe('docs/layouts.md', () => {
  const committed = readFileSync(join(repoRoot, 'docs', 'layouts.md'), 'utf8');
  const generated = layoutDoc(pkg);

  it('equals the reference generated from the schemas (npm run build && node scripts/gen-layout-doc.mjs)', () => {
    expect(committed).toBe(generated);
  });

  it('covers every map and every struct of every layout, with offsets that add up', () => {
    for (const m of pkg.MAPS) {
      expect(generated).toContain(`### ${m.name}\n`);
      for (const l of m.layouts) {
        for (const s of [l.key, l.value]) {
          const title = s.variant ? `### ${s.name} (${s.variant})\n` : `### ${s.name}\n`;
          const at = generated.indexOf(title);
          expect(at, title).toBeGreaterThan(0);
          const last = s.layout[s.layout.length - 1]!;
          expect(generated.slice(at, generated.indexOf('\n### ', at + 1))).toContain(`| ${last.offset} | ${last.size} |`);
          expect(last.offset + last.size).toBe(s.sizeof);
        }
      }
    }
  });
});

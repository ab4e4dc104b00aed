/**
 * resolveMap's doc comment (its typedoc page) lists every map of the catalogue with its aliases
 * and versions: this test regenerates the table from MAPS and compares, so the page cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAPS, formatRange } from '../../src/index';
import { repoRoot } from '../helpers/shared';

describe("resolveMap's documentation", () => {
  it('lists every map, alias and version range of the catalogue, in order', () => {
    const src = readFileSync(join(repoRoot, 'src', 'cilium', 'catalog.ts'), 'utf8');
    const doc = src.slice(src.lastIndexOf('/**', src.indexOf('export function resolveMap')), src.indexOf('export function resolveMap'));
    const rows = doc.split('\n').filter((l) => /^ \* \| `/.test(l));
    const want = MAPS.map((m) => ` * | \`${m.name}\` | ${m.aliases.map((a) => `\`${a}\``).join(', ')} | ${m.versions.map(formatRange).join(', ')} |`);
    expect(rows, 'regenerate the table in the resolveMap doc comment from MAPS').toEqual(want);
  });
});

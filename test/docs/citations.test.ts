/**
 * The package and README cite only what ships or is in the repository: never the reference notes
 * the project was written from (they are not in the package, and a reader cannot open them).
 * Layouts are cited as docs/layouts.md (generated), bpftool formats as the captures in
 * test/fixtures/bpftool-formats.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared';

const NOT_SHIPPED = /\b(cilium-layouts|bpftool-formats|datapath-maps|style-anchors|ecosystem|architecture)\.md\b|shared\/(reference|fixtures)|\.\.\/shared\b/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('citations', () => {
  it('src/ and README.md name no file outside the package and the repository', () => {
    const hits: string[] = [];
    for (const f of [...files(join(repoRoot, 'src')), join(repoRoot, 'README.md')]) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (NOT_SHIPPED.test(line)) hits.push(`${relative(repoRoot, f)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});

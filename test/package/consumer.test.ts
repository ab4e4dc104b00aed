/**
 * The published shape works for a TypeScript consumer: `npm pack` the package, install the
 * tarball into a scratch project (unpacked into node_modules as npm would, with the one runtime
 * dependency linked from ours: no network), and type-check consumer/consumer.ts against it under
 * `node16` resolution (as ESM, .mts → the `import` types; and as CommonJS, .cts → the `require`
 * types) and under `bundler` resolution. The consumer asserts the typed records with
 * `@ts-expect-error` lines, so a regression to `any` fails the check too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../integration/cli';
import { repoRoot } from '../helpers/shared';

const here = join(repoRoot, 'test', 'package', 'consumer');
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;
let files: string[];

beforeAll(() => {
  ensureCliBuilt(); // dist/ is what the tarball ships
  dir = mkdtempSync(join(tmpdir(), 'cmc-consumer-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path);
  const pkg = join(dir, 'node_modules', 'cilium-map-codec');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info!.filename), '-C', pkg, '--strip-components=1']);
  symlinkSync(join(repoRoot, 'node_modules', 'restructure'), join(dir, 'node_modules', 'restructure'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  for (const ext of ['ts', 'mts', 'cts']) copyFileSync(join(here, 'consumer.ts'), join(dir, `consumer.${ext}`));
  for (const f of readdirSync(here).filter((f) => f.startsWith('tsconfig.'))) copyFileSync(join(here, f), join(dir, f));
}, 180_000);

afterAll(() => {
  if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
});

function typecheck(project: string): string {
  const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: dir, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim() + (r.status === 0 ? '' : `\n(exit ${r.status})`);
}

describe('the packed tarball, installed into a TypeScript project', () => {
  it('ships the builds and their types, not the sources or tests', () => {
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js', 'package.json']) expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test|scripts)\//.test(f))).toEqual([]);
    // No source maps: they embedded the sources and were 62% of the unpacked size (tsup.config.ts).
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('type-checks under node16 resolution, as ESM (.mts) and as CommonJS (.cts)', () => {
    expect(typecheck('tsconfig.node16.json')).toBe('');
  }, 120_000);

  it('type-checks under bundler resolution; a wrong field there is an error (the check can fail)', () => {
    writeFileSync(join(dir, 'bad.ts'), "import { resolveMap } from 'cilium-map-codec';\nexport const x: string = resolveMap('lxc').key.decode(new Uint8Array(20)).no_such_field;\n");
    writeFileSync(join(dir, 'tsconfig.both.json'), JSON.stringify({ extends: './tsconfig.bundler.json', files: ['consumer.ts', 'bad.ts'] }));
    const errors = typecheck('tsconfig.both.json').split('\n').filter((l) => /error TS/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(2,.*no_such_field/);
  }, 120_000);
});

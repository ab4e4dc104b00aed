import { defineConfig } from 'tsup';

// One library build (ESM + CJS, a declaration file per format, as the tsup docs and attw ask for)
// and one ESM-only CLI build; tsup keeps the CLI's hashbang and marks it executable.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    // cli/ imports only the public API (src/index.ts): keep that import, pointed at the library
    // build beside it, so the package carries one copy of the codec, not two.
    esbuildPlugins: [{ name: 'cli-uses-library-build', setup: (b) => b.onResolve({ filter: /^\.\.\/index$/ }, () => ({ path: './index.js', external: true })) }],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
]);

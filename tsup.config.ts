import { defineConfig } from 'tsup';

// One library build (ESM + CJS, a declaration file per format, as the tsup docs and attw ask for)
// and one ESM-only CLI build; tsup keeps the CLI's hashbang and marks it executable.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps in the package: the build is unminified (stack traces already name our
    // functions and lines), and maps with embedded sources were 62% of the unpacked tarball.
    sourcemap: false,
    clean: true,
    target: 'node20',
    splitting: false,
    // `import.meta.url` (where the worker script is, src/transcode/parallel.ts) in the CJS build too.
    shims: true,
  },
  {
    // The worker thread of src/transcode/parallel.ts; like the CLI, it imports the library build.
    entry: { 'transcode-worker': 'src/transcode/worker.ts', cli: 'src/cli/main.ts' },
    format: ['esm'],
    // cli/ imports only the public API (src/index.ts): keep that import, pointed at the library
    // build beside it, so the package carries one copy of the codec, not two.
    esbuildPlugins: [{ name: 'cli-uses-library-build', setup: (b) => b.onResolve({ filter: /^\.\.\/index$/ }, () => ({ path: './index.js', external: true })) }],
    dts: false,
    sourcemap: false, // as the library build
    clean: false,
    target: 'node20',
  },
]);

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep the pool small so the real-kernel and streaming tests are not starved.
    maxWorkers: 2,
  },
});

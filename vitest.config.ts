import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    // Hashing and archive tests spawn worker threads and child processes; two cores here.
    pool: 'forks',
    // CLI tests run the built CLI (dist/), as users do: build it first.
    globalSetup: ['electron/scripts/build-node.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

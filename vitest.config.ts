import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests, and integration tests that start real processes (database,
// livekit-server, the agent worker). Integration files run one at a time: they share ports and
// this machine has two cores.
export default defineConfig({
  // The web workspace imports its own sources as `@/…` (its tsconfig paths).
  resolve: { alias: { '@/': fileURLToPath(new URL('./web/src/', import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{db,agent,web}/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{db,agent,web}/src/**/*.integration.test.ts', 'test/**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

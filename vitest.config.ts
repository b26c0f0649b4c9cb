import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const PROVIDER_TESTS = 'agent/src/providers/**/*.integration.test.ts';

// Three projects:
// - unit: fast tests of logic, in parallel;
// - integration: files that each bring their own database (in-memory PGlite, or a database of
//   their own on `npm run test:postgres`'s server) and nothing else exclusive, two at a time;
// - live: files that start real processes (livekit-server, agent workers, the SIP bridge, the web
//   app, Chromium) or time the speech and language engines. They run one at a time, after the
//   other two: on a 2-core machine a second busy file would skew the real-time audio and engine
//   timings they check.
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
          maxWorkers: 2,
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{db,agent,web}/src/**/*.integration.test.ts'],
          exclude: [PROVIDER_TESTS, '**/node_modules/**'],
          maxWorkers: 2,
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'live',
          include: ['test/**/*.integration.test.ts', PROVIDER_TESTS],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

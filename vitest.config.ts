import { defineConfig } from 'vitest/config';

// Integration tests run on the embedded PGlite, and again on a real PostgreSQL server when
// TEST_DATABASE_URL is set (CI sets it). Browser tests run once.
const onServer = Boolean(process.env.TEST_DATABASE_URL);
// Hooks start servers and browsers: on a loaded 2-core machine a first start took over a minute.
const shared = { testTimeout: 30_000, hookTimeout: 180_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'pglite', include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'], env: { RENMAI_TEST_DB: 'pglite' } } },
      ...(onServer
        ? [{ test: { ...shared, name: 'postgres', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**'], env: { RENMAI_TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});

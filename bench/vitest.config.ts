import { defineConfig } from 'vitest/config';

// Tests of the bench tooling itself (the data generator). Kept out of `npm test`, whose config
// covers src/ and test/: npx vitest run --config bench/vitest.config.ts
export default defineConfig({ test: { include: ['bench/**/*.test.ts'], testTimeout: 60_000 } });

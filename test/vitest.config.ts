import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// Two files at a time: most of these tests wait on child processes, servers and Chromium rather
// than compute, and run one after another they were the longest task of the suite. Key files the
// CLI writes here use scrypt's floor (AGENT_PASSPORT_KDF_N, packages/cli/src/key-cost.ts).
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**'],
      testTimeout: 120_000,
      maxWorkers: 2,
      env: { AGENT_PASSPORT_KDF_N: '32768' },
    },
  }),
);

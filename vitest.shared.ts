// SPDX-License-Identifier: Apache-2.0
// One vitest configuration for every workspace: packages resolve each other from source
// (the "source" export condition), so tests never run against a stale build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

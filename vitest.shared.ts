// SPDX-License-Identifier: Apache-2.0
// One vitest configuration for every workspace: packages resolve each other from source (the
// "source" export condition), so tests never run against a stale build. Vitest runs tests in the
// SSR environment, whose conditions are configured separately from the client's.
import { defineConfig } from 'vitest/config';

const conditions = ['source', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { inline: [/@agent-passport\//] } },
  },
});

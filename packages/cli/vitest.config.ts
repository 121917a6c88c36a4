import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Each CLI test runs the built command several times as a subprocess: allow for a loaded machine.
// Two files at a time: much of each file is waiting on those subprocesses and their servers. New
// key files use scrypt's floor (AGENT_PASSPORT_KDF_N, src/key-cost.ts): every command that opens a
// key pays one derivation, about 0.8 s of CPU at the default cost.
export default mergeConfig(
  shared,
  defineConfig({ test: { testTimeout: 120_000, maxWorkers: 2, env: { AGENT_PASSPORT_KDF_N: '32768' } } }),
);

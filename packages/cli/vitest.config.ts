import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Each CLI test runs the built command several times as a subprocess: allow for a loaded machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 120_000 } }));

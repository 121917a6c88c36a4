// SPDX-License-Identifier: Apache-2.0
// The page's own check lists (proofs, requests, bundles, evidence entries) run on core's runner:
// in order, a PassportError fails its check, the first failure stops the run and the rest are
// listed as not run, as in the verifier's results.
import { type CheckStep, runChecks } from '@agent-passport/core';
import type { CheckRow } from './types.js';

export interface Outcome {
  readonly verified: boolean;
  readonly codes: readonly string[];
  readonly checks: readonly CheckRow[];
}

export async function runPageChecks<Name extends string>(
  steps: readonly CheckStep<Name>[],
): Promise<Outcome> {
  const run = await runChecks(steps);
  return {
    verified: run.errors.length === 0,
    codes: run.errors.map((e) => e.code),
    checks: run.checks.map((c) => ({ ...c })),
  };
}

// SPDX-License-Identifier: Apache-2.0
// The ordered-checks runner shared by every verifier (passports, presentations, requests):
// checks run in order, the first failure stops the run, and the rest are listed as skipped, so a
// result always names every check (STYLE.md §4).
import { type Check, type ErrorCode, PassportError } from '@agent-passport/core';

/** Thrown inside a check to fail it with a code; never escapes runChecks. */
export class CheckFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Fail the current check when `condition` holds. */
export function failIf(condition: boolean, code: ErrorCode, message: string): void {
  if (condition) throw new CheckFailure(code, message);
}

export type CheckStep<Name extends string> = readonly [Name, () => Promise<void> | void];

/** Run checks in order. Unexpected exceptions become ERR_VERIFIER_INTERNAL: nothing is thrown. */
export async function runChecks<Name extends string>(
  steps: readonly CheckStep<Name>[],
): Promise<{ checks: Check[]; errors: { code: ErrorCode; message: string }[] }> {
  const checks: Check[] = [];
  const errors: { code: ErrorCode; message: string }[] = [];
  for (const [name, step] of steps) {
    if (errors.length > 0) {
      checks.push({ name, ok: false, skipped: true });
      continue;
    }
    try {
      // A synchronous check returns nothing: awaiting only promises saves a microtask per check.
      const pending = step();
      if (pending !== undefined) await pending;
      checks.push({ name, ok: true });
    } catch (cause) {
      const failure =
        cause instanceof CheckFailure
          ? cause
          : cause instanceof PassportError
            ? new CheckFailure(cause.code, cause.message)
            : new CheckFailure('ERR_VERIFIER_INTERNAL', 'unexpected failure while checking');
      checks.push({ name, ok: false, code: failure.code, message: failure.message });
      errors.push({ code: failure.code, message: failure.message });
    }
  }
  return { checks, errors };
}

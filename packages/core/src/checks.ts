// SPDX-License-Identifier: Apache-2.0
// The ordered-checks runner shared by every verifier (passports, presentations, requests, agent
// cards): checks run in order, the first failure stops the run, and the rest are listed as
// skipped, so a result always names every check (docs/architecture.md, "The data flow of a
// verification").
import { type ErrorCode, PassportError } from './errors.js';
import type { Check } from './types.js';

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

/** Fail the current check unless `condition` holds; narrows the condition's types when it does. */
export function failUnless(condition: boolean, code: ErrorCode, message: string): asserts condition {
  if (!condition) throw new CheckFailure(code, message);
}

export type CheckStep<Name extends string> = readonly [Name, () => Promise<void> | void];

/** A check over the call's context: one list of them serves every call (no closure per call). */
export type ContextCheckStep<Name extends string, Context> = readonly [
  Name,
  (ctx: Context) => Promise<void> | void,
];

/** The outcome of a run: every check in order, and the failure (at most one). */
export interface CheckRun {
  readonly checks: Check[];
  readonly errors: { code: ErrorCode; message: string }[];
}

/** Run checks in order. Unexpected exceptions become ERR_VERIFIER_INTERNAL: nothing is thrown. */
export function runChecks<Name extends string>(steps: readonly CheckStep<Name>[]): Promise<CheckRun> {
  return runChecksOn(undefined, steps);
}

/** `runChecks` with each check given the call's context. */
export async function runChecksOn<Name extends string, Context>(
  ctx: Context,
  steps: readonly ContextCheckStep<Name, Context>[],
): Promise<CheckRun> {
  const checks: Check[] = [];
  const errors: { code: ErrorCode; message: string }[] = [];
  for (const [name, step] of steps) {
    if (errors.length > 0) {
      checks.push({ name, ok: false, skipped: true });
      continue;
    }
    try {
      // A synchronous check returns nothing: awaiting only promises saves a microtask per check.
      const pending = step(ctx);
      if (pending !== undefined) await pending;
      checks.push({ name, ok: true });
    } catch (cause) {
      const failure = asCheckFailure(cause);
      checks.push({ name, ok: false, code: failure.code, message: failure.message });
      errors.push({ code: failure.code, message: failure.message });
    }
  }
  return { checks, errors };
}

function asCheckFailure(cause: unknown): CheckFailure {
  if (cause instanceof CheckFailure) return cause;
  if (cause instanceof PassportError) return new CheckFailure(cause.code, cause.message);
  return new CheckFailure('ERR_VERIFIER_INTERNAL', 'unexpected failure while checking');
}

// SPDX-License-Identifier: Apache-2.0
// What a login writes to the evidence log, through its public API (`recordPresentation`): a passport
// login as the presentation it was opened with, re-verifiable offline by the audit (passport,
// proof, challenge and domain); with `recordRefused`, a login refused at that step as the same
// presentation marked refused, with the site's code. When the log cannot record an accepted login,
// the login is refused (ERR_EVIDENCE_UNAVAILABLE): nothing is let in without its evidence.
// Chain logins are not written here: the audit re-verifies presentations with the passport
// verifier only; their session calls are recorded with their chain by the request verifier.
import type { ErrorCode } from '@agent-passport/core';
import type { PassportVerification } from '@agent-passport/verifier';
import type { SiteConfig } from './options.js';
import type { LoginOptions } from './verify-login.js';

export interface LoginRecord {
  readonly time: Date;
  readonly presentation: unknown;
  readonly options: LoginOptions;
  readonly verification: PassportVerification;
  /** A refusal after the presentation verified or not: the site's code. */
  readonly refused?: { readonly code: ErrorCode; readonly message: string };
}

/** Record the login; false when the log could not (an accepted login is then refused). */
export async function recordLogin(config: SiteConfig, record: LoginRecord): Promise<boolean> {
  const { refused, verification } = record;
  if (config.evidence === undefined || (refused !== undefined && !config.recordRefused)) return true;
  try {
    await config.evidence.recordPresentation({
      time: record.time,
      presentation: record.presentation,
      ...record.options,
      verification:
        refused === undefined
          ? verification
          : { ...verification, verified: false, errors: [{ code: refused.code, message: refused.message }] },
    });
    return true;
  } catch {
    return false;
  }
}

// SPDX-License-Identifier: Apache-2.0
// What a login writes to the evidence log, through its public API (`recordPresentation`): a passport
// login as the presentation it was opened with, re-verifiable offline by the audit (passport,
// proof, challenge and domain); with `recordRefused`, a login refused at that step as the same
// presentation marked refused, with the site's code. When the log cannot record an accepted login,
// the login is refused (ERR_EVIDENCE_UNAVAILABLE): nothing is let in without its evidence. A chain
// login is the same: its presentation holds the chain, which the audit re-verifies for the leaf.
// Events (`recordEvent`): an exchange created, a login refused before its presentation, a session
// revoked; `recordEvent` answers whether the log holds it, and the caller decides what that means.
import type { ErrorCode } from '@agent-passport/core';
import type { EventEvidence } from '@agent-passport/evidence';
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

/** Record an event; true when written or when there is no log to write it to. */
export async function recordEvent(config: SiteConfig, event: EventEvidence): Promise<boolean> {
  const record = config.evidence?.recordEvent;
  if (record === undefined) return true;
  try {
    await record.call(config.evidence, event);
    return true;
  } catch {
    return false;
  }
}

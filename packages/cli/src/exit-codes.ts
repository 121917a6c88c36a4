// SPDX-License-Identifier: Apache-2.0
// Exit codes are API: scripts branch on them. Each error code maps to exactly one exit code.
import type { ErrorCode } from '@agent-passport/core';

export const EXIT = {
  /** Success; for `verify`, the input verified. */
  OK: 0,
  /** Refused: a passport, presentation, trust bundle, evidence log or login site did not verify. */
  REFUSED: 1,
  /** Wrong usage: unknown verb or option, missing or conflicting arguments (ERR_USAGE). */
  USAGE: 2,
  /** Bad input: a missing or oversized file, not JSON, not a passport, a schema violation. */
  INPUT: 3,
  /** Key store: wrong passphrase, tampered or missing key file, no passphrase available. */
  KEYSTORE: 4,
  /** Resolution or network: a DID that cannot be resolved or fetched. */
  NETWORK: 5,
  /** Anything unexpected (ERR_CLI_INTERNAL). */
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for a PassportError code thrown by a verb (not for verification results). */
export function exitCodeFor(code: ErrorCode): ExitCode {
  if (code === 'ERR_USAGE') return EXIT.USAGE;
  // A trust bundle, or a site at login (it did not prove itself, or refused the agent).
  if (code.startsWith('ERR_BUNDLE_') || code.startsWith('ERR_RESPONSE_') || code.startsWith('ERR_LOGIN_'))
    return EXIT.REFUSED;
  if (code.startsWith('ERR_KEYSTORE_')) return EXIT.KEYSTORE;
  if (
    code.startsWith('ERR_FETCH_') ||
    code === 'ERR_DID_NOT_FOUND' ||
    code === 'ERR_DID_WEB_HOST_FORBIDDEN'
  ) {
    return EXIT.NETWORK;
  }
  if (code === 'ERR_VERIFIER_INTERNAL' || code === 'ERR_CLI_INTERNAL') return EXIT.INTERNAL;
  return EXIT.INPUT;
}

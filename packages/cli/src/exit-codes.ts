// SPDX-License-Identifier: Apache-2.0
// Exit codes are API: scripts branch on them. Each error code maps to exactly one exit code.
import type { ErrorCode } from '@agent-passport/core';

export const EXIT = {
  /** Success; for `verify`, the input verified. */
  OK: 0,
  /** `verify`: the credential or presentation was refused (the checks say why). */
  REFUSED: 1,
  /** Wrong usage: unknown verb or option, missing argument. */
  USAGE: 2,
  /** Bad input: a file that is not JSON, not a passport, a schema violation. */
  INPUT: 3,
  /** Key store: wrong passphrase, tampered or missing key file, no passphrase available. */
  KEYSTORE: 4,
  /** Resolution or network: a DID that cannot be resolved or fetched. */
  NETWORK: 5,
  /** Anything unexpected. */
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for a PassportError code thrown by a verb (not for verification results). */
export function exitCodeFor(code: ErrorCode): ExitCode {
  if (code.startsWith('ERR_KEYSTORE_')) return EXIT.KEYSTORE;
  if (
    code.startsWith('ERR_FETCH_') ||
    code === 'ERR_DID_NOT_FOUND' ||
    code === 'ERR_DID_WEB_HOST_FORBIDDEN'
  ) {
    return EXIT.NETWORK;
  }
  if (code === 'ERR_VERIFIER_INTERNAL') return EXIT.INTERNAL;
  return EXIT.INPUT;
}

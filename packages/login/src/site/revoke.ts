// SPDX-License-Identifier: Apache-2.0
// Session revocation, never blocked by the evidence log: the session is revoked first, then the
// revocation recorded; a failed write is reported (ERR_EVIDENCE_UNAVAILABLE, whose message says the
// session is revoked) and never undoes or withholds the revocation.
import { PassportError } from '@agent-passport/core';
import { recordEvent } from './login-evidence.js';
import type { SiteConfig } from './options.js';

export async function revokeSession(config: SiteConfig, id: string): Promise<boolean> {
  const revoked = await config.sessions.revoke(id);
  if (!revoked) return false;
  if (!(await recordEvent(config, { time: config.clock(), event: 'session-revoked', ref: id })))
    throw new PassportError(
      'ERR_EVIDENCE_UNAVAILABLE',
      `session ${id} is revoked, but its revocation could not be recorded in the evidence log`,
    );
  return true;
}

// SPDX-License-Identifier: Apache-2.0
// A new login session: bound to the agent's did:key, the exact passport it presented (and, for a
// sub-agent, the exact chain), ending at the site's session lifetime or the passport's validUntil,
// whichever is first.
import { randomBytes } from 'node:crypto';
import { type DidKey, formatDateTime } from '@agent-passport/core';
import { passportRef } from '@agent-passport/http-signatures';
import type { SessionInfo } from '../protocol.js';
import type { SiteConfig } from './options.js';
import type { Session } from './sessions.js';
import type { VerifiedLogin } from './verify-login.js';

export function openSession(
  config: SiteConfig,
  agent: DidKey,
  verified: VerifiedLogin & { ok: true },
  now: Date,
): Session {
  const bytes = new TextEncoder().encode(JSON.stringify(verified.passport));
  const created = Math.floor(now.getTime() / 1000);
  const validUntil = Math.floor(Date.parse(verified.passport.validUntil ?? '') / 1000);
  const expires = Math.min(
    created + config.sessionTtl,
    Number.isFinite(validUntil) ? validUntil : Infinity,
    verified.chainUntil ?? Infinity,
  );
  return {
    id: randomBytes(16).toString('base64url'),
    agent,
    passport: bytes,
    passportRef: passportRef(bytes),
    created,
    expires,
    revoked: false,
    ...(verified.delegation === undefined ? {} : { delegation: verified.delegation }),
  };
}

/** The session as the agent is told of it. */
export function sessionInfo(session: Session): SessionInfo {
  return {
    id: session.id,
    agent: session.agent,
    passportRef: session.passportRef,
    expires: formatDateTime(new Date(session.expires * 1000)),
    ...(session.delegation === undefined
      ? {}
      : { delegationRef: session.delegation.ref, principals: session.delegation.principals }),
  };
}

// SPDX-License-Identifier: Apache-2.0
// Login sessions: bound to the agent's did:key and to the exact passport it presented, with an
// expiry and a revocation flag. The session id is a lookup key, never a credential: every call is
// signed by the session's key (no bare bearer token).
import { PassportError } from '@agent-passport/core';

export interface Session {
  readonly id: string;
  /** The agent's did:key. */
  readonly agent: string;
  /** The exact bytes of the presented passport, and their reference. */
  readonly passport: Uint8Array;
  readonly passportRef: string;
  /** Seconds since the epoch: when the session was opened, and when it ends. */
  readonly created: number;
  readonly expires: number;
  readonly revoked: boolean;
  /**
   * A sub-agent's login by delegation chain: the chain it presented (its reference and exact bytes,
   * the JSON list of delegations, root first) and who acts on whose authority (organisation →
   * agent → … → `agent`). Every call of the session must carry that very chain.
   */
  readonly delegation?: SessionDelegation;
}

export interface SessionDelegation {
  readonly ref: string;
  readonly bytes: Uint8Array;
  readonly principals: readonly string[];
}

/** Where sessions live. The memory store serves one instance; several need a shared one. */
export interface SessionStore {
  put(session: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /** A live session's passport bytes by reference (for calls in the compact form). */
  passportByRef(ref: string): Promise<Uint8Array | undefined>;
  /** True when a session was revoked now. */
  revoke(id: string): Promise<boolean>;
}

/** An in-memory session store, bounded (ERR_STORE_FULL when full of live sessions). */
export function createMemorySessionStore(
  options: { maxSessions?: number; now?: () => number } = {},
): SessionStore {
  const max = options.maxSessions ?? 10_000;
  if (!Number.isInteger(max) || max < 1) throw new RangeError('maxSessions must be a positive integer');
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const byRef = new Map<string, Uint8Array>();
  const sweep = () => {
    const t = now() / 1000;
    for (const [id, s] of sessions) if (s.expires <= t) sessions.delete(id);
    byRef.clear();
    for (const s of sessions.values()) byRef.set(s.passportRef, s.passport);
  };
  return Object.freeze({
    async put(session: Session) {
      if (sessions.size >= max) sweep();
      if (sessions.size >= max) throw new PassportError('ERR_STORE_FULL', 'too many live sessions');
      sessions.set(session.id, Object.freeze({ ...session }));
      byRef.set(session.passportRef, session.passport);
    },
    async get(id: string) {
      return sessions.get(id);
    },
    async passportByRef(ref: string) {
      return byRef.get(ref);
    },
    async revoke(id: string) {
      const s = sessions.get(id);
      if (s === undefined || s.revoked) return false;
      sessions.set(id, Object.freeze({ ...s, revoked: true }));
      return true;
    },
  });
}

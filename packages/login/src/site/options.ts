// SPDX-License-Identifier: Apache-2.0
// The site's configuration, validated once when created (STYLE.md: factories validate options).
import type { DidKey } from '@agent-passport/core';
import type { DelegationVerifier } from '@agent-passport/delegation';
import type { EventEvidence, PresentationEvidence } from '@agent-passport/evidence';
import {
  createMemoryStore,
  type RawSigner,
  type ReplayStore,
  type UsageStore,
} from '@agent-passport/http-signatures';
import { type EvidenceSink, parseOrigins } from '@agent-passport/middleware';
import type { PassportVerifier } from '@agent-passport/verifier';
import { MAX_POW_DIFFICULTY } from '../pow.js';
import { LOGIN_WORKFLOW } from '../protocol.js';
import { createSealer } from './seal.js';
import { createMemorySessionStore, type SessionStore } from './sessions.js';

export interface LoginSiteOptions {
  /** This site's public origin (`scheme://host[:port]`): the presentation's domain, the signed target. */
  readonly origin: string;
  /** The site's did:web, and the verification method (an `authentication` key) it signs answers with. */
  readonly did: string;
  readonly keyId: string;
  /** Raw Ed25519 signing with that key. */
  readonly signer: RawSigner;
  /** The passport verifier (trusted issuers, status, clock). */
  readonly verifier: PassportVerifier;
  /** At least 32 random bytes, the same on every instance: seals exchange ids and challenges. */
  readonly secret: Uint8Array;
  /** Replay and usage store, shared by every instance (Redis) for exactly-once challenges. */
  readonly store?: ReplayStore & UsageStore;
  /** Session store (default: in memory, one instance). */
  readonly sessions?: SessionStore;
  /** The workflow id (default 'agent-login'). */
  readonly workflow?: string;
  /** Lifetime of an exchange (default 120 s) and of a session (default 3600 s). */
  readonly exchangeTtlSeconds?: number;
  readonly sessionTtlSeconds?: number;
  /**
   * Accept sub-agents logging in with a delegation chain (`createDelegationVerifier` of
   * @agent-passport/delegation, configured like `verifier`, with this site's origin as its
   * `origin`): the chain is verified offline, and the session bound to the leaf's key and that very
   * chain. Without it a chain presentation is refused (ERR_DELEGATION_INVALID).
   */
  readonly delegation?: DelegationVerifier;
  /** Scopes a passport (or a chain's leaf) needs to log in. */
  readonly requiredScopes?: readonly string[];
  /** Proof of work asked of agents `isKnown` does not vouch for (default: none asked). */
  readonly proofOfWork?: {
    readonly difficulty: number;
    readonly isKnown?: (agent: DidKey) => boolean | Promise<boolean>;
  };
  /**
   * Evidence log: logins (passport and chain presentations), session calls, and events (an exchange
   * created, a session revoked, with `recordRefused` a login refused before its presentation) are
   * recorded. A sink without `recordEvent` records no events.
   */
  readonly evidence?: EvidenceSink & {
    recordPresentation(evidence: PresentationEvidence): Promise<unknown> | unknown;
    recordEvent?(evidence: EventEvidence): Promise<unknown> | unknown;
  };
  /**
   * Record refusals too (default false, as the request verifier): logins refused at the
   * presentation step, and refused session calls. A refusal costs its sender nothing and its entry
   * costs the site disk: turn it on where the log is watched for abuse.
   */
  readonly recordRefused?: boolean;
  readonly clock?: () => Date;
  /** Tolerated clock skew (default 60 s, as everywhere). */
  readonly maxSkewSeconds?: number;
}

export type SiteConfig = ReturnType<typeof normalise>;

const seconds = (v: number | undefined, fallback: number, name: string) => {
  const s = v ?? fallback;
  if (!Number.isInteger(s) || s < 1 || s > 86_400 * 30) throw new RangeError(`${name} is 1 s to 30 days`);
  return s;
};

export function normalise(options: LoginSiteOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError('options are required');
  const [origin] = parseOrigins(options.origin);
  if (typeof options.did !== 'string' || !options.did.startsWith('did:'))
    throw new TypeError('did is the site DID (did:web)');
  if (typeof options.keyId !== 'string' || !options.keyId.startsWith(`${options.did}#`))
    throw new TypeError('keyId is a verification method of the site DID');
  if (typeof options.signer !== 'function') throw new TypeError('signer is required');
  if (typeof options.verifier?.verifyPresentation !== 'function')
    throw new TypeError('verifier is required (createVerifier from @agent-passport/verifier)');
  if (options.delegation !== undefined && typeof options.delegation.verifyPresentation !== 'function')
    throw new TypeError('delegation is a chain verifier (createDelegationVerifier)');
  const workflow = options.workflow ?? LOGIN_WORKFLOW;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(workflow)) throw new TypeError('workflow is a path segment');
  const pow = options.proofOfWork;
  if (
    pow !== undefined &&
    (!Number.isInteger(pow.difficulty) || pow.difficulty < 1 || pow.difficulty > MAX_POW_DIFFICULTY)
  )
    throw new RangeError(`proofOfWork.difficulty is 1 to ${MAX_POW_DIFFICULTY}`);
  const clock = options.clock ?? (() => new Date());
  return {
    origin: origin as string,
    did: options.did,
    key: { keyId: options.keyId, signer: options.signer },
    verifier: options.verifier,
    delegation: options.delegation,
    sealer: createSealer(options.secret, workflow, options.did),
    store: options.store ?? createMemoryStore({ now: () => clock().getTime() }),
    sessions: options.sessions ?? createMemorySessionStore({ now: () => clock().getTime() }),
    workflow,
    exchangeTtl: seconds(options.exchangeTtlSeconds, 120, 'exchangeTtlSeconds'),
    sessionTtl: seconds(options.sessionTtlSeconds, 3600, 'sessionTtlSeconds'),
    requiredScopes: options.requiredScopes ?? [],
    pow,
    evidence: options.evidence,
    recordRefused: options.recordRefused === true,
    clock,
    skew: options.maxSkewSeconds ?? 60,
  };
}

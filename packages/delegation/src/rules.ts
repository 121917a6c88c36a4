// SPDX-License-Identifier: Apache-2.0
// The narrowing rules between a credential and the delegation made under it. One implementation,
// used by `delegate` (refuse to sign) and by the chain verifier (refuse to accept): each rule
// throws a PassportError with its code.
import { type AgentPassport, PassportError, parseDateTime } from '@agent-passport/core';
import { scopesWithin } from '@agent-passport/schema';
import { credentialDigest } from './digest.js';
import type { AgentDelegation } from './types.js';

/** What a child link is checked against: the passport at the root, or the link before it. */
export interface ParentView {
  readonly id: string;
  readonly digestMultibase: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly validFromMs: number;
  readonly validUntilMs: number;
  /** How many links may still follow this credential. */
  readonly remainingDepth: number;
  readonly maxCalls: number | undefined;
  readonly audience: readonly string[] | undefined;
}

/** A passport with `delegation.allowed` and no `maxDepth` allows one level. */
export const DEFAULT_PASSPORT_DEPTH = 1;

function window(credential: { validFrom: string; validUntil: string }): [number, number] {
  const from = parseDateTime(credential.validFrom);
  const until = parseDateTime(credential.validUntil);
  if (from === undefined || until === undefined)
    throw new PassportError('ERR_DATE_INVALID', 'validFrom and validUntil must be RFC 3339 date-times');
  return [from, until];
}

/** The root of a chain: refused unless the passport allows delegation. */
export function passportView(passport: AgentPassport): ParentView {
  const subject = passport.credentialSubject;
  if (subject.delegation?.allowed !== true)
    throw new PassportError(
      'ERR_DELEGATION_NOT_ALLOWED',
      `passport ${passport.id} does not allow delegation`,
    );
  const [validFromMs, validUntilMs] = window(passport);
  return {
    id: passport.id,
    digestMultibase: credentialDigest(passport),
    subject: subject.id,
    scopes: subject.scopes,
    validFromMs,
    validUntilMs,
    remainingDepth: subject.delegation.maxDepth ?? DEFAULT_PASSPORT_DEPTH,
    maxCalls: subject.maxCalls,
    audience: subject.audience,
  };
}

/** A delegation as the parent of the next link. */
export function delegationView(link: AgentDelegation): ParentView {
  const subject = link.credentialSubject;
  const [validFromMs, validUntilMs] = window(link);
  return {
    id: link.id,
    digestMultibase: credentialDigest(link),
    subject: subject.id,
    scopes: subject.scopes,
    validFromMs,
    validUntilMs,
    remainingDepth: subject.maxDepth,
    maxCalls: subject.maxCalls,
    audience: subject.audience,
  };
}

type Child = Pick<AgentDelegation, 'id' | 'validFrom' | 'validUntil'> & {
  readonly credentialSubject: Pick<
    AgentDelegation['credentialSubject'],
    'parentCredential' | 'scopes' | 'maxDepth' | 'maxCalls' | 'audience'
  >;
};

/** The link names its parent: the same id and the digest of the parent's exact signed form. */
export function assertParentReference(parent: ParentView, child: Child): void {
  const named = child.credentialSubject.parentCredential;
  if (named.id !== parent.id || named.digestMultibase !== parent.digestMultibase)
    throw new PassportError(
      'ERR_DELEGATION_PARENT_MISMATCH',
      `${child.id} names ${named.id} (${named.digestMultibase}), not the credential before it (${parent.id})`,
    );
}

/** Every delegated scope is provably within one of the parent's scopes. */
export function assertScopesNarrowed(parent: ParentView, child: Child): void {
  const { ok, widened } = scopesWithin(child.credentialSubject.scopes, parent.scopes);
  if (!ok)
    throw new PassportError(
      'ERR_DELEGATION_SCOPE_WIDENED',
      `${child.id} delegates ${widened.join(', ')}, not within ${parent.scopes.join(', ')}`,
    );
}

/** The link's validity lies inside the parent's window: refused, never clamped. */
export function assertWindowInside(parent: ParentView, child: Child): void {
  const [from, until] = window(child);
  if (from < parent.validFromMs || until > parent.validUntilMs)
    throw new PassportError(
      'ERR_DELEGATION_WINDOW',
      `${child.id} is valid ${child.validFrom}..${child.validUntil}, outside its parent's window`,
    );
}

/** The parent may be delegated (depth left) and the link claims less depth than the parent has. */
export function assertDepth(parent: ParentView, child: Child): void {
  if (parent.remainingDepth < 1 || child.credentialSubject.maxDepth > parent.remainingDepth - 1)
    throw new PassportError(
      'ERR_DELEGATION_DEPTH',
      `${parent.id} allows ${parent.remainingDepth} more link(s); ${child.id} asks for ${child.credentialSubject.maxDepth} below it`,
    );
}

/** A link that may be delegated again names the services it is for. */
export function assertAudienceNamed(child: Child): void {
  const { maxDepth, audience } = child.credentialSubject;
  if (maxDepth > 0 && (audience === undefined || audience.length === 0))
    throw new PassportError(
      'ERR_DELEGATION_AUDIENCE',
      `${child.id} may be delegated again (maxDepth ${maxDepth}) and names no audience`,
    );
}

/** A link never allows more calls than its parent; none uncounted under a counted parent. */
export function assertMaxCalls(parent: ParentView, child: Child): void {
  if (parent.maxCalls === undefined) return;
  const calls = child.credentialSubject.maxCalls;
  if (calls === undefined || calls > parent.maxCalls)
    throw new PassportError(
      'ERR_DELEGATION_MAX_CALLS',
      `${child.id} allows ${calls ?? 'unlimited'} calls; its parent allows ${parent.maxCalls}`,
    );
}

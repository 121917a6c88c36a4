// SPDX-License-Identifier: Apache-2.0
// The chain-level rules of the chain verifier (the rules between a link and its parent are in
// rules.ts): each throws a CheckFailure or PassportError with its code.
import { type AgentPassport, failIf, PassportError, type StatusChecker } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { scopesGrant } from '@agent-passport/schema';
import type { ParentView } from './rules.js';
import { parseDelegation } from './shape.js';
import type { AgentDelegation } from './types.js';

/** The delegations of a chain input, parsed and shaped; at most `maxLength` of them. */
export function parseChain(
  input: { readonly delegations?: unknown } | null,
  maxLength: number,
): AgentDelegation[] {
  const delegations = input?.delegations;
  failIf(
    typeof input !== 'object' || !Array.isArray(delegations),
    'ERR_DELEGATION_INVALID',
    'a chain is { passport, delegations: [...] }',
  );
  const list = delegations as unknown[];
  failIf(list.length === 0, 'ERR_DELEGATION_INVALID', 'the chain holds no delegation');
  failIf(
    list.length > maxLength,
    'ERR_DELEGATION_DEPTH',
    `the chain has ${list.length} links; this verifier accepts ${maxLength}`,
  );
  return list.map((d) => parseDelegation(d));
}

/** No agent and no credential twice (A → B → A). */
export function assertNoLoops(passport: AgentPassport, links: readonly AgentDelegation[]): void {
  const dids = [passport.credentialSubject.id, ...links.map((l) => l.credentialSubject.id)];
  const ids = [passport.id, ...links.map((l) => l.id)];
  failIf(new Set(dids).size !== dids.length, 'ERR_DELEGATION_LOOP', 'an agent appears twice in the chain');
  failIf(new Set(ids).size !== ids.length, 'ERR_DELEGATION_LOOP', 'a credential appears twice in the chain');
}

/** Every ancestor's depth, not only the parent's: link i sits (i + 1 - j) levels below ancestor j. */
export function assertAncestorDepths(views: readonly ParentView[], link: AgentDelegation, i: number): void {
  for (const [j, ancestor] of views.slice(0, i + 1).entries())
    failIf(
      i + 1 - j > ancestor.remainingDepth,
      'ERR_DELEGATION_DEPTH',
      `${link.id} is ${i + 1 - j} levels below ${ancestor.id}, which allows ${ancestor.remainingDepth}`,
    );
}

/** A link that names an audience is accepted only by a service in it (a service must say who it is). */
export function assertInAudience(link: AgentDelegation, origin: string | undefined): void {
  const audience = link.credentialSubject.audience;
  failIf(
    audience !== undefined && (origin === undefined || !audience.includes(origin)),
    'ERR_DELEGATION_AUDIENCE',
    `${link.id} is for ${audience?.join(', ')}, not ${origin ?? 'this (unnamed) service'}`,
  );
}

/** Every link must be valid now (with the skew): an expired ancestor kills the chain. */
export function assertValidNow(link: AgentDelegation, nowMs: number, skewMs: number): void {
  if (Date.parse(link.validFrom) > nowMs + skewMs)
    throw new PassportError('ERR_NOT_YET_VALID', `${link.id} is not valid yet`);
  if (Date.parse(link.validUntil) <= nowMs - skewMs)
    throw new PassportError('ERR_EXPIRED', `${link.id} has expired`);
}

/** A link's status entries, against lists signed by the agent that made the link; fails closed. */
export async function checkLinkStatus(
  link: AgentDelegation,
  now: Date,
  checkStatus: StatusChecker | undefined,
): Promise<void> {
  if (link.credentialStatus === undefined) return;
  if (checkStatus === undefined)
    throw new PassportError(
      'ERR_STATUS_UNAVAILABLE',
      `${link.id} has a status entry and no status checker is configured`,
    );
  await checkStatus(link as unknown as AgentPassport, now, { issuerDocument: resolveDidKey(link.issuer) });
}

/** Holder binding: the agent that proved possession is the last link's subject. */
export function assertPresenter(leaf: AgentDelegation, presenter: unknown): void {
  failIf(
    presenter !== leaf.credentialSubject.id,
    'ERR_HOLDER_MISMATCH',
    `the chain is for ${leaf.credentialSubject.id}; it was presented by ${String(presenter)}`,
  );
}

/** The last link grants every required scope. */
export function assertLeafGrants(leaf: AgentDelegation, required: readonly string[]): void {
  const { ok, missing } = scopesGrant(leaf.credentialSubject.scopes, required);
  failIf(!ok, 'ERR_SCOPE_DENIED', `the delegation does not grant ${missing.join(', ')}`);
}

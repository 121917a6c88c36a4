// SPDX-License-Identifier: Apache-2.0
// A presentation entry re-verified as of its own recorded time, against the challenge and domain
// the service required: a passport login with the passport verifier, a chain login (the
// presentation holds the passport and its delegations) with the delegation verifier for the
// entry's domain as audience, which establishes the leaf as the agent and the chain's principals.
import { isObject } from '@agent-passport/core';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { whoOf } from './attribution.js';
import { broken, type CheckerContext, type Reverified } from './checker-context.js';
import type { EvidenceEntry } from './entry.js';

const isChain = (vp: unknown) =>
  isObject(vp) && Array.isArray(vp['verifiableCredential']) && vp['verifiableCredential'].length > 1;

type Failure = {
  readonly errors: readonly { readonly code: Reverified['code']; readonly message: string }[];
};
const refusedBy = (v: Failure): Reverified => ({
  who: {},
  code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL',
  message: v.errors[0]?.message ?? '',
});

async function reverifyChain(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  options: { challenge: string; domain?: string; requiredScopes: readonly string[] },
  now: Date,
): Promise<Reverified> {
  if (entry.domain === undefined)
    return broken('ERR_EVIDENCE_LINE', 'a chain presentation entry without its domain (the audience)');
  const chains = createDelegationVerifier({ ...ctx.trust, origin: entry.domain, clock: () => now });
  const v = await chains.verifyPresentation(entry.presentation, options);
  if (!v.verified || v.passport === undefined || v.agent === undefined || v.principals === undefined)
    return refusedBy(v);
  return { who: { ...whoOf(v.passport), agent: v.agent, principals: [...v.principals] } };
}

/** What the verifiers would refuse as a caller's bug (a TypeError), found first: a coded problem. */
function recordProblem(entry: EvidenceEntry, requiredScopes: readonly unknown[]): string | undefined {
  if (typeof entry.challenge !== 'string' || entry.challenge.length === 0)
    return 'a presentation entry without its challenge';
  if (entry.domain !== undefined && (typeof entry.domain !== 'string' || entry.domain.length === 0))
    return 'a presentation entry whose domain is not text';
  if (requiredScopes.some((s) => typeof s !== 'string'))
    return 'a presentation entry whose required scopes are not text';
  return undefined;
}

export async function reverifyPresentation(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  requiredScopes: readonly string[],
  now: Date,
): Promise<Reverified> {
  const problem = recordProblem(entry, requiredScopes);
  if (problem !== undefined) return broken('ERR_EVIDENCE_LINE', problem);
  const options = {
    challenge: entry.challenge as string,
    ...(entry.domain === undefined ? {} : { domain: entry.domain }),
    requiredScopes,
  };
  if (isChain(entry.presentation)) return reverifyChain(ctx, entry, options, now);
  const v = await ctx.verifier.verifyPresentation(entry.presentation, { ...options, now });
  if (v.verified && v.passport !== undefined) return { who: whoOf(v.passport) };
  return refusedBy(v);
}

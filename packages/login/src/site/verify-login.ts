// SPDX-License-Identifier: Apache-2.0
// Step 5's verification, offline: a presentation of the agent's passport (the passport verifier),
// or a sub-agent's presentation of its delegation chain, [passport, ...delegations], signed by the
// leaf's key (the delegation verifier: scopes narrowed at every link, audience, windows, status).
// Either way the presenter must be the key that signed the request to the exchange.
import type { AgentPassport, DidKey, ErrorCode } from '@agent-passport/core';
import { isObject } from '@agent-passport/core';
import { passportRef } from '@agent-passport/http-signatures';
import type { PassportVerification } from '@agent-passport/verifier';
import type { SiteConfig } from './options.js';
import type { SessionDelegation } from './sessions.js';

export interface LoginOptions {
  readonly challenge: string;
  readonly domain: string;
  readonly requiredScopes: readonly string[];
}

export type VerifiedLogin =
  | {
      readonly ok: true;
      readonly passport: AgentPassport;
      /** The login's verification (what the evidence log records): a chain login's names its leaf. */
      readonly verification?: PassportVerification;
      readonly delegation?: SessionDelegation;
      /** A chain's end (seconds since the epoch): the earliest validUntil of its delegations. */
      readonly chainUntil?: number;
    }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly message: string;
      readonly verification?: PassportVerification;
    };

const encoder = new TextEncoder();

/** A chain presentation holds the passport and at least one delegation. */
export function isChainPresentation(vp: unknown): boolean {
  return isObject(vp) && Array.isArray(vp['verifiableCredential']) && vp['verifiableCredential'].length > 1;
}

const notBySigner = {
  ok: false,
  code: 'ERR_HOLDER_MISMATCH',
  message: 'the presentation is not by the key that signed the request',
} as const;

async function verifyChain(
  config: SiteConfig,
  vp: unknown,
  agent: DidKey,
  options: LoginOptions,
): Promise<VerifiedLogin> {
  if (config.delegation === undefined)
    return { ok: false, code: 'ERR_DELEGATION_INVALID', message: 'this site accepts no delegated agents' };
  const result = await config.delegation.verifyPresentation(vp, options);
  const first = result.errors[0];
  // What the evidence log records: the chain's passport, presented by the leaf.
  const verification: PassportVerification = {
    verified: result.verified,
    checks: result.checks,
    errors: result.errors,
    ...(result.passport === undefined ? {} : { passport: result.passport }),
    ...(result.agent === undefined ? {} : { agent: result.agent as DidKey }),
  };
  if (!result.verified || result.passport === undefined || result.principals === undefined)
    return {
      ok: false,
      code: first?.code ?? 'ERR_VERIFIER_INTERNAL',
      message: first?.message ?? 'refused',
      verification,
    };
  if (result.agent !== agent) return { ...notBySigner, verification };
  // The exact chain the session is bound to: the JSON list of delegations, as session calls send it.
  const delegations = (vp as { verifiableCredential: unknown[] }).verifiableCredential.slice(1);
  const bytes = encoder.encode(JSON.stringify(delegations));
  // The session ends with the chain: at the earliest validUntil of its (verified) delegations.
  const ends = delegations.map((d) => Date.parse(String((d as { validUntil?: unknown }).validUntil)));
  return {
    ok: true,
    passport: result.passport,
    verification,
    delegation: { ref: passportRef(bytes), bytes, principals: [...result.principals] },
    chainUntil: Math.floor(Math.min(...ends.filter(Number.isFinite)) / 1000),
  };
}

/** Verify the presentation of step 5 for `agent`, the signer of the request that carried it. */
export async function verifyLogin(
  config: SiteConfig,
  vp: unknown,
  agent: DidKey,
  options: LoginOptions,
): Promise<VerifiedLogin> {
  if (isChainPresentation(vp)) return verifyChain(config, vp, agent, options);
  const verification = await config.verifier.verifyPresentation(vp, options);
  const first = verification.errors[0];
  if (!verification.verified || verification.passport === undefined)
    return {
      ok: false,
      code: first?.code ?? 'ERR_VERIFIER_INTERNAL',
      message: first?.message ?? 'refused',
      verification,
    };
  if (verification.agent !== agent) return { ...notBySigner, verification };
  return { ok: true, passport: verification.passport, verification };
}

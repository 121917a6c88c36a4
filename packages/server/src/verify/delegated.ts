// SPDX-License-Identifier: Apache-2.0
// A delegated agent's presentation (a passport, then the AgentDelegation links made under it, root
// first, signed by the last link's subject: `presentChain` of @agent-passport/delegation), verified
// by the delegation package's own chain verifier and reported the VC API way. The passports it
// accepts are from `trustedIssuers` when configured, else from this issuer and the issuers whose
// documents are configured; every link must name this server's public origin in its audience.

import { isObject, type StatusChecker } from '@agent-passport/core';
import { createDelegationVerifier, type DelegationVerifier } from '@agent-passport/delegation';
import { assertStatusAllows } from '@agent-passport/status';
import type { TrustedIssuer } from '@agent-passport/verifier';
import type { Settings } from '../config.js';
import type { StatusLists } from '../status-lists.js';
import type { ApiProblem, Binding, VerificationResult } from './result.js';

/** Whether `presentation` carries a delegation chain (an AgentDelegation credential). */
export function isDelegatedPresentation(presentation: unknown): boolean {
  const vcs = isObject(presentation) ? presentation['verifiableCredential'] : undefined;
  return (
    Array.isArray(vcs) &&
    vcs.some((vc) => isObject(vc) && Array.isArray(vc['type']) && vc['type'].includes('AgentDelegation'))
  );
}

/** The issuers whose passports may start a chain here. */
function chainIssuers(settings: Settings): TrustedIssuer[] {
  const ids = settings.trustedIssuers ?? new Set([settings.did, ...settings.didDocuments.keys()]);
  return [...ids].map((id) => {
    const didDocument = settings.didDocuments.get(id);
    return didDocument === undefined ? { id } : { id, didDocument };
  });
}

export type DelegatedCheck = (presentation: unknown, binding: Binding) => Promise<VerificationResult>;

export function createDelegatedCheck(settings: Settings, status: StatusLists): DelegatedCheck {
  // Every link's status, like the passport's, against this server's lists and the configured ones.
  const checkStatus: StatusChecker = async (credential, now, context) =>
    assertStatusAllows(await (await status.checker())(credential as never, now, context as never));
  let verifier: DelegationVerifier | undefined;
  const chains = () => {
    verifier ??= createDelegationVerifier({
      trustedIssuers: chainIssuers(settings),
      origin: settings.publicUrl,
      clock: settings.clock,
      maxSkewSeconds: settings.skewMs / 1000,
      cryptosuites: settings.verifyCryptosuites,
      checkStatus,
      ...(settings.trustValidUntil === undefined ? {} : { trustValidUntil: settings.trustValidUntil }),
    });
    return verifier;
  };
  return async function verifyDelegated(presentation, binding) {
    const r = await chains().verifyPresentation(presentation, {
      challenge: binding.challenge ?? '',
      ...(binding.domain === undefined ? {} : { domain: binding.domain }),
    });
    const ran = r.checks.filter((c) => c.skipped !== true);
    const failed = ran.find((c) => !c.ok);
    const errors: ApiProblem[] = r.errors.map((e) => ({ ...e, check: failed?.name ?? 'chain' }));
    return {
      verified: r.verified,
      checks: ran.map((c) => c.name),
      warnings: [],
      errors,
      ...(r.principals === undefined ? {} : { principals: r.principals }),
      ...(r.scopes === undefined ? {} : { scopes: r.scopes }),
    };
  };
}

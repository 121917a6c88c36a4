// SPDX-License-Identifier: Apache-2.0
// The answer of one call, from the run of the checks and what they established; then its evidence,
// when a sink is configured: a verified call that cannot be recorded is refused
// (ERR_EVIDENCE_UNAVAILABLE), nothing is let in without its evidence.
import type { CheckRun, DidKey } from '@agent-passport/core';
import type { EvidenceSink, RequestVerification } from '../verify-request.js';
import type { RequestContext } from './context.js';

export function verification(ctx: RequestContext, run: CheckRun): RequestVerification {
  const { checks, errors } = run;
  const { signature, passport, delegated } = ctx;
  if (errors.length > 0 || signature === undefined || passport === undefined || ctx.ref === undefined)
    return {
      verified: false,
      checks,
      errors,
      // Once the signature verified, a refusal names the signer (from the keyid, or in the compact
      // form from the referenced passport's subject).
      ...(signature === undefined ? {} : { keyId: signature.keyId, agent: ctx.signer as DidKey }),
    };
  return {
    verified: true,
    checks,
    errors,
    agent: (delegated?.verification.agent as DidKey | undefined) ?? passport.credentialSubject.id,
    passport,
    passportRef: ctx.ref,
    ...(delegated === undefined
      ? {}
      : {
          delegation: {
            principals: delegated.verification.principals ?? [],
            chain: delegated.verification.chain ?? [],
            ref: delegated.ref,
          },
        }),
    keyId: signature.keyId,
    nonce: signature.nonce,
  };
}

/**
 * Record the call when the configuration asks for it; a verified call that cannot be is refused.
 * Without a sink the answer is returned as it is (no promise).
 */
export function recordEvidence(
  ctx: RequestContext,
  result: RequestVerification,
): RequestVerification | Promise<RequestVerification> {
  const { evidence, recordRefused } = ctx.settings;
  if (evidence === undefined || (!result.verified && !recordRefused)) return result;
  return record(ctx, evidence, result);
}

async function record(
  ctx: RequestContext,
  evidence: EvidenceSink,
  result: RequestVerification,
): Promise<RequestVerification> {
  const { request, body } = ctx;
  try {
    // Only the bytes already read and checked: a refused caller's body is never read for the log.
    await evidence.record({
      kind: 'request',
      time: ctx.now,
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      ...(body === undefined ? {} : { body }),
      ...(ctx.bytes === undefined ? {} : { passport: ctx.bytes }),
      ...(ctx.delegated === undefined ? {} : { delegations: ctx.delegated.bytes }),
      requiredScopes: ctx.scopes,
      verification: result,
    });
    return result;
  } catch {
    if (!result.verified) return result;
    const error = { code: 'ERR_EVIDENCE_UNAVAILABLE' as const, message: 'the call could not be recorded' };
    return {
      verified: false,
      checks: [...result.checks, { name: 'evidence', ok: false, ...error }],
      errors: [error],
    };
  }
}

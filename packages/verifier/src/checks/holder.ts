// SPDX-License-Identifier: Apache-2.0
// Check 8 (presentations), `holder`: the presentation is signed by the passport's subject under
// `authentication`, bound to this verifier's challenge and domain, and says when it was made.
import {
  CheckFailure,
  type DidDocument,
  type DidKey,
  failIf,
  failUnless,
  isObject,
} from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { verifyControlledProof } from '@agent-passport/suites';
import { type CallContext, established } from '../context.js';

/** The subject's did:key document: a function of the DID, resolved once per cached passport. */
function subjectDocument(ctx: CallContext, subjectId: DidKey): DidDocument {
  const hit = ctx.hit;
  if (hit === undefined) return resolveDidKey(subjectId);
  hit.subjectDocument ??= resolveDidKey(subjectId);
  return hit.subjectDocument;
}

export async function checkHolder(ctx: CallContext): Promise<void> {
  const vp = established(ctx.presentation, 'the presentation');
  const binding = established(ctx.binding, 'the challenge');
  const subject = established(ctx.credential, 'the passport')['credentialSubject'];
  const subjectId = isObject(subject) ? subject['id'] : undefined;
  failUnless(isDidKey(subjectId), 'ERR_HOLDER_MISMATCH', 'the passport subject is not a did:key');
  failIf(
    vp['holder'] !== undefined && vp['holder'] !== subjectId,
    'ERR_HOLDER_MISMATCH',
    'holder is not the subject',
  );
  const proof = vp['proof'];
  failIf(proof === undefined, 'ERR_PROOF_MISSING', 'the presentation is not signed');
  failUnless(isObject(proof), 'ERR_PROOF_MALFORMED', 'exactly one presentation proof is accepted');
  const vm = proof['verificationMethod'];
  failUnless(
    typeof vm === 'string' && vm.startsWith(`${subjectId}#`),
    'ERR_HOLDER_MISMATCH',
    'the presentation is not signed by the passport subject',
  );
  failIf(proof['challenge'] !== binding.challenge, 'ERR_CHALLENGE_MISMATCH', 'challenge mismatch');
  failIf(
    binding.domain !== undefined && proof['domain'] !== binding.domain,
    'ERR_DOMAIN_MISMATCH',
    'domain mismatch',
  );
  const result = await verifyControlledProof({
    document: vp,
    controller: subjectId,
    controllerDocument: subjectDocument(ctx, subjectId),
    purpose: 'authentication',
    at: ctx.now,
    maxSkewSeconds: ctx.settings.maxSkewSeconds,
    requireCreated: true,
    cryptosuites: ctx.settings.suites,
    documentLoader: ctx.settings.documentLoader,
    rdfcBudget: ctx.rdfcBudget,
    // Absent options as undefined members: one shape of options for every call.
    prepared: ctx.prepared,
    challenge: binding.challenge,
    domain: binding.domain,
  });
  if (!result.verified)
    throw new CheckFailure(
      result.code === 'ERR_ISSUER_KEY' ? 'ERR_HOLDER_MISMATCH' : result.code,
      result.message,
    );
}

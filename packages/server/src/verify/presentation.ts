// SPDX-License-Identifier: Apache-2.0
// Verification of a presentation for the VC API: the data model, the holder's `authentication`
// proof bound to the challenge and domain asked for (an unsigned presentation is accepted only
// when neither is asked for), then every credential it carries, each as verifyCredential does.
import { isObject, type JsonObject, PassportError } from '@agent-passport/core';
import { checkVcdmPresentation } from '@agent-passport/schema';
import { idOf, verifyCredential } from './credential.js';
import { checkProof } from './proof.js';
import {
  type ApiProblem,
  type Binding,
  runSteps,
  type VerificationResult,
  type VerifyContext,
} from './result.js';

/** How many credentials one presentation may carry here. */
export const MAX_PRESENTED_CREDENTIALS = 64;

/** An AgentPassport is presented only by its own agent: the proof's signer is its subject. */
function holderBinding(vc: unknown, presenter: string | undefined): ApiProblem | undefined {
  const types = isObject(vc) ? vc['type'] : undefined;
  if (!Array.isArray(types) || !types.includes('AgentPassport')) return undefined;
  const subject = idOf((vc as JsonObject)['credentialSubject']);
  if (presenter !== undefined && presenter === subject) return undefined;
  return {
    code: 'ERR_HOLDER_MISMATCH',
    message: `a passport is presented by its agent ${String(subject)}, not ${presenter ?? 'an unsigned presentation'}`,
    check: 'credentials',
  };
}

/** The holder's proof; returns who signed (undefined for an unsigned presentation). */
async function checkHolderProof(
  doc: JsonObject,
  ctx: VerifyContext,
  binding: Binding,
): Promise<string | undefined> {
  if (doc['proof'] === undefined) {
    if (binding.challenge !== undefined || binding.domain !== undefined)
      throw new PassportError(
        'ERR_PROOF_MISSING',
        'a challenge or domain was asked for and the presentation is not signed',
      );
    return undefined;
  }
  const proof = doc['proof'];
  const vm = isObject(proof) ? proof['verificationMethod'] : undefined;
  const signer = typeof vm === 'string' ? vm.split('#')[0] : undefined;
  const holder = idOf(doc['holder']);
  if (holder !== undefined && signer !== undefined && holder !== signer)
    throw new PassportError(
      'ERR_HOLDER_MISMATCH',
      `the proof is by ${signer}, the holder is ${String(holder)}`,
    );
  await checkProof(doc, String(signer ?? holder), 'authentication', ctx, binding);
  return signer;
}

/** Every credential of the presentation, in order; the first refusal names its credential. */
async function checkCredentials(
  doc: JsonObject,
  ctx: VerifyContext,
  presenter: string | undefined,
): Promise<void> {
  const vcs = doc['verifiableCredential'];
  const list = vcs === undefined ? [] : Array.isArray(vcs) ? vcs : [vcs];
  // Each credential costs a signature check: a bounded number per request.
  if (list.length > MAX_PRESENTED_CREDENTIALS)
    throw new PassportError(
      'ERR_VCDM_INVALID',
      `at most ${MAX_PRESENTED_CREDENTIALS} credentials are verified in one presentation`,
    );
  for (const vc of list) {
    const r = await verifyCredential(vc, ctx);
    const first = r.errors[0] ?? holderBinding(vc, presenter);
    if (first !== undefined)
      throw new PassportError(first.code, `credential ${String(idOf(vc) ?? '')}: ${first.message}`.trim());
  }
}

/** Verify a presentation: data model, holder proof (challenge, domain), then each credential. */
export function verifyPresentation(
  presentation: unknown,
  ctx: VerifyContext,
  binding: Binding,
): Promise<VerificationResult> {
  const doc = presentation as JsonObject;
  let presenter: string | undefined;
  return runSteps([
    [
      'dataModel',
      () => {
        const r = checkVcdmPresentation(presentation, { contexts: ctx.contexts ?? {} });
        if (!r.ok) throw new PassportError(r.code, `${r.path}: ${r.message}`);
      },
    ],
    [
      'proof',
      async () => {
        presenter = await checkHolderProof(doc, ctx, binding);
      },
    ],
    ['credentials', () => checkCredentials(doc, ctx, presenter)],
  ]);
}

// SPDX-License-Identifier: Apache-2.0
// The proof step of the VC API: a single proof through the toolkit's one proof check
// (verifyControlledProof: key of the controller, purpose, key history, created); a proof set or
// chain (Data Integrity 1.0 §4.5) through verifyProofSet, each member's key through the same key
// check (checkControlledKey), and one proof at least by the controller. A single JCS proof's
// document is checked and canonicalised in one walk (prepareJcs) instead of strict-json's safety
// walk and serialisation of each part it signs.
import {
  type DidDocument,
  isObject,
  type JsonObject,
  PassportError,
  parseDateTime,
} from '@agent-passport/core';
import {
  type ControlledProofOptions,
  checkControlledKey,
  type PreparedJcs,
  type ProofPurpose,
  prepareJcs,
  verifyControlledProof,
  verifyProofSet,
} from '@agent-passport/suites';
import type { Binding, VerifyContext } from './result.js';

/** The proof on `document`, made by a key of `controllerDid` under `purpose`, checked at `ctx.now`. */
export async function checkProof(
  document: JsonObject,
  controllerDid: string,
  purpose: ProofPurpose,
  ctx: VerifyContext,
  binding: Binding = {},
): Promise<DidDocument> {
  const proof = document['proof'];
  if (Array.isArray(proof)) return checkProofSet(document, proof, controllerDid, purpose, ctx, binding);
  const prepared = preparedFor(document, proof);
  const result = await verifyControlledProof(
    controlledProofOptions(document, controllerDid, purpose, ctx, binding, prepared),
  );
  if (!result.verified) throw new PassportError(result.code, result.message);
  return result.controllerDocument;
}

/** The options of the one proof check for a single proof (`prepared`: the document's one walk). */
export function controlledProofOptions(
  document: JsonObject,
  controllerDid: string,
  purpose: ProofPurpose,
  ctx: VerifyContext,
  binding: Binding = {},
  prepared?: PreparedJcs,
): ControlledProofOptions {
  return {
    document,
    controller: controllerDid,
    controllerDocument: ctx.resolve,
    purpose,
    at: ctx.now,
    maxSkewSeconds: ctx.skewMs / 1000,
    cryptosuites: ctx.cryptosuites,
    documentLoader: ctx.documentLoader,
    rdfcBudget: ctx.rdfcBudget,
    ...(prepared === undefined ? {} : { prepared }),
    ...binding,
  };
}

/**
 * The document checked and canonicalised in one walk, for a proof of a JCS suite (the direct
 * engine then serialises nothing again). Undefined for any other proof, and for a document that
 * walk refuses: the proof check then canonicalises as it did without it, to the same verdict and
 * code (test/one-walk.test.ts compares both on every document the tests send).
 */
export function preparedFor(document: JsonObject, proof: unknown): PreparedJcs | undefined {
  const suite = isObject(proof) ? proof['cryptosuite'] : undefined;
  if (suite !== 'eddsa-jcs-2022' && suite !== 'ecdsa-jcs-2019') return undefined;
  try {
    return prepareJcs(document);
  } catch {
    return undefined;
  }
}

/** The DID whose key signed `proof`. */
function signerOf(proof: unknown): string {
  const vm = isObject(proof) ? proof['verificationMethod'] : undefined;
  if (typeof vm !== 'string')
    throw new PassportError('ERR_PROOF_MALFORMED', 'proof.verificationMethod must be a string');
  return vm.split('#')[0] as string;
}

/** Before any cryptography: no member created in the future, and one member by the controller. */
function checkMembers(proofs: readonly unknown[], controllerDid: string, ctx: VerifyContext): void {
  for (const p of proofs) {
    if (!isObject(p) || p['created'] === undefined) continue;
    const at = parseDateTime(p['created']);
    if (at === undefined || at > ctx.now.getTime() + ctx.skewMs)
      throw new PassportError('ERR_PROOF_CREATED', 'a proof.created is malformed or in the future');
  }
  if (!proofs.some((p) => signerOf(p) === controllerDid))
    throw new PassportError('ERR_PROOF_SIGNER_ABSENT', `no proof of the set is by ${controllerDid}`);
}

/**
 * A proof set or chain: every proof verifies, each against the controller of its own key and under
 * `purpose`, and one at least is by `controllerDid` (the issuer, or the holder): other proofs add
 * to it, never stand in for it.
 */
async function checkProofSet(
  document: JsonObject,
  proofs: readonly unknown[],
  controllerDid: string,
  purpose: ProofPurpose,
  ctx: VerifyContext,
  binding: Binding,
): Promise<DidDocument> {
  checkMembers(proofs, controllerDid, ctx);
  const result = await verifyProofSet(document, {
    proofPurpose: purpose,
    documentLoader: ctx.documentLoader,
    allowedCryptosuites: ctx.cryptosuites,
    rdfcBudget: ctx.rdfcBudget,
    ...binding,
    controllerOf: (p) => ctx.resolve(signerOf(p)),
  });
  if (!result.verified) throw new PassportError(result.code, result.message);
  // The key history of each member's key, at its own created time.
  for (const proof of proofs) {
    const key = checkControlledKey({ proof }, await ctx.resolve(signerOf(proof)), purpose);
    if (!key.verified) throw new PassportError(key.code, key.message);
  }
  return ctx.resolve(controllerDid);
}

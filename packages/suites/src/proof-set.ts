// SPDX-License-Identifier: Apache-2.0
// Proof sets and proof chains (VC Data Integrity 1.0 §2.1.2, §4.5): every proof of `proof` is
// verified; a proof naming `previousProof` secures the document together with the proofs it names
// (which must be in the set), so a chain verifies in order. Each proof is checked by verifyProof
// (allowlists first, then cryptography) against the controller of its own verification method.
import { type DidDocument, type ErrorCode, PassportError } from '@agent-passport/core';
import { type CryptosuiteName, verifyProof } from './proof.js';

type JsonObject = Record<string, unknown>;

/** How many proofs one document may carry: each costs a signature check. */
export const MAX_PROOFS = 8;

export type ProofSetResult =
  | {
      readonly verified: true;
      readonly proofs: readonly {
        readonly cryptosuite: CryptosuiteName;
        readonly verificationMethod: string;
      }[];
    }
  | { readonly verified: false; readonly code: ErrorCode; readonly message: string };

/** verifyProof's options, with the controller of each proof resolved from its verification method. */
export type ProofSetOptions = Omit<Parameters<typeof verifyProof>[1], 'controller' | 'previous'> & {
  /** The controller document of a proof's verification method; throws a PassportError when unknown. */
  readonly controllerOf: (proof: JsonObject) => Promise<DidDocument>;
};

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (code: ErrorCode, message: string): ProofSetResult => ({ verified: false, code, message });

/** The proofs a proof's previousProof names, or a failure. */
function previousOf(proof: JsonObject, all: readonly JsonObject[]): JsonObject[] | ProofSetResult {
  const ref = proof['previousProof'];
  if (ref === undefined) return [];
  const ids = Array.isArray(ref) ? ref : [ref];
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string'))
    return fail('ERR_PROOF_MALFORMED', 'previousProof must be a proof id or a list of proof ids');
  const found: JsonObject[] = [];
  for (const id of ids) {
    const match = all.find((p) => p !== proof && p['id'] === id);
    if (match === undefined)
      return fail('ERR_PROOF_PREVIOUS_MISSING', `previousProof ${String(id)} is not a proof of the set`);
    found.push(match);
  }
  return found;
}

/** The proofs of `document`: one object or a list of them, with distinct ids. */
function proofsOf(document: unknown): JsonObject[] | ProofSetResult {
  const proof = isObject(document) ? document['proof'] : undefined;
  if (proof === undefined) return fail('ERR_PROOF_MISSING', 'the document has no proof');
  const all = Array.isArray(proof) ? proof : [proof];
  if (all.length === 0) return fail('ERR_PROOF_MISSING', 'the proof set is empty');
  if (all.length > MAX_PROOFS)
    return fail('ERR_PROOF_MALFORMED', `at most ${MAX_PROOFS} proofs are verified`);
  if (!all.every(isObject)) return fail('ERR_PROOF_MALFORMED', 'each proof is an object');
  const ids = all.map((p) => p['id']).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length)
    return fail('ERR_PROOF_MALFORMED', 'two proofs of the set have the same id');
  return all;
}

/**
 * Verify every proof of `document` (a single proof, a set, or chains through previousProof).
 * The first failure, in the order of the set, is the result.
 */
export async function verifyProofSet(document: unknown, options: ProofSetOptions): Promise<ProofSetResult> {
  const all = proofsOf(document);
  if (!Array.isArray(all)) return all;
  const { controllerOf, ...rest } = options;
  const verified: { cryptosuite: CryptosuiteName; verificationMethod: string }[] = [];
  for (const proof of all) {
    const previous = previousOf(proof, all);
    if (!Array.isArray(previous)) return previous;
    let controller: DidDocument;
    try {
      controller = await controllerOf(proof);
    } catch (e) {
      if (e instanceof PassportError) return fail(e.code, e.message);
      throw e;
    }
    const r = await verifyProof(
      { ...(document as JsonObject), proof },
      {
        ...rest,
        controller,
        ...(previous.length === 0 ? {} : { previous: previous.length === 1 ? previous[0] : previous }),
      },
    );
    if (!r.verified) return r;
    verified.push({ cryptosuite: r.cryptosuite, verificationMethod: r.verificationMethod });
  }
  return { verified: true, proofs: verified };
}

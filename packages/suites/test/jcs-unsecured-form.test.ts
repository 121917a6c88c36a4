// SPDX-License-Identifier: Apache-2.0
// The direct engine builds the unsecured document's JCS form from the remembered member forms when
// the proof's @context is the document's own, and copies the document only when it differs (a
// prefix, a string for a one-entry list) or for a chained proof. Every shape of proof @context,
// signed by hand exactly as eddsa-jcs-2022 §3.3.2 reads it, gets the same verdict and code from
// the direct engine (plain and prepared) as from the digitalbazaar reference.
import { sign } from 'node:crypto';
import { concatBytes } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';
import { canonicalize } from '@agent-passport/strict-json';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { didKeySigner, prepareJcs, privateKeyObject, verifyProof } from '../src/index.js';
import { didKeyDocument, testLoader } from './helpers.js';

type Json = Record<string, unknown>;
const V2 = 'https://www.w3.org/ns/credentials/v2';
const EXAMPLES = 'https://www.w3.org/ns/credentials/examples/v2';
const key = { type: 'Ed25519' as const, secretKey: new Uint8Array(32).fill(7) };
const vm = didKeySigner(key).id;
const controller = didKeyDocument(vm.split('#')[1] as string);

/** Sign `doc` by hand: proof options hashed with the document taking `signedContext`. */
function signWith(doc: Json, proofContext: unknown, signedContext: unknown): Json {
  const options: Json = {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-jcs-2022',
    created: '2026-01-01T00:00:00Z',
    verificationMethod: vm,
    proofPurpose: 'assertionMethod',
    ...(proofContext === undefined ? {} : { '@context': proofContext }),
  };
  const unsecured = signedContext === undefined ? doc : { ...doc, '@context': signedContext };
  const data = concatBytes(sha256(canonicalize(options)), sha256(canonicalize(unsecured)));
  const signature = new Uint8Array(sign(null, data, privateKeyObject(key)));
  return { ...doc, proof: { ...options, proofValue: base58btc.encode(signature) } };
}

async function verdicts(doc: Json) {
  const run = async (engine: 'direct' | 'reference' | 'prepared') => {
    const prepared = engine === 'prepared' ? prepareJcs(doc, { copy: true }) : undefined;
    const r = await verifyProof(prepared?.value ?? doc, {
      proofPurpose: 'assertionMethod',
      controller,
      documentLoader: testLoader,
      engine: engine === 'reference' ? 'reference' : 'direct',
      ...(prepared === undefined ? {} : { prepared }),
    });
    return r.verified ? { verified: true } : { verified: false, code: r.code };
  };
  return { reference: await run('reference'), direct: await run('direct'), prepared: await run('prepared') };
}

const base = (context: unknown): Json => ({
  '@context': context,
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:subject', name: 'n' },
});

describe('the unsecured form, with and without copying the document', () => {
  // [document @context, proof @context, the @context the signature covers]
  const cases: [string, unknown, unknown, unknown][] = [
    ['no proof context', [V2, EXAMPLES], undefined, undefined],
    ['the same list', [V2, EXAMPLES], [V2, EXAMPLES], undefined],
    ['a strict prefix, signed over the prefix', [V2, EXAMPLES], [V2], [V2]],
    ['a strict prefix, signed over the whole list', [V2, EXAMPLES], [V2], undefined],
    ['a string for a one-entry list, signed over the string', [V2], V2, V2],
    ['a string for a one-entry list, signed over the list', [V2], V2, undefined],
    ['a one-entry list for a string, signed over the list', V2, [V2], [V2]],
    ['a one-entry list for a string, signed over the string', V2, [V2], undefined],
    ['a different list', [V2, EXAMPLES], [V2, 'https://other.example/'], undefined],
    ['a longer list', [V2], [V2, EXAMPLES], [V2, EXAMPLES]],
  ];
  it.each(cases)('%s: same verdict and code as the reference', async (_name, own, proofCtx, signed) => {
    const doc = signWith(base(own), proofCtx, signed);
    const r = await verdicts(doc);
    expect(r.direct).toEqual(r.reference);
    expect(r.prepared).toEqual(r.reference);
  });

  it('an equal inline context object: the direct engine compares it by canonical form (both ways alike)', async () => {
    // A known difference from the reference, older than the copy-free form: jsonld-signatures
    // compares @context entries by identity, so a proof whose @context holds an object (never the
    // same object once parsed) is refused there ("does not start with"), and verified here.
    const context = [V2, { '@vocab': 'https://e.example/#' }];
    const r = await verdicts(signWith(base(context), structuredClone(context), undefined));
    expect(r.reference).toEqual({ verified: false, code: 'ERR_PROOF_INVALID' });
    expect(r.direct).toEqual({ verified: true });
    expect(r.prepared).toEqual(r.direct);
  });

  it('verifies the honest cases (the test can fail)', async () => {
    expect((await verdicts(signWith(base([V2, EXAMPLES]), [V2, EXAMPLES], undefined))).prepared).toEqual({
      verified: true,
    });
    expect((await verdicts(signWith(base([V2, EXAMPLES]), [V2], [V2]))).prepared).toEqual({
      verified: true,
    });
    expect((await verdicts(signWith(base([V2, EXAMPLES]), [V2], undefined))).prepared).toEqual({
      verified: false,
      code: 'ERR_PROOF_INVALID',
    });
  });
});

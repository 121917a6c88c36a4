// SPDX-License-Identifier: Apache-2.0
// The cryptosuite fixes the algorithm (VC Data Integrity 1.0 §4.3; eddsa-jcs-2022 §3.3.2,
// ecdsa-jcs-2019 §3.3.2, eddsa-rdfc-2022 §3.2.2): a genuine signature by a key of another type,
// under a relabelled suite, is refused before any signature check, on both engines.
import type { Signer } from '@agent-passport/core';
import { encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import {
  type CryptosuiteName,
  createPresentation,
  createSigner,
  publicKeyOf,
  signCredential,
  signPresentation,
  verifyProof,
} from '../src/index.js';
import { didKeyDocument, testLoader } from './helpers.js';

const created = new Date('2026-01-01T00:00:00Z');
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
};

function keyOf(type: 'Ed25519' | 'P-256') {
  const key = {
    type,
    secretKey: randomSecretKey(type),
  };
  const multibase = encodeMultikey(publicKeyOf(key), type);
  const doc = didKeyDocument(multibase);
  return { key, doc, vm: `${doc.id}#${multibase}` };
}

/** A signer that lies about its algorithm, so the stack signs under a suite of another key type. */
function lying(signer: Signer, claims: 'Ed25519' | 'P-256'): Signer {
  return { id: signer.id, algorithm: claims, sign: signer.sign };
}

const ENGINES = ['direct', 'reference'] as const;

describe('the cryptosuite is bound to the key type (ERR_SUITE_KEY_MISMATCH)', () => {
  const ed = keyOf('Ed25519');
  const p256 = keyOf('P-256');

  it('a P-256 presentation proof labelled eddsa-jcs-2022 is refused on both engines', async () => {
    const vp = createPresentation({ verifiableCredential: [], holder: p256.doc.id });
    const signed = await signPresentation(vp, {
      signer: lying(createSigner(p256.key, p256.vm), 'Ed25519'),
      created,
      challenge: 'c-1',
      documentLoader: testLoader,
      cryptosuite: 'eddsa-jcs-2022',
    });
    expect((signed['proof'] as Record<string, unknown>)['cryptosuite']).toBe('eddsa-jcs-2022');
    for (const engine of ENGINES) {
      const r = await verifyProof(signed, {
        proofPurpose: 'authentication',
        controller: p256.doc,
        documentLoader: testLoader,
        challenge: 'c-1',
        engine,
      });
      expect(r, engine).toMatchObject({ verified: false, code: 'ERR_SUITE_KEY_MISMATCH' });
    }
  });

  const relabelled: [CryptosuiteName, 'Ed25519' | 'P-256'][] = [
    ['ecdsa-jcs-2019', 'Ed25519'],
    ['eddsa-jcs-2022', 'P-256'],
    ['eddsa-rdfc-2022', 'P-256'],
  ];
  for (const [suite, keyType] of relabelled) {
    it(`an ${keyType} credential proof labelled ${suite} is refused, even when ${suite} is the only suite allowed`, async () => {
      const k = keyType === 'Ed25519' ? ed : p256;
      const signed = await signCredential(credential, {
        signer: lying(createSigner(k.key, k.vm), keyType === 'Ed25519' ? 'P-256' : 'Ed25519'),
        created,
        documentLoader: testLoader,
        cryptosuite: suite,
      });
      for (const engine of ENGINES) {
        const r = await verifyProof(signed, {
          proofPurpose: 'assertionMethod',
          controller: k.doc,
          documentLoader: testLoader,
          allowedCryptosuites: [suite],
          engine,
        });
        expect(r, engine).toMatchObject({ verified: false, code: 'ERR_SUITE_KEY_MISMATCH' });
      }
    });
  }

  it('an honest proof under each suite still verifies on both engines', async () => {
    for (const [suite, k] of [
      ['eddsa-jcs-2022', ed],
      ['eddsa-rdfc-2022', ed],
      ['ecdsa-jcs-2019', p256],
    ] as const) {
      const signed = await signCredential(credential, {
        signer: createSigner(k.key, k.vm),
        created,
        documentLoader: testLoader,
        cryptosuite: suite,
      });
      for (const engine of ENGINES) {
        const r = await verifyProof(signed, {
          proofPurpose: 'assertionMethod',
          controller: k.doc,
          documentLoader: testLoader,
          engine,
        });
        expect(r, `${suite} ${engine}`).toEqual({
          verified: true,
          cryptosuite: suite,
          verificationMethod: k.vm,
        });
      }
    }
  });
});

// SPDX-License-Identifier: Apache-2.0
// W3C VC Data Integrity EdDSA Cryptosuites v1.0, test vectors (Appendix A), at the proof layer:
// the vectors' issuer is not the key's controller, so the controller given here is the did:key.

import { canonicalize } from '@agent-passport/strict-json';
import { describe, expect, it } from 'vitest';
import {
  createSigner,
  decodePrivateKeyMultibase,
  encodePrivateKeyMultibase,
  publicKeyOf,
  signCredential,
  verifyProof,
} from '../src/index.js';
import { didKeyDocument, testLoader, vector } from './helpers.js';

interface EddsaVectors {
  keyPair: { publicKeyMultibase: string; privateKeyMultibase: string };
  unsignedDocument: Record<string, unknown>;
  'eddsa-jcs-2022': {
    proofConfig: { created: string };
    signedDocument: Record<string, unknown> & { proof: Record<string, unknown> };
  };
  'eddsa-rdfc-2022': { signedDocument: Record<string, unknown> };
}

describe('vc-di-eddsa vectors', () => {
  const v = vector<EddsaVectors>('w3c/vc-di-eddsa.json');

  it('decodes the vector private key and derives its public key', async () => {
    const key = decodePrivateKeyMultibase(v.keyPair.privateKeyMultibase);
    expect(key.type).toBe('Ed25519');
    expect(encodePrivateKeyMultibase(key)).toBe(v.keyPair.privateKeyMultibase);
    const { encodeMultikey } = await import('@agent-passport/did-key');
    expect(encodeMultikey(publicKeyOf(key), 'Ed25519')).toBe(v.keyPair.publicKeyMultibase);
  });

  it('signs eddsa-jcs-2022 byte for byte like the W3C vector', async () => {
    const key = decodePrivateKeyMultibase(v.keyPair.privateKeyMultibase);
    const vm = `did:key:${v.keyPair.publicKeyMultibase}#${v.keyPair.publicKeyMultibase}`;
    const signed = await signCredential(v.unsignedDocument, {
      signer: createSigner(key, vm),
      created: new Date(v['eddsa-jcs-2022'].proofConfig.created),
      documentLoader: testLoader,
    });
    // The same signature, and the same document byte for byte in canonical (JCS) form; only the
    // JSON member order of the proof object differs from the vector's file.
    expect((signed['proof'] as Record<string, unknown>)['proofValue']).toBe(
      v['eddsa-jcs-2022'].signedDocument.proof['proofValue'],
    );
    expect(canonicalize(signed)).toBe(canonicalize(v['eddsa-jcs-2022'].signedDocument));
  });

  it('verifies the eddsa-jcs-2022 and eddsa-rdfc-2022 signed vectors', async () => {
    const controller = didKeyDocument(v.keyPair.publicKeyMultibase);
    for (const suite of ['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const) {
      const result = await verifyProof(v[suite].signedDocument, {
        proofPurpose: 'assertionMethod',
        controller,
        documentLoader: testLoader,
      });
      expect(result, suite).toMatchObject({ verified: true, cryptosuite: suite });
    }
  });

  it('refuses the jcs vector with any claim edited (ERR_PROOF_INVALID)', async () => {
    const doc = structuredClone(v['eddsa-jcs-2022'].signedDocument);
    (doc['credentialSubject'] as Record<string, unknown>)['alumniOf'] = 'Another School';
    const result = await verifyProof(doc, {
      proofPurpose: 'assertionMethod',
      controller: didKeyDocument(v.keyPair.publicKeyMultibase),
      documentLoader: testLoader,
    });
    expect(result).toMatchObject({ verified: false, code: 'ERR_PROOF_INVALID' });
  });

  it('refuses the rdfc vector when rdfc is not on the allowlist (ERR_CRYPTOSUITE_UNSUPPORTED)', async () => {
    const result = await verifyProof(v['eddsa-rdfc-2022'].signedDocument, {
      proofPurpose: 'assertionMethod',
      controller: didKeyDocument(v.keyPair.publicKeyMultibase),
      documentLoader: testLoader,
      allowedCryptosuites: ['eddsa-jcs-2022'],
    });
    expect(result).toMatchObject({ verified: false, code: 'ERR_CRYPTOSUITE_UNSUPPORTED' });
  });
});

describe('vc-di-ecdsa ecdsa-jcs-2019 P-256 vector', () => {
  it('verifies the signed P-256 credential', async () => {
    const v = vector<{ signedDocument: { proof: { verificationMethod: string } } }>(
      'w3c/vc-di-ecdsa-jcs-2019-p256.json',
    );
    const multibase = v.signedDocument.proof.verificationMethod.split('#')[1]!;
    const result = await verifyProof(v.signedDocument, {
      proofPurpose: 'assertionMethod',
      controller: didKeyDocument(multibase),
      documentLoader: testLoader,
    });
    expect(result).toMatchObject({ verified: true, cryptosuite: 'ecdsa-jcs-2019' });
  });
});

// SPDX-License-Identifier: Apache-2.0
// The proof layer from the attacker's side: every check verifyProof makes, failed exactly once.
import { encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPresentation,
  createSigner,
  publicKeyOf,
  signCredential,
  signPresentation,
  verifyProof,
} from '../src/index.js';
import { didKeyDocument, testLoader } from './helpers.js';

function rawSeed(type: 'ed25519' | 'p256'): Uint8Array {
  return randomSecretKey(type === 'ed25519' ? 'Ed25519' : 'P-256');
}

const created = new Date('2026-01-01T00:00:00Z');
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:0b5ab0ea-1f5e-4a4b-9a3c-6b1e0b7d8f10',
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:subject' },
};

describe('Data Integrity proofs: sign then verify', () => {
  const ed = { type: 'Ed25519' as const, secretKey: rawSeed('ed25519') };
  const edMultibase = encodeMultikey(publicKeyOf(ed), 'Ed25519');
  const edDoc = didKeyDocument(edMultibase);
  const edVm = `${edDoc.id}#${edMultibase}`;
  let signed: Record<string, unknown>;

  beforeAll(async () => {
    signed = await signCredential(credential, {
      signer: createSigner(ed, edVm),
      created,
      documentLoader: testLoader,
    });
  });

  it('a signer that fails surfaces as ERR_PROOF_CREATE (with the cause), not a raw error', async () => {
    const failing = {
      ...createSigner(ed, edVm),
      sign: async () => {
        throw new Error('HSM unavailable');
      },
    };
    await expect(
      signCredential(credential, { signer: failing, created, documentLoader: testLoader }),
    ).rejects.toMatchObject({ code: 'ERR_PROOF_CREATE', message: 'HSM unavailable' });
  });

  it('adds an eddsa-jcs-2022 assertionMethod proof that verifies', async () => {
    expect(signed['proof']).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      proofPurpose: 'assertionMethod',
      verificationMethod: edVm,
      created: '2026-01-01T00:00:00Z',
    });
    const r = await verifyProof(signed, {
      proofPurpose: 'assertionMethod',
      controller: edDoc,
      documentLoader: testLoader,
    });
    expect(r).toEqual({ verified: true, cryptosuite: 'eddsa-jcs-2022', verificationMethod: edVm });
  });

  it('signs with P-256 keys using ecdsa-jcs-2019, and verifies', async () => {
    const p = { type: 'P-256' as const, secretKey: rawSeed('p256') };
    const mb = encodeMultikey(publicKeyOf(p), 'P-256');
    const doc = didKeyDocument(mb);
    const out = await signCredential(credential, {
      signer: createSigner(p, `${doc.id}#${mb}`),
      created,
      documentLoader: testLoader,
    });
    expect((out['proof'] as Record<string, unknown>)['cryptosuite']).toBe('ecdsa-jcs-2019');
    const r = await verifyProof(out, {
      proofPurpose: 'assertionMethod',
      controller: doc,
      documentLoader: testLoader,
    });
    expect(r.verified).toBe(true);
  });

  const mutate = (f: (d: Record<string, unknown>, proof: Record<string, unknown>) => void) => {
    const d = structuredClone(signed);
    f(d, d['proof'] as Record<string, unknown>);
    return d;
  };

  const cases: [string, (d: Record<string, unknown>, p: Record<string, unknown>) => void, string][] = [
    ['no proof', (d) => delete d['proof'], 'ERR_PROOF_MISSING'],
    ['a proof array (proof sets are refused)', (d, p) => (d['proof'] = [p, p]), 'ERR_PROOF_MALFORMED'],
    ['a proof that is a string', (d) => (d['proof'] = 'z123'), 'ERR_PROOF_MALFORMED'],
    ['another proof type', (_d, p) => (p['type'] = 'Ed25519Signature2020'), 'ERR_PROOF_TYPE'],
    ['an unknown cryptosuite', (_d, p) => (p['cryptosuite'] = 'eddsa-2022'), 'ERR_CRYPTOSUITE_UNSUPPORTED'],
    ['the authentication purpose', (_d, p) => (p['proofPurpose'] = 'authentication'), 'ERR_PROOF_PURPOSE'],
    [
      'a verificationMethod object',
      (_d, p) => (p['verificationMethod'] = { id: edVm }),
      'ERR_PROOF_MALFORMED',
    ],
    [
      'a proofValue without multibase prefix',
      (_d, p) => (p['proofValue'] = 'u' + String(p['proofValue']).slice(1)),
      'ERR_PROOF_MALFORMED',
    ],
    [
      'a key the controller does not list',
      (_d, p) => (p['verificationMethod'] = `${edDoc.id}#other`),
      'ERR_ISSUER_KEY',
    ],
    ['an edited claim', (d) => (d['issuer'] = 'did:example:attacker'), 'ERR_PROOF_INVALID'],
    ['an edited proof option', (_d, p) => (p['created'] = '2026-01-02T00:00:00Z'), 'ERR_PROOF_INVALID'],
    [
      'a truncated signature',
      (_d, p) => (p['proofValue'] = String(p['proofValue']).slice(0, 40)),
      'ERR_PROOF_INVALID',
    ],
  ];
  for (const [name, f, code] of cases) {
    it(`refuses ${name} (${code})`, async () => {
      const r = await verifyProof(mutate(f), {
        proofPurpose: 'assertionMethod',
        controller: edDoc,
        documentLoader: testLoader,
      });
      expect(r).toMatchObject({ verified: false, code });
    });
  }

  it('refuses a key that is listed but controlled by someone else (ERR_ISSUER_KEY)', async () => {
    const controller = {
      ...edDoc,
      verificationMethod: [{ ...edDoc.verificationMethod![0]!, controller: 'did:example:attacker' }],
    };
    const r = await verifyProof(signed, {
      proofPurpose: 'assertionMethod',
      controller,
      documentLoader: testLoader,
    });
    expect(r).toMatchObject({ verified: false, code: 'ERR_ISSUER_KEY' });
  });

  it('refuses a key that is listed only under authentication for an assertion (ERR_ISSUER_KEY)', async () => {
    const controller = { ...edDoc, assertionMethod: [] };
    const r = await verifyProof(signed, {
      proofPurpose: 'assertionMethod',
      controller,
      documentLoader: testLoader,
    });
    expect(r).toMatchObject({ verified: false, code: 'ERR_ISSUER_KEY' });
  });
});

describe('presentations: authentication proofs bound to challenge and domain', () => {
  const holder = { type: 'Ed25519' as const, secretKey: rawSeed('ed25519') };
  const mb = encodeMultikey(publicKeyOf(holder), 'Ed25519');
  const doc = didKeyDocument(mb);
  const signer = createSigner(holder, `${doc.id}#${mb}`);
  const options = { proofPurpose: 'authentication' as const, controller: doc, documentLoader: testLoader };

  it('verifies with the same challenge and domain, refuses others with their codes', async () => {
    const vp = createPresentation({ verifiableCredential: [credential], holder: doc.id });
    expect(vp['type']).toEqual(['VerifiablePresentation']);
    const signed = await signPresentation(vp, {
      signer,
      created,
      challenge: 'c-123',
      domain: 'api.example',
      documentLoader: testLoader,
    });
    expect(
      await verifyProof(signed, { ...options, challenge: 'c-123', domain: 'api.example' }),
    ).toMatchObject({ verified: true });
    expect(
      await verifyProof(signed, { ...options, challenge: 'c-124', domain: 'api.example' }),
    ).toMatchObject({
      verified: false,
      code: 'ERR_CHALLENGE_MISMATCH',
    });
    expect(
      await verifyProof(signed, { ...options, challenge: 'c-123', domain: 'evil.example' }),
    ).toMatchObject({
      verified: false,
      code: 'ERR_DOMAIN_MISMATCH',
    });
    const arrayDomain = structuredClone(signed);
    (arrayDomain['proof'] as Record<string, unknown>)['domain'] = ['api.example'];
    expect(
      await verifyProof(arrayDomain, { ...options, challenge: 'c-123', domain: 'api.example' }),
    ).toMatchObject({
      verified: false,
      code: 'ERR_DOMAIN_MISMATCH',
    });
    expect(await verifyProof(signed, { ...options, proofPurpose: 'assertionMethod' })).toMatchObject({
      verified: false,
      code: 'ERR_PROOF_PURPOSE',
    });
  });
});

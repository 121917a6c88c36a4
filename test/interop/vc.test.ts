// SPDX-License-Identifier: Apache-2.0
// Interop with the reference stack (digitalbazaar vc 7 + data-integrity + eddsa-jcs-2022): what we
// issue and present verifies with plain vc.verifyCredential / vc.verify, and what it issues and
// presents verifies with our verifier.
import { createDocumentLoader } from '@agent-passport/contexts';
import type { AgentPassport } from '@agent-passport/core';
import {
  dereferenceDidKey,
  encodeDidKey,
  encodeMultikey,
  randomSecretKey,
  resolveDidKey,
} from '@agent-passport/did-key';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { createSigner, publicKeyOf } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';

const documentLoader = createDocumentLoader({
  resolveDid: (url: string) =>
    url.includes('#')
      ? { '@context': 'https://w3id.org/security/multikey/v1', ...dereferenceDidKey(url) }
      : resolveDidKey(url),
});
const now = new Date('2026-06-01T00:00:00Z');

function ours() {
  const key = {
    type: 'Ed25519' as const,
    secretKey: randomSecretKey('Ed25519'),
  };
  const pub = publicKeyOf(key);
  const did = encodeDidKey(pub, 'Ed25519');
  return { did, signer: createSigner(key, `${did}#${encodeMultikey(pub, 'Ed25519')}`) };
}

async function theirs() {
  const kp = await Ed25519Multikey.generate();
  const did = `did:key:${kp.publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.from({
    ...(await kp.export({ publicKey: true, secretKey: true, includeContext: true })),
    id: `${did}#${kp.publicKeyMultibase}`,
    controller: did,
  });
  return { did, keyPair };
}

const claims = {
  agentName: 'interop-agent',
  purpose: 'interop',
  scopes: ['read:interop'],
  validFrom: '2026-05-01T00:00:00Z',
  validUntil: '2026-09-01T00:00:00Z',
};

describe('interop with @digitalbazaar/vc', () => {
  it('our passport verifies with vc.verifyCredential', async () => {
    const org = ours();
    const agent = ours();
    const passport = await issuePassport({
      ...claims,
      issuer: { id: org.did, signer: org.signer },
      subject: agent.did,
      now,
    });
    const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
    const result = await vc.verifyCredential({ credential: passport, suite, documentLoader, now });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('our presentation verifies with vc.verify (challenge and domain)', async () => {
    const org = ours();
    const agent = ours();
    const passport = await issuePassport({
      ...claims,
      issuer: { id: org.did, signer: org.signer },
      subject: agent.did,
      now,
    });
    const vp = await createPresentation({
      passport,
      signer: agent.signer,
      challenge: 'c-42',
      domain: 'svc.example',
      now,
    });
    const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
    const result = await vc.verify({
      presentation: vp,
      suite,
      challenge: 'c-42',
      domain: 'svc.example',
      documentLoader,
      now,
    });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('a passport and presentation made by vc.issue / vc.signPresentation verify with ours', async () => {
    const org = await theirs();
    const agent = await theirs();
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
      id: 'urn:uuid:2d8e3a52-5c1a-4f0e-9d7b-8a6c5e4f3b21',
      type: ['VerifiableCredential', 'AgentPassport'],
      issuer: org.did,
      validFrom: claims.validFrom,
      validUntil: claims.validUntil,
      credentialSubject: {
        id: agent.did,
        agentName: claims.agentName,
        purpose: claims.purpose,
        scopes: claims.scopes,
      },
    };
    const passport = await vc.issue({
      credential,
      suite: new DataIntegrityProof({
        signer: org.keyPair.signer(),
        date: now,
        cryptosuite: createSignCryptosuite(),
      }),
      documentLoader,
      now,
    });
    const presentation = vc.createPresentation({
      verifiableCredential: [passport],
      holder: agent.did,
      version: 2.0,
      now,
    });
    const vp = await vc.signPresentation({
      presentation,
      suite: new DataIntegrityProof({
        signer: agent.keyPair.signer(),
        date: now,
        cryptosuite: createSignCryptosuite(),
      }),
      challenge: 'c-7',
      domain: 'svc.example',
      documentLoader,
    });
    const verifier = createVerifier({ trustedIssuers: [org.did], clock: () => now });
    const onCredential = await verifier.verifyCredential(passport);
    expect(onCredential.errors).toEqual([]);
    const onPresentation = await verifier.verifyPresentation(vp, { challenge: 'c-7', domain: 'svc.example' });
    expect(onPresentation.errors).toEqual([]);
    expect(onPresentation.verified).toBe(true);
    expect((onPresentation.passport as AgentPassport).credentialSubject.id).toBe(agent.did);
  });
});

// SPDX-License-Identifier: Apache-2.0
// Attacker: genuine signatures under a cryptosuite of another key type. The cryptosuites a verifier
// allows must mean the algorithms it accepts (ERR_SUITE_KEY_MISMATCH), for the issuer's proof and
// the holder's.
import type { KeyType, Signer } from '@agent-passport/core';
import { encodeDidKey, encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { createSigner, publicKeyOf } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.js';

function newKey(type: KeyType) {
  const key = {
    type,
    secretKey: randomSecretKey(type),
  };
  const publicKey = publicKeyOf(key);
  const multibase = encodeMultikey(publicKey, type);
  const did = encodeDidKey(publicKey, type);
  return { did, signer: createSigner(key, `${did}#${multibase}`) };
}

/** The same key, claiming the other algorithm: the stack then signs under that algorithm's suite. */
const lying = (s: Signer): Signer => ({
  id: s.id,
  algorithm: s.algorithm === 'Ed25519' ? 'P-256' : 'Ed25519',
  sign: s.sign,
});

const now = new Date('2026-06-01T00:00:00Z');
const clock = () => now;
const base = {
  agentName: 'research-agent',
  purpose: 'literature-review',
  scopes: ['read:arxiv'],
  validFrom: '2026-05-01T00:00:00Z',
  validUntil: '2026-09-01T00:00:00Z',
  now: new Date('2026-05-01T00:00:00Z'),
};

describe('a verifier accepts only the algorithms of its cryptosuites', () => {
  const edOrg = newKey('Ed25519');
  const p256Org = newKey('P-256');
  const edAgent = newKey('Ed25519');
  const p256Agent = newKey('P-256');

  it("cryptosuites ['ecdsa-jcs-2019'] refuses an Ed25519 passport labelled ecdsa-jcs-2019", async () => {
    const passport = await issuePassport({
      ...base,
      issuer: { id: edOrg.did, signer: lying(edOrg.signer) },
      subject: edAgent.did,
      cryptosuite: 'ecdsa-jcs-2019',
    });
    expect(passport.proof.cryptosuite).toBe('ecdsa-jcs-2019');
    const verifier = createVerifier({ trustedIssuers: [edOrg.did], clock, cryptosuites: ['ecdsa-jcs-2019'] });
    const r = await verifier.verifyCredential(passport);
    expect(r.verified).toBe(false);
    expect(r.errors[0]?.code).toBe('ERR_SUITE_KEY_MISMATCH');
    expect(r.checks.find((c) => !c.ok)).toMatchObject({
      name: 'issuer-proof',
      code: 'ERR_SUITE_KEY_MISMATCH',
    });
    // Inside a presentation too, and a second time (no cache hit lets it through).
    const vp = await createPresentation({ passport, signer: edAgent.signer, challenge: 'c-1', now });
    for (let i = 0; i < 2; i++) {
      const p = await verifier.verifyPresentation(vp, { challenge: 'c-1' });
      expect(p.errors[0]?.code).toBe('ERR_SUITE_KEY_MISMATCH');
    }
  });

  it('refuses a P-256 holder proof labelled eddsa-jcs-2022 on an honest passport', async () => {
    const passport = await issuePassport({
      ...base,
      issuer: { id: p256Org.did, signer: p256Org.signer },
      subject: p256Agent.did,
    });
    const vp = await createPresentation({
      passport,
      signer: lying(p256Agent.signer),
      challenge: 'c-2',
      now,
    });
    expect((vp.proof as { cryptosuite: string }).cryptosuite).toBe('eddsa-jcs-2022');
    const verifier = createVerifier({ trustedIssuers: [p256Org.did], clock });
    const r = await verifier.verifyPresentation(vp, { challenge: 'c-2' });
    expect(r.verified).toBe(false);
    expect(r.errors[0]?.code).toBe('ERR_SUITE_KEY_MISMATCH');
    // The same presentation signed honestly verifies: only the label/key mismatch is refused.
    const honest = await createPresentation({ passport, signer: p256Agent.signer, challenge: 'c-2', now });
    expect((await verifier.verifyPresentation(honest, { challenge: 'c-2' })).errors).toEqual([]);
  });
});

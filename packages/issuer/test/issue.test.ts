// SPDX-License-Identifier: Apache-2.0
// issuePassport and createPresentation: what they produce, and everything they refuse to sign.
import { createDocumentLoader } from '@agent-passport/contexts';
import type { AgentPassport, KeyType } from '@agent-passport/core';
import { encodeDidKey, encodeMultikey, randomSecretKey, resolveDidKey } from '@agent-passport/did-key';
import { buildDidDocument } from '@agent-passport/did-web';
import { createSigner, publicKeyOf, verifyProof } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { createPresentation, issuePassport } from '../src/index.js';

function newKey(type: KeyType = 'Ed25519') {
  const key = {
    type,
    secretKey: randomSecretKey(type),
  };
  const publicKey = publicKeyOf(key);
  const multibase = encodeMultikey(publicKey, type);
  const did = encodeDidKey(publicKey, type);
  return { key, multibase, did, signer: createSigner(key, `${did}#${multibase}`) };
}

const org = newKey();
const agent = newKey();
const now = new Date('2026-05-25T00:00:00Z');
const base = {
  issuer: { id: org.did, signer: org.signer },
  subject: agent.did,
  agentName: 'billing-agent-3',
  purpose: 'invoice-reconciliation',
  scopes: ['read:invoices', 'write:ledger/entries'],
  validUntil: '2026-08-25T00:00:00Z',
  now,
};
const loader = createDocumentLoader();

describe('issuePassport', () => {
  it('produces a VCDM 2.0 AgentPassport with an eddsa-jcs-2022 assertionMethod proof that verifies', async () => {
    const passport = await issuePassport({ ...base, maxCalls: 500, audience: ['https://api.example'] });
    expect(passport['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://w3id.org/agent-passport/v1',
    ]);
    expect(passport.type).toEqual(['VerifiableCredential', 'AgentPassport']);
    expect(passport.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(passport.validFrom).toBe('2026-05-25T00:00:00Z');
    expect(passport.credentialSubject).toEqual({
      id: agent.did,
      agentName: 'billing-agent-3',
      purpose: 'invoice-reconciliation',
      scopes: ['read:invoices', 'write:ledger/entries'],
      maxCalls: 500,
      audience: ['https://api.example'],
    });
    expect(passport.proof).toMatchObject({
      cryptosuite: 'eddsa-jcs-2022',
      proofPurpose: 'assertionMethod',
      created: '2026-05-25T00:00:00Z',
    });
    const r = await verifyProof(passport, {
      proofPurpose: 'assertionMethod',
      controller: resolveDidKey(org.did),
      documentLoader: loader,
    });
    expect(r.verified).toBe(true);
  });

  it('signs with ecdsa-jcs-2019 when the issuer key is P-256', async () => {
    const p256 = newKey('P-256');
    const passport = await issuePassport({ ...base, issuer: { id: p256.did, signer: p256.signer } });
    expect(passport.proof.cryptosuite).toBe('ecdsa-jcs-2019');
    const r = await verifyProof(passport, {
      proofPurpose: 'assertionMethod',
      controller: resolveDidKey(p256.did),
      documentLoader: loader,
    });
    expect(r.verified).toBe(true);
  });

  it('issues for a did:web organisation given its DID document', async () => {
    const didDocument = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [{ id: 'key-2026', publicKeyMultibase: org.multibase }],
    });
    const signer = createSigner(org.key, 'did:web:acme.example#key-2026');
    const passport = await issuePassport({
      ...base,
      issuer: { id: 'did:web:acme.example', signer, didDocument },
    });
    expect(passport.issuer).toBe('did:web:acme.example');
    expect(passport.proof.verificationMethod).toBe('did:web:acme.example#key-2026');
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ['validUntil equal to validFrom', { validFrom: '2026-08-25T00:00:00Z' }, 'ERR_VALIDITY_WINDOW'],
    ['validUntil before validFrom', { validFrom: '2026-09-01T00:00:00Z' }, 'ERR_VALIDITY_WINDOW'],
    ['a date without offset', { validUntil: '2026-08-25T00:00:00' }, 'ERR_DATE_INVALID'],
    ['an unparseable date', { validUntil: 'next tuesday' }, 'ERR_DATE_INVALID'],
    ['an invalid Date object', { validUntil: new Date('nope') }, 'ERR_DATE_INVALID'],
    ['a subject that is not a did:key', { subject: 'did:web:agent.example' }, 'ERR_DID_INVALID'],
    ['a scope outside the grammar', { scopes: ['READ EVERYTHING'] }, 'ERR_SCOPE_INVALID'],
    ['a raw prefix wildcard', { scopes: ['read:arx*'] }, 'ERR_SCOPE_INVALID'],
    ['no scopes', { scopes: [] }, 'ERR_SCOPE_INVALID'],
    ['an empty agent name', { agentName: '' }, 'ERR_SCHEMA_INVALID'],
    ['a negative maxCalls', { maxCalls: -1 }, 'ERR_SCHEMA_INVALID'],
    ['a fractional maxCalls', { maxCalls: 1.5 }, 'ERR_SCHEMA_INVALID'],
  ];
  for (const [name, patch, code] of refusals) {
    it(`refuses ${name} (${code})`, async () => {
      await expect(issuePassport({ ...base, ...patch } as never)).rejects.toMatchObject({ code });
    });
  }

  it('refuses a signer that is not an assertionMethod of the issuer (ERR_ISSUER_KEY)', async () => {
    const stranger = newKey();
    await expect(
      issuePassport({ ...base, issuer: { id: org.did, signer: stranger.signer } }),
    ).rejects.toMatchObject({
      code: 'ERR_ISSUER_KEY',
    });
    const didDocument = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [{ id: 'auth', publicKeyMultibase: org.multibase, purposes: ['authentication'] }],
    });
    const signer = createSigner(org.key, 'did:web:acme.example#auth');
    await expect(
      issuePassport({ ...base, issuer: { id: 'did:web:acme.example', signer, didDocument } }),
    ).rejects.toMatchObject({
      code: 'ERR_ISSUER_KEY',
    });
  });

  it('refuses a did:web issuer without its document (ERR_DID_NOT_FOUND) or with another DID document (ERR_DID_ID_MISMATCH)', async () => {
    const signer = createSigner(org.key, 'did:web:acme.example#key-1');
    await expect(
      issuePassport({ ...base, issuer: { id: 'did:web:acme.example', signer } }),
    ).rejects.toMatchObject({
      code: 'ERR_DID_NOT_FOUND',
    });
    const other = buildDidDocument({
      did: 'did:web:other.example',
      keys: [{ id: 'key-1', publicKeyMultibase: org.multibase }],
    });
    await expect(
      issuePassport({ ...base, issuer: { id: 'did:web:acme.example', signer, didDocument: other } }),
    ).rejects.toMatchObject({ code: 'ERR_DID_ID_MISMATCH' });
  });

  it('throws TypeError for caller mistakes', async () => {
    await expect(issuePassport(null as never)).rejects.toBeInstanceOf(TypeError);
    await expect(issuePassport({ ...base, issuer: { id: org.did } } as never)).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});

describe('createPresentation', () => {
  it('signs an authentication proof with the agent key, bound to challenge and domain', async () => {
    const passport = await issuePassport(base);
    const vp = await createPresentation({
      passport,
      signer: agent.signer,
      challenge: 'n-1',
      domain: 'api.example',
      now,
    });
    expect(vp.type).toEqual(['VerifiablePresentation']);
    expect(vp.holder).toBe(agent.did);
    expect(vp.verifiableCredential).toEqual([passport]);
    expect(vp.proof).toMatchObject({
      proofPurpose: 'authentication',
      challenge: 'n-1',
      domain: 'api.example',
    });
    const r = await verifyProof(vp, {
      proofPurpose: 'authentication',
      controller: resolveDidKey(agent.did),
      challenge: 'n-1',
      domain: 'api.example',
      documentLoader: loader,
    });
    expect(r.verified).toBe(true);
  });

  it('refuses a signer that is not the passport subject (ERR_HOLDER_MISMATCH)', async () => {
    const passport = await issuePassport(base);
    await expect(
      createPresentation({ passport, signer: org.signer, challenge: 'n-1' }),
    ).rejects.toMatchObject({
      code: 'ERR_HOLDER_MISMATCH',
    });
  });

  it('refuses something that is not a passport (ERR_NOT_PASSPORT) and an empty challenge (TypeError)', async () => {
    await expect(
      createPresentation({ passport: {} as AgentPassport, signer: agent.signer, challenge: 'n-1' }),
    ).rejects.toMatchObject({ code: 'ERR_NOT_PASSPORT' });
    const passport = await issuePassport(base);
    await expect(
      createPresentation({ passport, signer: agent.signer, challenge: '' }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

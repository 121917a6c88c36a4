// SPDX-License-Identifier: Apache-2.0
// VCDM 1.1 through the VC API: issued when asked for by the first context (issuanceDate and
// expirationDate keep their 1.1 meaning), verified from other issuers with the 1.1 rules; an
// AgentPassport stays 2.0 only.
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, signCredential } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loader, startTestServer, type TestServer } from './helpers.js';

const V1 = 'https://www.w3.org/2018/credentials/v1';
type Json = Record<string, unknown>;
/** The shape the Data Integrity suites send for 1.1: an inline context wrapping its terms. */
const credential11 = (issuer: string, extra: Json = {}): Json => ({
  '@context': [V1, { '@context': { name: 'https://schema.org/name' } }],
  id: 'urn:uuid:86294362-4254-4f36-854f-3952fe42555d',
  type: ['VerifiableCredential'],
  issuer,
  issuanceDate: '2024-03-16T22:37:26.544Z',
  credentialSubject: { id: 'did:example:subject', name: 'Example' },
  ...extra,
});

describe.each(['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const)('VCDM 1.1 issuance (%s)', (cryptosuite) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  const issue = (credential: Json) =>
    server.call('POST', '/credentials/issue', { credential, options: { cryptosuite } });

  it('issues a 1.1 credential as 1.1 (its dates, no 2.0 properties, no status entry), which verifies', async () => {
    const r = await issue(credential11(server.issuer, { expirationDate: '2099-01-01T00:00:00Z' }));
    expect(r.status, r.text).toBe(201);
    const vc = r.json.verifiableCredential;
    expect(vc['@context'][0]).toBe(V1);
    expect(vc).toMatchObject({
      issuanceDate: '2024-03-16T22:37:26.544Z',
      expirationDate: '2099-01-01T00:00:00Z',
    });
    expect(vc).not.toHaveProperty('validFrom');
    expect(vc).not.toHaveProperty('credentialStatus');
    expect(vc.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite });
    const v = await server.call('POST', '/credentials/verify', { verifiableCredential: vc });
    expect([v.status, v.json.verified, v.json.checks], v.text).toEqual([
      200,
      true,
      ['dataModel', 'proof', 'validity', 'credentialStatus'],
    ]);
  });

  it('sets issuanceDate to now when it is not given', async () => {
    const { issuanceDate: _, ...without } = credential11(server.issuer);
    const r = await issue(without);
    expect(r.status, r.text).toBe(201);
    expect(Math.abs(Date.parse(r.json.verifiableCredential.issuanceDate) - Date.now())).toBeLessThan(120_000);
  });

  it('refuses a 1.1 AgentPassport, and broken 1.1 dates, with ERR_VCDM_INVALID', async () => {
    const passport = credential11(server.issuer, { type: ['VerifiableCredential', 'AgentPassport'] });
    for (const body of [passport, credential11(server.issuer, { expirationDate: 'soon' })]) {
      const r = await issue(body);
      expect([r.status, r.json.errors?.[0]?.code], r.text).toEqual([422, 'ERR_VCDM_INVALID']);
    }
  });
});

describe('VCDM 1.1 credentials from other issuers, verified', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  const signer = didKeySigner(generateKey());
  const issuer = signer.id.split('#')[0] as string;
  const sign = (c: Json, cryptosuite: 'eddsa-jcs-2022' | 'eddsa-rdfc-2022' = 'eddsa-jcs-2022') =>
    signCredential(c, {
      signer,
      documentLoader: loader,
      cryptosuite,
      created: new Date(Date.now() - 60_000),
    });
  const verify = (verifiableCredential: Json) =>
    server.call('POST', '/credentials/verify', { verifiableCredential, options: { checks: ['proof'] } });

  it.each(['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const)('verifies one secured with %s', async (suite) => {
    const v = await verify(await sign(credential11(issuer), suite));
    expect([v.status, v.json.verified], v.text).toEqual([200, true]);
  });

  const refusals: [string, Json, string, string][] = [
    ['past its expirationDate', { expirationDate: '2020-01-01T00:00:00Z' }, 'ERR_EXPIRED', 'validity'],
    ['before its issuanceDate', { issuanceDate: '2099-01-01T00:00:00Z' }, 'ERR_NOT_YET_VALID', 'validity'],
    [
      'with a claim no context defines',
      { credentialSubject: { id: 'did:example:s', degree: 'BSc' } },
      'ERR_VCDM_UNDEFINED_TERM',
      'dataModel',
    ],
  ];
  for (const [label, extra, code, check] of refusals)
    it(`refuses one ${label} with ${code}`, async () => {
      const v = await verify(await sign(credential11(issuer, extra)));
      expect([v.status, v.json.errors?.[0]?.code, v.json.errors?.[0]?.check], v.text).toEqual([
        400,
        code,
        check,
      ]);
    });

  it('refuses a tampered one for its proof, and one without issuanceDate for its data model', async () => {
    const vc = await sign(credential11(issuer));
    const tampered = await verify({ ...vc, credentialSubject: { id: 'did:example:subject', name: 'Other' } });
    expect(tampered.json.errors?.[0]?.code).toBe('ERR_PROOF_INVALID');
    const { issuanceDate: _, ...without } = vc;
    const undated = await verify(without);
    expect([undated.json.errors?.[0]?.code, undated.json.errors?.[0]?.check]).toEqual([
      'ERR_VCDM_INVALID',
      'dataModel',
    ]);
  });
});

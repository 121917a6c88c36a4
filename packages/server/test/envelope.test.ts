// SPDX-License-Identifier: Apache-2.0
// Enveloped credentials (VC-JOSE-COSE, application/vc+jwt) through the VC API: issued when asked
// (options.envelope), verified alone and inside presentations, each refusal with its code.
import { generateKey } from '@agent-passport/keystore';
import { createPresentation, didKeySigner } from '@agent-passport/suites';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeCredential } from '../src/envelope.js';
import { exampleCredential, startTestServer, type TestServer } from './helpers.js';

type Json = Record<string, unknown>;
const PREFIX = 'data:application/vc+jwt,';

describe('enveloped credentials (application/vc+jwt)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  const verify = (verifiableCredential: unknown) =>
    server.call('POST', '/credentials/verify', { verifiableCredential, options: { checks: ['proof'] } });
  const refused = (r: { status: number; json: { errors?: { code: string; check: string }[] } }) => [
    r.status,
    r.json.errors?.[0]?.code,
    r.json.errors?.[0]?.check,
  ];
  const other = didKeySigner(generateKey());
  const otherDid = other.id.split('#')[0] as string;

  it('issues an enveloped credential when asked, which verifies, alone and in a presentation', async () => {
    const r = await server.call('POST', '/credentials/issue', {
      credential: exampleCredential(server.issuer),
      options: { envelope: 'application/vc+jwt' },
    });
    expect(r.status, r.text).toBe(201);
    const env = r.json.verifiableCredential as Json;
    expect(env).toMatchObject({ type: 'EnvelopedVerifiableCredential' });
    expect(String(env['id']).startsWith(PREFIX)).toBe(true);
    const header = JSON.parse(
      Buffer.from(String(env['id']).slice(PREFIX.length).split('.')[0]!, 'base64url').toString(),
    );
    expect(header).toMatchObject({
      alg: 'EdDSA',
      typ: 'vc+jwt',
      kid: expect.stringContaining(server.issuer),
    });
    const v = await verify(env);
    expect([v.status, v.json.verified, v.json.checks], v.text).toEqual([
      200,
      true,
      ['envelope', 'dataModel', 'validity'],
    ]);
    const vp = createPresentation({ verifiableCredential: [env], holder: otherDid });
    const p = await server.call('POST', '/presentations/verify', { verifiablePresentation: vp });
    expect([p.status, p.json.verified], p.text).toEqual([200, true]);
  });

  it('verifies one from another issuer (did:key)', async () => {
    const env = await envelopeCredential(exampleCredential(otherDid), other);
    expect([(await verify(env)).json.verified]).toEqual([true]);
  });

  it('refuses an altered payload (ERR_PROOF_INVALID) and a signer that is not the issuer (ERR_ISSUER_KEY)', async () => {
    const env = await envelopeCredential(exampleCredential(otherDid), other);
    const [h, , s] = String(env['id']).slice(PREFIX.length).split('.');
    const forged = Buffer.from(
      JSON.stringify(exampleCredential(otherDid, { validFrom: '2020-01-01T00:00:00Z' })),
    );
    expect(
      refused(await verify({ ...env, id: `${PREFIX}${h}.${forged.toString('base64url')}.${s}` })),
    ).toEqual([400, 'ERR_PROOF_INVALID', 'envelope']);
    const impostor = await envelopeCredential(exampleCredential(server.issuer), other);
    expect(refused(await verify(impostor))).toEqual([400, 'ERR_ISSUER_KEY', 'envelope']);
  });

  it('refuses malformed envelopes with ERR_ENVELOPE_INVALID', async () => {
    const env = await envelopeCredential(exampleCredential(otherDid), other);
    const jws = String(env['id']).slice(PREFIX.length);
    const none = `${Buffer.from('{"alg":"none","kid":"x"}').toString('base64url')}.${jws.split('.')[1]}.`;
    const hs256 = await new CompactSign(Buffer.from(JSON.stringify(exampleCredential(otherDid))))
      .setProtectedHeader({ alg: 'HS256', kid: other.id })
      .sign(new Uint8Array(32).fill(7));
    for (const id of [
      `data:application/vc-ld+jwt,${jws}`,
      `${PREFIX}not-a-jws`,
      `${PREFIX}${none}`,
      `${PREFIX}${hs256}`,
      `${PREFIX}${'A'.repeat(70_000)}.${'A'.repeat(4)}.${'A'.repeat(4)}`,
    ])
      expect(refused(await verify({ ...env, id })), id.slice(0, 40)).toEqual([
        400,
        'ERR_ENVELOPE_INVALID',
        'envelope',
      ]);
  });

  it('checks the data model of the credential inside, and never accepts an enveloped passport', async () => {
    const { credentialSubject: _, ...noSubject } = exampleCredential(otherDid);
    expect(refused(await verify(await envelopeCredential(noSubject, other)))).toEqual([
      400,
      'ERR_VCDM_INVALID',
      'dataModel',
    ]);
    const expired = exampleCredential(otherDid, {
      validFrom: '2020-01-01T00:00:00Z',
      validUntil: '2021-01-01T00:00:00Z',
    });
    expect(refused(await verify(await envelopeCredential(expired, other)))).toEqual([
      400,
      'ERR_EXPIRED',
      'validity',
    ]);
    const passport = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
      type: ['VerifiableCredential', 'AgentPassport'],
      issuer: otherDid,
      credentialSubject: { id: otherDid, agentName: 'a', purpose: 'p', scopes: ['read:x'] },
    };
    expect(refused(await verify(await envelopeCredential(passport, other)))).toEqual([
      400,
      'ERR_ENVELOPE_INVALID',
      'dataModel',
    ]);
  });

  it('refuses to envelope what VC-JOSE-COSE does not secure here, and unknown envelopes', async () => {
    const ask = (credential: Json, envelope = 'application/vc+jwt') =>
      server.call('POST', '/credentials/issue', { credential, options: { envelope } });
    const v11 = {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential'],
      issuer: server.issuer,
      issuanceDate: '2024-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:alice' },
    };
    for (const r of [
      await ask(v11),
      await ask(exampleCredential(server.issuer), 'application/vc+sd-jwt'),
      await ask({ ...exampleCredential(server.issuer), proof: { type: 'DataIntegrityProof' } }),
    ])
      expect([r.status, r.json.errors?.[0]?.code], r.text).toEqual([400, 'ERR_API_REQUEST']);
  });
});

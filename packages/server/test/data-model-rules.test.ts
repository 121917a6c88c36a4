// SPDX-License-Identifier: Apache-2.0
// The data-model rules a JSON-LD pipeline enforces, enforced by the VC API on the JCS path too:
// relatedResource (shape, and digests of the contexts held offline), language value objects in
// name/description, undefined terms. Refused at issuance (422) and at verification (400), with
// their codes, in both issuing modes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, signCredential } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCredential, loader, startTestServer, type TestServer } from './helpers.js';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const v2Bytes = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'contexts', 'credentials-v2.jsonld'),
);
const v2Sri = `sha384-${createHash('sha384').update(v2Bytes).digest('base64')}`;
const wrongSri = `sha384-${createHash('sha384').update('not the context').digest('base64')}`;
type Json = Record<string, unknown>;

/** Each input breaks one rule; the code it is refused with. */
const BROKEN: [string, (issuer: string) => Json, string][] = [
  [
    'a top-level statusEntry no context defines',
    (issuer) => ({
      '@context': [V2],
      type: ['VerifiableCredential'],
      issuer,
      credentialSubject: { id: 'did:example:alice' },
      statusEntry: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    }),
    'ERR_VCDM_UNDEFINED_TERM',
  ],
  [
    'relatedResource as a plain string',
    (i) => exampleCredential(i, { relatedResource: V2 }),
    'ERR_VCDM_RELATED_RESOURCE',
  ],
  [
    'relatedResource without id',
    (i) => exampleCredential(i, { relatedResource: [{ digestSRI: v2Sri }] }),
    'ERR_VCDM_RELATED_RESOURCE',
  ],
  [
    'relatedResource with the same id twice',
    (i) =>
      exampleCredential(i, {
        relatedResource: [
          { id: V2, digestSRI: v2Sri },
          { id: V2, digestSRI: v2Sri },
        ],
      }),
    'ERR_VCDM_RELATED_RESOURCE',
  ],
  [
    'relatedResource without a digest',
    (i) => exampleCredential(i, { relatedResource: [{ id: V2 }] }),
    'ERR_VCDM_RELATED_RESOURCE',
  ],
  [
    'relatedResource with a wrong digest of the VCDM 2.0 context',
    (i) => exampleCredential(i, { relatedResource: [{ id: V2, digestSRI: wrongSri }] }),
    'ERR_VCDM_DIGEST_MISMATCH',
  ],
  [
    'a credential name with an extra key',
    (i) => exampleCredential(i, { name: { '@value': 'Alumni', '@language': 'en', extra: 'x' } }),
    'ERR_VCDM_LANGUAGE_VALUE',
  ],
  [
    'an issuer description with an extra key',
    (i) => exampleCredential(i, { issuer: { id: i, description: { '@value': 'School', other: 1 } } }),
    'ERR_VCDM_LANGUAGE_VALUE',
  ],
];

describe.each(['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const)('data-model rules over HTTP (%s)', (suite) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  for (const [label, make, code] of BROKEN)
    it(`issuance refuses ${label} with ${code}`, async () => {
      const r = await server.call('POST', '/credentials/issue', {
        credential: make(server.issuer),
        options: { cryptosuite: suite },
      });
      expect([r.status, r.json.errors?.[0]?.code], r.text).toEqual([422, code]);
    });

  it('issues the well-formed versions: the right digest, language value objects', async () => {
    const credential = exampleCredential(server.issuer, {
      relatedResource: [{ id: V2, digestSRI: v2Sri }],
      name: [
        { '@value': 'Alumni', '@language': 'en' },
        { '@value': 'Anciens', '@language': 'fr', '@direction': 'ltr' },
      ],
      issuer: { id: server.issuer, name: { '@value': 'School', '@language': 'en' } },
    });
    const r = await server.call('POST', '/credentials/issue', {
      credential,
      options: { cryptosuite: suite },
    });
    expect(r.status, r.text).toBe(201);
    const v = await server.call('POST', '/credentials/verify', {
      verifiableCredential: r.json.verifiableCredential,
      options: { checks: ['proof'] },
    });
    expect([v.status, v.json.verified], v.text).toEqual([200, true]);
  });
});

describe('data-model rules at verification (credentials signed elsewhere)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  const signer = didKeySigner(generateKey());
  const issuer = signer.id.split('#')[0] as string;

  for (const [label, make, code] of BROKEN)
    it(`verification refuses ${label} with ${code}`, async () => {
      const vc = await signCredential(make(issuer), {
        signer,
        documentLoader: loader,
        cryptosuite: 'eddsa-jcs-2022',
        created: new Date(),
      });
      const r = await server.call('POST', '/credentials/verify', {
        verifiableCredential: vc,
        options: { checks: ['proof'] },
      });
      expect([r.status, r.json.errors?.[0]?.code, r.json.errors?.[0]?.check], r.text).toEqual([
        400,
        code,
        'dataModel',
      ]);
    });
});

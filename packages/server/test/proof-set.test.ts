// SPDX-License-Identifier: Apache-2.0
// Proof sets and chains through the VC API (Data Integrity 1.0 §4.5): the server adds its proof to
// a credential that has one, and verifies every proof of a set, each by its own key; one at least
// must be the issuer's.
import { generateKey } from '@agent-passport/keystore';
import { addProof, didKeySigner } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCredential, loader, startTestServer, type TestServer } from './helpers.js';

type Json = Record<string, unknown>;

describe('proof sets through the VC API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  const notary = didKeySigner(generateKey());
  const verify = (verifiableCredential: unknown) =>
    server.call('POST', '/credentials/verify', { verifiableCredential, options: { checks: ['proof'] } });
  /** A credential the server will not change (id and status given), endorsed first by a notary. */
  const endorsed = async (cryptosuite: 'eddsa-jcs-2022' | 'eddsa-rdfc-2022') => {
    const credential = exampleCredential(server.issuer, {
      id: 'urn:uuid:7a0d3c55-8a39-4b1e-a3f5-41c1ef1b2e90',
      credentialStatus: {
        id: 'https://status.example/lists/1#12',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '12',
        statusListCredential: 'https://status.example/lists/1',
      },
    });
    return addProof(credential, { signer: notary, documentLoader: loader, created: new Date(), cryptosuite });
  };

  it.each(['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const)(
    'issues into a proof set (%s) and verifies every proof of it',
    async (cryptosuite) => {
      const r = await server.call('POST', '/credentials/issue', {
        credential: await endorsed(cryptosuite),
        options: { cryptosuite },
      });
      expect(r.status, r.text).toBe(201);
      const vc = r.json.verifiableCredential as Json;
      const proofs = vc['proof'] as Json[];
      expect(proofs.map((p) => String(p['verificationMethod']).split('#')[0])).toEqual([
        notary.id.split('#')[0],
        server.issuer,
      ]);
      const v = await verify(vc);
      expect([v.status, v.json.verified], v.text).toEqual([200, true]);
      // Every proof counts: the notary's, altered, refuses the set.
      const altered = { ...vc, proof: [{ ...proofs[0], created: '2020-01-01T00:00:00Z' }, proofs[1]] };
      const bad = await verify(altered);
      expect([bad.status, bad.json.errors?.[0]?.code], bad.text).toEqual([400, 'ERR_PROOF_INVALID']);
    },
  );

  it('refuses a set with no proof by the issuer (ERR_PROOF_SIGNER_ABSENT)', async () => {
    const alone = await endorsed('eddsa-jcs-2022');
    const set = { ...alone, proof: [alone['proof']] };
    const r = await verify(set);
    expect([r.status, r.json.errors?.[0]?.code, r.json.errors?.[0]?.check], r.text).toEqual([
      400,
      'ERR_PROOF_SIGNER_ABSENT',
      'proof',
    ]);
  });

  it('refuses a chain whose previousProof names no proof of the set (ERR_PROOF_PREVIOUS_MISSING)', async () => {
    const r = await server.call('POST', '/credentials/issue', {
      credential: await endorsed('eddsa-jcs-2022'),
    });
    const vc = r.json.verifiableCredential as Json;
    const proofs = vc['proof'] as Json[];
    const broken = { ...vc, proof: [proofs[0], { ...proofs[1], previousProof: 'urn:uuid:not-in-the-set' }] };
    const v = await verify(broken);
    expect([v.status, v.json.errors?.[0]?.code], v.text).toEqual([400, 'ERR_PROOF_PREVIOUS_MISSING']);
  });
});

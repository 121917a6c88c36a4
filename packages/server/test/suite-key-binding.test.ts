// SPDX-License-Identifier: Apache-2.0
// Attacker, over HTTP: genuine signatures under a cryptosuite of another key type, sent to the open
// verification endpoints. A server allowing only ecdsa-jcs-2019 must not accept Ed25519 signatures;
// a P-256 holder proof labelled eddsa-jcs-2022 is refused. 400, ERR_SUITE_KEY_MISMATCH.
import type { Signer } from '@agent-passport/core';
import { generateKey } from '@agent-passport/keystore';
import { createPresentation, didKeySigner, signCredential, signPresentation } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCredential, loader, startTestServer, type TestServer } from './helpers.js';

const lying = (s: Signer): Signer => ({
  id: s.id,
  algorithm: s.algorithm === 'Ed25519' ? 'P-256' : 'Ed25519',
  sign: s.sign,
});
const didOf = (s: Signer) => s.id.split('#')[0] as string;
const created = new Date(Date.now() - 60_000);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ verifyCryptosuites: ['ecdsa-jcs-2019'] });
});
afterAll(() => server?.stop());

describe('the open verification endpoints bind the cryptosuite to the key type', () => {
  const ed = didKeySigner(generateKey('Ed25519'));
  const p256 = didKeySigner(generateKey('P-256'));

  it("POST /credentials/verify (cryptosuites ['ecdsa-jcs-2019']): an Ed25519 signature labelled ecdsa-jcs-2019 is 400", async () => {
    const vc = await signCredential(exampleCredential(didOf(ed)), {
      signer: lying(ed),
      created,
      documentLoader: loader,
      cryptosuite: 'ecdsa-jcs-2019',
    });
    const r = await server.call('POST', '/credentials/verify', { verifiableCredential: vc }, { token: null });
    expect([r.status, r.json.verified, r.json.errors[0]?.code]).toEqual([
      400,
      false,
      'ERR_SUITE_KEY_MISMATCH',
    ]);
    // An honest P-256 credential passes the same server.
    const honest = await signCredential(exampleCredential(didOf(p256)), {
      signer: p256,
      created,
      documentLoader: loader,
    });
    const ok = await server.call(
      'POST',
      '/credentials/verify',
      { verifiableCredential: honest },
      { token: null },
    );
    expect(ok.status, ok.text).toBe(200);
  });

  it('POST /presentations/verify: a P-256 holder proof labelled eddsa-jcs-2022 is 400', async () => {
    const open = await startTestServer();
    try {
      const vp = await signPresentation(
        createPresentation({ verifiableCredential: [], holder: didOf(p256) }),
        {
          signer: lying(p256),
          created,
          challenge: 'c-1',
          documentLoader: loader,
          cryptosuite: 'eddsa-jcs-2022',
        },
      );
      const r = await open.call(
        'POST',
        '/presentations/verify',
        { verifiablePresentation: vp, options: { challenge: 'c-1' } },
        { token: null },
      );
      expect([r.status, r.json.verified, r.json.errors[0]?.code]).toEqual([
        400,
        false,
        'ERR_SUITE_KEY_MISMATCH',
      ]);
    } finally {
      await open.stop();
    }
  });
});

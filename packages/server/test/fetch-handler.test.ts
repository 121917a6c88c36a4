// SPDX-License-Identifier: Apache-2.0
// The service as a fetch handler (no node:http in between), and several service processes sharing
// one issuer state file (`serve --workers`): a status change made by one is followed by the others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { afterAll, describe, expect, it } from 'vitest';
import { createVcApi, type VcApi } from '../src/index.js';
import { EXAMPLES_V2, EXAMPLES_V2_URL, exampleCredential, OPERATOR } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const signer = didKeySigner(generateKey());
const did = signer.id.split('#')[0] as string;
const config = {
  issuer: { did, signer, didDocument: resolveDidKey(did) },
  publicUrl: 'https://issuer.example',
  stateFile: join(dir, 'state.json'),
  operatorToken: OPERATOR,
  contexts: { [EXAMPLES_V2_URL]: EXAMPLES_V2 },
};

async function post(api: VcApi, path: string, body: unknown, token?: string) {
  const response = await api.fetch(
    new Request(`https://issuer.example${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }),
  );
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected freely
  const json: any = await response.json();
  return { status: response.status, headers: response.headers, json };
}

describe('the fetch handler', () => {
  it('issues, verifies and refuses as the node listener does', async () => {
    const api = createVcApi(config);
    const issued = await post(api, '/credentials/issue', { credential: exampleCredential(did) }, OPERATOR);
    expect(issued.status).toBe(201);
    const verified = await post(api, '/credentials/verify', issued.json);
    expect([verified.status, verified.json.checks]).toEqual([
      200,
      ['dataModel', 'proof', 'validity', 'credentialStatus'],
    ]);
    const denied = await post(
      api,
      '/credentials/issue',
      { credential: exampleCredential(did) },
      'wrong-token!',
    );
    expect([denied.status, denied.json.errors[0].code, denied.headers.get('www-authenticate')]).toEqual([
      401,
      'ERR_API_UNAUTHORIZED',
      'Bearer',
    ]);
    const get = await api.fetch(new Request('https://issuer.example/credentials/verify'));
    expect([get.status, ((await get.json()) as { errors: { code: string }[] }).errors[0]?.code]).toEqual([
      405,
      'ERR_API_METHOD',
    ]);
  });

  it('a credential revoked through one service sharing the state file is refused by the other', async () => {
    const [a, b] = [createVcApi(config), createVcApi(config)] as const;
    const issued = await post(a, '/credentials/issue', { credential: exampleCredential(did) }, OPERATOR);
    // `a` signs its lists now and would keep them for a quarter of their validity.
    expect((await post(a, '/credentials/verify', issued.json)).status).toBe(200);
    const vc = issued.json.verifiableCredential;
    const revoked = await post(
      b,
      '/credentials/status',
      {
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      },
      OPERATOR,
    );
    expect(revoked.status).toBe(200);
    const again = await post(a, '/credentials/verify', issued.json);
    expect([again.status, again.json.errors[0].code]).toEqual([400, 'ERR_REVOKED']);
  });
});

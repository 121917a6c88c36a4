// SPDX-License-Identifier: Apache-2.0
// A credential asked for with a `message` status entry (Bitstring Status List v1.0 §2.1): issued
// with its statusSize, statusMessage and statusReference as given when they are valid, refused
// (ERR_STATUS_LIST_INVALID) when they are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCredential, startTestServer, type TestServer } from './helpers.js';

const message = {
  id: 'https://status.example/message/1#42',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'message',
  statusListIndex: '42',
  statusListCredential: 'https://status.example/message/1',
  statusSize: 2,
  statusMessage: [
    { status: '0x0', message: 'pending' },
    { status: '0x1', message: 'accepted' },
    { status: '0x2', message: 'rejected' },
    { status: '0x3', message: 'withdrawn' },
  ],
  statusReference: ['https://status.example/codes'],
};

describe('message status entries at issuance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  const issue = (credentialStatus: unknown) =>
    server.call('POST', '/credentials/issue', {
      credential: exampleCredential(server.issuer, { credentialStatus }),
    });

  it('emits statusSize, statusMessage and statusReference as asked', async () => {
    const r = await issue(message);
    expect(r.status, r.text).toBe(201);
    expect(r.json.verifiableCredential.credentialStatus).toEqual(message);
  });

  it('refuses a statusMessage that does not list every value, and a bad statusReference', async () => {
    for (const bad of [
      { ...message, statusMessage: message.statusMessage.slice(0, 2) },
      { ...message, statusReference: 'see the docs' },
      { ...message, statusSize: 0 },
    ]) {
      const r = await issue(bad);
      expect([r.status, r.json.errors?.[0]?.code], r.text).toEqual([422, 'ERR_STATUS_LIST_INVALID']);
    }
  });
});

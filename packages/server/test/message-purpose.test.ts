// SPDX-License-Identifier: Apache-2.0
// The `message` status purpose on the VC API (Bitstring Status List v1.0 §2.1, §3.2), mirroring what
// the W3C status list suite checks of the entries an issuer adds (statusSize an integer above 0;
// above 1 a statusMessage; one message per possible value, each with `status` and `message`;
// statusReference a URL that dereferences), plus the list it points at, the verification result,
// and the status change that sets a 2-bit value.
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { decodeList, readStatus } from '@agent-passport/status';
import { didKeySigner } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_STATUS } from '../src/index.js';
import { exampleCredential, startTestServer, type TestServer } from './helpers.js';

type Json = Record<string, unknown>;
// The suite's input: a bare VCDM 2.0 credential; the issuer adds every status entry itself.
const validVc = (issuer: string, id: string) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id,
  type: ['VerifiableCredential'],
  issuer,
  credentialSubject: { id: 'did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r' },
});

describe('message status entries issued by the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());
  let n = 0;
  const issue = async (options: Json = {}) => {
    const r = await server.call('POST', '/credentials/issue', {
      credential: validVc(server.issuer, `urn:uuid:00000000-0000-4000-8000-00000000000${n++}`),
      options,
    });
    expect(r.status, r.text).toBe(201);
    return r.json.verifiableCredential as Json;
  };
  const path = (url: unknown) => new URL(String(url)).pathname;
  const verify = (vc: Json) =>
    server.call('POST', '/credentials/verify', {
      verifiableCredential: vc,
      options: { checks: ['proof', 'credentialStatus'] },
    });
  const setMessage = (vc: Json, status: unknown, purposes = ['message']) =>
    server.call('POST', '/credentials/status', {
      credentialId: vc['id'],
      credentialStatus: purposes.map((statusPurpose) => ({
        type: 'BitstringStatusListEntry',
        statusPurpose,
      })),
      status,
    });

  it('the last entry is a message entry: statusSize, a complete statusMessage, a statusReference', async () => {
    const entries = (await issue())['credentialStatus'] as Json[];
    const last = entries.at(-1) as Json;
    expect(last['statusPurpose']).toBe('message');
    const size = last['statusSize'] as number;
    expect(Number.isInteger(size) && size > 1).toBe(true);
    const messages = last['statusMessage'] as Json[];
    // One message per possible value: 2^statusSize (the spec; the suite compares with statusSize).
    expect(messages).toHaveLength(2 ** size);
    expect(messages.map((m) => m['status'])).toEqual(['0x0', '0x1', '0x2', '0x3']);
    for (const m of messages) expect([typeof m['status'], typeof m['message']]).toEqual(['string', 'string']);
    expect(last['statusReference']).toBe(`${server.url}/status/messages`);
    expect(last['id']).not.toBe(last['statusListCredential']);
    expect(String(Number.parseInt(last['statusListIndex'] as string, 10))).toBe(last['statusListIndex']);
  });

  it('the statusReference and the message list dereference: the table, and a list of 131,072 2-bit entries', async () => {
    const last = ((await issue())['credentialStatus'] as Json[]).at(-1) as Json;
    const reference = await server.call('GET', path(last['statusReference']), undefined, { token: null });
    expect(reference.status).toBe(200);
    expect(reference.json).toEqual({ statusPurpose: 'message', ...DEFAULT_MESSAGE_STATUS });
    const list = await server.call('GET', path(last['statusListCredential']), undefined, { token: null });
    expect(list.status).toBe(200);
    expect(list.json.type).toContain('BitstringStatusListCredential');
    expect(list.json.credentialSubject).toMatchObject({
      type: 'BitstringStatusList',
      statusPurpose: 'message',
    });
    expect(decodeList(list.json.credentialSubject.encodedList).length * 8).toBe(131_072 * 2);
  });

  it('verification reports the message and passes; a status change sets a 2-bit value', async () => {
    const vc = await issue();
    const first = await verify(vc);
    expect(first.status, first.text).toBe(200);
    expect(first.json.statusResults.at(-1)).toMatchObject({
      purpose: 'message',
      status: 0,
      message: 'valid',
    });
    const changed = await setMessage(vc, '0x2');
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.credentialStatus).toEqual([
      { type: 'BitstringStatusListEntry', statusPurpose: 'message', status: '0x2', message: 'superseded' },
    ]);
    const after = await verify(vc);
    expect([after.status, after.json.verified]).toEqual([200, true]);
    expect(after.json.statusResults.at(-1)).toMatchObject({ status: 2, message: 'superseded' });
    const entry = (vc['credentialStatus'] as Json[]).at(-1) as Json;
    const list = await server.call('GET', path(entry['statusListCredential']), undefined, { token: null });
    const bits = decodeList(list.json.credentialSubject.encodedList);
    expect(readStatus(bits, Number(entry['statusListIndex']), 2)).toBe(2);
    expect((await setMessage(vc, 3)).json.credentialStatus[0].message).toBe('reissue_requested');
  });

  it('refuses a value outside the entry, a malformed value, a mixed change and an unknown credential', async () => {
    const vc = await issue();
    for (const value of [4, '0x4', 255]) {
      const r = await setMessage(vc, value);
      expect([r.status, r.json.errors[0].code], r.text).toEqual([422, 'ERR_STATUS_VALUE_INVALID']);
    }
    for (const [status, purposes] of [
      ['yes', ['message']],
      [1.5, ['message']],
      ['0x100', ['message']],
      [undefined, ['message']],
      [1, ['message', 'revocation']],
    ] as const) {
      const r = await setMessage(vc, status, [...purposes]);
      expect([r.status, r.json.errors[0].code], r.text).toEqual([400, 'ERR_API_REQUEST']);
    }
    const unknown = await setMessage({ id: 'urn:uuid:never-issued' }, 1);
    expect([unknown.status, unknown.json.errors[0].code]).toEqual([404, 'ERR_PASSPORT_NOT_FOUND']);
  });

  it('an AgentPassport issued here carries the message entry and verifies, its schema included', async () => {
    const draft = generateKey();
    const signed = (await issuePassport({
      issuer: { id: draft.did, signer: didKeySigner(draft) },
      subject: generateKey().did,
      agentName: 'research-12',
      purpose: 'literature-review',
      scopes: ['read:arxiv'],
      validUntil: new Date(Date.now() + 86_400_000),
    })) as unknown as Json;
    const { proof: _, ...credential } = signed;
    const r = await server.call('POST', '/credentials/issue', {
      credential: { ...credential, issuer: server.issuer },
    });
    expect(r.status, r.text).toBe(201);
    const passport = r.json.verifiableCredential as Json;
    expect((passport['credentialStatus'] as Json[]).map((e) => e['statusPurpose'])).toEqual([
      'revocation',
      'suspension',
      'message',
    ]);
    const v = await server.call('POST', '/credentials/verify', { verifiableCredential: passport });
    expect([v.status, v.json.checks.at(-1), v.json.statusResults.length], v.text).toEqual([200, 'schema', 3]);
  });

  it('issues and verifies the message entry with eddsa-rdfc-2022 too', async () => {
    const vc = await issue({ cryptosuite: 'eddsa-rdfc-2022' });
    expect(((vc['credentialStatus'] as Json[]).at(-1) as Json)['statusPurpose']).toBe('message');
    const r = await verify(vc);
    expect([r.status, r.json.verified], r.text).toEqual([200, true]);
  });
});

describe('the messageStatus option', () => {
  it('false issues revocation and suspension only; a configured table is issued as given', async () => {
    const none = await startTestServer({ messageStatus: false });
    const three = {
      statusSize: 3,
      statusMessage: Array.from({ length: 8 }, (_, v) => ({ status: `0x${v}`, message: `step ${v}` })),
      statusReference: ['https://issuer.example/steps'],
    };
    const custom = await startTestServer({ messageStatus: three });
    try {
      const issued = async (s: TestServer) =>
        (await s.call('POST', '/credentials/issue', { credential: exampleCredential(s.issuer) })).json
          .verifiableCredential.credentialStatus as Json[];
      expect((await issued(none)).map((e) => e['statusPurpose'])).toEqual(['revocation', 'suspension']);
      expect((await issued(custom)).at(-1)).toMatchObject({ statusPurpose: 'message', ...three });
    } finally {
      await none.stop();
      await custom.stop();
    }
  });

  it('refuses a table that is not a valid message entry when the service is created', async () => {
    await expect(
      startTestServer({
        messageStatus: { statusSize: 2, statusMessage: DEFAULT_MESSAGE_STATUS.statusMessage.slice(0, 3) },
      }),
    ).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
  });
});

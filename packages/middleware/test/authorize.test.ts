// SPDX-License-Identifier: Apache-2.0
// `authorize`, the service's own last check (a login site's session, say): it runs only on a call
// every request check accepted, before the call's evidence is recorded, so a call it refuses is
// never logged as accepted. Its refusal, a thrown PassportError and any other throw each refuse
// with their stated code, and the evidence sink sees exactly what the caller got.
import { sign } from 'node:crypto';
import { PassportError } from '@agent-passport/core';
import { PASSPORT_HEADER, signRequest } from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { describe, expect, it } from 'vitest';
import {
  createRequestVerifier,
  type RequestEvidence,
  type RequestVerification,
  type RequestVerifierOptions,
} from '../src/index.js';

const org = generateKey();
const agent = generateKey();
const passport = await issuePassport({
  issuer: { id: org.did, signer: didKeySigner(org) },
  subject: agent.did,
  agentName: 'agent',
  purpose: 'testing',
  scopes: ['read:x'],
  validUntil: new Date(Date.now() + 3_600_000),
});
const inline = Buffer.from(JSON.stringify(passport)).toString('base64url');
const agentKey = privateKeyObject(agent);

const signed = () =>
  signRequest(new Request('https://api.example/x'), {
    keyId: `${agent.did}#${agent.publicKeyMultibase}`,
    signer: (data) => new Uint8Array(sign(null, data, agentKey)),
    extraHeaders: { [PASSPORT_HEADER]: inline },
  });

/** A request verifier with `authorize` and a sink that keeps what it is given. */
function setUp(authorize: RequestVerifierOptions['authorize'], recordRefused = true) {
  const logged: RequestEvidence[] = [];
  const seen: RequestVerification[] = [];
  const rv = createRequestVerifier({
    verifier: createVerifier({ trustedIssuers: [org.did] }),
    evidence: { record: (e) => void logged.push(e) },
    recordRefused,
    authorize: async (request, verification) => {
      seen.push(verification);
      return authorize?.(request, verification);
    },
  });
  return { rv, logged, seen };
}

describe('authorize: the service check before the evidence', () => {
  it('lets the call in unchanged when it answers nothing, and sees the verified call', async () => {
    const { rv, logged, seen } = setUp(() => undefined);
    const result = await rv.verifyRequest(await signed());
    expect(result.verified).toBe(true);
    expect(seen).toEqual([result]);
    expect(seen[0]).toBe(result);
    expect(logged.map((e) => e.verification)).toEqual([result]);
  });

  it('a refusal refuses with its code, names the signer, and is logged as refused', async () => {
    const { rv, logged } = setUp(() => ({ code: 'ERR_LOGIN_SESSION_KEY', message: 'not yours' }));
    const result = await rv.verifyRequest(await signed());
    expect(result.verified).toBe(false);
    expect(result.errors).toEqual([{ code: 'ERR_LOGIN_SESSION_KEY', message: 'not yours' }]);
    expect(result.checks.at(-1)).toEqual({
      name: 'authorize',
      ok: false,
      code: 'ERR_LOGIN_SESSION_KEY',
      message: 'not yours',
    });
    expect(result.agent).toBe(agent.did);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.verification.verified).toBe(false);
    expect(logged[0]?.verification.errors[0]?.code).toBe('ERR_LOGIN_SESSION_KEY');
  });

  it('without recordRefused, a call it refuses is not logged at all', async () => {
    const { rv, logged } = setUp(() => ({ code: 'ERR_LOGIN_SESSION_REVOKED', message: 'revoked' }), false);
    expect((await rv.verifyRequest(await signed())).errors[0]?.code).toBe('ERR_LOGIN_SESSION_REVOKED');
    expect(logged).toEqual([]);
  });

  it('a thrown PassportError refuses with its code; anything else thrown is ERR_VERIFIER_INTERNAL', async () => {
    const store = setUp(() => {
      throw new PassportError('ERR_STORE_UNAVAILABLE', 'sessions unreachable');
    });
    expect((await store.rv.verifyRequest(await signed())).errors[0]?.code).toBe('ERR_STORE_UNAVAILABLE');
    const broken = setUp(() => {
      throw new Error('bug');
    });
    const r = await broken.rv.verifyRequest(await signed());
    expect(r.verified).toBe(false);
    expect(r.errors[0]?.code).toBe('ERR_VERIFIER_INTERNAL');
    expect(broken.logged[0]?.verification.verified).toBe(false);
  });

  it('never runs for a call the request checks refused', async () => {
    const { rv, seen } = setUp(() => undefined);
    const request = await signed();
    await rv.verifyRequest(request.clone());
    const replayed = await rv.verifyRequest(request);
    expect(replayed.errors[0]?.code).toBe('ERR_REPLAY');
    expect(seen).toHaveLength(1);
  });

  it('must be a function (TypeError)', () => {
    expect(() =>
      createRequestVerifier({
        verifier: createVerifier({ trustedIssuers: [org.did] }),
        authorize: 'yes' as never,
      }),
    ).toThrow(TypeError);
  });
});

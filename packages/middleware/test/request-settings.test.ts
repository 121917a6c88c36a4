// SPDX-License-Identifier: Apache-2.0
// The request verifier reads only the settings it validated when it was created (a caller changing
// its options object afterwards changes nothing), and one time per call: the `now` of a call is the
// time of every check, the delegation chain's included.
import { sign } from 'node:crypto';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import { DELEGATION_HEADER, PASSPORT_HEADER, signRequest } from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { describe, expect, it } from 'vitest';
import { createRequestVerifier, type RequestVerifierOptions } from '../src/index.js';

const ORIGIN = 'https://api.example';
const org = generateKey();
const agent = generateKey();
const leaf = generateKey();
const config = { trustedIssuers: [org.did], origin: ORIGIN };
const rawSigner = (k: KeyMaterial) => {
  const key = privateKeyObject(k);
  return (data: Uint8Array) => new Uint8Array(sign(null, data, key));
};
const passportOf = (extra: Record<string, unknown> = {}) =>
  issuePassport({
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: agent.did,
    agentName: 'settings',
    purpose: 'testing',
    scopes: ['read:notes'],
    validUntil: new Date(Date.now() + 3_600_000),
    ...extra,
  });
const inline = async (bytes: Uint8Array, body?: string, created?: number) =>
  signRequest(new Request(`${ORIGIN}/notes`, body === undefined ? {} : { method: 'POST', body }), {
    keyId: `${agent.did}#${agent.publicKeyMultibase}`,
    signer: rawSigner(agent),
    extraHeaders: { [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url') },
    ...(created === undefined ? {} : { created }),
  });

describe('the request verifier reads only its validated settings', () => {
  it('changing the options object after creation changes nothing', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(await passportOf()));
    const recorded: unknown[] = [];
    const options: { -readonly [K in keyof RequestVerifierOptions]: RequestVerifierOptions[K] } = {
      verifier: createVerifier(config),
      maxBodyBytes: 64,
    };
    const rv = createRequestVerifier(options);
    options.maxBodyBytes = 1;
    options.requiredTag = 'another-profile';
    options.evidence = { record: (e) => void recorded.push(e) };
    options.verifier = {
      verifyCredential: async () => ({ verified: false, checks: [], errors: [] }),
    } as never;
    const r = await rv.verifyRequest(await inline(bytes, '{"a":1}'));
    expect(r.errors).toEqual([]);
    expect(r.verified).toBe(true);
    expect(recorded).toEqual([]);
  });

  it("one now per call: a chain whose link expired by the call's time is refused (ERR_EXPIRED)", async () => {
    const root = await passportOf({ delegation: { allowed: true, maxDepth: 1 } });
    const link = await delegate({
      parent: root,
      signer: didKeySigner(agent),
      subject: leaf.did,
      scopes: ['read:notes'],
      validUntil: new Date(Date.now() + 600_000),
      audience: [ORIGIN],
    });
    const rv = createRequestVerifier({
      verifier: createVerifier(config),
      delegation: createDelegationVerifier(config),
    });
    // The call happens 20 minutes from now: the passport is still valid, the link is not.
    const later = new Date(Date.now() + 1_200_000);
    const request = await signRequest(new Request(`${ORIGIN}/notes`), {
      keyId: `${leaf.did}#${leaf.publicKeyMultibase}`,
      signer: rawSigner(leaf),
      created: Math.floor(later.getTime() / 1000),
      extraHeaders: {
        [PASSPORT_HEADER]: Buffer.from(JSON.stringify(root)).toString('base64url'),
        [DELEGATION_HEADER]: Buffer.from(JSON.stringify([link])).toString('base64url'),
      },
    });
    const r = await rv.verifyRequest(request, { now: later });
    expect(r.checks.find((c) => !c.ok && c.skipped !== true)).toMatchObject({
      name: 'holder',
      code: 'ERR_EXPIRED',
    });
  });
});

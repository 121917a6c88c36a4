// SPDX-License-Identifier: Apache-2.0
// RFC 9421 §2.4: a response signed over components of the request it answers (`;req`). The agent
// accepts only a response signed by the expected key, over this request's own signature.
import { sign } from 'node:crypto';
import { privateKeyObject, publicKeyFromSecret, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import { signRequest, signResponse, verifyResponseSignature } from '../src/index.js';

function ed25519() {
  const seed = randomSecretKey('Ed25519');
  const privateKey = privateKeyObject('Ed25519', seed);
  const raw = publicKeyFromSecret('Ed25519', seed);
  return {
    publicKey: new Uint8Array(raw),
    signer: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)),
  };
}
const agent = ed25519();
const site = ed25519();
const other = ed25519();
const SITE_KEY = 'did:web:site.example#key-1';
const now = () => new Date();

const agentRequest = () =>
  signRequest(new Request('https://site.example/x', { method: 'POST', body: '{}' }), {
    keyId: 'did:key:zAgent#zAgent',
    signer: agent.signer,
  });
const resolveKey = (keyId: string) =>
  keyId === SITE_KEY ? { type: 'Ed25519' as const, publicKey: site.publicKey } : undefined;
const answer = (status = 200) =>
  new Response(JSON.stringify({ ok: true }), { status, headers: { 'content-type': 'application/json' } });

describe('signed responses bound to the request (RFC 9421 §2.4)', () => {
  it('covers @status, content-digest and the request signature members with ;req', async () => {
    const request = await agentRequest();
    const response = await signResponse(answer(), request, { keyId: SITE_KEY, signer: site.signer });
    expect(response.headers.get('signature-input')).toMatch(
      /^sig1=\("@status" "content-digest" "@method";req "@target-uri";req "signature-input";req;key="sig1" "signature";req;key="sig1"\);created=\d+;expires=\d+;nonce="[^"]+";keyid="did:web:site.example#key-1";tag="agent-passport-response"$/,
    );
    const r = await verifyResponseSignature(response, request, { now: now(), resolveKey });
    expect(r.ok && new TextDecoder().decode(r.body)).toBe('{"ok":true}');
  });

  it('unsigned: ERR_RESPONSE_UNSIGNED', async () => {
    const r = await verifyResponseSignature(answer(), await agentRequest(), { now: now(), resolveKey });
    expect(r).toMatchObject({ ok: false, code: 'ERR_RESPONSE_UNSIGNED' });
  });

  it('signed by a key that is not the expected one: ERR_RESPONSE_SIGNER', async () => {
    const request = await agentRequest();
    const response = await signResponse(answer(), request, {
      keyId: 'did:web:evil.example#key-1',
      signer: other.signer,
    });
    const r = await verifyResponseSignature(response, request, { now: now(), resolveKey });
    expect(r).toMatchObject({ ok: false, code: 'ERR_RESPONSE_SIGNER' });
  });

  it("claims the site's key, signed by another: ERR_RESPONSE_SIGNATURE_INVALID", async () => {
    const request = await agentRequest();
    const response = await signResponse(answer(), request, { keyId: SITE_KEY, signer: other.signer });
    const r = await verifyResponseSignature(response, request, { now: now(), resolveKey });
    expect(r).toMatchObject({ ok: false, code: 'ERR_RESPONSE_SIGNATURE_INVALID' });
  });

  it("a genuine response to another request: ERR_RESPONSE_SIGNATURE_INVALID (the agent's signature is in the base)", async () => {
    const first = await agentRequest();
    const response = await signResponse(answer(), first, { keyId: SITE_KEY, signer: site.signer });
    const r = await verifyResponseSignature(response, await agentRequest(), { now: now(), resolveKey });
    expect(r).toMatchObject({ ok: false, code: 'ERR_RESPONSE_SIGNATURE_INVALID' });
  });

  it('a response signed before the request was made: ERR_RESPONSE_NOT_BOUND', async () => {
    const request = await agentRequest();
    const created = Math.floor(Date.now() / 1000) - 120; // beyond the 60 s skew
    const response = await signResponse(answer(), request, {
      keyId: SITE_KEY,
      signer: site.signer,
      created,
      expiresIn: 600,
    });
    // A long maximum age and lifetime, so that only the binding to the request can refuse it.
    const r = await verifyResponseSignature(response, request, {
      now: now(),
      resolveKey,
      maxAgeSeconds: 600,
    });
    expect(r).toMatchObject({ ok: false, code: 'ERR_RESPONSE_NOT_BOUND' });
  });

  it('a signature that does not cover the request (no ;req): ERR_RESPONSE_NOT_BOUND', async () => {
    // A response signed like a request: over its own components only.
    const request = await agentRequest();
    const plain = await signRequest(new Request('https://site.example/x'), {
      keyId: SITE_KEY,
      signer: site.signer,
      tag: 'agent-passport-response',
    });
    const response = new Response('{"ok":true}', { headers: plain.headers });
    const r = await verifyResponseSignature(response, request, { now: now(), resolveKey });
    expect(r).toMatchObject({ ok: false, code: 'ERR_RESPONSE_NOT_BOUND' });
  });

  it('a tampered status or body is refused', async () => {
    const request = await agentRequest();
    const signed = await signResponse(answer(), request, { keyId: SITE_KEY, signer: site.signer });
    const status = new Response(await signed.clone().arrayBuffer(), { status: 201, headers: signed.headers });
    expect(await verifyResponseSignature(status, request, { now: now(), resolveKey })).toMatchObject({
      code: 'ERR_RESPONSE_SIGNATURE_INVALID',
    });
    const body = new Response('{"ok":false}', { status: 200, headers: signed.headers });
    expect(await verifyResponseSignature(body, request, { now: now(), resolveKey })).toMatchObject({
      code: 'ERR_DIGEST_MISMATCH',
    });
  });

  it('too old: ERR_RESPONSE_EXPIRED; malformed: ERR_RESPONSE_MALFORMED', async () => {
    const request = await agentRequest();
    const signed = await signResponse(answer(), request, { keyId: SITE_KEY, signer: site.signer });
    const later = new Date(Date.now() + 120_000);
    expect(await verifyResponseSignature(signed.clone(), request, { now: later, resolveKey })).toMatchObject({
      code: 'ERR_RESPONSE_EXPIRED',
    });
    const headers = new Headers(signed.headers);
    headers.set('signature-input', 'sig1=("@status");created=1');
    const bad = new Response('{}', { headers });
    expect(await verifyResponseSignature(bad, request, { now: now(), resolveKey })).toMatchObject({
      code: 'ERR_RESPONSE_MALFORMED',
    });
  });
});

// SPDX-License-Identifier: Apache-2.0
// Attacker tests for the request edge (issue 15): nothing expensive before the signature verifies
// (header limits, a linear duplicate check, no body read for an unknown key), a body read under a
// limit, and the body held to the signature (a stripped body, a body nobody signed).
import { sign } from 'node:crypto';
import { privateKeyObject, publicKeyFromSecret, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import { checkContentDigest, signRequest, verifyRequestSignature } from '../src/index.js';

const seed = randomSecretKey('Ed25519');
const privateKey = privateKeyObject('Ed25519', seed);
const raw = publicKeyFromSecret('Ed25519', seed);
const keyId = 'did:key:z6MkAgent#z6MkAgent';
const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey));
const resolveKey = (id: string) => (id === keyId ? { type: 'Ed25519' as const, publicKey: raw } : undefined);
const now = new Date();
const verify = (request: Request, extra: Record<string, unknown> = {}) =>
  verifyRequestSignature(request, { now, resolveKey, ...extra });
const URL_ = 'https://api.example/charges';

/** A body stream that counts the bytes anyone pulled from it (no eager pull: highWaterMark 0). */
function countingBody(total: number, chunk = 64 * 1024) {
  const seen = { bytes: 0 };
  const block = new Uint8Array(chunk);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (seen.bytes >= total) return c.close();
        seen.bytes += chunk;
        c.enqueue(block);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

describe('Signature-Input limits (checked before anything else, linear)', () => {
  const signed = () => signRequest(new Request(URL_), { keyId, signer });
  it('an 11 KiB Signature-Input of distinct components is refused cheaply: ERR_SIG_LIMIT', async () => {
    const s = await signed();
    const many = Array.from({ length: 1400 }, (_, i) => `"x-h${i}"`).join(' ');
    const header = `sig1=(${many});created=${Math.floor(Date.now() / 1000)};keyid="${keyId}";nonce="n";tag="agent-passport"`;
    expect(header.length).toBeGreaterThan(11 * 1024);
    s.headers.set('signature-input', header);
    // CPU time of this process, not wall time: a busy machine delays the test, it does not add work.
    const start = process.cpuUsage();
    for (let i = 0; i < 20; i++) expect(await verify(s)).toMatchObject({ ok: false, code: 'ERR_SIG_LIMIT' });
    const used = process.cpuUsage(start);
    const perRequestMs = (used.user + used.system) / 1000 / 20;
    expect(perRequestMs).toBeLessThan(10); // was 37 ms of CPU per request, quadratic
  });
  it('more than 32 components in a short header: ERR_SIG_LIMIT', async () => {
    const s = await signed();
    const many = Array.from({ length: 33 }, (_, i) => `"h${i}"`).join(' ');
    s.headers.set('signature-input', `sig1=(${many});created=1;keyid="k";nonce="n"`);
    expect(await verify(s)).toMatchObject({ ok: false, code: 'ERR_SIG_LIMIT' });
  });
  it('more than 16 parameters: ERR_SIG_LIMIT', async () => {
    const s = await signed();
    const params = Array.from({ length: 17 }, (_, i) => `;p${i}=1`).join('');
    s.headers.set('signature-input', `sig1=("@method")${params}`);
    expect(await verify(s)).toMatchObject({ ok: false, code: 'ERR_SIG_LIMIT' });
  });
  it('a component covered twice is still ERR_SIG_MALFORMED', async () => {
    const s = await signed();
    s.headers.set('signature-input', `sig1=("@method" "@method");created=1;keyid="k";nonce="n"`);
    expect(await verify(s)).toMatchObject({ ok: false, code: 'ERR_SIG_MALFORMED' });
  });
});

describe('the body: read only after the signature verified, under a limit, held to the signature', () => {
  it('a signature with an unknown key reads no body at all: ERR_SIG_KEY_UNKNOWN, 0 bytes pulled', async () => {
    const s = await signRequest(new Request(URL_, { method: 'POST', body: 'x' }), {
      keyId: 'did:key:z6MkOther#z6MkOther',
      signer,
    });
    const { stream, seen } = countingBody(8 * 1024 * 1024);
    const r = await verify(
      new Request(URL_, { method: 'POST', headers: s.headers, body: stream, duplex: 'half' } as RequestInit),
    );
    expect(r).toMatchObject({ ok: false, code: 'ERR_SIG_KEY_UNKNOWN' });
    expect(seen.bytes).toBe(0);
  });
  it('a body beyond maxBodyBytes stops being read: ERR_BODY_TOO_LARGE', async () => {
    const s = await signRequest(new Request(URL_, { method: 'POST', body: 'x' }), { keyId, signer });
    const headers = new Headers(s.headers);
    const { stream, seen } = countingBody(64 * 1024 * 1024);
    const r = await verify(
      new Request(URL_, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit),
      { maxBodyBytes: 256 * 1024 },
    );
    expect(r).toMatchObject({ ok: false, code: 'ERR_BODY_TOO_LARGE' });
    expect(seen.bytes).toBeLessThanOrEqual(512 * 1024);
  });
  it('an announced Content-Length beyond the limit is refused without reading: ERR_BODY_TOO_LARGE', async () => {
    const s = await signRequest(new Request(URL_, { method: 'POST', body: 'x' }), { keyId, signer });
    const headers = new Headers(s.headers);
    headers.set('content-length', String(10 * 1024 * 1024));
    const { stream, seen } = countingBody(1024);
    const r = await verify(
      new Request(URL_, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit),
      {
        maxBodyBytes: 1024,
      },
    );
    expect(r).toMatchObject({ ok: false, code: 'ERR_BODY_TOO_LARGE' });
    expect(seen.bytes).toBe(0);
  });
  it('a body stripped in transit fails its covered digest: ERR_DIGEST_MISMATCH', async () => {
    const s = await signRequest(new Request(URL_, { method: 'POST', body: '{"amount":4200}' }), {
      keyId,
      signer,
    });
    expect(await verify(s.clone())).toMatchObject({ ok: true });
    const stripped = new Request(URL_, { method: 'POST', headers: s.headers });
    expect(await verify(stripped)).toMatchObject({ ok: false, code: 'ERR_DIGEST_MISMATCH' });
    expect(await verify(s, { body: new Uint8Array() })).toMatchObject({
      ok: false,
      code: 'ERR_DIGEST_MISMATCH',
    });
  });
  it('a covered digest is checked on every method (a signed GET with a covered digest and another body)', async () => {
    const s = await signRequest(new Request(URL_, { method: 'DELETE', body: 'a' }), { keyId, signer });
    const r = await verify(s, { body: new TextEncoder().encode('b') });
    expect(r).toMatchObject({ ok: false, code: 'ERR_DIGEST_MISMATCH' });
  });
  it('a body the signature does not cover is refused, on any method: ERR_SIG_COMPONENT_MISSING', async () => {
    const get = await signRequest(new Request(URL_), { keyId, signer });
    expect(await verify(get, { body: new TextEncoder().encode('unsigned') })).toMatchObject({
      ok: false,
      code: 'ERR_SIG_COMPONENT_MISSING',
    });
  });
  it('checkContentDigest: a body and no header is ERR_DIGEST_MISSING', () => {
    expect(checkContentDigest(null, new Uint8Array([1]))).toMatchObject({
      ok: false,
      code: 'ERR_DIGEST_MISSING',
    });
  });
});

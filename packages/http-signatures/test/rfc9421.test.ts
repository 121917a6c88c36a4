// SPDX-License-Identifier: Apache-2.0
// RFC 9421 HTTP Message Signatures: the Appendix B.2.6 known answer (test-key-ed25519, B.1.4),
// a signing/verifying round trip, and one refusal per check, each asserting its code.
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { privateKeyObject, publicKeyFromSecret, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import {
  contentDigest,
  createSigningFetch,
  serializeSignatureParams,
  signatureBase,
  signRequest,
  verifyRequestSignature,
} from '../src/index.js';

// RFC 9421 Appendix B.1.4 "Example Ed25519 Test Key".
const RFC_PRIVATE = createPrivateKey(
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n',
);
const RFC_PUBLIC_RAW = new Uint8Array(
  Buffer.from(createPublicKey(RFC_PRIVATE).export({ format: 'jwk' }).x!, 'base64url'),
);

describe('RFC 9421 Appendix B.2.6 (ed25519)', () => {
  const headers = new Headers({
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-length': '18',
  });
  const msg = { method: 'POST', url: new URL('https://example.com/foo?param=Value&Pet=dog'), headers };
  const components = ['date', '@method', '@path', '@authority', 'content-type', 'content-length'];
  const params = serializeSignatureParams(components, { created: 1618884473, keyid: 'test-key-ed25519' });

  it('builds the RFC signature base byte for byte', () => {
    const built = signatureBase(msg, components, params);
    expect(built).toEqual({
      base: [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    });
  });

  it('signs it to the RFC signature (Ed25519 is deterministic)', () => {
    const built = signatureBase(msg, components, params) as { base: string };
    expect(sign(null, Buffer.from(built.base), RFC_PRIVATE).toString('base64')).toBe(
      'wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==',
    );
  });

  it('our verifier still refuses the RFC example: it has no nonce (ERR_SIG_NONCE_MISSING)', async () => {
    const request = new Request(msg.url, { method: 'POST', headers });
    request.headers.set('signature-input', `sig-b26=${params}`);
    request.headers.set(
      'signature',
      'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
    );
    const r = await verifyRequestSignature(request, {
      now: new Date(1618884473_000),
      resolveKey: () => ({ type: 'Ed25519', publicKey: RFC_PUBLIC_RAW }),
    });
    expect(r).toMatchObject({ ok: false, code: 'ERR_SIG_NONCE_MISSING' });
  });
});

const seed = randomSecretKey('Ed25519');
const privateKey = privateKeyObject('Ed25519', seed);
const raw = publicKeyFromSecret('Ed25519', seed);
const keyId = 'did:key:z6MkAgent#z6MkAgent';
const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey));
const NOW = new Date('2026-06-01T12:00:00Z');
const created = Math.floor(NOW.getTime() / 1000);
const resolveKey = (id: string) => (id === keyId ? { type: 'Ed25519' as const, publicKey: raw } : undefined);
const verify = (req: Request, extra: Record<string, unknown> = {}) =>
  verifyRequestSignature(req, { now: NOW, resolveKey, ...extra });
const post = () =>
  new Request('https://api.example/charges?currency=eur', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 4200 }),
  });

describe('signRequest → verifyRequestSignature', () => {
  it('covers @method, @target-uri and content-digest, with created, expires, nonce, keyid, tag', async () => {
    const signed = await signRequest(post(), { keyId, signer, created });
    expect(signed.headers.get('content-digest')).toBe(
      contentDigest(new TextEncoder().encode('{"amount":4200}')),
    );
    expect(signed.headers.get('signature-input')).toMatch(
      /^sig1=\("@method" "@target-uri" "content-digest"\);created=\d+;expires=\d+;nonce="[A-Za-z0-9_-]{22}";keyid="did:key:z6MkAgent#z6MkAgent";tag="agent-passport"$/,
    );
    const r = await verify(signed);
    expect(r).toMatchObject({
      ok: true,
      keyId,
      created,
      components: ['@method', '@target-uri', 'content-digest'],
    });
    expect(await signed.text()).toBe('{"amount":4200}');
  });

  it('accepts @target-uri covered as all of its parts (@scheme @authority @path @query)', async () => {
    const signed = await signRequest(new Request('https://api.example/x?amount=1'), {
      keyId,
      signer,
      created,
      components: ['@method', '@scheme', '@authority', '@path', '@query'],
    });
    expect(await verify(signed)).toMatchObject({ ok: true });
  });

  it('signs GET requests without a digest, and covers extra headers', async () => {
    const signed = await signRequest(new Request('https://api.example/papers'), {
      keyId,
      signer,
      created,
      extraHeaders: { 'Agent-Passport-Ref': 'sha-256=:abc=:' },
    });
    expect(signed.headers.get('content-digest')).toBeNull();
    const r = await verify(signed);
    expect(r).toMatchObject({ ok: true, components: ['@method', '@target-uri', 'agent-passport-ref'] });
  });

  it('a signing fetch signs what an agent sends, over real HTTP', async () => {
    let server: Server | undefined;
    try {
      const seen: Promise<Awaited<ReturnType<typeof verify>>> = new Promise((resolve) => {
        server = createServer(async (req, res) => {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const headers = new Headers();
          for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
          const { port } = server!.address() as AddressInfo;
          const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
            method: req.method ?? 'GET',
            headers,
            body: Buffer.concat(chunks),
          });
          resolve(verifyRequestSignature(request, { now: new Date(), resolveKey }));
          res.end('ok');
        });
      });
      await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
      const { port } = server!.address() as AddressInfo;
      const signingFetch = createSigningFetch({ keyId, signer });
      const res = await signingFetch(`http://127.0.0.1:${port}/charges`, {
        method: 'POST',
        body: '{"amount":1}',
      });
      expect(await res.text()).toBe('ok');
      expect(await seen).toMatchObject({ ok: true, keyId });
    } finally {
      await new Promise<void>((ok) => (server === undefined ? ok() : server.close(() => ok())));
    }
  });
});

describe('verifyRequestSignature refuses, one check at a time', () => {
  const cases: [string, () => Promise<Request>, string, Record<string, unknown>?][] = [
    ['no signature', async () => post(), 'ERR_SIG_MISSING'],
    [
      'a Signature-Input that is not a dictionary',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        s.headers.set('signature-input', '((((');
        return s;
      },
      'ERR_SIG_MALFORMED',
    ],
    [
      'two signatures and no label',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        s.headers.set(
          'signature-input',
          `${s.headers.get('signature-input')}, ${s.headers.get('signature-input')!.replace('sig1=', 'sig2=')}`,
        );
        return s;
      },
      'ERR_SIG_MALFORMED',
    ],
    [
      'a tampered method',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        return new Request(s.url, { method: 'PUT', headers: s.headers, body: await s.text() });
      },
      'ERR_SIG_INVALID',
    ],
    [
      'a tampered path',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        return new Request(s.url.replace('/charges', '/refunds'), {
          method: 'POST',
          headers: s.headers,
          body: await s.text(),
        });
      },
      'ERR_SIG_INVALID',
    ],
    [
      'a tampered query',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        return new Request(s.url.replace('eur', 'usd'), {
          method: 'POST',
          headers: s.headers,
          body: await s.text(),
        });
      },
      'ERR_SIG_INVALID',
    ],
    [
      'a tampered body',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        return new Request(s.url, { method: 'POST', headers: s.headers, body: '{"amount":42000}' });
      },
      'ERR_DIGEST_MISMATCH',
    ],
    [
      'a body with its digest recomputed',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        const body = '{"amount":42000}';
        const h = new Headers(s.headers);
        h.set('content-digest', contentDigest(new TextEncoder().encode(body)));
        return new Request(s.url, { method: 'POST', headers: h, body });
      },
      'ERR_SIG_INVALID',
    ],
    [
      // The signature is checked before any body is read: a stripped digest header fails it.
      'a body and its covered Content-Digest stripped',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        const h = new Headers(s.headers);
        h.delete('content-digest');
        return new Request(s.url, { method: 'POST', headers: h, body: await s.text() });
      },
      'ERR_SIG_COMPONENT_MISSING',
    ],
    [
      'a signed digest with an unsupported algorithm only',
      async () => {
        const s = await signRequest(
          new Request('https://api.example/charges?currency=eur', { method: 'POST' }),
          {
            keyId,
            signer,
            created,
            extraHeaders: { 'content-digest': 'md5=:AAAA:' },
          },
        );
        return new Request(s.url, { method: 'POST', headers: s.headers, body: '{"amount":4200}' });
      },
      'ERR_DIGEST_UNSUPPORTED',
    ],
    [
      'content-digest left uncovered',
      async () => signRequest(post(), { keyId, signer, created, components: ['@method', '@target-uri'] }),
      'ERR_SIG_COMPONENT_MISSING',
    ],
    [
      '@authority + @path without @query in place of @target-uri',
      async () =>
        signRequest(new Request('https://api.example/x?amount=1'), {
          keyId,
          signer,
          created,
          components: ['@method', '@authority', '@path'],
        }),
      'ERR_SIG_COMPONENT_MISSING',
    ],
    [
      '@method left uncovered',
      async () =>
        signRequest(new Request('https://api.example/x'), {
          keyId,
          signer,
          created,
          components: ['@target-uri'],
        }),
      'ERR_SIG_COMPONENT_MISSING',
    ],
    [
      'a signature from the future',
      async () => signRequest(post(), { keyId, signer, created: created + 600 }),
      'ERR_SIG_NOT_YET_VALID',
    ],
    [
      'an expired signature',
      async () => signRequest(post(), { keyId, signer, created: created - 120, expiresIn: 60 }),
      'ERR_SIG_EXPIRED',
    ],
    [
      'a signature older than allowed',
      async () => signRequest(post(), { keyId, signer, created: created - 3600, expiresIn: 7200 }),
      'ERR_SIG_EXPIRED',
    ],
    [
      'an empty nonce',
      async () => signRequest(post(), { keyId, signer, created, nonce: '' }),
      'ERR_SIG_NONCE_MISSING',
    ],
    [
      'another tag',
      async () => signRequest(post(), { keyId, signer, created, tag: 'web-bot-auth' }),
      'ERR_SIG_TAG',
    ],
    [
      'an unknown key',
      async () => signRequest(post(), { keyId: 'did:key:z6MkOther#z6MkOther', signer, created }),
      'ERR_SIG_KEY_UNKNOWN',
    ],
    [
      'a signature by another key',
      async () => {
        const other = privateKeyObject('Ed25519', randomSecretKey('Ed25519'));
        return signRequest(post(), { keyId, signer: (d) => new Uint8Array(sign(null, d, other)), created });
      },
      'ERR_SIG_INVALID',
    ],
    [
      'a Signature moved from another request',
      async () => {
        const a = await signRequest(post(), { keyId, signer, created });
        const b = await signRequest(
          new Request('https://api.example/charges?currency=eur', {
            method: 'POST',
            body: '{"amount":4200}',
          }),
          { keyId, signer, created },
        );
        const h = new Headers(a.headers);
        h.set('signature', b.headers.get('signature')!);
        return new Request(a.url, { method: 'POST', headers: h, body: await a.text() });
      },
      'ERR_SIG_INVALID',
    ],
    [
      'an alg other than ed25519',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created, includeAlg: true });
        s.headers.set(
          'signature-input',
          s.headers.get('signature-input')!.replace('alg="ed25519"', 'alg="hmac-sha256"'),
        );
        return s;
      },
      'ERR_SIG_ALG',
    ],
    [
      'no created parameter',
      async () => {
        const s = await signRequest(post(), { keyId, signer, created });
        s.headers.set('signature-input', s.headers.get('signature-input')!.replace(/;created=\d+/, ''));
        return s;
      },
      'ERR_SIG_CREATED_MISSING',
    ],
  ];
  for (const [name, make, code, extra] of cases) {
    it(`${name} → ${code}`, async () =>
      expect(await verify(await make(), extra)).toMatchObject({ ok: false, code }));
  }
});

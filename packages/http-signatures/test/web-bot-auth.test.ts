// SPDX-License-Identifier: Apache-2.0
// Interop: what we sign in the Web Bot Auth profile, the `web-bot-auth` package verifies; and our
// keyid is the thumbprint it computes.
import { sign } from 'node:crypto';
import { privateKeyObject, publicKeyFromSecret, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import { helpers, jwkToKeyID, verify } from 'web-bot-auth';
import { verifierFromJWK } from 'web-bot-auth/crypto';
import {
  jwkThumbprint,
  KEY_DIRECTORY_PATH,
  signWebBotAuth,
  verifyRequestSignature,
  webBotAuthDirectory,
} from '../src/index.js';

const seed = randomSecretKey('Ed25519');
const privateKey = privateKeyObject('Ed25519', seed);
const raw = publicKeyFromSecret('Ed25519', seed);
const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey));

describe('Web Bot Auth profile', () => {
  it('keyid is the RFC 7638 thumbprint web-bot-auth computes', async () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') };
    expect(jwkThumbprint(raw)).toBe(
      await jwkToKeyID(jwk, helpers.WEBCRYPTO_SHA256, helpers.BASE64URL_DECODE),
    );
  });

  for (const signatureAgent of [undefined, 'https://agents.acme.example']) {
    it(`the web-bot-auth verifier accepts our signature${signatureAgent ? ' with Signature-Agent' : ''}`, async () => {
      const signed = await signWebBotAuth(new Request('https://service.example/papers'), {
        publicKey: raw,
        signer,
        ...(signatureAgent ? { signatureAgent } : {}),
      });
      expect(signed.headers.get('signature-input')).toContain('tag="web-bot-auth"');
      const [key] = webBotAuthDirectory([raw]).keys;
      await expect(verify(signed, await verifierFromJWK(key!))).resolves.toBeUndefined();
      // And our own verifier, configured for the profile.
      const ours = await verifyRequestSignature(signed, {
        now: new Date(),
        requiredTag: 'web-bot-auth',
        requiredComponents: ['@authority'],
        resolveKey: (id) => (id === jwkThumbprint(raw) ? { type: 'Ed25519', publicKey: raw } : undefined),
      });
      expect(ours).toMatchObject({ ok: true });
    });
  }

  it('web-bot-auth refuses a tampered authority', async () => {
    const signed = await signWebBotAuth(new Request('https://service.example/papers'), {
      publicKey: raw,
      signer,
    });
    const moved = new Request('https://evil.example/papers', { headers: signed.headers });
    const [key] = webBotAuthDirectory([raw]).keys;
    await expect(verify(moved, await verifierFromJWK(key!))).rejects.toThrow();
  });

  it('serves the directory shape at the well-known path', () => {
    expect(KEY_DIRECTORY_PATH).toBe('/.well-known/http-message-signatures-directory');
    expect(webBotAuthDirectory([raw])).toEqual({
      keys: [
        { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url'), kid: jwkThumbprint(raw) },
      ],
    });
    expect(() => webBotAuthDirectory([new Uint8Array(31)])).toThrow(TypeError);
  });
});

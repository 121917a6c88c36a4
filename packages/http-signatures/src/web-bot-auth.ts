// SPDX-License-Identifier: Apache-2.0
// The Web Bot Auth profile (draft-meunier-web-bot-auth-architecture) from the same signer:
// tag "web-bot-auth", keyid = the key's JWK thumbprint (RFC 7638), covered "@authority" and, when
// given, "signature-agent" (where the key directory lives), a 64-byte nonce, created and expires.
import { randomBytes, toBase64, toBase64url } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';
import { type RawSigner, signRequest } from './sign.js';

/** Where a service finds an agent's keys (draft-meunier-http-message-signatures-directory). */
export const KEY_DIRECTORY_PATH = '/.well-known/http-message-signatures-directory';
export const KEY_DIRECTORY_MEDIA_TYPE = 'application/http-message-signatures-directory+json';

function jwk(publicKey: Uint8Array): { kty: 'OKP'; crv: 'Ed25519'; x: string } {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32)
    throw new TypeError('an Ed25519 public key is 32 bytes');
  return { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey) };
}

/** RFC 7638 JWK thumbprint (SHA-256) of an Ed25519 public key: the Web Bot Auth keyid. */
export function jwkThumbprint(publicKey: Uint8Array): string {
  const { crv, kty, x } = jwk(publicKey);
  return toBase64url(sha256(JSON.stringify({ crv, kty, x })));
}

/** The key directory body an agent operator serves at KEY_DIRECTORY_PATH. */
export function webBotAuthDirectory(publicKeys: readonly Uint8Array[]): {
  keys: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string }[];
} {
  return { keys: publicKeys.map((k) => ({ ...jwk(k), kid: jwkThumbprint(k) })) };
}

export interface WebBotAuthOptions {
  readonly publicKey: Uint8Array;
  readonly signer: RawSigner;
  /** The origin serving the key directory, sent as the Signature-Agent header and covered. */
  readonly signatureAgent?: string;
  readonly created?: number;
  readonly expiresIn?: number;
}

/** Sign a request in the Web Bot Auth profile. */
export async function signWebBotAuth(request: Request, options: WebBotAuthOptions): Promise<Request> {
  const agent = options.signatureAgent;
  if (agent !== undefined && !/^https:\/\/[^\s"\\]+$/.test(agent))
    throw new TypeError('signatureAgent is an https URL');
  return signRequest(request, {
    keyId: jwkThumbprint(options.publicKey),
    signer: options.signer,
    components: agent === undefined ? ['@authority'] : ['@authority', 'signature-agent'],
    ...(options.created === undefined ? {} : { created: options.created }),
    expiresIn: options.expiresIn ?? 300,
    nonce: toBase64(randomBytes(64)),
    tag: 'web-bot-auth',
    ...(agent === undefined ? {} : { extraHeaders: { 'Signature-Agent': `"${agent}"` } }),
  });
}

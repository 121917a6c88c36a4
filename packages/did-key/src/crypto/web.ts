// SPDX-License-Identifier: Apache-2.0
// The WebCrypto back-end of the crypto seam, for browsers, Deno, Bun and edge workers: Ed25519 and
// P-256 ECDSA through crypto.subtle (asynchronous, imported keys cached), SHA-2 through
// @noble/hashes (synchronous, as the canonical hashing is). P-256 keys arrive compressed and
// WebCrypto imports raw points uncompressed: @noble/curves expands them (they were validated on
// decode).
// Types only: WebCrypto's shapes as @types/node declares them (nothing from Node is loaded).
import type { KeyObject, webcrypto } from 'node:crypto';
import { type KeyType, toBase64, toBase64url } from '@agent-passport/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import type {
  KeyObjectOf,
  KeyVerifyBackend,
  PublicKeyOf,
  Sha256,
  Sha256Pair,
  SignerBackend,
  VerifyBackend,
} from './types.js';

const ED25519 = { name: 'Ed25519' } as const;
const P256_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const P256_SIG = { name: 'ECDSA', hash: 'SHA-256' } as const;

const MAX_KEYS = 4096;
const keys = new Map<string, Promise<webcrypto.CryptoKey>>();

function subtle(): webcrypto.SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new TypeError('this platform has no WebCrypto (crypto.subtle)');
  return s;
}

/** The imported public key for raw key bytes, cached (as a promise) in a bounded map. */
function publicCryptoKey(type: KeyType, publicKey: Uint8Array): Promise<webcrypto.CryptoKey> {
  const id = `${type}:${toBase64(publicKey)}`;
  const hit = keys.get(id);
  if (hit !== undefined) return hit;
  const raw = type === 'Ed25519' ? publicKey : p256.Point.fromBytes(publicKey).toBytes(false);
  const key = subtle().importKey('raw', raw, type === 'Ed25519' ? ED25519 : P256_KEY, false, ['verify']);
  key.catch(() => keys.delete(id));
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
  keys.set(id, key);
  return key;
}

export const verifyWithBackend: VerifyBackend = async (type, publicKey, data, signature) => {
  const key = await publicCryptoKey(type, publicKey);
  return subtle().verify(type === 'Ed25519' ? ED25519 : P256_SIG, key, signature, data);
};

export const verifierFor: KeyVerifyBackend = (type, publicKey) => {
  let key: Promise<webcrypto.CryptoKey> | undefined;
  return async (data, signature) => {
    // Imported on first use (a failed import is tried again, as verifyWithBackend does).
    key ??= publicCryptoKey(type, publicKey).catch((cause: unknown) => {
      key = undefined;
      throw cause;
    });
    return subtle().verify(type === 'Ed25519' ? ED25519 : P256_SIG, await key, signature, data);
  };
};

const utf8 = new TextEncoder();

export const sha256: Sha256 = (data) => nobleSha256(typeof data === 'string' ? utf8.encode(data) : data);
export const sha512: Sha256 = (data) => nobleSha512(typeof data === 'string' ? utf8.encode(data) : data);

export const sha256Pair: Sha256Pair = (first, second) => {
  const out = new Uint8Array(64);
  out.set(sha256(first), 0);
  out.set(sha256(second), 32);
  return out;
};

export const publicKeyFromSecret: PublicKeyOf = (type, secretKey) =>
  type === 'Ed25519' ? ed25519.getPublicKey(secretKey) : p256.getPublicKey(secretKey, true);

/** The private key as a JWK (RFC 8037 §2 for Ed25519, RFC 7518 §6.2 for P-256). */
function privateJwk(type: KeyType, secretKey: Uint8Array): webcrypto.JsonWebKey {
  if (type === 'Ed25519') {
    const x = toBase64url(ed25519.getPublicKey(secretKey));
    return { kty: 'OKP', crv: 'Ed25519', d: toBase64url(secretKey), x };
  }
  const point = p256.getPublicKey(secretKey, false);
  return {
    kty: 'EC',
    crv: 'P-256',
    d: toBase64url(secretKey),
    x: toBase64url(point.subarray(1, 33)),
    y: toBase64url(point.subarray(33)),
  };
}

export const signerFor: SignerBackend = (type, secretKey) => {
  const key = subtle().importKey(
    'jwk',
    privateJwk(type, secretKey),
    type === 'Ed25519' ? ED25519 : P256_KEY,
    false,
    ['sign'],
  );
  return async (data) =>
    new Uint8Array(await subtle().sign(type === 'Ed25519' ? ED25519 : P256_SIG, await key, data));
};

const nodeOnly = (): never => {
  throw new TypeError('KeyObjects exist only on Node (node:crypto)');
};
export const publicKeyObject: KeyObjectOf = (): KeyObject => nodeOnly();
export const privateKeyObject: KeyObjectOf = (): KeyObject => nodeOnly();

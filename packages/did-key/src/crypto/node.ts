// SPDX-License-Identifier: Apache-2.0
// The Node back-end of the crypto seam: node:crypto with cached KeyObjects (importing a key per
// call costs as much as the signature), synchronous verification.
import {
  createPrivateKey,
  createPublicKey,
  hash,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { concatBytes, fromBase64url, fromHex, type KeyType } from '@agent-passport/core';
import type {
  KeyObjectOf,
  KeyVerifyBackend,
  PublicKeyOf,
  Sha256,
  Sha256Pair,
  SignerBackend,
  VerifyBackend,
} from './types.js';

// SubjectPublicKeyInfo prefixes: RFC 8410 §4 (Ed25519), RFC 5480 §2 (P-256, compressed point).
const ED25519_SPKI = fromHex('302a300506032b6570032100');
const P256_SPKI = fromHex('3039301306072a8648ce3d020106082a8648ce3d030107032200');
// PKCS#8 prefixes (RFC 8410 §7 for Ed25519; RFC 5915 inside RFC 5208 for P-256 without the
// optional public key, which OpenSSL recomputes).
const ED25519_PKCS8 = fromHex('302e020100300506032b657004220420');
const P256_PKCS8 = fromHex('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420');

const MAX_KEYS = 4096;
const keys = new Map<string, KeyObject>();

/**
 * The KeyObject for raw key bytes. A 32-byte Ed25519 key is imported as a JWK (its raw bytes:
 * OpenSSL's raw-key import, several times cheaper than decoding SPKI DER, the same key:
 * test/crypto-backends.test.ts); any other key through SPKI DER.
 */
function importPublicKey(type: KeyType, publicKey: Uint8Array): KeyObject {
  if (type === 'Ed25519' && publicKey.length === 32) {
    const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('base64url');
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  }
  const der = concatBytes(type === 'Ed25519' ? ED25519_SPKI : P256_SPKI, publicKey);
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
}

/** A node:crypto public KeyObject for raw key bytes, cached in a bounded map. */
export const publicKeyObject: KeyObjectOf = (type: KeyType, publicKey: Uint8Array): KeyObject => {
  const id = `${type}:${Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('base64')}`;
  const hit = keys.get(id);
  if (hit !== undefined) return hit;
  const key = importPublicKey(type, publicKey);
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
  keys.set(id, key);
  return key;
};

/** A node:crypto private KeyObject for a 32-byte Ed25519 seed or P-256 scalar. */
export const privateKeyObject: KeyObjectOf = (type: KeyType, secretKey: Uint8Array): KeyObject => {
  const der = concatBytes(type === 'Ed25519' ? ED25519_PKCS8 : P256_PKCS8, secretKey);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
};

/** Pure Ed25519, or ECDSA P-256 with SHA-256 and r‖s signatures, under a KeyObject. */
function verifyWithKey(type: KeyType, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return type === 'Ed25519'
    ? nodeVerify(null, data, key, signature)
    : nodeVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

export const verifyWithBackend: VerifyBackend = (type, publicKey, data, signature) =>
  verifyWithKey(type, publicKeyObject(type, publicKey), data, signature);

export const verifierFor: KeyVerifyBackend = (type, publicKey) => {
  const key = publicKeyObject(type, publicKey);
  return (data, signature) => verifyWithKey(type, key, data, signature);
};

export const sha256: Sha256 = (data) => hash('sha256', data, 'buffer');
export const sha512: Sha256 = (data) => hash('sha512', data, 'buffer');

/**
 * Both digests as 'binary' (latin1) strings, one character per byte, copied into one small array:
 * a 'buffer' result costs each call a Buffer with its own backing store (about what hashing a
 * kilobyte costs).
 */
export const sha256Pair: Sha256Pair = (first, second) => {
  const a = hash('sha256', first, 'binary');
  const b = hash('sha256', second, 'binary');
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) {
    out[i] = a.charCodeAt(i);
    out[32 + i] = b.charCodeAt(i);
  }
  return out;
};

export const signerFor: SignerBackend = (type, secretKey) => {
  const key = privateKeyObject(type, secretKey);
  return async (data) =>
    type === 'Ed25519'
      ? new Uint8Array(nodeSign(null, data, key))
      : new Uint8Array(nodeSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
};

export const publicKeyFromSecret: PublicKeyOf = (type, secretKey) => {
  const jwk = createPublicKey(privateKeyObject(type, secretKey)).export({ format: 'jwk' });
  const x = fromBase64url(jwk.x ?? '');
  if (type === 'Ed25519') return x;
  const y = fromBase64url(jwk.y ?? '');
  return concatBytes(new Uint8Array([(y[31] ?? 0) & 1 ? 0x03 : 0x02]), x);
};

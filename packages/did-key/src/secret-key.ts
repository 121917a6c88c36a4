// SPDX-License-Identifier: Apache-2.0
// Fresh secret keys from the platform's CSPRNG (crypto.getRandomValues, in Node and in browsers),
// never through a key-generation job: Node 20 can deadlock when a garbage collection destroys a
// generated key's job while that key is being exported (docs/security.md).
import type { KeyType } from '@agent-passport/core';

/** The order n of the P-256 group (SEC 2 §2.4.2). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * A P-256 scalar in [1, n−1] from at least 48 uniformly random (or HKDF-derived) bytes: the
 * "extra random bits" method of FIPS 186-5 §A.2.1, d = (c mod (n−1)) + 1, whose bias is below 2^-128.
 */
export function p256ScalarFrom(wide: Uint8Array): Uint8Array {
  if (!(wide instanceof Uint8Array) || wide.length < 48) throw new RangeError('need at least 48 bytes');
  let c = 0n;
  for (const byte of wide) c = (c << 8n) | BigInt(byte);
  let d = (c % (P256_N - 1n)) + 1n;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(d & 0xffn);
    d >>= 8n;
  }
  return out;
}

/** A fresh 32-byte secret: an Ed25519 seed (RFC 8032 §5.1.5: 32 random octets) or a P-256 scalar. */
export function randomSecretKey(type: KeyType): Uint8Array {
  if (type === 'Ed25519') return crypto.getRandomValues(new Uint8Array(32));
  if (type === 'P-256') return p256ScalarFrom(crypto.getRandomValues(new Uint8Array(48)));
  throw new TypeError('type must be Ed25519 or P-256');
}

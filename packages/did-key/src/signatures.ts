// SPDX-License-Identifier: Apache-2.0
// Signature verification on node:crypto with cached KeyObjects (DESIGN.md "Known traps": importing
// a key per call costs as much as the signature). Keys reaching here were validated on decode.
import { createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import type { KeyType } from '@agent-passport/core';

// SubjectPublicKeyInfo prefixes: RFC 8410 §4 (Ed25519), RFC 5480 §2 (P-256, compressed point).
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const P256_SPKI = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');

const MAX_KEYS = 4096;
const keys = new Map<string, KeyObject>();

/** A node:crypto public KeyObject for raw key bytes, cached in a bounded map. */
export function publicKeyObject(type: KeyType, publicKey: Uint8Array): KeyObject {
  const id = `${type}:${Buffer.from(publicKey).toString('base64')}`;
  const hit = keys.get(id);
  if (hit !== undefined) return hit;
  const der = Buffer.concat([type === 'Ed25519' ? ED25519_SPKI : P256_SPKI, publicKey]);
  const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
  keys.set(id, key);
  return key;
}

/** L, the order of the Ed25519 base point (RFC 8032 §5.1), little-endian bytes. */
const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');
/** n, the order of P-256 (SEC 2 §2.4.2), big-endian. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Is the little-endian scalar S (32 bytes) < L? RFC 8032 §5.1.7 step 1 requires it. */
function scalarBelowL(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = s[i] as number;
    const b = L[i] as number;
    if (a !== b) return a < b;
  }
  return false;
}

function bigFrom(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}

/**
 * Verify a signature strictly. Ed25519 (RFC 8032 §5.1.7): 64 bytes, S < L, then OpenSSL's
 * cofactorless check. P-256 (ecdsa-jcs-2019): raw r‖s (IEEE P1363), 1 ≤ r, s < n, SHA-256; high-S
 * signatures are accepted (the cryptosuite does not require low-S, and Wycheproof marks them valid).
 */
export function verifySignature(
  type: KeyType,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (type === 'Ed25519') {
    if (!scalarBelowL(signature.subarray(32))) return false;
    return nodeVerify(null, data, publicKeyObject(type, publicKey), signature);
  }
  const r = bigFrom(signature.subarray(0, 32));
  const s = bigFrom(signature.subarray(32));
  if (r === 0n || s === 0n || r >= N || s >= N) return false;
  return nodeVerify(
    'sha256',
    data,
    { key: publicKeyObject(type, publicKey), dsaEncoding: 'ieee-p1363' },
    signature,
  );
}

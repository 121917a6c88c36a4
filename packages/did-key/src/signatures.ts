// SPDX-License-Identifier: Apache-2.0
// Strict signature verification over the platform crypto seam (`#crypto`: node:crypto on Node,
// WebCrypto elsewhere). Keys reaching here were validated on decode (small-order and
// non-canonical keys refused); the signature checks below run before either back-end.
import { fromHex, type KeyType, toHex } from '@agent-passport/core';
import { verifierFor, verifyWithBackend } from '#crypto';

/** L, the order of the Ed25519 base point (RFC 8032 §5.1), little-endian bytes. */
const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
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
  return BigInt(`0x${toHex(bytes) || '0'}`);
}

/**
 * The strict checks before either back-end. Ed25519 (RFC 8032 §5.1.7): 64 bytes, S < L. P-256
 * (ecdsa-jcs-2019): raw r‖s (IEEE P1363), 1 ≤ r, s < n; high-S signatures are accepted (the
 * cryptosuite does not require low-S, and Wycheproof marks them valid).
 */
function wellFormed(type: KeyType, signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (type === 'Ed25519') return scalarBelowL(signature.subarray(32));
  const r = bigFrom(signature.subarray(0, 32));
  const s = bigFrom(signature.subarray(32));
  return r !== 0n && s !== 0n && r < N && s < N;
}

/**
 * Verify a signature strictly: the checks of `wellFormed`, then the back-end's check (Ed25519
 * cofactorless; P-256 ECDSA with SHA-256). Synchronous on Node; a promise on WebCrypto platforms,
 * so callers await the result.
 */
export function verifySignature(
  type: KeyType,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean | Promise<boolean> {
  if (!wellFormed(type, signature)) return false;
  return verifyWithBackend(type, publicKey, data, signature);
}

/**
 * `verifySignature` bound to one public key, whose platform key is imported once: for a key that
 * verifies many signatures (a verifier holds one per Multikey it has seen).
 */
export function keyVerifier(
  type: KeyType,
  publicKey: Uint8Array,
): (data: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean> {
  const verify = verifierFor(type, publicKey);
  return (data, signature) => wellFormed(type, signature) && verify(data, signature);
}

// SPDX-License-Identifier: Apache-2.0
// Strict signature verification over the platform crypto seam (`#crypto`: node:crypto on Node,
// WebCrypto elsewhere). Keys reaching here were validated on decode (small-order and
// non-canonical keys refused); the signature checks below run before either back-end.
import { fromHex, type KeyType, toHex } from '@agent-passport/core';
import { verifyWithBackend } from '#crypto';

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
 * Verify a signature strictly. Ed25519 (RFC 8032 §5.1.7): 64 bytes, S < L, then the back-end's
 * cofactorless check. P-256 (ecdsa-jcs-2019): raw r‖s (IEEE P1363), 1 ≤ r, s < n, SHA-256; high-S
 * signatures are accepted (the cryptosuite does not require low-S, and Wycheproof marks them valid).
 * Synchronous on Node; a promise on WebCrypto platforms, so callers await the result.
 */
export function verifySignature(
  type: KeyType,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean | Promise<boolean> {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (type === 'Ed25519') {
    if (!scalarBelowL(signature.subarray(32))) return false;
  } else {
    const r = bigFrom(signature.subarray(0, 32));
    const s = bigFrom(signature.subarray(32));
    if (r === 0n || s === 0n || r >= N || s >= N) return false;
  }
  return verifyWithBackend(type, publicKey, data, signature);
}

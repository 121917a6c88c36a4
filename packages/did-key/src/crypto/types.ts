// SPDX-License-Identifier: Apache-2.0
// The platform crypto seam: one shape, two back-ends chosen by the package `imports` condition
// `#crypto` (node:crypto KeyObjects on Node, WebCrypto elsewhere). Keys reaching a back-end were
// validated on decode (small-order and non-canonical keys refused) and signatures pre-checked.
import type { KeyObject } from 'node:crypto';
import type { KeyType } from '@agent-passport/core';

/**
 * Verify a signature over raw key bytes (Ed25519 32 bytes; P-256 33 bytes compressed, ECDSA with
 * SHA-256, r‖s). Synchronous on Node; a promise where the platform's crypto is asynchronous.
 */
export type VerifyBackend = (
  type: KeyType,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
) => boolean | Promise<boolean>;

/**
 * The same check bound to one public key, imported once when the function is made (the key object
 * is looked up per call by VerifyBackend, which costs a string and a map lookup every time).
 */
export type KeyVerifyBackend = (
  type: KeyType,
  publicKey: Uint8Array,
) => (data: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean>;

/** SHA-256 (or SHA-512) of bytes or of a string's UTF-8, synchronously. */
export type Sha256 = (data: Uint8Array | string) => Uint8Array;

/**
 * SHA-256(first) ‖ SHA-256(second): 64 bytes, each digest of bytes or of a string's UTF-8, as a
 * Data Integrity JCS proof hashes its options and its document (eddsa-jcs-2022 §3.3.2 hashData).
 */
export type Sha256Pair = (first: Uint8Array | string, second: Uint8Array | string) => Uint8Array;

/** A signing function for a private key (Ed25519 seed or P-256 scalar), the key imported once. */
export type SignerBackend = (
  type: KeyType,
  secretKey: Uint8Array,
) => (data: Uint8Array) => Promise<Uint8Array>;

/** The public key (Ed25519 32 bytes; P-256 33 bytes compressed) of a private key. */
export type PublicKeyOf = (type: KeyType, secretKey: Uint8Array) => Uint8Array;

/** A node:crypto KeyObject for a key (Node only: other platforms throw). */
export type KeyObjectOf = (type: KeyType, key: Uint8Array) => KeyObject;

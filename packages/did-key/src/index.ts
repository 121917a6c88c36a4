// SPDX-License-Identifier: Apache-2.0
export type { DidKey, KeyType } from '@agent-passport/core';
export {
  privateKeyObject,
  publicKeyFromSecret,
  publicKeyObject,
  sha256,
  sha256Pair,
  sha512,
  signerFor,
} from '#crypto';
export type {
  KeyObjectOf,
  KeyVerifyBackend,
  PublicKeyOf,
  Sha256,
  Sha256Pair,
  SignerBackend,
  VerifyBackend,
} from './crypto/types.js';
export type { DecodedDidKey } from './did-key.js';
export {
  decodeDidKey,
  dereferenceDidKey,
  didKeyMethodKey,
  didKeyPublicKey,
  encodeDidKey,
  getResolver,
  isDidKey,
  resolveDidKey,
} from './did-key.js';
export type { DecodedKey } from './multikey.js';
export { decodeMultikey, encodeMultikey, MULTICODEC, validatePublicKey } from './multikey.js';
export { p256ScalarFrom, randomSecretKey } from './secret-key.js';
export { keyVerifier, verifySignature } from './signatures.js';

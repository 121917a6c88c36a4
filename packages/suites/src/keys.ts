// SPDX-License-Identifier: Apache-2.0
// Signers and verifiers over the platform crypto seam of did-key (node:crypto KeyObjects on Node,
// imported once; WebCrypto elsewhere).
import type { KeyObject } from 'node:crypto';
import {
  createBoundedCache,
  type KeyType,
  PassportError,
  type Signer,
  type Verifier,
} from '@agent-passport/core';
import {
  decodeMultikey,
  encodeDidKey,
  encodeMultikey,
  privateKeyObject as keyObjectOf,
  keyVerifier,
  publicKeyFromSecret,
  signerFor,
} from '@agent-passport/did-key';
import { base58btc } from 'multiformats/bases/base58';

/** A private key as raw bytes: an Ed25519 seed or a P-256 scalar, 32 bytes each. */
export interface PrivateKey {
  readonly type: KeyType;
  readonly secretKey: Uint8Array;
}

// Multicodec private-key headers (varint): ed25519-priv 0x1300, p256-priv 0x1306.
const ED25519_PRIV_HEADER = [0x80, 0x26] as const;
const P256_PRIV_HEADER = [0x86, 0x26] as const;

function assertSecret(key: PrivateKey): void {
  if (key === null || typeof key !== 'object') throw new TypeError('key must be an object');
  if (key.type !== 'Ed25519' && key.type !== 'P-256')
    throw new TypeError('key.type must be Ed25519 or P-256');
  if (!(key.secretKey instanceof Uint8Array) || key.secretKey.length !== 32) {
    throw new RangeError('key.secretKey must be 32 bytes');
  }
}

/** A node:crypto private KeyObject for raw key bytes (Node only). */
export function privateKeyObject(key: PrivateKey): KeyObject {
  assertSecret(key);
  return keyObjectOf(key.type, key.secretKey);
}

/** The public key (Ed25519 32 bytes; P-256 33 bytes compressed) of a private key. */
export function publicKeyOf(key: PrivateKey): Uint8Array {
  assertSecret(key);
  return publicKeyFromSecret(key.type, key.secretKey);
}

/** Decode a `privateKeyMultibase` (Multikey §2.2.2: ed25519-priv or p256-priv, base58btc). */
export function decodePrivateKeyMultibase(value: string): PrivateKey {
  if (typeof value !== 'string') throw new TypeError('privateKeyMultibase must be a string');
  if (!value.startsWith('z')) throw new PassportError('ERR_MULTIBASE_PREFIX');
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(value);
  } catch (cause) {
    throw new PassportError('ERR_MULTIBASE_DECODE', undefined, { cause });
  }
  const header = [bytes[0], bytes[1]];
  const type: KeyType | undefined =
    header[0] === ED25519_PRIV_HEADER[0] && header[1] === ED25519_PRIV_HEADER[1]
      ? 'Ed25519'
      : header[0] === P256_PRIV_HEADER[0] && header[1] === P256_PRIV_HEADER[1]
        ? 'P-256'
        : undefined;
  if (type === undefined) throw new PassportError('ERR_MULTICODEC_UNSUPPORTED');
  if (bytes.length !== 34) throw new PassportError('ERR_KEY_LENGTH');
  return { type, secretKey: bytes.slice(2) };
}

/** Encode a private key as `privateKeyMultibase`. */
export function encodePrivateKeyMultibase(key: PrivateKey): string {
  assertSecret(key);
  const header = key.type === 'Ed25519' ? ED25519_PRIV_HEADER : P256_PRIV_HEADER;
  const bytes = new Uint8Array(34);
  bytes.set(header, 0);
  bytes.set(key.secretKey, 2);
  return base58btc.encode(bytes);
}

/**
 * A signer in the ecosystem's shape (`{id, algorithm, sign}`) that imports its key once.
 * Ed25519: pure EdDSA (RFC 8032). P-256: ECDSA with SHA-256, IEEE P1363 r‖s (ecdsa-jcs-2019 §3.3).
 */
export function createSigner(key: PrivateKey, verificationMethod: string): Signer {
  if (typeof verificationMethod !== 'string' || !verificationMethod.includes('#')) {
    throw new TypeError('verificationMethod must be a DID URL with a fragment');
  }
  assertSecret(key);
  const sign = signerFor(key.type, key.secretKey);
  return Object.freeze({
    id: verificationMethod,
    algorithm: key.type,
    async sign({ data }: { data: Uint8Array }): Promise<Uint8Array> {
      return sign(data);
    },
  });
}

/** A signer for a key's own did:key: its id is `did:key:z…#z…` (did:key v0.7 §3.1.2). */
export function didKeySigner(key: PrivateKey): Signer {
  const publicKey = publicKeyOf(key);
  return createSigner(key, `${encodeDidKey(publicKey, key.type)}#${encodeMultikey(publicKey, key.type)}`);
}

/** A Multikey's type and its strict signature check, the platform key imported once. */
interface KeyCheck {
  readonly type: KeyType;
  readonly check: ReturnType<typeof keyVerifier>;
  /** The verifier last made for the key (frozen, so shared): the same method asks again. */
  last: Verifier | undefined;
}

/**
 * Checks by `publicKeyMultibase`, bounded: decoding, validation and importing a key are pure
 * functions of that string, and a verifier meets the same few issuer and agent keys again and again.
 * Only keys that decoded are remembered.
 */
const MAX_KEY_CHECKS = 4096;
const keyChecks = createBoundedCache<string, KeyCheck>(MAX_KEY_CHECKS);

function keyCheckOf(publicKeyMultibase: string): KeyCheck {
  const hit = keyChecks.get(publicKeyMultibase);
  if (hit !== undefined) return hit;
  const { type, publicKey } = decodeMultikey(publicKeyMultibase);
  const made: KeyCheck = { type, check: keyVerifier(type, publicKey), last: undefined };
  keyChecks.set(publicKeyMultibase, made);
  return made;
}

/** A verifier for a Multikey verification method, with strict key decoding and a cached key. */
export function createKeyVerifier(verificationMethod: { id: string; publicKeyMultibase: string }): Verifier {
  const key = keyCheckOf(verificationMethod.publicKeyMultibase);
  if (key.last?.id === verificationMethod.id) return key.last;
  const { type, check } = key;
  key.last = Object.freeze({
    id: verificationMethod.id,
    algorithm: type,
    async verify({ data, signature }: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> {
      return check(data, signature);
    },
  });
  return key.last;
}

// SPDX-License-Identifier: Apache-2.0
// Multikey public keys (Controlled Identifiers v1.0 §2.2.2): base58btc multibase of a multicodec
// header and the raw key. The header bytes are checked, not stripped by length, and the key itself
// is validated: docs/security.md (threat model).
import { createBoundedCache, type KeyType, PassportError } from '@agent-passport/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { varint } from 'multiformats';
import { base58btc } from 'multiformats/bases/base58';

/** Multicodec codes (multicodec table): ed25519-pub 0xed, p256-pub 0x1200. */
export const MULTICODEC = { Ed25519: 0xed, 'P-256': 0x1200 } as const;
const KEY_LENGTH = { Ed25519: 32, 'P-256': 33 } as const;

const HEADERS: Record<KeyType, Uint8Array> = {
  Ed25519: varint.encodeTo(MULTICODEC.Ed25519, new Uint8Array(varint.encodingLength(MULTICODEC.Ed25519))),
  'P-256': varint.encodeTo(MULTICODEC['P-256'], new Uint8Array(varint.encodingLength(MULTICODEC['P-256']))),
};

export interface DecodedKey {
  readonly type: KeyType;
  readonly publicKey: Uint8Array;
}

/**
 * Validate raw public key bytes of a type; throws the distinct code for each defect.
 * Ed25519 (RFC 8032 §5.1.3): canonical encoding, on the curve, no small-order component.
 * P-256 (SEC 1 §2.3.4): a compressed point (02/03 prefix) on the curve.
 */
export function validatePublicKey(type: KeyType, publicKey: Uint8Array): void {
  if (publicKey.length !== KEY_LENGTH[type]) {
    throw new PassportError(
      'ERR_KEY_LENGTH',
      `a ${type} public key is ${KEY_LENGTH[type]} bytes, not ${publicKey.length}`,
    );
  }
  if (type === 'Ed25519') {
    let point: InstanceType<typeof ed25519.Point>;
    try {
      // zip215 accepts every encoding, so that non-canonical ones can be told apart below.
      point = ed25519.Point.fromBytes(publicKey, true);
    } catch (cause) {
      throw new PassportError(
        'ERR_ED25519_INVALID_POINT',
        'the Ed25519 public key is not a point on the curve',
        { cause },
      );
    }
    if (!bytesEqual(point.toBytes(), publicKey)) {
      throw new PassportError(
        'ERR_ED25519_NON_CANONICAL',
        'the Ed25519 public key is not canonically encoded',
      );
    }
    if (point.isSmallOrder())
      throw new PassportError('ERR_ED25519_SMALL_ORDER', 'the Ed25519 public key has small order');
    if (!point.isTorsionFree()) {
      throw new PassportError('ERR_ED25519_TORSION', 'the Ed25519 public key has a small-order component');
    }
    return;
  }
  if (publicKey[0] !== 0x02 && publicKey[0] !== 0x03) {
    throw new PassportError(
      'ERR_P256_NOT_ON_CURVE',
      'a P-256 Multikey is a compressed point (02 or 03 prefix)',
    );
  }
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
  } catch (cause) {
    throw new PassportError('ERR_P256_NOT_ON_CURVE', 'the P-256 public key is not a point on the curve', {
      cause,
    });
  }
}

/** Compress an uncompressed (65-byte) P-256 point; 33-byte input is returned as is. */
function compressP256(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return publicKey;
  try {
    return p256.Point.fromBytes(publicKey).toBytes(true);
  } catch (cause) {
    throw new PassportError('ERR_P256_NOT_ON_CURVE', 'the P-256 public key is not a point on the curve', {
      cause,
    });
  }
}

function assertType(type: unknown): asserts type is KeyType {
  if (type !== 'Ed25519' && type !== 'P-256') throw new TypeError('type must be Ed25519 or P-256');
}

/** Encode a public key as `publicKeyMultibase` (validated first). */
export function encodeMultikey(publicKey: Uint8Array, type: KeyType): string {
  assertType(type);
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  const key = type === 'P-256' ? compressP256(publicKey) : publicKey;
  validatePublicKey(type, key);
  const header = HEADERS[type];
  const bytes = new Uint8Array(header.length + key.length);
  bytes.set(header, 0);
  bytes.set(key, header.length);
  return base58btc.encode(bytes);
}

const MAX_DECODED = 4096;
const decoded = createBoundedCache<string, DecodedKey>(MAX_DECODED);

/**
 * Decode and fully validate a `publicKeyMultibase`. Validation (point decoding, small-order and
 * torsion checks) costs several Ed25519 verifies, so valid keys are memoised (bounded); callers get
 * their own copy of the key bytes.
 */
export function decodeMultikey(multibase: string): DecodedKey {
  const hit = decoded.get(multibase);
  if (hit !== undefined) return { type: hit.type, publicKey: hit.publicKey.slice() };
  const result = decodeMultikeyUncached(multibase);
  decoded.set(multibase, { type: result.type, publicKey: result.publicKey.slice() });
  return result;
}

function decodeMultikeyUncached(multibase: string): DecodedKey {
  if (typeof multibase !== 'string') throw new TypeError('multibase must be a string');
  if (!multibase.startsWith('z'))
    throw new PassportError('ERR_MULTIBASE_PREFIX', 'a Multikey is base58btc (prefix z)');
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(multibase);
  } catch (cause) {
    throw new PassportError('ERR_MULTIBASE_DECODE', 'the Multikey is not valid base58btc', { cause });
  }
  let code: number;
  let headerLength: number;
  try {
    [code, headerLength] = varint.decode(bytes);
  } catch (cause) {
    throw new PassportError('ERR_MULTICODEC_UNSUPPORTED', 'the multicodec header is truncated', { cause });
  }
  const type: KeyType | undefined =
    code === MULTICODEC.Ed25519 ? 'Ed25519' : code === MULTICODEC['P-256'] ? 'P-256' : undefined;
  // The header must be exactly the canonical varint of the codec (no padded encodings).
  if (
    type === undefined ||
    headerLength !== HEADERS[type].length ||
    !bytesEqual(bytes.subarray(0, headerLength), HEADERS[type])
  ) {
    throw new PassportError(
      'ERR_MULTICODEC_UNSUPPORTED',
      `multicodec 0x${code.toString(16)} is not ed25519-pub or p256-pub`,
    );
  }
  const publicKey = bytes.slice(headerLength);
  validatePublicKey(type, publicKey);
  return { type, publicKey };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

// SPDX-License-Identifier: Apache-2.0
// Key material: generation, import from raw secrets, and deterministic fleet derivation
// (HKDF-SHA256, RFC 5869) from a secret master seed, never from public names alone.
import { hkdfSync, randomBytes } from 'node:crypto';
import type { DidKey, KeyType } from '@agent-passport/core';
import { encodeDidKey, encodeMultikey, p256ScalarFrom, randomSecretKey } from '@agent-passport/did-key';
import { publicKeyOf } from '@agent-passport/suites';

/** A key pair with its did:key; `secretKey` is the 32-byte Ed25519 seed or P-256 scalar. */
export interface KeyMaterial {
  readonly type: KeyType;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  readonly did: DidKey;
  readonly publicKeyMultibase: string;
}

/** The key pair for a raw secret. */
export function keyFromSecret(type: KeyType, secretKey: Uint8Array): KeyMaterial {
  if (type !== 'Ed25519' && type !== 'P-256') throw new TypeError('type must be Ed25519 or P-256');
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32)
    throw new RangeError('secretKey must be 32 bytes');
  const publicKey = publicKeyOf({ type, secretKey });
  return Object.freeze({
    type,
    publicKey,
    secretKey: new Uint8Array(secretKey),
    did: encodeDidKey(publicKey, type),
    publicKeyMultibase: encodeMultikey(publicKey, type),
  });
}

/** A fresh random key pair (did-key's randomSecretKey: the platform CSPRNG, no key-generation job). */
export function generateKey(type: KeyType = 'Ed25519'): KeyMaterial {
  return keyFromSecret(type, randomSecretKey(type));
}

/** 32 random bytes to derive a fleet of agent keys from. Keep it secret like a private key. */
export function generateMasterSeed(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

const FLEET_SALT = Buffer.from('agent-passport/fleet/v1');

function lengthPrefixed(parts: readonly string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => {
      const bytes = Buffer.from(p, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      return [len, bytes];
    }),
  );
}

/**
 * The key of agent `name` in `project`, derived from a secret master seed with HKDF-SHA256
 * (salt "agent-passport/fleet/v1", info = length-prefixed key type, name and project, so
 * ("ab","c") and ("a","bc") differ). P-256 scalars are reduced into [1, n−1] from 48 bytes.
 */
export function deriveAgentKey(
  masterSeed: Uint8Array,
  agent: { name: string; project: string },
  type: KeyType = 'Ed25519',
): KeyMaterial {
  if (!(masterSeed instanceof Uint8Array) || masterSeed.length < 32)
    throw new RangeError('the master seed must be at least 32 secret bytes');
  if (
    typeof agent?.name !== 'string' ||
    typeof agent.project !== 'string' ||
    agent.name === '' ||
    agent.project === ''
  ) {
    throw new TypeError('agent needs a name and a project');
  }
  const info = lengthPrefixed([type, agent.name, agent.project]);
  if (type === 'Ed25519')
    return keyFromSecret(type, new Uint8Array(hkdfSync('sha256', masterSeed, FLEET_SALT, info, 32)));
  return keyFromSecret(
    type,
    p256ScalarFrom(new Uint8Array(hkdfSync('sha256', masterSeed, FLEET_SALT, info, 48))),
  );
}

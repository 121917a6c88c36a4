// SPDX-License-Identifier: Apache-2.0
// A signature check per public key, for the recorded-request path: did-key's keyVerifier (its
// platform key imported once) instead of verifySignature, which looks that key up by the key's
// bytes on every call (a base64 string and a map lookup per signature). Found by the key's
// Uint8Array, and used only while that array still holds the bytes it was made for; a key the
// platform cannot import is left to verifySignature, which answers exactly as before.
import type { KeyType } from '@agent-passport/core';
import { keyVerifier, verifySignature } from '@agent-passport/did-key';

type Verify = (data: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean>;

interface Made {
  readonly type: KeyType;
  /** A copy of the key's bytes when the check was made. */
  readonly bytes: Uint8Array;
  readonly verify: Verify;
}

const made = new WeakMap<Uint8Array, Made>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** verifySignature(type, publicKey, …) as a function of the data and signature, made once per key. */
export function keyCheck(type: KeyType, publicKey: Uint8Array): Verify {
  const hit = made.get(publicKey);
  if (hit !== undefined && hit.type === type && sameBytes(hit.bytes, publicKey)) return hit.verify;
  let verify: Verify;
  try {
    verify = keyVerifier(type, publicKey);
  } catch {
    return (data, signature) => verifySignature(type, publicKey, data, signature);
  }
  made.set(publicKey, { type, bytes: publicKey.slice(), verify });
  return verify;
}

// SPDX-License-Identifier: Apache-2.0
// A passport handle: the verifier's own copy of a passport's exact bytes and the cache key of those
// bytes (their SHA-256), made once per passport. A caller that keeps passports (a request verifier
// that knows them by reference) hands the handle in instead of the bytes, and a cached call then
// hashes nothing. The key binds the exact bytes because this module computed it over the copy it
// holds, and both are private fields: a handle cannot be forged, and its bytes cannot be changed
// after the key was computed. Any verifier accepts any handle: each keys its own cache with it.
import { toBase64url } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';

/** The cache key of raw input: the SHA-256 of exactly the bytes (or UTF-8 text) received. */
export function rawKey(input: string | Uint8Array): string {
  return `raw:${toBase64url(sha256(input))}`;
}

let isHandle: (value: unknown) => value is PassportHandle;
let bytesOf: (handle: PassportHandle) => Uint8Array;
let keyOf: (handle: PassportHandle) => string;

/** A passport's bytes as received, with their cache key; made by `createPassportHandle`. */
export class PassportHandle {
  readonly #bytes: Uint8Array;
  readonly #key: string;

  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('a passport handle is made of bytes');
    this.#bytes = bytes.slice();
    this.#key = rawKey(this.#bytes);
    Object.freeze(this);
  }

  // The only readers of the private fields, kept inside this module.
  static {
    isHandle = (value): value is PassportHandle =>
      typeof value === 'object' && value !== null && #key in value;
    bytesOf = (handle) => handle.#bytes;
    keyOf = (handle) => handle.#key;
  }
}

/** A genuine handle (made here), not a lookalike. */
export const isPassportHandle = (value: unknown): value is PassportHandle => isHandle(value);
/** The handle's copy of the bytes: parsed on a cache miss, never handed out of the package. */
export const handleBytes = (handle: PassportHandle): Uint8Array => bytesOf(handle);
/** The cache key of the handle's bytes (rawKey of them). */
export const handleKey = (handle: PassportHandle): string => keyOf(handle);

/**
 * A handle for passport bytes: copied, and hashed once. Pass it to `verifyCredential` instead of
 * the bytes: the verdict is the one the bytes would get, and a passport verified before is found
 * in the cache without hashing its bytes again.
 */
export function createPassportHandle(bytes: Uint8Array): PassportHandle {
  return new PassportHandle(bytes);
}

// SPDX-License-Identifier: Apache-2.0
// Randomness from the platform's CSPRNG (WebCrypto's getRandomValues, present in Node 20 as in
// browsers, Deno, Bun and edge workers).

/** A random RFC 9562 version 4 UUID. */
export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

/** `length` random bytes. */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let at = 0; at < length; at += 65_536)
    globalThis.crypto.getRandomValues(out.subarray(at, at + 65_536));
  return out;
}

// SPDX-License-Identifier: Apache-2.0
// How a passport travels beside a signed request: its exact bytes in one header, or its reference
// (the SHA-256 of those bytes) in another or as the signature's keyid. Shared by the agent's fetch
// and every verifier.
import { toBase64 } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';

/** The passport, base64url of its exact JSON bytes. */
export const PASSPORT_HEADER = 'agent-passport';
/** `sha-256=:…:` of those bytes, as a header (verifiers also take it as the keyid: the compact form). */
export const PASSPORT_REF_HEADER = 'agent-passport-ref';

/** A delegation chain (issue 18): base64url of the JSON array of delegations, root first. */
export const DELEGATION_HEADER = 'agent-passport-delegation';
/** `sha-256=:…:` of those bytes: later requests send it instead of the chain. */
export const DELEGATION_REF_HEADER = 'agent-passport-delegation-ref';

/** Is `value` a passport reference (`sha-256=:…:`, 32 bytes), as a header or as a keyid? */
export function isPassportRef(value: string): boolean {
  return /^sha-256=:[A-Za-z0-9+/]{43}=:$/.test(value);
}

/** The reference of a passport's exact bytes. */
export function passportRef(bytes: Uint8Array): string {
  return `sha-256=:${toBase64(sha256(bytes))}:`;
}

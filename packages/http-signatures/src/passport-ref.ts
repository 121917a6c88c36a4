// SPDX-License-Identifier: Apache-2.0
// How a passport travels beside a signed request: its exact bytes in one header, or its reference
// (the SHA-256 of those bytes) in another or as the signature's keyid. Shared by the agent's fetch
// and every verifier.
import { fromBase64url, toBase64 } from '@agent-passport/core';
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

/** The credential headers a request carries, as a verifier reads them. */
export interface CarriedHeaders {
  readonly passport: string | null;
  readonly passportRef: string | null;
  /** The chain header present (the chain before its reference), if any. */
  readonly chainHeader?: typeof DELEGATION_HEADER | typeof DELEGATION_REF_HEADER | undefined;
}

/**
 * The components every request signature must cover, given the credential headers it carries:
 * @method, @target-uri, the passport header or else its reference header (in the compact form the
 * keyid carries the reference, covered as part of @signature-params), and the chain header.
 */
export function credentialComponents(carried: CarriedHeaders): string[] {
  const required = ['@method', '@target-uri'];
  if (carried.passport !== null) required.push(PASSPORT_HEADER);
  else if (carried.passportRef !== null) required.push(PASSPORT_REF_HEADER);
  if (carried.chainHeader !== undefined) required.push(carried.chainHeader);
  return required;
}

/** A passport header's exact bytes and their reference, or why it is refused. */
export type PassportHeaderRead =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly ref: string }
  | {
      readonly ok: false;
      readonly code: 'ERR_PARSE_JSON' | 'ERR_PASSPORT_REF_MISMATCH';
      readonly message: string;
    };

/**
 * The passport an `Agent-Passport` header carries: base64url, at most 100,000 characters, and, when
 * a reference header is sent beside it, the reference of exactly these bytes.
 */
export function readPassportHeader(value: string, refHeader: string | null): PassportHeaderRead {
  if (!/^[A-Za-z0-9_-]+$/.test(value) || value.length > 100_000)
    return { ok: false, code: 'ERR_PARSE_JSON', message: 'the passport header is not base64url' };
  const bytes = fromBase64url(value);
  const ref = passportRef(bytes);
  if (refHeader !== null && refHeader !== ref)
    return { ok: false, code: 'ERR_PASSPORT_REF_MISMATCH', message: 'the reference is not this passport' };
  return { ok: true, bytes, ref };
}

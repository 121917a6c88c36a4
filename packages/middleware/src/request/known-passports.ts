// SPDX-License-Identifier: Apache-2.0
// Passports this request verifier has verified, by reference (the SHA-256 of their exact bytes):
// later requests name them by reference only. An entry holds the bytes, the subject and its key
// (for the compact form), the verifier's handle for the bytes, and the passport's usage counter
// once computed: all of them follow from the bytes, so they are computed once per passport, not
// once per request. An entry is only ever stored under the reference of its own bytes (computed
// here from them, or checked against them), so a reference finds exactly those bytes.
import { type AgentPassport, CheckFailure, createBoundedCache } from '@agent-passport/core';
import { type DecodedKey, didKeyPublicKey } from '@agent-passport/did-key';
import { passportRef, usageKey } from '@agent-passport/http-signatures';
import { parseJson } from '@agent-passport/strict-json';
import type { PassportHandle, PassportVerifier } from '@agent-passport/verifier';

export type SubjectKey = DecodedKey;

export interface KnownPassport {
  readonly bytes: Uint8Array;
  readonly subject: string;
  readonly key: SubjectKey | undefined;
  /**
   * The verifier's handle for the bytes (their own copy and its hash), handed to the verifier
   * instead of the bytes; absent when the verifier makes none.
   */
  readonly handle: PassportHandle | undefined;
  /** The maxCalls counter of the verified passport (usageKey), computed on first use. */
  usageKey?: string;
  /** The verified passport's validUntil in ms (the counter's lifetime), parsed on first use. */
  validUntilMs?: number;
}

export interface KnownPassports {
  /** A verified passport by reference, from this cache only. */
  get(ref: string): KnownPassport | undefined;
  /** Remember a passport that verified (its bytes are copied when they are not ours). */
  remember(ref: string, bytes: Uint8Array, passport: AgentPassport, copy: boolean): KnownPassport;
  /** What to hand the verifier for these bytes: the known entry's handle, or the bytes. */
  verifierInput(ref: string, bytes: Uint8Array): Uint8Array | PassportHandle;
  /**
   * The bytes a reference names: cached, or from the resolver and checked against the reference.
   * Throws ERR_PASSPORT_UNKNOWN or ERR_PASSPORT_REF_MISMATCH.
   */
  bytesOf(ref: string): Promise<{ bytes: Uint8Array; cached: boolean }>;
  /** The usage counter of a known passport, computed once. */
  usageKeyOf(entry: KnownPassport, passport: AgentPassport): string;
  /** The validUntil of a known passport in ms, parsed once. */
  validUntilOf(entry: KnownPassport, passport: AgentPassport): number;
}

/** The subject of passport bytes that have not been verified yet (the compact form's key). */
export function unverifiedSubject(bytes: Uint8Array): string {
  const parsed = parseJson(bytes, { maxBytes: 100_000 }) as { credentialSubject?: { id?: unknown } };
  return String(parsed?.credentialSubject?.id);
}

export function createKnownPassports(
  size: number,
  resolve: ((ref: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>) | undefined,
  verifier: PassportVerifier,
): KnownPassports {
  const cache = createBoundedCache<string, KnownPassport>(size);
  return {
    get: (ref) => cache.get(ref),
    remember(ref, bytes, passport, copy) {
      const hit = cache.get(ref);
      if (hit !== undefined) return hit;
      const subject = passport.credentialSubject.id;
      const own = copy ? bytes.slice() : bytes;
      const handle = verifier.passportHandle?.(own);
      const entry: KnownPassport = { bytes: own, subject, key: didKeyPublicKey(subject), handle };
      cache.set(ref, entry);
      return entry;
    },
    // `bytes` are those `ref` names (the reference is their SHA-256, computed or checked by the
    // caller), and an entry under `ref` holds the same bytes: its handle stands for them.
    verifierInput: (ref, bytes) => cache.get(ref)?.handle ?? bytes,
    async bytesOf(ref) {
      const cached = cache.get(ref)?.bytes;
      if (cached !== undefined) return { bytes: cached, cached: true };
      const bytes = await resolve?.(ref);
      if (bytes === undefined)
        throw new CheckFailure('ERR_PASSPORT_UNKNOWN', 'unknown passport reference: send the passport');
      // The local cache holds bytes under their own reference; resolved bytes are checked.
      if (passportRef(bytes) !== ref)
        throw new CheckFailure(
          'ERR_PASSPORT_REF_MISMATCH',
          'the resolved passport is not the one referenced',
        );
      return { bytes, cached: false };
    },
    usageKeyOf(entry, passport) {
      entry.usageKey ??= usageKey(passport);
      return entry.usageKey;
    },
    validUntilOf(entry, passport) {
      entry.validUntilMs ??= Date.parse(String(passport.validUntil));
      return entry.validUntilMs;
    },
  };
}

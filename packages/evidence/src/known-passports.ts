// SPDX-License-Identifier: Apache-2.0
// The passports the audit's request checks have verified, by reference: the same memory, filled and
// read at the same steps, as the live request verifier keeps across the entries of a reference
// audit (middleware's known passports: first come, at most its default 1000, a passport remembered
// once its passport check passed). An entry that names a passport by reference finds it here or on
// the line's shelf, exactly as it would in the reference audit.
import { createBoundedCache } from '@agent-passport/core';
import { type DecodedKey, didKeyPublicKey } from '@agent-passport/did-key';

/** The live request verifier's default passportCacheSize, which the audit's reference path uses. */
export const KNOWN_PASSPORTS = 1000;

export type SubjectKey = DecodedKey;

export interface KnownPassport {
  readonly bytes: Uint8Array;
  readonly subject: string;
  /** The did:key subject's key (the compact form's key), found on first use; null: none. */
  key?: SubjectKey | null;
}

export interface KnownPassports {
  get(ref: string): KnownPassport | undefined;
  /** A passport whose passport check passed (kept only the first time, like the live verifier). */
  remember(ref: string, bytes: Uint8Array, subject: string): void;
  /** The subject's key of a known passport (undefined: its subject is not a did:key). */
  keyOf(known: KnownPassport): SubjectKey | undefined;
}

export function createKnownPassports(size = KNOWN_PASSPORTS): KnownPassports {
  const cache = createBoundedCache<string, KnownPassport>(size);
  return {
    get: (ref) => cache.get(ref),
    remember(ref, bytes, subject) {
      if (cache.get(ref) === undefined) cache.set(ref, { bytes, subject });
    },
    keyOf(known) {
      if (known.key === undefined) known.key = didKeyPublicKey(known.subject) ?? null;
      return known.key ?? undefined;
    },
  };
}

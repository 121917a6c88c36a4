// SPDX-License-Identifier: Apache-2.0
// Verified passports, remembered by exactly what their proof signs: the digest of the raw bytes
// received, or the JCS form of a parsed object (its digest when long). A hit skips parsing, schema
// and the proof's cryptography (never trust, key, dates, status, holder or scopes). The cache
// wraps the proof step here and nowhere else.
import { createBoundedCache, deepFreeze, isObject, type JsonObject, toBase64url } from '@agent-passport/core';
import { sha256 as sha256Bytes } from '@agent-passport/did-key';
import { type ProofCheck, verifyProof } from '@agent-passport/suites';
import type { CallContext } from './context.js';

/** A passport whose schema and issuer proof verified, and the key that signed it. */
export interface VerifiedPassport {
  readonly credential: JsonObject;
  readonly publicKeyMultibase: string;
}

export interface PassportCache {
  readonly enabled: boolean;
  /** The key of raw input (string or bytes). */
  rawKey(input: string | Uint8Array): string;
  /** The key of a parsed value: the digest of its JCS form; undefined when not JSON-safe. */
  objectKey(ctx: CallContext, value: unknown): string | undefined;
  get(key: string | undefined): VerifiedPassport | undefined;
  /** The proof step's cryptography, skipped for a hit signed by the same key, remembered on success. */
  proofCheck(ctx: CallContext): ProofCheck;
}

// Through did-key's platform seam (node:crypto on Node, a portable SHA-256 elsewhere).
const sha256 = (data: string | Uint8Array): string => toBase64url(sha256Bytes(data));

/**
 * A JCS form up to this length is its own key (`jcs=…`): it is exactly what the proof signs, so it
 * needs no digest, and the Map hashes it for less than SHA-256 costs. Longer forms are keyed by
 * their digest (`jcs:…`), which bounds the memory of a full cache (V8 also stops hashing strings
 * past 16 K characters, and would put all of them in one bucket).
 */
const MAX_FORM_KEY = 4096;

export function createPassportCache(size: number): PassportCache {
  const entries = createBoundedCache<string, VerifiedPassport>(size);
  return {
    enabled: size > 0,
    rawKey: (input) => `raw:${sha256(input)}`,
    objectKey(ctx, value) {
      if (size === 0 || ctx.prepared === undefined) return undefined;
      try {
        const form = ctx.prepared.canonical(value);
        return form.length <= MAX_FORM_KEY ? `jcs=${form}` : `jcs:${sha256(form)}`;
      } catch {
        return undefined;
      }
    },
    get: (key) => (key === undefined ? undefined : entries.get(key)),
    proofCheck: (ctx) => async (document, options) => {
      const method = ctx.issuerMethod;
      const proof = document['proof'];
      const vm = method?.id;
      const named = isObject(proof) ? proof['cryptosuite'] : undefined;
      const suite = ctx.settings.suites.find((s) => s === named);
      const same = ctx.hit !== undefined && method?.publicKeyMultibase === ctx.hit.publicKeyMultibase;
      if (same && suite !== undefined && vm !== undefined)
        return { verified: true, cryptosuite: suite, verificationMethod: vm };
      const result = await verifyProof(document, options);
      if (result.verified && method !== undefined && ctx.key !== undefined)
        entries.set(ctx.key, {
          credential: deepFreeze(document),
          publicKeyMultibase: method.publicKeyMultibase,
        });
      return result;
    },
  };
}

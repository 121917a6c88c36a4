// SPDX-License-Identifier: Apache-2.0
// Verified passports, remembered by exactly what their proof signs: the digest of the raw bytes
// received, or the JCS form of a parsed object (its digest when long). A hit skips parsing, schema
// and the proof's cryptography (never trust, key, dates, status, holder or scopes). The cache
// wraps the proof step here and nowhere else. An entry also keeps what follows from its bytes
// alone, parsed once: the dates (checked against each call's time) and, when the issuer's document
// is fixed by the configuration, the issuer-key result.
import {
  createBoundedCache,
  type DidDocument,
  deepFreeze,
  isObject,
  type JsonObject,
  type MultikeyVerificationMethod,
  parseDateTime,
  toBase64url,
} from '@agent-passport/core';
import { sha256 as sha256Bytes } from '@agent-passport/did-key';
import { type KnownJcs, type ProofCheck, verifyProof } from '@agent-passport/suites';
import type { CallContext } from './context.js';
import { rawKey } from './handle.js';

/** The passport's times in ms (undefined: not a date-time), parsed once per entry. */
export interface PassportDates {
  readonly validFrom: number | undefined;
  readonly validUntil: number | undefined;
  readonly proofCreated: number | undefined;
}

/**
 * The issuer-key result of an entry, kept only when the issuer's document is fixed by the
 * configuration (pinned, or a did:key): the check is a function of the passport and that document.
 */
export interface IssuerKey {
  readonly document: DidDocument;
  readonly method: MultikeyVerificationMethod;
}

/** A passport whose schema and issuer proof verified, and the key that signed it. */
export interface VerifiedPassport {
  readonly credential: JsonObject;
  /** The credential with its JCS form, offered to the parse walk of an input with its proof value. */
  readonly known: KnownJcs | undefined;
  readonly publicKeyMultibase: string;
  readonly dates: PassportDates;
  readonly issuerKey: IssuerKey | undefined;
  /** The subject's did:key document (a function of the subject), once a presentation needed it. */
  subjectDocument?: DidDocument;
  /** The subject's scopes (the strings of credentialSubject.scopes), once a call needed them. */
  scopes?: readonly string[];
}

/** The passport's dates as the validity and issuer-proof checks read them. */
export function passportDates(credential: JsonObject): PassportDates {
  const proof = credential['proof'];
  const created = isObject(proof) ? proof['created'] : undefined;
  return {
    validFrom: parseDateTime(credential['validFrom']),
    validUntil: parseDateTime(credential['validUntil']),
    proofCreated: created === undefined ? undefined : parseDateTime(created),
  };
}

export interface PassportCache {
  readonly enabled: boolean;
  /** The key of raw input (string or bytes). */
  rawKey(input: string | Uint8Array): string;
  /** The key of a parsed value: the digest of its JCS form; undefined when not JSON-safe. */
  objectKey(ctx: CallContext, value: unknown): string | undefined;
  get(key: string | undefined): VerifiedPassport | undefined;
  /**
   * The parse walk's offer (prepareJcs `adopt`): the verified copy of a passport with the same proof
   * value as `node`, which the walk takes only when `node` is the same JSON. Not a cache hit: the
   * hit is still decided by the exact JCS form.
   */
  adopt(node: object): KnownJcs | undefined;
  /** The proof step's cryptography, skipped for a hit signed by the same key, remembered on success. */
  proofCheck(ctx: CallContext): ProofCheck;
}

// Through did-key's platform seam (node:crypto on Node, a portable SHA-256 elsewhere).
const sha256 = (data: string | Uint8Array): string => toBase64url(sha256Bytes(data));

/** The proof value of a passport-shaped node, the index of the parse walk's offers. */
function proofValueOf(node: object): string | undefined {
  const proof = (node as Record<string, unknown>)['proof'];
  const value = isObject(proof) ? proof['proofValue'] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** What an entry remembers of the proof step: the credential, frozen, and what follows from it. */
function entryOf(
  ctx: CallContext,
  document: JsonObject,
  method: MultikeyVerificationMethod,
): VerifiedPassport {
  const { issuerDocument, issuerStatic, prepared } = ctx;
  const credential = deepFreeze(document);
  return {
    credential,
    // The walk that copied it made its form (remembered, so no second serialisation).
    known: prepared === undefined ? undefined : { value: credential, form: prepared.canonical(credential) },
    publicKeyMultibase: method.publicKeyMultibase,
    dates: passportDates(document),
    issuerKey:
      issuerStatic && issuerDocument !== undefined ? { document: issuerDocument, method } : undefined,
  };
}

/**
 * A JCS form up to this length is its own key: it is exactly what the proof signs, so it needs no
 * digest, and the Map hashes it for less than SHA-256 costs. It needs no prefix either: a JCS form
 * starts with `{`, `[`, `"`, a digit, `-`, `t`, `f` or `n`, never with the `raw:` or `jcs:` of the
 * other keys. Longer forms are keyed by their digest (`jcs:…`), which bounds the memory of a full
 * cache (V8 also stops hashing strings past 16 K characters, and would put all of them in one
 * bucket).
 */
const MAX_FORM_KEY = 4096;

export function createPassportCache(size: number): PassportCache {
  const entries = createBoundedCache<string, VerifiedPassport>(size);
  const byProofValue = createBoundedCache<string, VerifiedPassport>(size);
  return {
    enabled: size > 0,
    rawKey,
    objectKey(ctx, value) {
      if (size === 0 || ctx.prepared === undefined) return undefined;
      try {
        const form = ctx.prepared.canonical(value);
        return form.length <= MAX_FORM_KEY ? form : `jcs:${sha256(form)}`;
      } catch {
        return undefined;
      }
    },
    get: (key) => (key === undefined ? undefined : entries.get(key)),
    adopt(node) {
      const proofValue = size === 0 ? undefined : proofValueOf(node);
      return proofValue === undefined ? undefined : byProofValue.get(proofValue)?.known;
    },
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
      if (result.verified && method !== undefined && ctx.key !== undefined) {
        const entry = entryOf(ctx, document, method);
        entries.set(ctx.key, entry);
        const proofValue = proofValueOf(document);
        if (entry.known !== undefined && proofValue !== undefined) byProofValue.set(proofValue, entry);
      }
      return result;
    },
  };
}

// SPDX-License-Identifier: Apache-2.0
// Verified passports, remembered by exactly what their proof signs: the digest of the raw bytes
// received, or the JCS form of a parsed object (its digest when long), found through the proof
// value and a hit only when that form is the entry's own. A hit skips parsing, schema
// and the proof's cryptography (never trust, key, dates, status, holder or scopes). The cache
// wraps the proof step here and nowhere else. An entry also keeps what follows from its bytes
// alone, parsed once: the dates (checked against each call's time; parsed on the first hit) and,
// when the issuer's document is fixed by the configuration, the issuer-key result.
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
  /** The object key of the credential (objectKey), when known: an object lookup hits only on it. */
  readonly objectKey: string | undefined;
  readonly publicKeyMultibase: string;
  /** The credential's dates, parsed on the entry's first hit (hitDates): a cold call never reads them. */
  dates: PassportDates | undefined;
  readonly issuerKey: IssuerKey | undefined;
  /** The subject's did:key document (a function of the subject), once a presentation needed it. */
  subjectDocument?: DidDocument;
  /** The subject's scopes (the strings of credentialSubject.scopes), once a call needed them. */
  scopes?: readonly string[];
}

/** The passport's dates as the validity and issuer-proof checks read them. */
function passportDates(credential: JsonObject): PassportDates {
  const proof = credential['proof'];
  const created = isObject(proof) ? proof['created'] : undefined;
  return {
    validFrom: parseDateTime(credential['validFrom']),
    validUntil: parseDateTime(credential['validUntil']),
    proofCreated: created === undefined ? undefined : parseDateTime(created),
  };
}

/** A hit's dates, parsed once per entry from its frozen credential (the same values at any time). */
export function hitDates(hit: VerifiedPassport): PassportDates {
  hit.dates ??= passportDates(hit.credential);
  return hit.dates;
}

export interface PassportCache {
  readonly enabled: boolean;
  /** The key of raw input (string or bytes). */
  rawKey(input: string | Uint8Array): string;
  /** The key of a parsed value: its JCS form (the digest when long); undefined when not JSON-safe. */
  objectKey(ctx: CallContext, value: unknown): string | undefined;
  /** The entry of a raw key (rawKey, or a handle's). */
  getRaw(key: string | undefined): VerifiedPassport | undefined;
  /**
   * The entry of an object key: the entry remembered for `document`'s proof value, only when its
   * own object key is exactly `key` (the same JCS form).
   */
  getObject(key: string | undefined, document: unknown): VerifiedPassport | undefined;
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

/** The proof value of a passport-shaped node: the index of the entries of parsed passports. */
function proofValueOf(node: unknown): string | undefined {
  const proof = isObject(node) ? node['proof'] : undefined;
  const value = isObject(proof) ? proof['proofValue'] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A JCS form up to this length is its own key: it is exactly what the proof signs, so it needs no
 * digest; it is compared with the key of the entry found by proof value, never hashed. It needs no
 * prefix either: a JCS form starts with `{`, `[`, `"`, a digit, `-`, `t`, `f` or `n`, never with
 * the `raw:` or `jcs:` of the other keys. Longer forms are keyed by their digest (`jcs:…`), which
 * bounds the memory of a full cache.
 */
const MAX_FORM_KEY = 4096;

/** `raw:` and a base64url SHA-256 (rawKey): told apart by length first, which reads no character of a form. */
const RAW_KEY_LENGTH = 47;
const isRawKey = (key: string): boolean => key.length === RAW_KEY_LENGTH && key.startsWith('raw:');

/** What an entry remembers of the proof step: the credential, frozen, and what follows from it. */
function entryOf(
  ctx: CallContext,
  document: JsonObject,
  method: MultikeyVerificationMethod,
  key: string,
): VerifiedPassport {
  const { issuerDocument, issuerStatic, prepared } = ctx;
  const credential = deepFreeze(document);
  // The walk that made the credential remembered its form: no second serialisation.
  const form = prepared?.canonical(credential);
  return {
    credential,
    known: form === undefined ? undefined : { value: credential, form },
    // Parsed from bytes: its form is its object key too when short (a long one's digest is not made).
    objectKey: !isRawKey(key) ? key : form !== undefined && form.length <= MAX_FORM_KEY ? form : undefined,
    publicKeyMultibase: method.publicKeyMultibase,
    dates: undefined,
    issuerKey:
      issuerStatic && issuerDocument !== undefined ? { document: issuerDocument, method } : undefined,
  };
}

export function createPassportCache(size: number): PassportCache {
  const byRawKey = createBoundedCache<string, VerifiedPassport>(size);
  // Parsed passports by proof value: a Map lookup hashes the short proof value, not the ~1 KB form.
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
    getRaw: (key) => (key === undefined ? undefined : byRawKey.get(key)),
    getObject(key, document) {
      const proofValue = key === undefined ? undefined : proofValueOf(document);
      const entry = proofValue === undefined ? undefined : byProofValue.get(proofValue);
      return entry !== undefined && entry.objectKey === key ? entry : undefined;
    },
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
        const entry = entryOf(ctx, document, method, ctx.key);
        if (isRawKey(ctx.key)) byRawKey.set(ctx.key, entry);
        const proofValue = proofValueOf(document);
        if (proofValue !== undefined) byProofValue.set(proofValue, entry);
      }
      return result;
    },
  };
}

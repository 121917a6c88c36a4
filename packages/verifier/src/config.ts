// SPDX-License-Identifier: Apache-2.0
// The verifier's configuration: validated once, at creation, into frozen settings that are the
// only thing read afterwards (a caller changing its config object later changes nothing).
import { createDocumentLoader } from '@agent-passport/contexts';
import { type DidDocument, type DocumentLoader, deepFreeze, type StatusChecker } from '@agent-passport/core';
import { validateDidDocument } from '@agent-passport/did-web/document';
import { CRYPTOSUITES, type CryptosuiteName } from '@agent-passport/suites';

/** A trusted issuer: its DID, and its DID document unless it is a did:key. */
export interface TrustedIssuer {
  readonly id: string;
  readonly didDocument?: DidDocument;
}

export interface VerifierConfig {
  /** Issuers whose passports are accepted: DIDs (did:key) or `{ id, didDocument }`. */
  readonly trustedIssuers: readonly (string | TrustedIssuer)[];
  /** Resolver for trusted issuers given without a document (e.g. the hardened did:web resolver). */
  readonly resolveDid?: (did: string) => Promise<DidDocument>;
  /** The clock, read once per call that does not pass its own `now`. */
  readonly clock?: () => Date;
  /** Tolerated clock skew for validity windows and proof creation times, 0–600 s (default 60). */
  readonly maxSkewSeconds?: number;
  /** Cryptosuite allowlist (default: eddsa-jcs-2022, eddsa-rdfc-2022, ecdsa-jcs-2019). */
  readonly cryptosuites?: readonly CryptosuiteName[];
  /** Passport purposes this verifier accepts (default: any). */
  readonly acceptedPurposes?: readonly string[];
  /** Scopes every call requires (per-call scopes add to these). */
  readonly requiredScopes?: readonly string[];
  /** This service's origin: a passport with an `audience` must list it. */
  readonly origin?: string;
  /**
   * Status check for passports with `credentialStatus` (`createStatusChecker` of
   * @agent-passport/status); without one, such passports fail closed with ERR_STATUS_UNAVAILABLE.
   */
  readonly checkStatus?: StatusChecker;
  /**
   * The end of the trust configuration's validity (a trust bundle's `validUntil`): after it, every
   * passport is refused with ERR_BUNDLE_EXPIRED until fresh trust is loaded.
   */
  readonly trustValidUntil?: Date;
  /** Limits for untrusted JSON (defaults: 64 KiB, depth 32). */
  readonly maxBytes?: number;
  readonly maxDepth?: number;
  /** Closed-world loader for contexts (rdfc proofs); default: the bundled contexts. */
  readonly documentLoader?: DocumentLoader;
  /**
   * Passports whose schema and issuer proof were verified, remembered by exactly the signed bytes:
   * their SHA-256 (raw input), or their JCS form (objects; its SHA-256 past 4096 characters):
   * default 1000, 0 disables. A hit skips
   * parsing, schema and the proof's cryptography only; trust, the issuer key (still the same key),
   * validity, status, holder and scopes are checked on every call.
   */
  readonly cacheSize?: number;
}

/** The validated configuration: frozen, and the only configuration read after creation. */
export interface Settings {
  /** Trusted issuer DID → its pinned, validated document (undefined: did:key or resolved). */
  readonly issuers: ReadonlyMap<string, DidDocument | undefined>;
  readonly resolveDid: ((did: string) => Promise<DidDocument>) | undefined;
  readonly clock: () => Date;
  readonly maxSkewSeconds: number;
  readonly skewMs: number;
  readonly suites: readonly CryptosuiteName[];
  readonly acceptedPurposes: readonly string[] | undefined;
  readonly requiredScopes: readonly string[];
  readonly origin: string | undefined;
  readonly checkStatus: StatusChecker | undefined;
  readonly trustValidUntilMs: number | undefined;
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly documentLoader: DocumentLoader;
  readonly cacheSize: number;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function stringList(list: readonly string[] | undefined, name: string): readonly string[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string'))
    throw new TypeError(`${name} must be an array of strings`);
  return Object.freeze([...list]);
}

function trustedIssuers(config: VerifierConfig): ReadonlyMap<string, DidDocument | undefined> {
  if (!Array.isArray(config.trustedIssuers)) throw new TypeError('trustedIssuers must be an array');
  const issuers = new Map<string, DidDocument | undefined>();
  for (const entry of config.trustedIssuers) {
    const id = typeof entry === 'string' ? entry : entry?.id;
    if (typeof id !== 'string' || !id.startsWith('did:'))
      throw new TypeError('each trusted issuer must be a DID');
    const doc = typeof entry === 'string' ? undefined : entry.didDocument;
    if (doc !== undefined && doc.id !== id) throw new TypeError(`didDocument.id of ${id} does not match`);
    // A pinned document gets the same validation as a resolved one (ids, controllers, keys).
    issuers.set(id, doc === undefined ? undefined : validateDidDocument(id, doc));
  }
  return issuers;
}

function skewSeconds(config: VerifierConfig): number {
  const skew = config.maxSkewSeconds ?? 60;
  if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0 || skew > 600)
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  return skew;
}

function trustEnd(until: Date | undefined): number | undefined {
  if (until === undefined) return undefined;
  if (!(until instanceof Date) || Number.isNaN(until.getTime()))
    throw new TypeError('trustValidUntil must be a valid Date');
  return until.getTime();
}

function cacheEntries(size: number | undefined): number {
  const cacheSize = size ?? 1000;
  if (!Number.isInteger(cacheSize) || cacheSize < 0)
    throw new RangeError('cacheSize must be a non-negative integer');
  return cacheSize;
}

/** Validate options once, at creation (factories validate their options, docs/architecture.md). */
export function normaliseConfig(config: VerifierConfig): Settings {
  if (config === null || typeof config !== 'object') throw new TypeError('config must be an object');
  const suites = config.cryptosuites ?? CRYPTOSUITES;
  for (const s of suites)
    if (!CRYPTOSUITES.includes(s)) throw new RangeError(`unknown cryptosuite ${String(s)}`);
  const maxSkewSeconds = skewSeconds(config);
  const issuers = trustedIssuers(config);
  return Object.freeze({
    issuers,
    resolveDid: config.resolveDid,
    clock: config.clock ?? (() => new Date()),
    maxSkewSeconds,
    skewMs: maxSkewSeconds * 1000,
    suites: deepFreeze([...suites]),
    acceptedPurposes: stringList(config.acceptedPurposes, 'acceptedPurposes'),
    requiredScopes: stringList(config.requiredScopes, 'requiredScopes') ?? Object.freeze([]),
    origin: config.origin,
    checkStatus: config.checkStatus,
    trustValidUntilMs: trustEnd(config.trustValidUntil),
    maxBytes: positiveInteger(config.maxBytes ?? 64 * 1024, 'maxBytes'),
    maxDepth: positiveInteger(config.maxDepth ?? 32, 'maxDepth'),
    documentLoader: config.documentLoader ?? createDocumentLoader(),
    cacheSize: cacheEntries(config.cacheSize),
  });
}

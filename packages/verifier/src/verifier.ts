// SPDX-License-Identifier: Apache-2.0
// One verifier, configured once, answering verifyCredential and verifyPresentation with the ordered
// checks of DESIGN.md "Verification". It never throws on untrusted input: every outcome is a result.

import { createDocumentLoader } from '@agent-passport/contexts';
import {
  type AgentPassport,
  type Check,
  type DidDocument,
  type DidKey,
  type DocumentLoader,
  type ErrorCode,
  PassportError,
  type StatusChecker,
  toBase64url,
} from '@agent-passport/core';
import { isDidKey, resolveDidKey, sha256 as sha256Bytes } from '@agent-passport/did-key';
import { assertKeyValidAt, validateDidDocument } from '@agent-passport/did-web/document';
import {
  checkVcdm2,
  checkVcdm2Presentation,
  scopesGrant,
  validatePassportSchema,
} from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import {
  CRYPTOSUITES,
  type CryptosuiteName,
  createRdfcBudget,
  type PreparedJcs,
  prepareJcs,
  type RdfcBudget,
  verifyProof,
} from '@agent-passport/suites';
import { CheckFailure, failIf, runChecks } from './checks.js';
import { parseDateTime } from './internal/dates.js';

/** Names of the checks, in the order they run (DESIGN.md §Verification 1–9). */
export const CHECK_NAMES = [
  'parse',
  'schema',
  'issuer-trusted',
  'issuer-key',
  'issuer-proof',
  'validity',
  'status',
  'holder',
  'purpose-scopes',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** A trusted issuer: its DID, and its DID document unless it is a did:key. */
export interface TrustedIssuer {
  readonly id: string;
  readonly didDocument?: DidDocument;
}

export type { StatusChecker } from '@agent-passport/core';

export interface VerifierConfig {
  /** Issuers whose passports are accepted: DIDs (did:key) or `{ id, didDocument }`. */
  readonly trustedIssuers: readonly (string | TrustedIssuer)[];
  /** Resolver for trusted issuers given without a document (e.g. the hardened did:web resolver). */
  readonly resolveDid?: (did: string) => Promise<DidDocument>;
  /** The clock; read once per call. */
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
   * Passports whose schema and issuer proof were verified, remembered by the SHA-256 of exactly the
   * signed bytes (raw input) or of their JCS form (objects): default 1000, 0 disables. A hit skips
   * parsing, schema and the proof's cryptography only; trust, the issuer key (still the same key),
   * validity, status, holder and scopes are checked on every call.
   */
  readonly cacheSize?: number;
}

export interface CallOptions {
  /** Scopes this call requires, on top of the configured ones. */
  readonly requiredScopes?: readonly string[];
}

export interface PresentationOptions extends CallOptions {
  /** The challenge this verifier issued: required, compared exactly. */
  readonly challenge: string;
  /** This verifier's domain: when given, compared exactly. */
  readonly domain?: string;
}

export interface PassportVerification {
  readonly verified: boolean;
  readonly checks: readonly Check[];
  readonly errors: readonly { readonly code: ErrorCode; readonly message: string }[];
  /** The verified passport (deep-frozen), only when `verified`. */
  readonly passport?: AgentPassport;
  /** The agent's did:key, only when `verified`. */
  readonly agent?: DidKey;
}

export interface PassportVerifier {
  verifyCredential(input: unknown, options?: CallOptions): Promise<PassportVerification>;
  verifyPresentation(input: unknown, options: PresentationOptions): Promise<PassportVerification>;
}

type Json = Record<string, unknown>;

/**
 * Per-call state: the credential being checked, the parsed input with its canonical forms, the
 * cache key and cache hit, whether the VCDM rules already ran on the credential, the issuer's
 * document.
 */
interface State {
  credential?: Json;
  prepared?: PreparedJcs;
  issuerDoc?: DidDocument;
  key?: string | undefined;
  hit?: { readonly credential: Json; readonly publicKeyMultibase: string };
  vcdmChecked?: boolean;
  /** One RDFC-1.0 budget per call, shared by the passport's and the presentation's proofs. */
  readonly rdfcBudget: RdfcBudget;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Validate options once, at creation (STYLE.md: factories validate their options). */
function normaliseConfig(config: VerifierConfig) {
  if (config === null || typeof config !== 'object') throw new TypeError('config must be an object');
  if (!Array.isArray(config.trustedIssuers)) throw new TypeError('trustedIssuers must be an array');
  const skew = config.maxSkewSeconds ?? 60;
  if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0 || skew > 600) {
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  }
  const suites = config.cryptosuites ?? CRYPTOSUITES;
  for (const s of suites)
    if (!CRYPTOSUITES.includes(s)) throw new RangeError(`unknown cryptosuite ${String(s)}`);
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
  const maxBytes = config.maxBytes ?? 64 * 1024;
  const maxDepth = config.maxDepth ?? 32;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new RangeError('maxBytes must be a positive integer');
  if (!Number.isInteger(maxDepth) || maxDepth < 1)
    throw new RangeError('maxDepth must be a positive integer');
  for (const scope of config.requiredScopes ?? [])
    if (typeof scope !== 'string') throw new TypeError('scopes are strings');
  if (
    config.trustValidUntil !== undefined &&
    (!(config.trustValidUntil instanceof Date) || Number.isNaN(config.trustValidUntil.getTime()))
  )
    throw new TypeError('trustValidUntil must be a valid Date');
  const cacheSize = config.cacheSize ?? 1000;
  if (!Number.isInteger(cacheSize) || cacheSize < 0)
    throw new RangeError('cacheSize must be a non-negative integer');
  return {
    cacheSize,
    issuers,
    skewMs: skew * 1000,
    suites,
    maxBytes,
    maxDepth,
    clock: config.clock ?? (() => new Date()),
    documentLoader: config.documentLoader ?? createDocumentLoader(),
  };
}

/** Create a verifier: configured once, then called per credential or presentation. */
export function createVerifier(config: VerifierConfig): PassportVerifier {
  const c = normaliseConfig(config);

  /** Verified passports: digest → the frozen passport and the key that signed it. */
  interface Verified {
    readonly credential: Json;
    readonly publicKeyMultibase: string;
  }
  const cache = new Map<string, Verified>();
  const remember = (key: string | undefined, value: Verified) => {
    if (key === undefined || c.cacheSize === 0) return;
    if (cache.size >= c.cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
  };
  const sha256 = (data: string | Uint8Array) => toBase64url(sha256Bytes(data));
  /**
   * The cache key of a parsed credential: the digest of its JCS form (exactly what its proof
   * signs, proof included), remembered when the input was parsed; undefined when not JSON-safe.
   */
  const objectKey = (state: State, credential: unknown): string | undefined => {
    if (c.cacheSize === 0 || state.prepared === undefined) return undefined;
    try {
      return `jcs:${sha256(state.prepared.canonical(credential))}`;
    } catch {
      return undefined;
    }
  };

  async function issuerDocument(did: string): Promise<DidDocument> {
    const pinned = c.issuers.get(did);
    if (pinned !== undefined) return pinned;
    if (isDidKey(did)) return resolveDidKey(did);
    if (config.resolveDid === undefined)
      throw new CheckFailure('ERR_DID_NOT_FOUND', `no DID document for ${did}`);
    try {
      return await config.resolveDid(did);
    } catch (cause) {
      throw new CheckFailure(
        cause instanceof PassportError ? cause.code : 'ERR_DID_NOT_FOUND',
        cause instanceof Error ? cause.message : `cannot resolve ${did}`,
      );
    }
  }

  /**
   * Parse (strict JSON) or check and copy (objects) the input, in one walk that also canonicalizes
   * it (RFC 8785) and remembers the form of each object: the cache key and both proofs reuse them.
   * A strictly parsed value is already fresh and is not copied again.
   */
  function parse(input: unknown): PreparedJcs {
    try {
      if (typeof input === 'string' || input instanceof Uint8Array) {
        const parsed = parseJson(input, { maxBytes: c.maxBytes, maxDepth: c.maxDepth });
        return prepareJcs(parsed, { maxDepth: c.maxDepth });
      }
      return prepareJcs(input, { maxDepth: c.maxDepth, copy: true });
    } catch (cause) {
      if (cause instanceof PassportError) throw new CheckFailure(cause.code, cause.message);
      throw new CheckFailure('ERR_PARSE_TYPE', 'the input is not JSON');
    }
  }

  function checkPassportShape(credential: unknown, vcdmChecked: boolean): asserts credential is Json {
    failIf(!isObject(credential), 'ERR_PARSE_TYPE', 'the credential is not a JSON object');
    // Inside a presentation, checkVcdm2Presentation already applied these rules to the passport.
    const vcdm = vcdmChecked ? { ok: true as const } : checkVcdm2(credential);
    if (!vcdm.ok) throw new CheckFailure('ERR_VCDM_INVALID', `${vcdm.path}: ${vcdm.message}`);
    const types = (credential as Json)['type'];
    failIf(
      !Array.isArray(types) || !types.includes('AgentPassport'),
      'ERR_NOT_PASSPORT',
      'type must include AgentPassport',
    );
    const schema = validatePassportSchema(credential);
    if (!schema.ok) {
      const first = schema.errors[0];
      throw new CheckFailure(
        'ERR_SCHEMA_INVALID',
        first === undefined ? 'schema violation' : `${first.path}: ${first.message}`,
      );
    }
  }

  /** Checks 2–7 and 9 on a credential; `holder` is inserted by presentations. */
  function credentialSteps(
    state: State,
    now: Date,
    requiredScopes: readonly string[],
    holder: (() => Promise<void>) | undefined,
  ): [CheckName, () => Promise<void> | void][] {
    const cred = () => state.credential as Json;
    const subject = () => cred()['credentialSubject'] as Json;
    const nowMs = now.getTime();
    const steps: [CheckName, () => Promise<void> | void][] = [
      [
        'schema',
        () => {
          if (state.hit !== undefined) return;
          state.key ??= objectKey(state, state.credential);
          const hit = state.key === undefined ? undefined : cache.get(state.key);
          if (hit !== undefined) {
            // The same signed bytes passed schema before: the result cannot differ.
            state.hit = hit;
            state.credential = hit.credential;
            return;
          }
          checkPassportShape(state.credential, state.vcdmChecked === true);
        },
      ],
      [
        'issuer-trusted',
        () => {
          const issuer = cred()['issuer'];
          const id = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer['id'] : undefined;
          // Trusted issuers are DIDs (checked at creation): anything else is simply not trusted.
          failIf(
            typeof id !== 'string' || !c.issuers.has(id),
            'ERR_ISSUER_UNTRUSTED',
            `${String(id)} is not a trusted issuer`,
          );
          const until = config.trustValidUntil;
          failIf(
            until !== undefined && until.getTime() <= nowMs,
            'ERR_BUNDLE_EXPIRED',
            `the trust configuration expired at ${until?.toISOString()}`,
          );
        },
      ],
      [
        'issuer-key',
        async () => {
          const issuer = cred()['issuer'];
          const id = (typeof issuer === 'string' ? issuer : (issuer as Json)['id']) as string;
          const doc = await issuerDocument(id);
          failIf(doc.id !== id, 'ERR_DID_ID_MISMATCH', 'the issuer DID document is for another DID');
          const proof = cred()['proof'];
          failIf(proof === undefined, 'ERR_PROOF_MISSING', 'the passport is not signed');
          failIf(!isObject(proof), 'ERR_PROOF_MALFORMED', 'exactly one proof object is accepted');
          const vm = (proof as Json)['verificationMethod'];
          failIf(typeof vm !== 'string', 'ERR_PROOF_MALFORMED', 'proof.verificationMethod must be a string');
          const listed = (doc.assertionMethod ?? []).some((r) => (typeof r === 'string' ? r : r.id) === vm);
          failIf(
            !(vm as string).startsWith(`${id}#`) || !listed,
            'ERR_ISSUER_KEY',
            `${String(vm)} is not an assertionMethod of ${id}`,
          );
          // Key history: was the key valid when this proof was made (retired, compromised)?
          const method = (doc.verificationMethod ?? []).find((m) => m.id === vm);
          if (method !== undefined) assertKeyValidAt(method, (proof as Json)['created']);
          state.issuerDoc = doc;
        },
      ],
      [
        'issuer-proof',
        async () => {
          const vmId = (cred()['proof'] as Json)['verificationMethod'];
          const method = (state.issuerDoc?.verificationMethod ?? []).find((m) => m.id === vmId);
          const cryptosuite = (cred()['proof'] as Json)['cryptosuite'];
          const cached =
            state.hit !== undefined &&
            method !== undefined &&
            method.publicKeyMultibase === state.hit.publicKeyMultibase &&
            c.suites.includes(cryptosuite as CryptosuiteName);
          if (!cached) {
            const result = await verifyProof(cred(), {
              proofPurpose: 'assertionMethod',
              controller: state.issuerDoc as DidDocument,
              documentLoader: c.documentLoader,
              allowedCryptosuites: c.suites,
              rdfcBudget: state.rdfcBudget,
              ...(state.prepared === undefined ? {} : { prepared: state.prepared }),
            });
            if (!result.verified) throw new CheckFailure(result.code, result.message);
            if (method !== undefined)
              remember(state.key, {
                credential: deepFreeze(cred()),
                publicKeyMultibase: method.publicKeyMultibase,
              });
          }
          const created = (cred()['proof'] as Json)['created'];
          if (created !== undefined) {
            const ms = parseDateTime(created);
            failIf(ms === undefined, 'ERR_PROOF_CREATED', 'proof.created is not a date-time with an offset');
            failIf((ms as number) > nowMs + c.skewMs, 'ERR_PROOF_CREATED', 'proof.created is in the future');
          }
        },
      ],
      [
        'validity',
        () => {
          const from = parseDateTime(cred()['validFrom']);
          const until = parseDateTime(cred()['validUntil']);
          failIf(
            from === undefined || until === undefined,
            'ERR_DATE_INVALID',
            'validFrom/validUntil must be date-times',
          );
          failIf(
            (until as number) <= (from as number),
            'ERR_VALIDITY_WINDOW',
            'validUntil is not after validFrom',
          );
          failIf(
            (from as number) > nowMs + c.skewMs,
            'ERR_NOT_YET_VALID',
            `not valid before ${String(cred()['validFrom'])}`,
          );
          failIf(
            (until as number) <= nowMs - c.skewMs,
            'ERR_EXPIRED',
            `expired at ${String(cred()['validUntil'])}`,
          );
        },
      ],
      [
        'status',
        async () => {
          if (cred()['credentialStatus'] === undefined) return;
          failIf(
            config.checkStatus === undefined,
            'ERR_STATUS_UNAVAILABLE',
            'the passport has a credentialStatus and this verifier holds no status lists (fail closed)',
          );
          await (config.checkStatus as StatusChecker)(cred() as unknown as AgentPassport, now, {
            issuerDocument: state.issuerDoc as DidDocument,
          });
        },
      ],
    ];
    if (holder !== undefined) steps.push(['holder', holder]);
    steps.push([
      'purpose-scopes',
      () => {
        const s = subject();
        const accepted = config.acceptedPurposes;
        failIf(
          accepted !== undefined && !accepted.includes(s['purpose'] as string),
          'ERR_PURPOSE_DENIED',
          `purpose ${JSON.stringify(s['purpose'])} is not accepted here`,
        );
        const audience = s['audience'];
        failIf(
          Array.isArray(audience) && (config.origin === undefined || !audience.includes(config.origin)),
          'ERR_AUDIENCE_DENIED',
          'this service is not in the passport audience',
        );
        const grant = scopesGrant(s['scopes'] as string[], requiredScopes);
        failIf(!grant.ok, 'ERR_SCOPE_DENIED', `missing scope(s): ${grant.missing.join(', ')}`);
      },
    ]);
    return steps;
  }

  function required(options: CallOptions | undefined): readonly string[] {
    const extra = options?.requiredScopes ?? [];
    if (!Array.isArray(extra) || extra.some((s) => typeof s !== 'string')) {
      throw new TypeError('requiredScopes must be an array of strings');
    }
    return [...(config.requiredScopes ?? []), ...extra];
  }

  function outcome(
    result: { checks: Check[]; errors: { code: ErrorCode; message: string }[] },
    credential: Json | undefined,
  ): PassportVerification {
    const verified = result.errors.length === 0;
    if (!verified || credential === undefined)
      return { verified: false, checks: result.checks, errors: result.errors };
    const passport = deepFreeze(credential) as unknown as AgentPassport;
    return { verified, checks: result.checks, errors: [], passport, agent: passport.credentialSubject.id };
  }

  return Object.freeze({
    async verifyCredential(input: unknown, options?: CallOptions): Promise<PassportVerification> {
      const scopes = required(options);
      const now = c.clock();
      const state: State = { rdfcBudget: createRdfcBudget() };
      const result = await runChecks<CheckName>([
        [
          'parse',
          () => {
            if (c.cacheSize > 0 && (typeof input === 'string' || input instanceof Uint8Array)) {
              // Keyed by exactly the bytes received: a hit means these bytes verified before.
              state.key = `raw:${sha256(input)}`;
              const hit = cache.get(state.key);
              if (hit !== undefined) {
                state.hit = hit;
                state.credential = hit.credential;
                return;
              }
            }
            state.prepared = parse(input);
            state.credential = state.prepared.value as Json;
          },
        ],
        ...credentialSteps(state, now, scopes, undefined),
      ]);
      return outcome(result, state.credential);
    },

    async verifyPresentation(input: unknown, options: PresentationOptions): Promise<PassportVerification> {
      if (options === null || typeof options !== 'object') throw new TypeError('options are required');
      if (typeof options.challenge !== 'string' || options.challenge.length === 0) {
        throw new TypeError('challenge must be a non-empty string');
      }
      if (
        options.domain !== undefined &&
        (typeof options.domain !== 'string' || options.domain.length === 0)
      ) {
        throw new TypeError('domain must be a non-empty string');
      }
      const scopes = required(options);
      const now = c.clock();
      const state: State = { rdfcBudget: createRdfcBudget() };
      let presentation: Json | undefined;
      const holder = async () => {
        const vp = presentation as Json;
        const subjectId = ((state.credential as Json)['credentialSubject'] as Json)['id'];
        failIf(!isDidKey(subjectId), 'ERR_HOLDER_MISMATCH', 'the passport subject is not a did:key');
        failIf(
          vp['holder'] !== undefined && vp['holder'] !== subjectId,
          'ERR_HOLDER_MISMATCH',
          'holder is not the subject',
        );
        const proof = vp['proof'];
        failIf(proof === undefined, 'ERR_PROOF_MISSING', 'the presentation is not signed');
        failIf(!isObject(proof), 'ERR_PROOF_MALFORMED', 'exactly one presentation proof is accepted');
        const vm = (proof as Json)['verificationMethod'];
        failIf(
          typeof vm !== 'string' || !vm.startsWith(`${String(subjectId)}#`),
          'ERR_HOLDER_MISMATCH',
          'the presentation is not signed by the passport subject',
        );
        failIf(
          (proof as Json)['challenge'] !== options.challenge,
          'ERR_CHALLENGE_MISMATCH',
          'challenge mismatch',
        );
        failIf(
          options.domain !== undefined && (proof as Json)['domain'] !== options.domain,
          'ERR_DOMAIN_MISMATCH',
          'domain mismatch',
        );
        const result = await verifyProof(vp, {
          proofPurpose: 'authentication',
          controller: resolveDidKey(subjectId as string),
          documentLoader: c.documentLoader,
          allowedCryptosuites: c.suites,
          rdfcBudget: state.rdfcBudget,
          ...(state.prepared === undefined ? {} : { prepared: state.prepared }),
          challenge: options.challenge,
          ...(options.domain === undefined ? {} : { domain: options.domain }),
        });
        if (!result.verified)
          throw new CheckFailure(
            result.code === 'ERR_ISSUER_KEY' ? 'ERR_HOLDER_MISMATCH' : result.code,
            result.message,
          );
        const created = parseDateTime((proof as Json)['created']);
        failIf(
          created === undefined,
          'ERR_PROOF_CREATED',
          'the presentation proof needs a created date-time',
        );
        failIf(
          (created as number) > now.getTime() + c.skewMs,
          'ERR_PROOF_CREATED',
          'presentation created in the future',
        );
      };
      const result = await runChecks<CheckName>([
        [
          'parse',
          () => {
            state.prepared = parse(input);
            presentation = state.prepared.value as Json;
            failIf(!isObject(presentation), 'ERR_PARSE_TYPE', 'the presentation is not a JSON object');
            const vcs = presentation['verifiableCredential'];
            const list = Array.isArray(vcs) ? vcs : vcs === undefined ? [] : [vcs];
            const only = list.length === 1 && isObject(list[0]) ? list[0] : undefined;
            // The presentation check applies the VCDM credential rules to each embedded credential
            // that is not enveloped; those rules are path-independent, so they need not run again.
            const types = only?.['type'];
            const enveloped = (Array.isArray(types) ? types : [types]).includes(
              'EnvelopedVerifiableCredential',
            );
            if (only !== undefined) {
              state.key = objectKey(state, only);
              const hit = state.key === undefined ? undefined : cache.get(state.key);
              if (hit !== undefined) state.hit = hit;
            }
            // A passport whose exact signed form verified before already passed those rules.
            const shape = checkVcdm2Presentation(
              state.hit !== undefined && !enveloped
                ? { ...presentation, verifiableCredential: undefined }
                : presentation,
            );
            if (!shape.ok)
              throw new CheckFailure('ERR_PRESENTATION_INVALID', `${shape.path}: ${shape.message}`);
            failIf(list.length !== 1, 'ERR_PRESENTATION_INVALID', 'exactly one passport per presentation');
            state.credential = state.hit?.credential ?? (list[0] as Json);
            state.vcdmChecked = only !== undefined && !enveloped;
          },
        ],
        ...credentialSteps(state, now, scopes, holder),
      ]);
      return outcome(result, state.credential);
    },
  });
}

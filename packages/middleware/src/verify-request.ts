// SPDX-License-Identifier: Apache-2.0
// verifyRequest: one signed HTTP request from an agent, checked in order (docs/architecture.md):
// the request signature (RFC 9421), the passport it carries or references (the full passport
// verifier), holder binding (the request signer is the passport subject), the body (read only
// now, under a byte limit, and held to the signature), replay (nonce, atomic), usage (maxCalls,
// atomic). It never throws on untrusted input.
import {
  type AgentPassport,
  type Check,
  CheckFailure,
  createBoundedCache,
  type DidKey,
  type ErrorCode,
  fromBase64url,
  runChecks,
} from '@agent-passport/core';
import type { ChainLink, DelegationVerifier } from '@agent-passport/delegation';
import { decodeMultikey, dereferenceDidKey, resolveDidKey } from '@agent-passport/did-key';
import {
  type BodyRead,
  bodyTooLarge,
  checkBody,
  createMemoryStore,
  DEFAULT_MAX_BODY_BYTES,
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  declaredTooLarge,
  isPassportRef,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  type ReplayStore,
  readBody,
  type UsageStore,
  usageKey,
  verifySignatureHeaders,
} from '@agent-passport/http-signatures';
import { parseJson } from '@agent-passport/strict-json';
import type { PassportVerifier } from '@agent-passport/verifier';
import {
  countDelegatedCall,
  createChainCache,
  type DelegatedCall,
  isDelegated,
  verifyDelegatedCall,
} from './delegated.js';

export const REQUEST_CHECK_NAMES = ['signature', 'passport', 'holder', 'body', 'replay', 'usage'] as const;

export interface RequestVerifierOptions {
  /** The passport verifier (trusted issuers, clock, status…). */
  readonly verifier: PassportVerifier;
  /** Shared state; default: an in-memory store (one process only). */
  readonly store?: ReplayStore & UsageStore;
  /** The clock, read once per call that does not pass its own `now`. */
  readonly clock?: () => Date;
  readonly maxAgeSeconds?: number;
  /** Tolerated clock skew for the signature's times and the passport's, 0–600 s (default 60). */
  readonly maxSkewSeconds?: number;
  /** Passports remembered by reference (default 1000). */
  readonly passportCacheSize?: number;
  /**
   * Passports this instance has not seen, by reference (a shared cache, or an audit's store of the
   * passports it logged); consulted when the reference is not in the local cache.
   */
  readonly resolvePassportRef?: (ref: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /**
   * Where each verified call's evidence goes (an evidence log). When recording fails the call is
   * refused with ERR_EVIDENCE_UNAVAILABLE: nothing is let in without its evidence.
   */
  readonly evidence?: EvidenceSink;
  /** Record refused calls too (default false: accepted calls only). */
  readonly recordRefused?: boolean;
  /** The most body bytes read (default 1 MiB); a longer body is ERR_BODY_TOO_LARGE. */
  readonly maxBodyBytes?: number;
  /**
   * The signature tag this verifier accepts (default `agent-passport`). A profile of the request
   * signatures (MCP's `agent-passport-mcp`) has its own tag, so a signature made for one profile is
   * not accepted by a verifier of another at the same URL.
   */
  readonly requiredTag?: string;
  /**
   * Accept delegated agents (`createDelegationVerifier` of @agent-passport/delegation, configured
   * like `verifier`): a request with a delegation chain is then held to the chain, not the passport
   * subject. Without it such requests are refused.
   */
  readonly delegation?: DelegationVerifier;
  /** Chains this instance has not seen, by reference (an audit's store of the chains it logged). */
  readonly resolveDelegationRef?: (ref: string) => Uint8Array | undefined;
}

/** Reads the body, at most `maxBytes`; called once the signature, passport and holder checks passed. */
export type BodyReader = (maxBytes: number) => Promise<BodyRead>;

/** Per call: the scopes this route requires, and the body when the caller already read it. */
export interface RequestCallOptions {
  readonly requiredScopes?: readonly string[];
  /**
   * The time of this call (default: the configured clock, read once). The same time is handed to
   * the passport verifier and to the evidence sink.
   */
  readonly now?: Date;
  /**
   * The request body: its bytes when the caller holds them, or a reader, called only after the
   * signature, passport and holder checks passed (nothing is read for an unauthenticated caller).
   * Without it the body is read from a clone of the request. The handler must get the same bytes.
   */
  readonly body?: Uint8Array | BodyReader;
  /**
   * The body is not available and the caller checks it against the signed Content-Digest itself
   * (an audit of a log that kept the digest, not the body): the body check then only requires that
   * the signature covers `content-digest`. Never for live requests.
   */
  readonly bodyWithheld?: boolean;
}

/** What a request verifier hands an evidence sink for one call. */
export interface RequestEvidence {
  readonly kind: 'request';
  readonly time: Date;
  readonly method: string;
  readonly url: string;
  /** Every header of the request, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, when there is one. */
  readonly body?: Uint8Array;
  /** The exact passport bytes the call was verified with. */
  readonly passport?: Uint8Array;
  /** A delegated call: the exact chain bytes (the JSON list of delegations) it was verified with. */
  readonly delegations?: Uint8Array;
  readonly requiredScopes: readonly string[];
  readonly verification: RequestVerification;
}

export interface EvidenceSink {
  record(evidence: RequestEvidence): Promise<unknown> | unknown;
}

export interface RequestVerification {
  readonly verified: boolean;
  readonly checks: readonly Check[];
  readonly errors: readonly { readonly code: ErrorCode; readonly message: string }[];
  readonly agent?: DidKey;
  readonly passport?: AgentPassport;
  /** The passport reference to send instead of the passport next time. */
  readonly passportRef?: string;
  /**
   * A delegated call: who acted on whose authority (organisation → agent → … → `agent`), every
   * credential of the chain root first, and the chain reference to send next time.
   */
  readonly delegation?: {
    readonly principals: readonly string[];
    readonly chain: readonly ChainLink[];
    readonly ref: string;
  };
  /** The signing key (also on a refusal, once the signature verified; `agent` then names the signer). */
  readonly keyId?: string;
  readonly nonce?: string;
}

/** A request verifier: configured once, then called per request. */
export interface RequestVerifier {
  verifyRequest(request: Request, call?: RequestCallOptions): Promise<RequestVerification>;
}

export function createRequestVerifier(options: RequestVerifierOptions): RequestVerifier {
  if (
    options === null ||
    typeof options !== 'object' ||
    typeof options.verifier?.verifyCredential !== 'function'
  ) {
    throw new TypeError('options.verifier is required (createVerifier from @agent-passport/verifier)');
  }
  const clock = options.clock ?? (() => new Date());
  // Nonces expire at an absolute time from `created`: the default store reads the same clock.
  const store = options.store ?? createMemoryStore({ now: () => clock().getTime() });
  const maxAge = options.maxAgeSeconds ?? 300;
  const skew = options.maxSkewSeconds ?? 60;
  if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0 || skew > 600)
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  const cacheSize = options.passportCacheSize ?? 1000;
  const chains = createChainCache(1000, options.resolveDelegationRef);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0)
    throw new RangeError('maxBodyBytes must be a non-negative integer');
  if (!Number.isInteger(cacheSize) || cacheSize < 1)
    throw new RangeError('passportCacheSize must be a positive integer');
  /** Verified passports by reference: their bytes, and their subject's key for the compact form. */
  const cache = createBoundedCache<
    string,
    {
      readonly bytes: Uint8Array;
      readonly subject: string;
      readonly key: ReturnType<typeof decodeMultikey> | undefined;
    }
  >(cacheSize);
  const subjectKey = (subject: string) => {
    try {
      const vm = resolveDidKey(subject).verificationMethod?.[0];
      return vm === undefined ? undefined : decodeMultikey(vm.publicKeyMultibase);
    } catch {
      return undefined;
    }
  };

  async function verifyRequest(
    request: Request,
    call: RequestCallOptions = {},
  ): Promise<RequestVerification> {
    if (!(request instanceof Request)) throw new TypeError('request must be a Request');
    if (call.body !== undefined && !(call.body instanceof Uint8Array) && typeof call.body !== 'function')
      throw new TypeError('body must be a Uint8Array or a reader');
    if (call.now !== undefined && (!(call.now instanceof Date) || Number.isNaN(call.now.getTime())))
      throw new TypeError('now must be a valid Date');
    const now = call.now ?? clock();
    const state: {
      keyId?: string;
      nonce?: string;
      created?: number;
      signer?: string;
      passport?: AgentPassport;
      ref?: string;
      bytes?: Uint8Array;
      /** Compact form: the keyid is the passport reference; these are the bytes it named. */
      byKeyId?: Uint8Array;
      /** Compact form: why the referenced passport gave no key. */
      refProblem?: CheckFailure;
      /** The covered components, and the body once read. */
      components?: readonly string[];
      body?: Uint8Array;
      delegated?: DelegatedCall;
    } = {};

    /** The body, read now (at most maxBodyBytes) and held to the signature. */
    async function readAndCheckBody() {
      if (call.bodyWithheld === true) {
        if (!state.components?.includes('content-digest'))
          throw new CheckFailure(
            'ERR_SIG_COMPONENT_MISSING',
            'the withheld body is not covered by the signature',
          );
        return;
      }
      let read: BodyRead;
      if (call.body instanceof Uint8Array)
        read = call.body.length > maxBodyBytes ? bodyTooLarge(maxBodyBytes) : { ok: true, bytes: call.body };
      else if (declaredTooLarge(request.headers, maxBodyBytes)) read = bodyTooLarge(maxBodyBytes);
      else if (call.body !== undefined) read = await call.body(maxBodyBytes);
      else read = await readBody(request.body === null ? null : request.clone().body, maxBodyBytes);
      if (!read.ok) throw new CheckFailure(read.code, read.message);
      if (read.bytes.length > 0) state.body = read.bytes;
      const checked = checkBody(state.components ?? [], request.headers, read.bytes);
      if (!checked.ok) throw new CheckFailure(checked.code, checked.message);
    }

    /**
     * Compact form (after first contact): keyid = the passport reference, and the key is the
     * referenced passport's subject. The keyid is covered by the signature (@signature-params), so
     * the reference is bound to the request; the passport itself is verified in the next step.
     */
    async function keyFromRef(ref: string) {
      const hit = cache.get(ref);
      if (hit?.key !== undefined) {
        state.byKeyId = hit.bytes;
        state.signer = hit.subject;
        return hit.key;
      }
      const cached = hit?.bytes;
      const bytes = cached ?? (await options.resolvePassportRef?.(ref));
      if (bytes === undefined) {
        state.refProblem = new CheckFailure(
          'ERR_PASSPORT_UNKNOWN',
          'unknown passport reference: send the passport',
        );
        return undefined;
      }
      if (cached === undefined && passportRef(bytes) !== ref) {
        state.refProblem = new CheckFailure(
          'ERR_PASSPORT_REF_MISMATCH',
          'the resolved passport is not the one referenced',
        );
        return undefined;
      }
      let subject: unknown;
      try {
        subject = (parseJson(bytes, { maxBytes: 100_000 }) as { credentialSubject?: { id?: unknown } })
          ?.credentialSubject?.id;
        const key = subjectKey(String(subject));
        if (key === undefined) throw new TypeError('no key');
        state.byKeyId = bytes;
        state.signer = String(subject);
        return key;
      } catch {
        state.refProblem = new CheckFailure(
          'ERR_HOLDER_MISMATCH',
          'the referenced passport has no did:key subject',
        );
        return undefined;
      }
    }
    const steps: [(typeof REQUEST_CHECK_NAMES)[number], () => Promise<void>][] = [
      [
        'signature',
        async () => {
          const hasPassport = request.headers.has(PASSPORT_HEADER);
          const hasRef = request.headers.has(PASSPORT_REF_HEADER);
          const r = await verifySignatureHeaders(request, {
            now,
            ...(options.requiredTag === undefined ? {} : { requiredTag: options.requiredTag }),
            maxAgeSeconds: maxAge,
            maxSkewSeconds: skew,
            // A passport header, when sent, is covered; in the compact form the keyid carries the
            // reference and is covered as part of @signature-params.
            requiredComponents: [
              '@method',
              '@target-uri',
              ...(hasPassport ? [PASSPORT_HEADER] : hasRef ? [PASSPORT_REF_HEADER] : []),
              ...(request.headers.has(DELEGATION_HEADER)
                ? [DELEGATION_HEADER]
                : request.headers.has(DELEGATION_REF_HEADER)
                  ? [DELEGATION_REF_HEADER]
                  : []),
            ],
            resolveKey: (keyId) => {
              if (!hasPassport && !hasRef && isPassportRef(keyId)) return keyFromRef(keyId);
              try {
                const vm = dereferenceDidKey(keyId);
                return decodeMultikey(vm.publicKeyMultibase);
              } catch {
                return undefined;
              }
            },
          });
          if (!r.ok) {
            if (r.code === 'ERR_SIG_KEY_UNKNOWN' && state.refProblem !== undefined) throw state.refProblem;
            throw new CheckFailure(r.code, r.message);
          }
          state.keyId = r.keyId;
          state.nonce = r.nonce;
          state.components = r.components;
          state.created = r.created;
          if (state.byKeyId === undefined) state.signer = r.keyId.slice(0, r.keyId.indexOf('#'));
        },
      ],
      [
        'passport',
        async () => {
          const inline = request.headers.get(PASSPORT_HEADER);
          const refHeader = request.headers.get(PASSPORT_REF_HEADER);
          let bytes: Uint8Array | undefined;
          if (inline !== null) {
            if (!/^[A-Za-z0-9_-]+$/.test(inline) || inline.length > 100_000)
              throw new CheckFailure('ERR_PARSE_JSON', 'the passport header is not base64url');
            bytes = fromBase64url(inline);
            const ref = passportRef(bytes);
            if (refHeader !== null && refHeader !== ref)
              throw new CheckFailure('ERR_PASSPORT_REF_MISMATCH', 'the reference is not this passport');
            state.ref = ref;
          } else if (refHeader !== null) {
            const cached = cache.get(refHeader)?.bytes;
            bytes = cached ?? (await options.resolvePassportRef?.(refHeader));
            // The local cache holds bytes under their own reference; resolved bytes are checked.
            if (cached === undefined && bytes !== undefined && passportRef(bytes) !== refHeader)
              throw new CheckFailure(
                'ERR_PASSPORT_REF_MISMATCH',
                'the resolved passport is not the one referenced',
              );
            if (bytes === undefined)
              throw new CheckFailure('ERR_PASSPORT_UNKNOWN', 'unknown passport reference: send the passport');
            state.ref = refHeader;
          } else if (state.byKeyId !== undefined) {
            bytes = state.byKeyId;
            state.ref = state.keyId as string;
          } else {
            throw new CheckFailure('ERR_PASSPORT_MISSING', `send the ${PASSPORT_HEADER} header`);
          }
          const r = await options.verifier.verifyCredential(bytes, {
            requiredScopes: call.requiredScopes ?? [],
            now,
          });
          if (!r.verified || r.passport === undefined) {
            const first = r.errors[0];
            throw new CheckFailure(
              first?.code ?? 'ERR_VERIFIER_INTERNAL',
              first?.message ?? 'the passport was refused',
            );
          }
          state.passport = r.passport;
          state.bytes = bytes;
          if (cache.get(state.ref as string) === undefined) {
            // A copy: bytes handed in by resolvePassportRef stay the caller's.
            const subject = r.passport.credentialSubject.id;
            cache.set(state.ref as string, {
              bytes: inline === null ? bytes.slice() : bytes,
              subject,
              key: subjectKey(subject),
            });
          }
        },
      ],
      [
        'holder',
        async () => {
          // A delegated call: the chain from the passport must end at the signer.
          if (isDelegated(request.headers)) {
            state.delegated = await verifyDelegatedCall(
              options.delegation,
              request.headers,
              chains,
              state.bytes as Uint8Array,
              state.signer as string,
              call.requiredScopes ?? [],
            );
            return;
          }
          if (state.passport?.credentialSubject.id !== state.signer) {
            throw new CheckFailure(
              'ERR_HOLDER_MISMATCH',
              'the request is not signed by the passport subject',
            );
          }
        },
      ],
      ['body', readAndCheckBody],
      [
        'replay',
        async () => {
          // Remembered from `created` until no verifier within `skew` of the store's clock accepts it.
          const created = state.created as number;
          const first = await store.checkAndSet(`${state.keyId}:${state.nonce}`, {
            created,
            until: created + maxAge + skew,
          });
          if (!first) throw new CheckFailure('ERR_REPLAY', 'this nonce was used before');
        },
      ],
      [
        'usage',
        async () => {
          if (state.delegated !== undefined)
            return countDelegatedCall(
              store,
              state.passport as AgentPassport,
              state.delegated,
              now.getTime(),
              skew,
            );
          const limit = state.passport?.credentialSubject.maxCalls;
          if (limit === undefined) return;
          const until = Math.max(
            1,
            Math.ceil((Date.parse(state.passport?.validUntil ?? '') - now.getTime()) / 1000) + skew,
          );
          const r = await store.increment(usageKey(state.passport as AgentPassport), limit, until);
          if (!r.ok) throw new CheckFailure('ERR_USAGE_EXCEEDED', `maxCalls ${limit} reached`);
        },
      ],
    ];
    const { checks, errors } = await runChecks(steps);
    const passport = state.passport as AgentPassport;
    const result: RequestVerification =
      errors.length > 0
        ? {
            verified: false,
            checks,
            errors,
            // Once the signature verified, a refusal names the signer (from the keyid, or in the
            // compact form from the referenced passport's subject).
            ...(state.keyId === undefined ? {} : { keyId: state.keyId, agent: state.signer as DidKey }),
          }
        : {
            verified: true,
            checks,
            errors,
            agent: (state.delegated?.verification.agent as DidKey) ?? passport.credentialSubject.id,
            passport,
            passportRef: state.ref as string,
            ...(state.delegated === undefined
              ? {}
              : {
                  delegation: {
                    principals: state.delegated.verification.principals ?? [],
                    chain: state.delegated.verification.chain ?? [],
                    ref: state.delegated.ref,
                  },
                }),
            keyId: state.keyId as string,
            nonce: state.nonce as string,
          };
    if (options.evidence === undefined || (!result.verified && options.recordRefused !== true)) return result;
    try {
      // Only the bytes already read and checked: a refused caller's body is never read for the log.
      const body = state.body;
      await options.evidence.record({
        kind: 'request',
        time: now,
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        ...(body === undefined ? {} : { body }),
        ...(state.bytes === undefined ? {} : { passport: state.bytes }),
        ...(state.delegated === undefined ? {} : { delegations: state.delegated.bytes }),
        requiredScopes: call.requiredScopes ?? [],
        verification: result,
      });
      return result;
    } catch {
      if (!result.verified) return result;
      const error = { code: 'ERR_EVIDENCE_UNAVAILABLE' as const, message: 'the call could not be recorded' };
      return {
        verified: false,
        checks: [...checks, { name: 'evidence', ok: false, ...error }],
        errors: [error],
      };
    }
  }

  return Object.freeze({ verifyRequest });
}

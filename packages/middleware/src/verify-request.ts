// SPDX-License-Identifier: Apache-2.0
// verifyRequest: one signed HTTP request from an agent, checked in order (docs/architecture.md):
// the request signature (RFC 9421), the passport it carries or references (the full passport
// verifier), holder binding (the request signer is the passport subject), the body (read only
// now, under a byte limit, and held to the signature), replay (nonce, atomic), usage (maxCalls,
// atomic). It never throws on untrusted input. Each check is a named function over one per-call
// context (./request/): this file holds the public types and puts them in order.
import type { AgentPassport, Check, DidKey, ErrorCode } from '@agent-passport/core';
import { runChecksOn } from '@agent-passport/core';
import type { ChainLink, DelegationVerifier } from '@agent-passport/delegation';
import type { BodyRead, ReplayStore, UsageStore } from '@agent-passport/http-signatures';
import type { PassportVerifier } from '@agent-passport/verifier';
import { checkReplay, checkUsage } from './request/admission.js';
import { authorized } from './request/authorize.js';
import { carried } from './request/carried.js';
import { checkBody } from './request/check-body.js';
import { checkHolder } from './request/check-holder.js';
import { checkPassport } from './request/check-passport.js';
import { checkSignature } from './request/check-signature.js';
import type { RequestContext } from './request/context.js';
import { recordEvidence, verification } from './request/result.js';
import { type RequestSettings, requestSettings } from './request/settings.js';

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
  /**
   * The service's own last check of a call every check above accepted (a login site's session,
   * say), run before the call's evidence is recorded, so that a call it refuses is never logged as
   * accepted. A refusal `{ code, message }`, or a thrown PassportError, refuses the call with that
   * code (logged as refused when `recordRefused`); anything else thrown is ERR_VERIFIER_INTERNAL.
   * Usage and the nonce were already counted: the call did reach the service.
   */
  readonly authorize?: (request: Request, verification: RequestVerification) => ServiceCheck;
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

/** What `authorize` answers: nothing (the call goes on), or the refusal. */
export type ServiceCheck = ServiceRefusal | undefined | Promise<ServiceRefusal | undefined>;

export interface ServiceRefusal {
  readonly code: ErrorCode;
  readonly message: string;
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
  const settings = requestSettings(options);
  return Object.freeze({
    async verifyRequest(request: Request, call: RequestCallOptions = {}): Promise<RequestVerification> {
      const ctx = newContext(settings, request, call);
      const run = await runChecksOn(ctx, CHECKS);
      const result = verification(ctx, run);
      const { authorize } = settings;
      return recordEvidence(
        ctx,
        authorize === undefined || !result.verified
          ? result
          : await authorized(authorize, ctx.request, result),
      );
    },
  });
}

type RequestCheckName = (typeof REQUEST_CHECK_NAMES)[number];

/** The checks, in the order of REQUEST_CHECK_NAMES. */
const CHECKS: readonly (readonly [RequestCheckName, (ctx: RequestContext) => Promise<void> | undefined])[] = [
  ['signature', checkSignature],
  ['passport', checkPassport],
  ['holder', checkHolder],
  ['body', checkBody],
  ['replay', checkReplay],
  ['usage', checkUsage],
];

/** The call's context: its arguments checked (TypeError: a caller's bug), and one clock reading. */
function newContext(settings: RequestSettings, request: Request, call: RequestCallOptions): RequestContext {
  if (!(request instanceof Request)) throw new TypeError('request must be a Request');
  if (call.body !== undefined && !(call.body instanceof Uint8Array) && typeof call.body !== 'function')
    throw new TypeError('body must be a Uint8Array or a reader');
  if (call.now !== undefined && (!(call.now instanceof Date) || Number.isNaN(call.now.getTime())))
    throw new TypeError('now must be a valid Date');
  return {
    settings,
    request,
    call,
    now: call.now ?? settings.clock(),
    scopes: call.requiredScopes ?? [],
    carried: carried(request.headers),
  };
}

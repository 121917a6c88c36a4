// SPDX-License-Identifier: Apache-2.0
// The checker's typed context, built once per worker: the passport verifier and the request
// verifier over the audit's trust, and the passports the entry being checked may name. No clock:
// every verification is handed its entry's own recorded time (`now`), never a shared mutable one.
import type { ErrorCode } from '@agent-passport/core';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { passportRef } from '@agent-passport/http-signatures';
import { createRequestVerifier, type RequestVerifier } from '@agent-passport/middleware';
import { parseJson } from '@agent-passport/strict-json';
import type { TrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier, type PassportVerifier } from '@agent-passport/verifier';
import type { Who } from './attribution.js';
import { AUDIT_SKEW_SECONDS, type AuditTrust, type CheckerInit, trustFromBundles } from './checker-trust.js';
import { createKnownPassports, type KnownPassports } from './known-passports.js';
import { createPassportResults, type PassportResults } from './passport-results.js';

export { AUDIT_SKEW_SECONDS } from './checker-trust.js';

/** The signature window the audit re-verifies with (the request verifier's defaults, stated). */
export const AUDIT_MAX_AGE_SECONDS = 300;
/** A logged body is at most a line's size; the service had its own limit. */
export const AUDIT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A verifier that is always handed its time: reading this clock is a bug. */
const noClock = (): Date => {
  throw new Error('the audit hands every verification its entry time');
};

/**
 * Passports (digest: base64url) that the entry being checked may name by reference, decoded only
 * when a verification asks for one (most lines name a passport the request verifier already holds).
 */
export interface PassportShelf {
  set(ref: string, base64url: string): void;
  get(ref: string): Uint8Array | undefined;
  clear(): void;
}

function createShelf(): PassportShelf {
  const held = new Map<string, string>();
  return {
    set: (ref, base64url) => {
      held.set(ref, base64url);
    },
    get(ref) {
      const b = held.get(ref);
      return b === undefined ? undefined : new Uint8Array(Buffer.from(b, 'base64url'));
    },
    clear: () => held.clear(),
  };
}

export interface CheckerContext {
  readonly trust: AuditTrust;
  readonly verifier: PassportVerifier;
  /** The reference path's request verifier, over every request entry that is not delegated. */
  readonly requests: RequestVerifier;
  readonly shelf: PassportShelf;
  /** Check by the reference path only (differential tests of the fast path). */
  readonly reference: boolean;
  /** The fast path's memory of verified passports (what `requests` holds in the reference path). */
  readonly known: KnownPassports;
  readonly passports: PassportResults;
}

/** What re-verifying one entry establishes. */
export interface Reverified {
  readonly who: Who;
  readonly code?: ErrorCode;
  readonly message?: string;
  readonly keyId?: string;
  readonly nonce?: string;
  readonly maxCalls?: number;
}

export const broken = (code: ErrorCode, message: string): Reverified => ({ who: {}, code, message });

function requestOptions(verifier: PassportVerifier, shelf: PassportShelf) {
  return {
    verifier,
    clock: noClock,
    maxAgeSeconds: AUDIT_MAX_AGE_SECONDS,
    maxSkewSeconds: AUDIT_SKEW_SECONDS,
    // Replay and usage are judged across the whole log by the audit, not per entry here.
    store: { checkAndSet: async () => true, increment: async () => ({ ok: true, count: 1 }) },
    resolvePassportRef: (ref: string) => shelf.get(ref),
    maxBodyBytes: AUDIT_MAX_BODY_BYTES,
  };
}

/** `verified`: the bundles of `init`, verified already (trustFromBundles). */
export async function createCheckerContext(
  init: CheckerInit,
  verified?: readonly TrustBundle[],
): Promise<CheckerContext> {
  const { trust, statusLists } = await trustFromBundles(init, verified);
  const verifier = createVerifier({ ...trust, clock: noClock, maxSkewSeconds: AUDIT_SKEW_SECONDS });
  const shelf = createShelf();
  return {
    trust,
    verifier,
    shelf,
    requests: createRequestVerifier(requestOptions(verifier, shelf)),
    reference: init.reference === true,
    known: createKnownPassports(),
    passports: createPassportResults(verifier, {
      skewMs: AUDIT_SKEW_SECONDS * 1000,
      statusMaxAgeMs: init.statusMaxAgeSeconds * 1000,
      statusLists,
    }),
  };
}

/** The subject of passport bytes that verified. */
function verifiedSubject(bytes: Uint8Array): string {
  const parsed = parseJson(bytes, { maxBytes: AUDIT_MAX_BODY_BYTES }) as {
    credentialSubject?: { id?: unknown };
  };
  return String(parsed?.credentialSubject?.id);
}

/**
 * The fast path's request verifier for an entry it does not read in place (a record only a rebuilt
 * Request reads right): made for this entry, it knows the passports the fast path's memory holds
 * (then the line's shelf), and the passport it verifies is remembered there, as the reference
 * path's one verifier would remember it.
 */
export function rebuiltRequests(ctx: CheckerContext): RequestVerifier {
  return createRequestVerifier({
    ...requestOptions(ctx.verifier, ctx.shelf),
    resolvePassportRef: (ref: string) => ctx.known.get(ref)?.bytes ?? ctx.shelf.get(ref),
    recordRefused: true,
    evidence: {
      // The passport bytes are there once the passport check passed (the call may still be refused).
      record: (e) => {
        if (e.passport !== undefined)
          ctx.known.remember(passportRef(e.passport), e.passport, verifiedSubject(e.passport));
      },
    },
  });
}

/**
 * A delegated call's verifier: the chain is checked for the audience of the origin the call was
 * made to, with the chain the entry holds, as of the entry's time (the chain verifier reads its
 * configured clock, so it is made for this entry with that time fixed).
 */
export function delegatedRequests(ctx: CheckerContext, origin: string, chain: Uint8Array, now: Date) {
  const config = { ...ctx.trust, origin, clock: () => now };
  return createRequestVerifier({
    ...requestOptions(ctx.verifier, ctx.shelf),
    delegation: createDelegationVerifier(config),
    resolveDelegationRef: () => chain,
  });
}

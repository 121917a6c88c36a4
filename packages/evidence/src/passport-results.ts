// SPDX-License-Identifier: Apache-2.0
// Passport verifications the audit already made, reused for later entries only where the passport
// verifier is certain to answer the same. A verification of one audit (one trust: the cache lives in
// its checker) depends on the passport's exact bytes (their reference), the scopes asked, and the
// entry's time only through comparisons with the times the passport and the held status lists
// carry: validFrom, validUntil and proof.created against the time ± skew; a status list's issue
// time, validUntil, the status age policy and its ttl against it too. So the time enters as its
// position among every such threshold (each date-time these documents hold, shifted by each of
// those offsets): two entry times in the same position compare alike with every one of them.
// Only verified results are kept (a refusal's message may name the time, as a stale list's does).
import { createBoundedCache, isObject } from '@agent-passport/core';
import type { PassportVerification, PassportVerifier } from '@agent-passport/verifier';

/** Distinct passports remembered, and positions × scopes per passport. */
const PASSPORTS = 1000;
const PER_PASSPORT = 64;

export interface PassportResults {
  /** The verifier's answer for these bytes (reference `ref`), scopes and time: cached when certain. */
  verify(
    ref: string,
    bytes: Uint8Array,
    scopes: readonly string[],
    now: Date,
  ): PassportVerification | Promise<PassportVerification>;
}

export interface TimePolicy {
  /** The verifier's and the status checker's skew. */
  readonly skewMs: number;
  /** The status checker's maxAgeSeconds, in ms. */
  readonly statusMaxAgeMs: number;
  /** Every version of every status list the audit holds. */
  readonly statusLists: readonly unknown[];
}

/** Every instant a string of `value` names (Date.parse: a superset of what the checks parse). */
function instants(value: unknown, out: number[]): void {
  if (typeof value === 'string') {
    const ms = value.length <= 64 ? Date.parse(value) : Number.NaN;
    if (!Number.isNaN(ms)) out.push(ms);
  } else if (Array.isArray(value)) for (const v of value) instants(v, out);
  else if (isObject(value)) for (const k of Object.keys(value)) instants(value[k], out);
}

/** The thresholds: each instant shifted by each offset, sorted, distinct. */
function thresholds(times: readonly number[], offsets: readonly number[]): Float64Array {
  const all = new Set<number>();
  for (const t of times) for (const o of offsets) all.add(t + o);
  return Float64Array.from(all).sort();
}

/** How many thresholds are below `t`, and how many at or below it: its exact position. */
function position(sorted: Float64Array, t: number): string {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  let at = lo;
  while (at < sorted.length && sorted[at] === t) at++;
  return `${lo}.${at}`;
}

/** The status thresholds: list instants (issue, validUntil, proof) shifted by skew, age and ttl. */
function statusThresholds(policy: TimePolicy): Float64Array {
  const times: number[] = [];
  const offsets = new Set([-policy.skewMs, 0, policy.skewMs, policy.statusMaxAgeMs + policy.skewMs]);
  for (const list of policy.statusLists) {
    instants(list, times);
    const subject = isObject(list) ? list['credentialSubject'] : undefined;
    const ttl = isObject(subject) ? subject['ttl'] : undefined;
    if (typeof ttl === 'number' && Number.isFinite(ttl)) offsets.add(ttl + policy.skewMs);
  }
  return thresholds(times, [...offsets]);
}

interface Known {
  readonly own: Float64Array;
  readonly status: boolean;
  readonly verified: Map<string, PassportVerification>;
}

export function createPassportResults(verifier: PassportVerifier, policy: TimePolicy): PassportResults {
  const cache = createBoundedCache<string, Known>(PASSPORTS);
  const ownOffsets = [-policy.skewMs, 0, policy.skewMs];
  let status: Float64Array | undefined;
  const slot = (known: Known, scopes: readonly string[], ms: number) => {
    status ??= known.status ? statusThresholds(policy) : undefined;
    const s = known.status ? position(status as Float64Array, ms) : '';
    return `${position(known.own, ms)} ${s} ${JSON.stringify(scopes)}`;
  };
  const keep = (ref: string, v: PassportVerification, scopes: readonly string[], ms: number) => {
    if (!v.verified || v.passport === undefined) return;
    let known = cache.get(ref);
    if (known === undefined) {
      const times: number[] = [];
      instants(v.passport, times);
      const status = v.passport.credentialStatus !== undefined;
      known = { own: thresholds(times, ownOffsets), status, verified: new Map() };
      cache.set(ref, known);
    }
    if (known.verified.size < PER_PASSPORT) known.verified.set(slot(known, scopes, ms), v);
  };
  return {
    verify(ref, bytes, scopes, now) {
      const ms = now.getTime();
      const known = cache.get(ref);
      const hit = known === undefined ? undefined : known.verified.get(slot(known, scopes, ms));
      if (hit !== undefined) return hit;
      return verifier.verifyCredential(bytes, { requiredScopes: scopes, now }).then((v) => {
        keep(ref, v, scopes, ms);
        return v;
      });
    },
  };
}

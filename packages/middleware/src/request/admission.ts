// SPDX-License-Identifier: Apache-2.0
// Checks 5 and 6, `replay` and `usage`: the nonce is accepted once (until no verifier within the
// skew of the store's clock accepts the signature), and the call is counted against the
// passport's maxCalls (for a delegated call, every credential of the chain that has one, root
// first). A store that admits a request in one step (one Redis round trip) takes both at the
// `replay` check; `usage` then reports what it found. The memory store does it synchronously (no
// promise on that path). Other stores are asked one after the other.
import { CheckFailure, failIf } from '@agent-passport/core';
import {
  hasAdmit,
  hasAdmitNow,
  type NonceWindow,
  type Admission as StoreAdmission,
  type UsageCount,
  usageKey,
} from '@agent-passport/http-signatures';
import { limitedCredentials } from '../delegated.js';
import { established, type RequestContext } from './context.js';

/** A counter of this call and the refusal when it is at its limit. */
interface Counter extends UsageCount {
  readonly refusal: string;
}

export interface Admission {
  readonly counters: readonly Counter[];
  readonly outcome: StoreAdmission;
}

/** A counter lives until the credential expires (plus the skew), at least one second. */
function ttl(ctx: RequestContext, validUntil: unknown): number {
  return ttlUntil(ctx, Date.parse(String(validUntil)));
}

function ttlUntil(ctx: RequestContext, untilMs: number): number {
  const left = Math.ceil((untilMs - ctx.now.getTime()) / 1000);
  return Math.max(1, left + ctx.settings.maxSkewSeconds);
}

/** The counters this call is counted on, in order. */
function counters(ctx: RequestContext): Counter[] {
  const passport = established(ctx.passport, 'the passport');
  const known = established(ctx.known, 'the passport entry');
  const passportKey = () => ctx.settings.passports.usageKeyOf(known, passport);
  if (ctx.delegated === undefined) {
    const limit = passport.credentialSubject.maxCalls;
    if (limit === undefined) return [];
    const ttlSeconds = ttlUntil(ctx, ctx.settings.passports.validUntilOf(known, passport));
    return [{ key: passportKey(), limit, ttlSeconds, refusal: `maxCalls ${limit} reached` }];
  }
  return limitedCredentials(passport, ctx.delegated).map(({ credential, maxCalls }) => ({
    key: credential === (passport as object) ? passportKey() : usageKey(credential as { issuer: unknown }),
    limit: maxCalls,
    ttlSeconds: ttl(ctx, credential['validUntil']),
    refusal: `maxCalls ${maxCalls} of ${String(credential['id'])} reached`,
  }));
}

/** The nonce's key and how long it is remembered: from `created` to `created` + max age + skew. */
function nonce(ctx: RequestContext): { key: string; window: NonceWindow } {
  const { keyId, nonce, created } = established(ctx.signature, 'the signature');
  const { maxAgeSeconds, maxSkewSeconds } = ctx.settings;
  return { key: `${keyId}:${nonce}`, window: { created, until: created + maxAgeSeconds + maxSkewSeconds } };
}

/** Synchronous when the store admits in this process (`admitNow`). */
export function checkReplay(ctx: RequestContext): Promise<void> | undefined {
  const { store } = ctx.settings;
  const { key, window } = nonce(ctx);
  if (hasAdmitNow(store)) {
    const list = counters(ctx);
    admitted(ctx, list, store.admitNow(key, window, list));
    return undefined;
  }
  if (hasAdmit(store)) {
    const list = counters(ctx);
    return store.admit(key, window, list).then((outcome) => admitted(ctx, list, outcome));
  }
  return store.checkAndSet(key, window).then((first) => {
    failIf(!first, 'ERR_REPLAY', 'this nonce was used before');
  });
}

function admitted(ctx: RequestContext, list: readonly Counter[], outcome: StoreAdmission): void {
  ctx.admission = { counters: list, outcome };
  failIf(!outcome.first, 'ERR_REPLAY', 'this nonce was used before');
}

/** Synchronous when the store already counted the call at `replay`. */
export function checkUsage(ctx: RequestContext): Promise<void> | undefined {
  if (ctx.admission === undefined) return countOneByOne(ctx);
  const { counters: list, outcome } = ctx.admission;
  const refused = list[outcome.exceeded];
  if (refused !== undefined) throw new CheckFailure('ERR_USAGE_EXCEEDED', refused.refusal);
  return undefined;
}

async function countOneByOne(ctx: RequestContext): Promise<void> {
  for (const counter of counters(ctx)) {
    const r = await ctx.settings.store.increment(counter.key, counter.limit, counter.ttlSeconds);
    if (!r.ok) throw new CheckFailure('ERR_USAGE_EXCEEDED', counter.refusal);
  }
}

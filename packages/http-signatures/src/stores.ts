// SPDX-License-Identifier: Apache-2.0
// Shared state for replay protection and usage limits (DESIGN.md "Scale"): atomic check-and-set of
// nonces with a TTL, and atomic bounded counters. In memory (one process) here; Redis (several) in
// redis.ts, its own entry so that only its users need ioredis.
// Unreachable or full stores throw PassportError, and the caller refuses the request (fail closed).
// A store that can forget (a Redis without persistence, or that evicts) is refused unless the
// operator opts out, and after a detected restart or data loss nonces from before it are refused.
import { PassportError } from '@agent-passport/core';

/** When a nonce was signed and until when it must be remembered, in seconds since the epoch. */
export interface NonceWindow {
  /** The signature's `created`. */
  readonly created: number;
  /**
   * The last moment any verifier could still accept the signature: `created` plus the maximum age
   * plus the clock skew tolerated between verifiers and the store. Expiry counts from `created`,
   * never from first sight, so verifiers with different clocks share one window.
   */
  readonly until: number;
}

export interface ReplayStore {
  /**
   * True the first time `key` is seen; false for a replay. The nonce is kept until `window.until`.
   * A store that may have lost nonces signed before `window.created` (a restart) throws
   * ERR_STORE_RESTARTED.
   */
  checkAndSet(key: string, window: NonceWindow): Promise<boolean>;
}

export interface UsageStore {
  /** Count one use against `limit`; refuses (ok: false) without counting once the limit is reached. */
  increment(key: string, limit: number, ttlSeconds: number): Promise<{ ok: boolean; count: number }>;
}

/** One usage counter a request is counted on: its key, its limit and its lifetime in seconds. */
export interface UsageCount {
  readonly key: string;
  readonly limit: number;
  readonly ttlSeconds: number;
}

/**
 * What `admit` found: a replayed nonce (`first` false, nothing counted), or a first use and the
 * index of the counter that was at its limit (-1 when every counter took the call).
 */
export interface Admission {
  readonly first: boolean;
  readonly exceeded: number;
}

/**
 * A store that takes one request's nonce and counters in one step (for a shared store: one round
 * trip, atomically). The outcome is that of `checkAndSet`, then, for a first use only, `increment`
 * on each counter in order until one is at its limit: the calls it replaces, one after another.
 */
export interface AdmissionStore {
  admit(nonceKey: string, window: NonceWindow, counters: readonly UsageCount[]): Promise<Admission>;
}

/** Does this store admit a request in one step? */
export function hasAdmit<S extends object>(store: S): store is S & AdmissionStore {
  return typeof (store as Partial<AdmissionStore>).admit === 'function';
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024)
    throw new TypeError('key must be a non-empty string');
}

export function checkArgs(key: string, ttlSeconds: number): void {
  checkKey(key);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new RangeError('ttlSeconds must be a positive integer');
}

export function checkCounter(counter: UsageCount): void {
  checkArgs(counter.key, counter.ttlSeconds);
  if (!Number.isInteger(counter.limit) || counter.limit < 0)
    throw new RangeError('limit must be a non-negative integer');
}

export function checkWindow(key: string, window: NonceWindow): void {
  checkKey(key);
  if (
    typeof window !== 'object' ||
    window === null ||
    !Number.isSafeInteger(window.created) ||
    !Number.isSafeInteger(window.until) ||
    window.until < window.created
  )
    throw new RangeError('window is { created, until }: integer seconds, until not before created');
}

/**
 * An in-memory store, bounded: when full it first drops expired entries; if every entry is still
 * live it refuses new nonces (ERR_STORE_FULL) rather than forget one and let a replay through.
 * One process only, and it forgets everything when that process restarts: several instances, or
 * replay protection across restarts, need the Redis store.
 */
export function createMemoryStore(
  options: { maxEntries?: number; now?: () => number } = {},
): ReplayStore & UsageStore {
  const max = options.maxEntries ?? 100_000;
  if (!Number.isInteger(max) || max < 1) throw new RangeError('maxEntries must be a positive integer');
  const now = options.now ?? Date.now;
  const nonces = new Map<string, number>();
  const counters = new Map<string, { count: number; expires: number }>();
  const sweep = (t: number) => {
    for (const [k, exp] of nonces) if (exp <= t) nonces.delete(k);
    for (const [k, c] of counters) if (c.expires <= t) counters.delete(k);
  };
  return {
    async checkAndSet(key, window) {
      checkWindow(key, window);
      const t = now();
      const exp = nonces.get(key);
      if (exp !== undefined && exp > t) return false;
      if (nonces.size + counters.size >= max) {
        sweep(t);
        if (nonces.size + counters.size >= max) throw new PassportError('ERR_STORE_FULL');
      }
      nonces.set(key, window.until * 1000);
      return true;
    },
    async increment(key, limit, ttlSeconds) {
      checkCounter({ key, limit, ttlSeconds });
      const t = now();
      let c = counters.get(key);
      if (c !== undefined && c.expires <= t) c = undefined;
      if (c === undefined) {
        if (nonces.size + counters.size >= max) {
          sweep(t);
          if (nonces.size + counters.size >= max) throw new PassportError('ERR_STORE_FULL');
        }
        c = { count: 0, expires: t + ttlSeconds * 1000 };
        counters.set(key, c);
      }
      if (c.count >= limit) return { ok: false, count: c.count };
      c.count++;
      return { ok: true, count: c.count };
    },
  };
}

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

/**
 * A store in this process that admits a request in one synchronous step (no promise): the outcome
 * is that of `admit`. A caller that finds `admitNow` may take it instead (the memory store).
 */
export interface SyncAdmissionStore {
  admitNow(nonceKey: string, window: NonceWindow, counters: readonly UsageCount[]): Admission;
}

/** Does this store admit a request synchronously? */
export function hasAdmitNow<S extends object>(store: S): store is S & SyncAdmissionStore {
  return typeof (store as Partial<SyncAdmissionStore>).admitNow === 'function';
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

/** The memory store: the reference calls, and the one-step admission both ways. */
export type MemoryStore = ReplayStore & UsageStore & AdmissionStore & SyncAdmissionStore;

/**
 * An in-memory store, bounded: when full it first drops expired entries; if every entry is still
 * live it refuses new nonces (ERR_STORE_FULL) rather than forget one and let a replay through.
 * One process only, and it forgets everything when that process restarts: several instances, or
 * replay protection across restarts, need the Redis store. Its one-step admission (`admitNow`,
 * and `admit` around it) is `checkAndSet` then `increment` per counter, run synchronously.
 */
export function createMemoryStore(options: { maxEntries?: number; now?: () => number } = {}): MemoryStore {
  const max = options.maxEntries ?? 100_000;
  if (!Number.isInteger(max) || max < 1) throw new RangeError('maxEntries must be a positive integer');
  const now = options.now ?? Date.now;
  const nonces = new Map<string, number>();
  const counters = new Map<string, { count: number; expires: number }>();
  /** Room for one more entry: expired ones are dropped first; a store full of live ones refuses. */
  const makeRoom = (t: number) => {
    if (nonces.size + counters.size < max) return;
    for (const [k, exp] of nonces) if (exp <= t) nonces.delete(k);
    for (const [k, c] of counters) if (c.expires <= t) counters.delete(k);
    if (nonces.size + counters.size >= max) throw new PassportError('ERR_STORE_FULL');
  };
  const checkAndSet = (key: string, window: NonceWindow, t: number): boolean => {
    const exp = nonces.get(key);
    if (exp !== undefined && exp > t) return false;
    makeRoom(t);
    nonces.set(key, window.until * 1000);
    return true;
  };
  const increment = (counter: UsageCount, t: number): { ok: boolean; count: number } => {
    let c = counters.get(counter.key);
    if (c !== undefined && c.expires <= t) c = undefined;
    if (c === undefined) {
      makeRoom(t);
      c = { count: 0, expires: t + counter.ttlSeconds * 1000 };
      counters.set(counter.key, c);
    }
    if (c.count >= counter.limit) return { ok: false, count: c.count };
    c.count++;
    return { ok: true, count: c.count };
  };
  const admitNow = (key: string, window: NonceWindow, list: readonly UsageCount[]): Admission => {
    checkWindow(key, window);
    for (const counter of list) checkCounter(counter);
    const t = now();
    if (!checkAndSet(key, window, t)) return { first: false, exceeded: -1 };
    for (let i = 0; i < list.length; i++)
      if (!increment(list[i] as UsageCount, t).ok) return { first: true, exceeded: i };
    return FIRST_USE;
  };
  return {
    async checkAndSet(key, window) {
      checkWindow(key, window);
      return checkAndSet(key, window, now());
    },
    async increment(key, limit, ttlSeconds) {
      const counter = { key, limit, ttlSeconds };
      checkCounter(counter);
      return increment(counter, now());
    },
    admitNow,
    async admit(key, window, list) {
      return admitNow(key, window, list);
    },
  };
}

/** A first use that every counter took. */
const FIRST_USE: Admission = Object.freeze({ first: true, exceeded: -1 });

// SPDX-License-Identifier: Apache-2.0
// Shared state for replay protection and usage limits (DESIGN.md "Scale"): atomic check-and-set of
// nonces with a TTL, and atomic bounded counters. In memory (one process) or Redis (several).
// Unreachable or full stores throw PassportError, and the caller refuses the request (fail closed).
// A store that can forget (a Redis without persistence, or that evicts) is refused unless the
// operator opts out, and after a detected restart or data loss nonces from before it are refused.
import { PassportError } from '@agent-passport/core';
import { Redis, type RedisOptions } from 'ioredis';
import { type DurabilityOptions, durableSession } from './redis-durability.js';

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

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024)
    throw new TypeError('key must be a non-empty string');
}

function checkArgs(key: string, ttlSeconds: number): void {
  checkKey(key);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new RangeError('ttlSeconds must be a positive integer');
}

function checkWindow(key: string, window: NonceWindow): void {
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
      checkArgs(key, ttlSeconds);
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
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

/**
 * Scripts run atomically in Redis. Each first checks the data set's epoch marker (KEYS[1]) against
 * the one this client checked (ARGV[1]): a mismatch (-1) means the data set was lost or replaced
 * since, and the client checks the server again before it trusts an answer.
 */
const NONCE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('SET', KEYS[2], '1', 'NX', 'EXAT', ARGV[2]) then return 1 end
return 0`;

/** Atomic bounded increment. */
const INCREMENT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1, 0} end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current >= tonumber(ARGV[2]) then return {0, current} end
current = redis.call('INCR', KEYS[2])
if current == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return {1, current}`;

export interface RedisStoreOptions extends DurabilityOptions {
  /** redis://host:port, or pass `client`. */
  readonly url?: string;
  readonly client?: Redis;
  readonly keyPrefix?: string;
  /** Per-command timeout (default 1000 ms): past it, ERR_STORE_UNAVAILABLE. */
  readonly commandTimeoutMs?: number;
}

export interface RedisStore extends ReplayStore, UsageStore {
  /**
   * Connect and check the server now (persistence, eviction, restarts): call it at start-up to
   * fail early. Throws ERR_STORE_NOT_DURABLE or ERR_STORE_UNAVAILABLE. Every command after a
   * (re)connection checks again by itself.
   */
  check(): Promise<void>;
  close(): Promise<void>;
}

function redisClient(options: RedisStoreOptions, timeout: number): Redis {
  const redisOptions: RedisOptions = {
    commandTimeout: timeout,
    connectTimeout: timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  };
  const client =
    options.client ?? (options.url !== undefined ? new Redis(options.url, redisOptions) : undefined);
  if (client === undefined) throw new TypeError('give url or client');
  client.on('error', () => {
    // surfaced per command as ERR_STORE_UNAVAILABLE
  });
  return client;
}

/**
 * A Redis store: nonces by `SET NX EXAT` (expiry from `created`), counters by a Lua script, both
 * behind the epoch-marker check. Needs a durable Redis (README "Redis configuration").
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const timeout = options.commandTimeoutMs ?? 1000;
  const client = redisClient(options, timeout);
  const prefix = options.keyPrefix ?? 'agent-passport:';
  const markerKey = `${prefix}epoch`;
  const { guarded } = durableSession(client, markerKey, options, timeout);
  return {
    async check() {
      await guarded(
        async (s) => s,
        () => false,
      );
    },
    async checkAndSet(key, window) {
      checkWindow(key, window);
      const r = await guarded(
        async (s) => {
          if (window.created < s.fence)
            throw new PassportError(
              'ERR_STORE_RESTARTED',
              'the replay store restarted or lost data after this request was signed: sign a new request',
            );
          return (await client.eval(
            NONCE,
            2,
            markerKey,
            `${prefix}nonce:${key}`,
            s.marker,
            window.until,
          )) as number;
        },
        (r) => r === -1,
      );
      return r === 1;
    },
    async increment(key, limit, ttlSeconds) {
      checkArgs(key, ttlSeconds);
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
      const [ok, count] = await guarded(
        async (s) =>
          (await client.eval(
            INCREMENT,
            2,
            markerKey,
            `${prefix}usage:${key}`,
            s.marker,
            limit,
            ttlSeconds,
          )) as [number, number],
        (r) => r[0] === -1,
      );
      return { ok: ok === 1, count };
    },
    async close() {
      client.disconnect();
    },
  };
}

// SPDX-License-Identifier: Apache-2.0
// Shared state for replay protection and usage limits (DESIGN.md "Scale"): atomic check-and-set of
// nonces with a TTL, and atomic bounded counters. In memory (one process) or Redis (several).
// Unreachable or full stores throw PassportError, and the caller refuses the request (fail closed).
import { PassportError } from '@agent-passport/core';
import { Redis, type RedisOptions } from 'ioredis';

export interface ReplayStore {
  /** True the first time `key` is seen within `ttlSeconds`; false for a replay. */
  checkAndSet(key: string, ttlSeconds: number): Promise<boolean>;
}

export interface UsageStore {
  /** Count one use against `limit`; refuses (ok: false) without counting once the limit is reached. */
  increment(key: string, limit: number, ttlSeconds: number): Promise<{ ok: boolean; count: number }>;
}

function checkArgs(key: string, ttlSeconds: number): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024)
    throw new TypeError('key must be a non-empty string');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new RangeError('ttlSeconds must be a positive integer');
}

/**
 * An in-memory store, bounded: when full it first drops expired entries; if every entry is still
 * live it refuses new nonces (ERR_STORE_FULL) rather than forget one and let a replay through.
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
    async checkAndSet(key, ttlSeconds) {
      checkArgs(key, ttlSeconds);
      const t = now();
      const exp = nonces.get(key);
      if (exp !== undefined && exp > t) return false;
      if (nonces.size + counters.size >= max) {
        sweep(t);
        if (nonces.size + counters.size >= max) throw new PassportError('ERR_STORE_FULL');
      }
      nonces.set(key, t + ttlSeconds * 1000);
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

/** Atomic bounded increment (Lua runs atomically in Redis). */
const INCREMENT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return {0, current} end
current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return {1, current}`;

export interface RedisStoreOptions {
  /** redis://host:port, or pass `client`. */
  readonly url?: string;
  readonly client?: Redis;
  readonly keyPrefix?: string;
  /** Per-command timeout (default 1000 ms): past it, ERR_STORE_UNAVAILABLE. */
  readonly commandTimeoutMs?: number;
}

/** A Redis store: `SET key 1 NX EX ttl` for nonces, a Lua script for counters. */
export function createRedisStore(
  options: RedisStoreOptions,
): ReplayStore & UsageStore & { close(): Promise<void> } {
  const timeout = options.commandTimeoutMs ?? 1000;
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
  const prefix = options.keyPrefix ?? 'agent-passport:';
  const unavailable = (cause: unknown): never => {
    throw new PassportError(
      'ERR_STORE_UNAVAILABLE',
      cause instanceof Error ? cause.message : 'redis failed',
      { cause },
    );
  };
  const ready = () =>
    client.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((ok, fail) => {
          const timer = setTimeout(() => fail(new Error(`redis not ready (${client.status})`)), timeout);
          client.once('ready', () => {
            clearTimeout(timer);
            ok();
          });
        });
  return {
    async checkAndSet(key, ttlSeconds) {
      checkArgs(key, ttlSeconds);
      try {
        await ready();
        return (await client.set(`${prefix}nonce:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
      } catch (cause) {
        return unavailable(cause);
      }
    },
    async increment(key, limit, ttlSeconds) {
      checkArgs(key, ttlSeconds);
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
      try {
        await ready();
        const [ok, count] = (await client.eval(INCREMENT, 1, `${prefix}usage:${key}`, limit, ttlSeconds)) as [
          number,
          number,
        ];
        return { ok: ok === 1, count };
      } catch (cause) {
        return unavailable(cause);
      }
    },
    async close() {
      client.disconnect();
    },
  };
}

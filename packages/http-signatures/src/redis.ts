// SPDX-License-Identifier: Apache-2.0
// The Redis store (`@agent-passport/http-signatures/redis`): replay and usage state shared by
// several instances, fail closed. Its own entry, so ioredis (an optional peer dependency) is
// needed only by those who use it.
import { PassportError } from '@agent-passport/core';
import { Redis, type RedisOptions } from 'ioredis';
import { type DurabilityOptions, durableSession } from './redis-durability.js';
import { checkArgs, checkWindow, type ReplayStore, type UsageStore } from './stores.js';

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

// SPDX-License-Identifier: Apache-2.0
// The Redis store (`@agent-passport/http-signatures/redis`): replay and usage state shared by
// several instances, fail closed. Its own entry, so ioredis (an optional peer dependency) is
// needed only by those who use it.
import { PassportError } from '@agent-passport/core';
import { Redis, type RedisOptions } from 'ioredis';
import { type DurabilityOptions, durableSession } from './redis-durability.js';
import { redisScript, scriptLane } from './redis-script.js';
import {
  type AdmissionStore,
  checkCounter,
  checkWindow,
  type NonceWindow,
  type ReplayStore,
  type UsageStore,
} from './stores.js';

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

/**
 * One request in one round trip: the nonce, then (first use only) each counter in order, stopping
 * at the first one at its limit; `{-1, 0}` for another marker, `{0, 0}` for a replay, `{1, i}`
 * with i the 1-based index of the counter at its limit, or 0 when every counter took the call.
 * KEYS: marker, nonce, counters…; ARGV: marker value, the nonce's expiry, then limit and TTL per
 * counter.
 */
const ADMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1, 0} end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EXAT', ARGV[2]) then return {0, 0} end
for i = 3, #KEYS do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if current >= tonumber(ARGV[2 * i - 3]) then return {1, i - 2} end
  current = redis.call('INCR', KEYS[i])
  if current == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2 * i - 2]) end
end
return {1, 0}`;

export interface RedisStoreOptions extends DurabilityOptions {
  /** redis://host:port, or a Unix socket's path (a Redis on this machine), or pass `client`. */
  readonly url?: string;
  readonly client?: Redis;
  readonly keyPrefix?: string;
  /** Per-command timeout (default 1000 ms): past it, ERR_STORE_UNAVAILABLE. */
  readonly commandTimeoutMs?: number;
}

export interface RedisStore extends ReplayStore, UsageStore, AdmissionStore {
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
    // Concurrent requests share round trips: commands issued in one tick go out as one pipeline
    // (a lone command is written at once: redis-script.ts).
    enableAutoPipelining: true,
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

function restarted(): PassportError {
  return new PassportError(
    'ERR_STORE_RESTARTED',
    'the replay store restarted or lost data after this request was signed: sign a new request',
  );
}

/**
 * A Redis store: nonces by `SET NX EXAT` (expiry from `created`), counters by a bounded increment,
 * and both for one request in one script (`admit`), each behind the epoch-marker check. Scripts
 * run by EVALSHA. Needs a durable Redis (README "Redis configuration").
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const timeout = options.commandTimeoutMs ?? 1000;
  const client = redisClient(options, timeout);
  const prefix = options.keyPrefix ?? 'agent-passport:';
  const markerKey = `${prefix}epoch`;
  const { guarded } = durableSession(client, markerKey, options, timeout);
  const lane = scriptLane(client);
  const scripts = { nonce: redisScript(lane, NONCE), increment: redisScript(lane, INCREMENT) };
  const admitScript = redisScript(lane, ADMIT);
  const nonceKey = (key: string) => `${prefix}nonce:${key}`;
  const usageKey = (key: string) => `${prefix}usage:${key}`;
  /** A nonce signed before the fence may have been forgotten: refuse it. */
  const fenced = (window: NonceWindow, fence: number) => {
    if (window.created < fence) throw restarted();
  };
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
          fenced(window, s.fence);
          return (await scripts.nonce([markerKey, nonceKey(key)], [s.marker, window.until])) as number;
        },
        (r) => r === -1,
      );
      return r === 1;
    },
    async increment(key, limit, ttlSeconds) {
      checkCounter({ key, limit, ttlSeconds });
      const [ok, count] = await guarded(
        async (s) =>
          (await scripts.increment([markerKey, usageKey(key)], [s.marker, limit, ttlSeconds])) as [
            number,
            number,
          ],
        (r) => r[0] === -1,
      );
      return { ok: ok === 1, count };
    },
    async admit(key, window, counters) {
      checkWindow(key, window);
      for (const c of counters) checkCounter(c);
      const keys = [markerKey, nonceKey(key), ...counters.map((c) => usageKey(c.key))];
      const [first, exceeded] = await guarded(
        async (s) => {
          fenced(window, s.fence);
          const args = [s.marker, window.until, ...counters.flatMap((c) => [c.limit, c.ttlSeconds])];
          return (await admitScript(keys, args)) as [number, number];
        },
        (r) => r[0] === -1,
      );
      return { first: first === 1, exceeded: exceeded - 1 };
    },
    async close() {
      client.disconnect();
    },
  };
}

// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/http-signatures/redis`: the Redis store (needs the ioredis peer dependency), and
// its durability rules (`durableSession`) for other Redis-backed state that must not forget (the
// login package's session store).

export type { RedisStore, RedisStoreOptions } from './redis.js';
export { createRedisStore } from './redis.js';
export type { DurabilityOptions, DurableSession, RedisSession } from './redis-durability.js';
export { durableSession } from './redis-durability.js';

// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/http-signatures/redis`: the Redis store (needs the ioredis peer dependency).

export type { RedisStore, RedisStoreOptions } from './redis.js';
export { createRedisStore } from './redis.js';
export type { DurabilityOptions } from './redis-durability.js';
export type { DurableSession, RedisSession } from './redis-durability.js';
export { durableSession } from './redis-durability.js';

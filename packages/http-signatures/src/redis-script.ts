// SPDX-License-Identifier: Apache-2.0
// A Lua script run by its SHA-1 (EVALSHA): the source crosses the wire only when the server does
// not hold it (NOSCRIPT after a restart, a failover or SCRIPT FLUSH), and then once, by EVAL, which
// also puts it back in the server's script cache.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

export function redisScript(client: Redis, source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (keys, args) => {
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (cause) {
      if (!(cause instanceof Error) || !cause.message.startsWith('NOSCRIPT')) throw cause;
      return client.eval(source, keys.length, ...keys, ...args);
    }
  };
}

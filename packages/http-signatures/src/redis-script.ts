// SPDX-License-Identifier: Apache-2.0
// A Lua script run by its SHA-1 (EVALSHA): the source crosses the wire only when the server does
// not hold it (NOSCRIPT after a restart, a failover or SCRIPT FLUSH), and then once, by EVAL, which
// also puts it back in the server's script cache.
// Auto-pipelining shares round trips between concurrent requests, but a lone command then waits for
// the next turn of the event loop and goes out as a pipeline of one. A command sent while no other
// script of this client is waiting for its reply is therefore written at once.
import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';

export type RedisScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** The scripts of one client, and how many of their commands await a reply. */
export interface ScriptLane {
  readonly client: Redis;
  pending: number;
}

export function scriptLane(client: Redis): ScriptLane {
  return { client, pending: 0 };
}

/** EVALSHA: written at once when alone, else auto-pipelined with the others (when the client is). */
function evalsha(lane: ScriptLane, sha: string, keys: readonly string[], args: readonly (string | number)[]) {
  const { client } = lane;
  if (lane.pending > 1 && client.options.enableAutoPipelining === true)
    return client.evalsha(sha, keys.length, ...keys, ...args);
  const { keyPrefix } = client.options;
  const options = keyPrefix === undefined ? {} : { keyPrefix };
  const command = new Command('evalsha', [sha, keys.length, ...keys, ...args], options);
  return client.sendCommand(command) as Promise<unknown>;
}

export function redisScript(lane: ScriptLane, source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (keys, args) => {
    lane.pending++;
    try {
      return await evalsha(lane, sha, keys, args);
    } catch (cause) {
      if (!(cause instanceof Error) || !cause.message.startsWith('NOSCRIPT')) throw cause;
      return await lane.client.eval(source, keys.length, ...keys, ...args);
    } finally {
      lane.pending--;
    }
  };
}

// SPDX-License-Identifier: Apache-2.0
// Can this Redis forget a nonce or a counter? (docs: packages/http-signatures/README.md "Redis
// configuration".) Checked on the first command after every (re)connection: persistence must be
// on (AOF) and eviction off, unless the operator opts out. A marker key tells whether the data set
// survived: it lives as long as the data set does; its value carries an epoch token and a fence,
// the time before which signed requests are refused because their nonces may have been lost.
import { randomBytes } from 'node:crypto';
import { PassportError } from '@agent-passport/core';
import type { Redis } from 'ioredis';

export interface DurabilityOptions {
  /**
   * Run against a Redis that can forget (no AOF persistence, or an eviction policy other than
   * `noeviction`). Replay protection and maxCalls then hold only while that Redis keeps every key:
   * a restart forgets every counter (nonces from before it are still refused). Default false:
   * such a server is refused with ERR_STORE_NOT_DURABLE.
   */
  readonly allowNonDurableRedis?: boolean;
}

/** What one connection learnt: the server's run, the data set's epoch marker, and the fence. */
export interface RedisSession {
  readonly runId: string;
  /** The marker's value: `<token> <fence>`. */
  readonly marker: string;
  /** Requests signed (created) before this time, in seconds since the epoch, are refused. */
  readonly fence: number;
}

export function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) out.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return out;
}

/** Refuse a server that can forget keys: persistence off, or an eviction policy that drops keys. */
function assertDurable(info: Map<string, string>): void {
  if (info.get('aof_enabled') !== '1')
    throw new PassportError(
      'ERR_STORE_NOT_DURABLE',
      'this Redis does not persist writes (appendonly no): a restart would forget every nonce and counter',
    );
  if (info.get('maxmemory_policy') !== 'noeviction')
    throw new PassportError(
      'ERR_STORE_NOT_DURABLE',
      `this Redis evicts keys when full (maxmemory-policy ${info.get('maxmemory_policy')}): set noeviction`,
    );
}

/**
 * When the server started, in whole seconds since the epoch. Redis counts its uptime on a clock it
 * caches (refreshed about every 100 ms), so the start is read against that same clock
 * (`server_time_usec`) when the server reports it; against `now` (the TIME command) the start could
 * land one second late and refuse requests signed in the second the server started.
 */
export function serverStart(info: ReadonlyMap<string, string>, now: number): number {
  const uptime = Number(info.get('uptime_in_seconds') ?? Number.NaN);
  if (!Number.isSafeInteger(uptime)) return now;
  const cached = Number(info.get('server_time_usec') ?? Number.NaN);
  return Number.isSafeInteger(cached) ? Math.floor(cached / 1e6) - uptime : now - uptime - 1;
}

/** Bump the marker only if it still holds what this client saw (one bump per loss). */
const REPLACE_MARKER = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] or (current == false and ARGV[1] == '') then
  redis.call('SET', KEYS[1], ARGV[2])
  return ARGV[2]
end
return current`;

/**
 * Check the server and read (or start) the data set's epoch. `previous` is what this client saw on
 * its last connection: a changed run id (restart, failover) or a vanished marker (restart without
 * persistence, flush) means writes may have been lost, and the fence moves to now.
 */
export async function probeRedis(
  client: Redis,
  markerKey: string,
  options: DurabilityOptions,
  previous: RedisSession | undefined,
): Promise<RedisSession> {
  const info = infoFields(await client.info());
  if (options.allowNonDurableRedis !== true) assertDurable(info);
  const runId = info.get('run_id') ?? '';
  const now = Number((await client.time())[0]);
  // A fresh data set may have lost whatever the server held before it started.
  const startedAt = serverStart(info, now);
  const current = await client.get(markerKey);
  const lost =
    previous !== undefined &&
    (runId !== previous.runId || current === null) &&
    (current === null || current === previous.marker);
  let marker = current;
  if (marker === null || lost) {
    const fresh = `${randomBytes(12).toString('base64url')} ${lost ? now : startedAt}`;
    marker = (await client.eval(REPLACE_MARKER, 1, markerKey, current ?? '', fresh)) as string;
  }
  const fence = Number(marker.split(' ')[1]);
  if (!Number.isSafeInteger(fence))
    throw new PassportError('ERR_STORE_UNAVAILABLE', `the store marker ${markerKey} is not ours`);
  return { runId, marker, fence: Math.max(fence, startedAt, previous?.fence ?? 0) };
}

export interface DurableSession {
  /**
   * Run a marker-checked script against a checked connection. When `lostMarker` says the script
   * found another marker, the server is checked again (the fence moves) and the script runs once
   * more. Failures other than PassportError become ERR_STORE_UNAVAILABLE.
   */
  guarded<T>(run: (s: RedisSession) => Promise<T>, lostMarker: (r: T) => boolean): Promise<T>;
}

/** Check each connection before its first use (probeRedis), again after every reconnection. */
export function durableSession(
  client: Redis,
  markerKey: string,
  options: DurabilityOptions,
  timeoutMs: number,
): DurableSession {
  const ready = () =>
    client.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((ok, fail) => {
          const timer = setTimeout(() => fail(new Error(`redis not ready (${client.status})`)), timeoutMs);
          client.once('ready', () => {
            clearTimeout(timer);
            ok();
          });
        });
  let last: RedisSession | undefined;
  let session: Promise<RedisSession> | undefined;
  client.on('close', () => {
    session = undefined;
  });
  const checked = (): Promise<RedisSession> => {
    session ??= ready()
      .then(() => probeRedis(client, markerKey, options, last))
      .then((s) => {
        last = s;
        return s;
      });
    const pending = session;
    pending.catch(() => {
      if (session === pending) session = undefined;
    });
    return pending;
  };
  return {
    async guarded(run, lostMarker) {
      try {
        for (let attempt = 0; ; attempt++) {
          const s = await checked();
          const r = await run(s);
          if (!lostMarker(r)) return r;
          if (last === s) session = undefined;
          if (attempt > 0) throw new Error('the store marker keeps changing');
        }
      } catch (cause) {
        if (cause instanceof PassportError) throw cause;
        const message = cause instanceof Error ? cause.message : 'redis failed';
        throw new PassportError('ERR_STORE_UNAVAILABLE', message, { cause });
      }
    },
  };
}

// SPDX-License-Identifier: Apache-2.0
// Login sessions in Redis, for a site of several instances: a session opened on one is honoured,
// and its revocation seen, on every other, and across restarts of the site. The durability rules
// are the replay store's (@agent-passport/http-signatures/redis, `durableSession`): a Redis that
// can forget (no AOF, or eviction) is refused (ERR_STORE_NOT_DURABLE), and every script first
// checks the data set's epoch marker. When the data set may have lost writes (a Redis restart, a
// failover, a flush), a revocation may be among them: sessions opened before that moment (the
// fence) are refused with ERR_STORE_RESTARTED and the agent logs in again. Keys expire with their
// session (EXAT). Unreachable Redis is ERR_STORE_UNAVAILABLE: the call is refused (fail closed).
import { PassportError } from '@agent-passport/core';
import {
  type DurabilityOptions,
  type DurableSession,
  durableSession,
} from '@agent-passport/http-signatures/redis';
import { Redis } from 'ioredis';
import type { Session, SessionStore } from './sessions.js';

export interface RedisSessionStoreOptions extends DurabilityOptions {
  /** redis://host:port, or pass `client`. */
  readonly url?: string;
  readonly client?: Redis;
  /** Default 'agent-passport:login:'. */
  readonly keyPrefix?: string;
  /** Per-command timeout (default 1000 ms): past it, ERR_STORE_UNAVAILABLE. */
  readonly commandTimeoutMs?: number;
}

export interface RedisSessionStore extends SessionStore {
  /** Connect and check the server now (persistence, eviction): call it at start-up to fail early. */
  check(): Promise<void>;
  close(): Promise<void>;
}

interface Stored {
  agent: string;
  passport: string;
  passportRef: string;
  created: number;
  expires: number;
  delegation?: { ref: string; bytes: string; principals: string[] };
}

/** Each script first checks the epoch marker (KEYS[1]) against the one this client checked (ARGV[1]). */
/** The passport by reference lives as long as the longest session holding it. */
const PUT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[2], ARGV[2], 'EXAT', ARGV[4])
local ttl = redis.call('TTL', KEYS[3])
if ttl < 0 or tonumber(redis.call('TIME')[1]) + ttl < tonumber(ARGV[4]) then
  redis.call('SET', KEYS[3], ARGV[3], 'EXAT', ARGV[4])
end
return 1`;
const REF = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
return {1, redis.call('GET', KEYS[2])}`;
const GET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
return {1, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}`;
const REVOKE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('SET', KEYS[3], '1', 'NX', 'EXAT', ARGV[2]) then return 1 end
return 0`;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

function client(options: RedisSessionStoreOptions, timeout: number): Redis {
  const made =
    options.client ??
    (options.url === undefined
      ? undefined
      : new Redis(options.url, {
          commandTimeout: timeout,
          connectTimeout: timeout,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: (times) => Math.min(times * 100, 1000),
        }));
  if (made === undefined) throw new TypeError('give url or client');
  made.on('error', () => {
    // surfaced per command as ERR_STORE_UNAVAILABLE
  });
  return made;
}

function decode(id: string, raw: string, revoked: boolean): Session {
  const s = JSON.parse(raw) as Stored;
  return Object.freeze({
    id,
    agent: s.agent,
    passport: bytesOf(s.passport),
    passportRef: s.passportRef,
    created: s.created,
    expires: s.expires,
    revoked,
    ...(s.delegation === undefined
      ? {}
      : {
          delegation: Object.freeze({
            ref: s.delegation.ref,
            bytes: bytesOf(s.delegation.bytes),
            principals: Object.freeze([...s.delegation.principals]),
          }),
        }),
  });
}

function encode(s: Session): Stored {
  return {
    agent: s.agent,
    passport: b64(s.passport),
    passportRef: s.passportRef,
    created: s.created,
    expires: s.expires,
    ...(s.delegation === undefined
      ? {}
      : {
          delegation: {
            ref: s.delegation.ref,
            bytes: b64(s.delegation.bytes),
            principals: [...s.delegation.principals],
          },
        }),
  };
}

const restarted = () =>
  new PassportError(
    'ERR_STORE_RESTARTED',
    'the session store restarted or lost data after this session opened: log in again',
  );

/** One store's connection: its client, its key names and its durability guard (fixed at creation). */
interface Store {
  readonly redis: Redis;
  /** The epoch marker's key. */
  readonly marker: string;
  readonly key: (kind: 'session' | 'revoked' | 'ref', id: string) => string;
  readonly guarded: DurableSession['guarded'];
}

/** The stored session (whatever its age) and the fence it is judged against. */
async function read(store: Store, id: string): Promise<{ session: Session; fence: number } | undefined> {
  const { redis, marker, key, guarded } = store;
  const { r, fence } = await guarded(
    async (m) => {
      const keys = [key('session', id), key('revoked', id)];
      const got = (await redis.eval(GET, 3, marker, ...keys, m.marker)) as [number, string?, string?];
      return { r: got, fence: m.fence };
    },
    ({ r }) => r[0] === -1,
  );
  const [, raw, revoked] = r;
  if (typeof raw !== 'string') return undefined;
  return { session: decode(id, raw, typeof revoked === 'string'), fence };
}

async function put(store: Store, s: Session): Promise<void> {
  const { redis, marker, key, guarded } = store;
  const stored = encode(s);
  await guarded(
    async (m) => {
      if (s.created < m.fence) throw restarted();
      const args = [m.marker, JSON.stringify(stored), stored.passport, s.expires];
      return (await redis.eval(
        PUT,
        3,
        marker,
        key('session', s.id),
        key('ref', s.passportRef),
        ...args,
      )) as number;
    },
    (r) => r === -1,
  );
}

async function get(store: Store, id: string): Promise<Session | undefined> {
  const found = await read(store, id);
  if (found !== undefined && found.session.created < found.fence) throw restarted();
  return found?.session;
}

async function passportByRef(store: Store, ref: string): Promise<Uint8Array | undefined> {
  const { redis, marker, key, guarded } = store;
  const found = await guarded(
    async (m) => (await redis.eval(REF, 2, marker, key('ref', ref), m.marker)) as [number, string | null],
    (r) => r[0] === -1,
  );
  return found[1] === null || found[1] === undefined ? undefined : bytesOf(found[1]);
}

async function revoke(store: Store, id: string): Promise<boolean> {
  const { redis, marker, key, guarded } = store;
  // A session from before the fence is refused anyway; its revocation is recorded all the same.
  const found = await read(store, id);
  if (found === undefined) return false;
  const r = await guarded(
    async (m) =>
      (await redis.eval(
        REVOKE,
        3,
        marker,
        key('session', id),
        key('revoked', id),
        m.marker,
        found.session.expires,
      )) as number,
    (r) => r === -1,
  );
  return r === 1;
}

export function createRedisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const timeout = options.commandTimeoutMs ?? 1000;
  const redis = client(options, timeout);
  const prefix = options.keyPrefix ?? 'agent-passport:login:';
  const marker = `${prefix}epoch`;
  const { guarded } = durableSession(redis, marker, options, timeout);
  const store: Store = Object.freeze({
    redis,
    marker,
    guarded,
    key: (kind: string, id: string) => `${prefix}${kind}:${id}`,
  });
  return Object.freeze({
    async check() {
      await guarded(
        async (s) => s,
        () => false,
      );
    },
    put: (s: Session) => put(store, s),
    get: (id: string) => get(store, id),
    passportByRef: (ref: string) => passportByRef(store, ref),
    revoke: (id: string) => revoke(store, id),
    async close() {
      redis.disconnect();
    },
  });
}

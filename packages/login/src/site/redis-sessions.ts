// SPDX-License-Identifier: Apache-2.0
// Login sessions in Redis, for a site of several instances: a session opened on one is honoured,
// and its revocation seen, on every other. Each key expires with its session (EXAT). Unreachable
// Redis is ERR_STORE_UNAVAILABLE: the call is refused (fail closed).
import { PassportError } from '@agent-passport/core';
import { Redis } from 'ioredis';
import type { Session, SessionStore } from './sessions.js';

export interface RedisSessionStoreOptions {
  /** redis://host:port, or pass `client`. */
  readonly url?: string;
  readonly client?: Redis;
  /** Default 'agent-passport:login:'. */
  readonly keyPrefix?: string;
}

interface Stored {
  agent: string;
  passport: string;
  passportRef: string;
  expires: number;
}

export interface RedisSessionStore extends SessionStore {
  close(): Promise<void>;
}

export function createRedisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const client =
    options.client ??
    (options.url !== undefined
      ? new Redis(options.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: 1000 })
      : undefined);
  if (client === undefined) throw new TypeError('give url or client');
  client.on('error', () => {
    // surfaced per command as ERR_STORE_UNAVAILABLE
  });
  const prefix = options.keyPrefix ?? 'agent-passport:login:';
  const unavailable = (cause: unknown) =>
    new PassportError('ERR_STORE_UNAVAILABLE', 'the session store cannot be reached', { cause });
  const run = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (cause) {
      throw unavailable(cause);
    }
  };
  return Object.freeze({
    put: (s: Session) =>
      run(async () => {
        const stored: Stored = {
          agent: s.agent,
          passport: Buffer.from(s.passport).toString('base64'),
          passportRef: s.passportRef,
          expires: s.expires,
        };
        await client
          .multi()
          .set(`${prefix}session:${s.id}`, JSON.stringify(stored), 'EXAT', s.expires)
          .set(`${prefix}ref:${s.passportRef}`, stored.passport, 'EXAT', s.expires)
          .exec();
      }),
    get: (id: string) =>
      run(async () => {
        const [raw, revoked] = await client.mget(`${prefix}session:${id}`, `${prefix}revoked:${id}`);
        if (raw === null || raw === undefined) return undefined;
        const s = JSON.parse(raw) as Stored;
        return Object.freeze({
          id,
          agent: s.agent,
          passport: new Uint8Array(Buffer.from(s.passport, 'base64')),
          passportRef: s.passportRef,
          expires: s.expires,
          revoked: revoked !== null && revoked !== undefined,
        });
      }),
    passportByRef: (ref: string) =>
      run(async () => {
        const b64 = await client.get(`${prefix}ref:${ref}`);
        return b64 === null ? undefined : new Uint8Array(Buffer.from(b64, 'base64'));
      }),
    revoke: (id: string) =>
      run(async () => {
        const raw = await client.get(`${prefix}session:${id}`);
        if (raw === null) return false;
        const { expires } = JSON.parse(raw) as Stored;
        return (await client.set(`${prefix}revoked:${id}`, '1', 'EXAT', expires, 'NX')) === 'OK';
      }),
    async close() {
      client.disconnect();
    },
  });
}

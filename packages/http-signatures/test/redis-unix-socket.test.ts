// SPDX-License-Identifier: Apache-2.0
// A Redis on the same machine reached over a Unix socket: `url` is the socket's path. The store
// must do over it what it does over TCP: check durability, admit a request's nonce and counters in
// one script, refuse a replay and a call past its limit, and fail closed when the socket is gone.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/redis.js';
import { haveRedis, type RunningRedis, startRedis } from './redis-server.js';

const signedNow = (seconds: number) => {
  const created = Math.floor(Date.now() / 1000);
  return { created, until: created + seconds };
};

describe.skipIf(!haveRedis())('createRedisStore over a Unix socket (needs redis-server)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis({ unixSocket: true });
  });
  afterAll(async () => redis?.stop());

  it('checks durability, admits once, refuses the replay and the call past its limit', async () => {
    expect(redis.url.endsWith('redis.sock')).toBe(true);
    const store = createRedisStore({ url: redis.url, keyPrefix: 'unix:', commandTimeoutMs: 10_000 });
    try {
      await store.check();
      const counter = [{ key: 'agent', limit: 1, ttlSeconds: 60 }];
      expect(await store.admit('n1', signedNow(60), counter)).toEqual({ first: true, exceeded: -1 });
      expect(await store.admit('n1', signedNow(60), counter)).toEqual({ first: false, exceeded: -1 });
      expect(await store.admit('n2', signedNow(60), counter)).toEqual({ first: true, exceeded: 0 });
    } finally {
      await store.close();
    }
  });

  it('refuses a socket whose Redis does not persist (ERR_STORE_NOT_DURABLE)', async () => {
    const forgetful = await startRedis({ durable: false, unixSocket: true });
    const store = createRedisStore({ url: forgetful.url, commandTimeoutMs: 10_000 });
    try {
      await expect(store.check()).rejects.toMatchObject({ code: 'ERR_STORE_NOT_DURABLE' });
    } finally {
      await store.close();
      await forgetful.stop();
    }
  });

  it('a socket nobody listens on fails closed (ERR_STORE_UNAVAILABLE)', async () => {
    const store = createRedisStore({
      url: join(redis.url, '..', 'nobody.sock'),
      commandTimeoutMs: 1000,
    });
    try {
      await expect(store.checkAndSet('n', signedNow(60))).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      });
    } finally {
      await store.close();
    }
  });
});

// SPDX-License-Identifier: Apache-2.0
// The Redis store must not forget (README "Redis configuration"): a server without persistence or
// with eviction is refused unless the operator opts out; after a restart or a flush, nonces signed
// before it are refused (their record may be gone); with AOF, nonces and counters survive a kill.
// All against real redis-server processes on loopback, restarted for real (SIGKILL).
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/redis.js';
import { infoFields, serverStart } from '../src/redis-durability.js';
import { haveRedis, type RunningRedis, startRedis } from './redis-server.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const signedAt = (created: number) => ({ created, until: created + 330 });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serverStart: the fence of a fresh data set', () => {
  it("reads the start on Redis' cached clock: a TIME one second ahead does not move it", () => {
    // Started at 100.9 s; asked at 101.02 s, before the cached clock (100.98 s) ticked over.
    const info = infoFields('# Server\r\nserver_time_usec:100980000\r\nuptime_in_seconds:0\r\n');
    expect(serverStart(info, 101)).toBe(100);
  });
  it('without server_time_usec, allows one second for the cached clock', () => {
    expect(serverStart(infoFields('uptime_in_seconds:5'), 101)).toBe(95);
  });
  it('without an uptime, fences at now', () => {
    expect(serverStart(infoFields('run_id:x'), 101)).toBe(101);
  });
});

describe.skipIf(!haveRedis())('createRedisStore: durability and restarts (needs redis-server)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const server = async (durable: boolean) => {
    const r = await startRedis({ durable });
    cleanup.push(() => r.stop());
    return r;
  };
  const store = (r: RunningRedis, extra: { allowNonDurableRedis?: boolean } = {}): RedisStore => {
    const s = createRedisStore({ url: r.url, commandTimeoutMs: 2000, ...extra });
    cleanup.push(() => s.close());
    return s;
  };
  /** Calls until the restarted server answers (the client reconnects on its own). */
  const settle = async (f: () => Promise<unknown>) => {
    for (let i = 0; ; i++) {
      try {
        return await f();
      } catch (e) {
        if ((e as { code?: string }).code !== 'ERR_STORE_UNAVAILABLE' || i > 50) throw e;
        await pause(100);
      }
    }
  };

  it("accepts a request signed in the second a fresh server started (on the server's clock)", async () => {
    const r = await server(true);
    const probe = new Redis(r.url);
    const info = infoFields(await probe.info('server'));
    await probe.quit();
    const started =
      Math.floor(Number(info.get('server_time_usec')) / 1e6) - Number(info.get('uptime_in_seconds'));
    await expect(store(r).checkAndSet('signed-at-start', signedAt(started))).resolves.toBe(true);
    await expect(store(r).checkAndSet('signed-before', signedAt(started - 1))).rejects.toMatchObject({
      code: 'ERR_STORE_RESTARTED',
    });
  });
  it('refuses a Redis without persistence (ERR_STORE_NOT_DURABLE) at check() and on every call', async () => {
    const r = await server(false);
    const s = store(r);
    await expect(s.check()).rejects.toMatchObject({ code: 'ERR_STORE_NOT_DURABLE' });
    await expect(s.checkAndSet('n', signedAt(nowSeconds()))).rejects.toMatchObject({
      code: 'ERR_STORE_NOT_DURABLE',
    });
    await expect(s.increment('u', 5, 60)).rejects.toMatchObject({ code: 'ERR_STORE_NOT_DURABLE' });
    await expect(store(r, { allowNonDurableRedis: true }).check()).resolves.toBeUndefined();
  });

  it('refuses a Redis that evicts keys when full (ERR_STORE_NOT_DURABLE), also after a live change', async () => {
    const r = await server(true);
    const s = store(r);
    expect(await s.checkAndSet('n1', signedAt(nowSeconds()))).toBe(true);
    const admin = new Redis(r.url);
    cleanup.push(async () => admin.disconnect());
    await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
    await expect(store(r).check()).rejects.toMatchObject({ code: 'ERR_STORE_NOT_DURABLE' });
    // The running client checks again on its next connection.
    await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await pause(300);
    await expect(settle(() => s.checkAndSet('n2', signedAt(nowSeconds())))).rejects.toMatchObject({
      code: 'ERR_STORE_NOT_DURABLE',
    });
  });

  it('a restart without persistence (operator opted out): 25 of 25 replays refused with ERR_STORE_RESTARTED', async () => {
    const r = await server(false);
    const s = store(r, { allowNonDurableRedis: true });
    const created = nowSeconds();
    for (let i = 0; i < 25; i++) expect(await s.checkAndSet(`nonce-${i}`, signedAt(created))).toBe(true);
    await pause(1100); // the restart falls in a later second than `created`
    await r.restart();
    const replays = [];
    for (let i = 0; i < 25; i++) {
      replays.push(
        await settle(() => s.checkAndSet(`nonce-${i}`, signedAt(created))).then(
          (first) => (first ? 'admitted' : 'ERR_REPLAY'),
          (e: { code?: string }) => e.code,
        ),
      );
    }
    expect(replays).toEqual(Array(25).fill('ERR_STORE_RESTARTED'));
    // An instance that connects only after the restart refuses them too (the fence is in Redis).
    const late = store(r, { allowNonDurableRedis: true });
    await expect(late.checkAndSet('nonce-0', signedAt(created))).rejects.toMatchObject({
      code: 'ERR_STORE_RESTARTED',
    });
    // A request signed after the restart is admitted once.
    await pause(1100);
    const fresh = signedAt(nowSeconds());
    expect(await s.checkAndSet('nonce-new', fresh)).toBe(true);
    expect(await late.checkAndSet('nonce-new', fresh)).toBe(false);
  }, 30_000);

  it('a flush (same server, data gone) is detected by the epoch marker: old nonces ERR_STORE_RESTARTED', async () => {
    const r = await server(true);
    const s = store(r);
    const created = nowSeconds();
    expect(await s.checkAndSet('before-flush', signedAt(created))).toBe(true);
    await pause(1100);
    const admin = new Redis(r.url);
    cleanup.push(async () => admin.disconnect());
    await admin.flushall();
    await expect(s.checkAndSet('before-flush', signedAt(created))).rejects.toMatchObject({
      code: 'ERR_STORE_RESTARTED',
    });
  });

  it('with AOF, a killed Redis comes back with its counters: maxCalls 5 stays 5 across the restart', async () => {
    const r = await server(true);
    const s = store(r);
    const created = nowSeconds();
    for (let i = 0; i < 5; i++) expect((await s.increment('agent', 5, 3600)).ok).toBe(true);
    expect(await s.checkAndSet('kept', signedAt(created))).toBe(true);
    await pause(1100); // appendfsync everysec: on disk within a second (a process kill loses nothing)
    await r.restart();
    const after = [];
    for (let i = 0; i < 5; i++) after.push(await settle(() => s.increment('agent', 5, 3600)));
    expect(after.filter((x) => (x as { ok: boolean }).ok)).toHaveLength(0);
    // The nonce is also still there; it is refused before that, as signed before the restart.
    await expect(s.checkAndSet('kept', signedAt(created))).rejects.toMatchObject({
      code: 'ERR_STORE_RESTARTED',
    });
    const admin = new Redis(r.url);
    cleanup.push(async () => admin.disconnect());
    expect(await admin.exists('agent-passport:nonce:kept')).toBe(1);
  }, 30_000);
});

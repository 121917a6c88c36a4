// SPDX-License-Identifier: Apache-2.0
// Replay and usage stores: in memory, and a real Redis shared by two verifier processes. A nonce is
// accepted once across all of them, usage counts are exact, and a dead Redis refuses (fail closed).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/index.js';
import { createRedisStore } from '../src/redis.js';
import { haveRedis, type RunningRedis, startRedis } from './redis-server.js';

const run = promisify(execFile);
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** A request signed now, remembered for `seconds`. */
const signedNow = (seconds: number, created = nowSeconds()) => ({ created, until: created + seconds });

describe('createMemoryStore', () => {
  it('accepts a nonce once until its window ends', async () => {
    let t = 0;
    const store = createMemoryStore({ now: () => t });
    expect(await store.checkAndSet('n1', { created: 0, until: 10 })).toBe(true);
    expect(await store.checkAndSet('n1', { created: 0, until: 10 })).toBe(false);
    t = 10_001;
    expect(await store.checkAndSet('n1', { created: 0, until: 10 })).toBe(true);
  });

  it('a nonce expires at created + window, not window after first sight', async () => {
    let t = 8_000;
    const store = createMemoryStore({ now: () => t });
    expect(await store.checkAndSet('late', { created: 0, until: 10 })).toBe(true);
    t = 9_999;
    expect(await store.checkAndSet('late', { created: 0, until: 10 })).toBe(false);
    t = 10_001;
    expect(await store.checkAndSet('late', { created: 0, until: 10 })).toBe(true);
  });

  it('counts usage exactly under concurrency and refuses past the limit', async () => {
    const store = createMemoryStore();
    const results = await Promise.all(Array.from({ length: 120 }, () => store.increment('agent-1', 50, 60)));
    expect(results.filter((r) => r.ok).length).toBe(50);
    expect(await store.increment('agent-1', 50, 60)).toEqual({ ok: false, count: 50 });
  });

  it('when full of live nonces, refuses new ones (ERR_STORE_FULL) rather than forget one', async () => {
    let t = 0;
    const store = createMemoryStore({ maxEntries: 2, now: () => t });
    const w = { created: 0, until: 10 };
    await store.checkAndSet('a', w);
    await store.checkAndSet('b', w);
    await expect(store.checkAndSet('c', w)).rejects.toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(await store.checkAndSet('a', w)).toBe(false);
    t = 20_000;
    expect(await store.checkAndSet('c', { created: 15, until: 25 })).toBe(true);
  });

  it('validates arguments (TypeError, RangeError)', async () => {
    const store = createMemoryStore();
    await expect(store.checkAndSet('', { created: 0, until: 10 })).rejects.toBeInstanceOf(TypeError);
    await expect(store.checkAndSet('x', { created: 10, until: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.checkAndSet('x', 10 as never)).rejects.toBeInstanceOf(RangeError);
    await expect(store.checkAndSet('x', { created: 0.5, until: 10 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.increment('x', -1, 10)).rejects.toBeInstanceOf(RangeError);
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});

describe.skipIf(!haveRedis())('createRedisStore against a real redis-server (needs redis-server)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());

  it('accepts a nonce once and counts usage with TTLs', async () => {
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: `t1:${Date.now()}:`,
      commandTimeoutMs: 10_000,
    });
    try {
      expect(await store.checkAndSet('nonce-a', signedNow(60))).toBe(true);
      expect(await store.checkAndSet('nonce-a', signedNow(60))).toBe(false);
      expect(await store.increment('agent', 2, 60)).toEqual({ ok: true, count: 1 });
      expect(await store.increment('agent', 2, 60)).toEqual({ ok: true, count: 2 });
      expect(await store.increment('agent', 2, 60)).toEqual({ ok: false, count: 2 });
      expect(await store.checkAndSet('nonce-short', signedNow(1))).toBe(true);
      await new Promise((r) => setTimeout(r, 2100));
      expect(await store.checkAndSet('nonce-short', signedNow(1))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a nonce expires at created + window (absolute, EXAT), not window after first sight', async () => {
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: `t-exat:${Date.now()}:`,
      commandTimeoutMs: 10_000,
    });
    try {
      // Valid for 3 s from `created`, first seen 2 s after it: gone 1 s later, not 3 s later.
      const created = nowSeconds();
      const w = { created, until: created + 3 };
      await new Promise((r) => setTimeout(r, 2000));
      expect(await store.checkAndSet('late', w)).toBe(true);
      expect(await store.checkAndSet('late', w)).toBe(false);
      await new Promise((r) => setTimeout(r, 2100));
      expect(await store.checkAndSet('late', w)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('two verifier processes, 200 concurrent duplicates: exactly one nonce accepted, usage exactly at the limit', async () => {
    const worker = join(import.meta.dirname, 'store-worker.mjs');
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'index.js')))
      throw new Error('build the package first');
    const nonce = `dup-${Date.now()}`;
    const usage = `usage-${Date.now()}`;
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        run(process.execPath, [worker, redis.url, nonce, usage, '50', '100'], { timeout: 30_000 }),
      ),
    );
    const ra = JSON.parse(a!.stdout) as { firsts: number; granted: number };
    const rb = JSON.parse(b!.stdout) as { firsts: number; granted: number };
    expect(ra.firsts + rb.firsts).toBe(1);
    expect(ra.granted + rb.granted).toBe(50);
  });

  it('when Redis is gone, calls fail closed with ERR_STORE_UNAVAILABLE within the timeout', async () => {
    const other = await startRedis();
    const store = createRedisStore({ url: other.url, commandTimeoutMs: 2000 });
    expect(await store.checkAndSet('before', signedNow(60))).toBe(true);
    await other.stop();
    const started = Date.now();
    await expect(store.checkAndSet('after', signedNow(60))).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    await expect(store.increment('after', 5, 60)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(10_000); // two 2 s timeouts at most, not a hang
    await store.close();
  });
});

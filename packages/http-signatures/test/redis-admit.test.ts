// SPDX-License-Identifier: Apache-2.0
// The Redis store's one-round-trip admission (`admit`): the nonce and every counter of a request in
// one script, run by EVALSHA. It must answer exactly what checkAndSet then increment (counter by
// counter) answer (a differential property test against the same server), hold across processes,
// keep the durability fence, and survive a server that forgot its scripts (SCRIPT FLUSH).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/redis.js';
import type { Admission, UsageCount } from '../src/stores.js';
import { haveRedis, type RunningRedis, startRedis } from './redis-server.js';

const run = promisify(execFile);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const signedAt = (created: number) => ({ created, until: created + 330 });

/** The reference: the calls `admit` replaces, one after another. */
async function sequential(
  store: RedisStore,
  nonce: string,
  window: { created: number; until: number },
  counters: readonly UsageCount[],
): Promise<Admission> {
  if (!(await store.checkAndSet(nonce, window))) return { first: false, exceeded: -1 };
  for (const [i, c] of counters.entries())
    if (!(await store.increment(c.key, c.limit, c.ttlSeconds)).ok) return { first: true, exceeded: i };
  return { first: true, exceeded: -1 };
}

/** Commands the server ran, by name (INFO commandstats). */
async function commandCalls(admin: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await admin.info('commandstats')).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm))
    out.set(m[1] as string, Number(m[2]));
  return out;
}

describe.skipIf(!haveRedis())('createRedisStore: admit (needs redis-server)', () => {
  let redis: RunningRedis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });
  const store = (prefix: string) =>
    createRedisStore({ url: redis.url, keyPrefix: prefix, commandTimeoutMs: 10_000 });

  it('answers exactly what checkAndSet then increment answer, and leaves the same counts (property)', {
    timeout: 0,
  }, async () => {
    const op = fc.record({
      nonce: fc.integer({ min: 0, max: 5 }),
      counters: fc.uniqueArray(
        fc.record({ key: fc.integer({ min: 0, max: 3 }), limit: fc.integer({ min: 0, max: 4 }) }),
        {
          maxLength: 3,
          selector: (c) => c.key,
        },
      ),
    });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        round += 1;
        const fast = store(`admit:${round}:`);
        const reference = store(`seq:${round}:`);
        try {
          const window = signedAt(nowSeconds());
          for (const o of ops) {
            const counters = o.counters.map((c) => ({ key: `c${c.key}`, limit: c.limit, ttlSeconds: 60 }));
            const got = await fast.admit(`n${o.nonce}`, window, counters);
            expect(got).toEqual(await sequential(reference, `n${o.nonce}`, window, counters));
          }
          for (let c = 0; c < 4; c++)
            expect(await admin.get(`admit:${round}:usage:c${c}`)).toBe(
              await admin.get(`seq:${round}:usage:c${c}`),
            );
        } finally {
          await fast.close();
          await reference.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('runs its script by EVALSHA, and after SCRIPT FLUSH loads it again once and goes on', async () => {
    const s = store(`sha:${Date.now()}:`);
    try {
      const window = signedAt(nowSeconds());
      const counter = [{ key: 'agent', limit: 100, ttlSeconds: 60 }];
      expect(await s.admit('warm', window, counter)).toEqual({ first: true, exceeded: -1 });
      await admin.config('RESETSTAT');
      for (let i = 0; i < 20; i++) expect((await s.admit(`a${i}`, window, counter)).first).toBe(true);
      let calls = await commandCalls(admin);
      expect(calls.get('evalsha')).toBe(20);
      expect(calls.get('eval') ?? 0).toBe(0);
      await admin.script('FLUSH');
      await admin.config('RESETSTAT');
      for (let i = 0; i < 20; i++)
        expect(await s.admit(`b${i}`, window, counter)).toEqual({ first: true, exceeded: -1 });
      expect(await s.admit('b0', window, counter)).toEqual({ first: false, exceeded: -1 });
      calls = await commandCalls(admin);
      // The first call found no script (NOSCRIPT) and ran it by EVAL, which cached it again.
      expect(calls.get('eval')).toBe(1);
      // 21 answered by EVALSHA (the NOSCRIPT attempt counts as rejected on Redis 7, as a call on older).
      expect(calls.get('evalsha')).toBeGreaterThanOrEqual(21);
    } finally {
      await s.close();
    }
  });

  it('concurrent requests after SCRIPT FLUSH all get their answer (auto-pipelined)', async () => {
    const s = store(`flush-burst:${Date.now()}:`);
    try {
      const window = signedAt(nowSeconds());
      await s.check();
      await admin.script('FLUSH');
      const counter = [{ key: 'agent', limit: 30, ttlSeconds: 60 }];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => s.admit(`c${i}`, window, counter)),
      );
      expect(results.filter((r) => r.first && r.exceeded === -1)).toHaveLength(30);
      expect(results.filter((r) => r.exceeded === 0)).toHaveLength(20);
    } finally {
      await s.close();
    }
  });

  it("a lone admission (written at once) and concurrent ones (auto-pipelined) keep a given client's keyPrefix", async () => {
    const client = new Redis(redis.url, {
      keyPrefix: 'own:',
      enableAutoPipelining: true,
      maxRetriesPerRequest: 0,
    });
    const prefix = `lane:${Date.now()}:`;
    const s = createRedisStore({ client, keyPrefix: prefix, commandTimeoutMs: 10_000 });
    try {
      const window = signedAt(nowSeconds());
      const counter = [{ key: 'agent', limit: 6, ttlSeconds: 60 }];
      expect(await s.admit('lone', window, counter)).toEqual({ first: true, exceeded: -1 });
      expect(await s.admit('lone', window, counter)).toEqual({ first: false, exceeded: -1 });
      const burst = await Promise.all(
        Array.from({ length: 8 }, (_, i) => s.admit(`burst${i % 4}`, window, counter)),
      );
      expect(burst.filter((r) => r.first)).toHaveLength(4);
      expect(burst.filter((r) => r.first && r.exceeded === -1)).toHaveLength(4);
      expect(await admin.exists(`own:${prefix}nonce:lone`, `own:${prefix}nonce:burst3`)).toBe(2);
      expect(await admin.get(`own:${prefix}usage:agent`)).toBe('5');
      expect(await s.admit('last', window, counter)).toEqual({ first: true, exceeded: -1 });
      expect(await s.admit('over', window, counter)).toEqual({ first: true, exceeded: 0 });
    } finally {
      await s.close();
    }
  });

  it('keeps the durability fence: after a flush, a request signed before it is ERR_STORE_RESTARTED', async () => {
    const other = await startRedis();
    const s = createRedisStore({ url: other.url, commandTimeoutMs: 10_000 });
    const otherAdmin = new Redis(other.url);
    try {
      const created = nowSeconds();
      expect(await s.admit('before-flush', signedAt(created), [])).toEqual({ first: true, exceeded: -1 });
      await new Promise((r) => setTimeout(r, 1100));
      await otherAdmin.flushall();
      await expect(s.admit('before-flush', signedAt(created), [])).rejects.toMatchObject({
        code: 'ERR_STORE_RESTARTED',
      });
      expect(await s.admit('after-flush', signedAt(nowSeconds()), [])).toEqual({ first: true, exceeded: -1 });
    } finally {
      otherAdmin.disconnect();
      await s.close();
      await other.stop();
    }
  });

  it('validates its arguments (RangeError, TypeError)', async () => {
    const s = store(`args:${Date.now()}:`);
    try {
      await expect(s.admit('', signedAt(nowSeconds()), [])).rejects.toBeInstanceOf(TypeError);
      await expect(s.admit('n', { created: 10, until: 0 }, [])).rejects.toBeInstanceOf(RangeError);
      await expect(
        s.admit('n', signedAt(nowSeconds()), [{ key: 'k', limit: -1, ttlSeconds: 5 }]),
      ).rejects.toBeInstanceOf(RangeError);
    } finally {
      await s.close();
    }
  });

  it('two verifier processes: one replayed nonce admitted once; root and leaf limits exact', async () => {
    const worker = join(import.meta.dirname, 'store-admit-worker.mjs');
    const tag = `two-${Date.now()}`;
    const out = await Promise.all(
      [0, 1].map(() =>
        run(process.execPath, [worker, redis.url, tag, '30', '20', '40'], { timeout: 30_000 }),
      ),
    );
    const [a, b] = out.map(
      (o) => JSON.parse(o.stdout) as { firsts: number; admitted: number; refusedAtLeaf: number },
    );
    expect((a?.firsts ?? 0) + (b?.firsts ?? 0)).toBe(1);
    expect((a?.admitted ?? 0) + (b?.admitted ?? 0)).toBe(20);
    // The root took 30 calls: the 20 admitted and 10 that its leaf then refused (as the calls
    // one after another would have counted them).
    expect((a?.refusedAtLeaf ?? 0) + (b?.refusedAtLeaf ?? 0)).toBe(10);
    expect(await admin.get(`agent-passport:usage:${tag}:root`)).toBe('30');
    expect(await admin.get(`agent-passport:usage:${tag}:leaf`)).toBe('20');
  }, 60_000);
});

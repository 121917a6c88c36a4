// SPDX-License-Identifier: Apache-2.0
// The memory store's one-step admission, synchronous (`admitNow`) and awaited (`admit`), against
// the reference calls (checkAndSet, then increment per counter until one is at its limit) on a
// second store: the same answers, the same failures (a full store, bad arguments), and the same
// state left behind, over random sequences (fixed numRuns) that include expiry and a small capacity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  hasAdmitNow,
  type MemoryStore,
  type NonceWindow,
  type UsageCount,
} from '../src/index.js';

type Outcome = { first: boolean; exceeded: number } | { code: unknown };

async function sequential(
  store: MemoryStore,
  key: string,
  window: NonceWindow,
  counters: readonly UsageCount[],
) {
  if (!(await store.checkAndSet(key, window))) return { first: false, exceeded: -1 };
  for (const [i, c] of counters.entries())
    if (!(await store.increment(c.key, c.limit, c.ttlSeconds)).ok) return { first: true, exceeded: i };
  return { first: true, exceeded: -1 };
}

async function outcome(step: () => unknown): Promise<Outcome> {
  try {
    return (await step()) as Outcome;
  } catch (cause) {
    return { code: (cause as { code?: unknown }).code ?? (cause as Error).name };
  }
}

describe('the memory store admits in one step exactly as the calls one by one', () => {
  it('admitNow and admit against checkAndSet then increment (property)', { timeout: 0 }, async () => {
    const op = fc.record({
      nonce: fc.integer({ min: 0, max: 6 }),
      advance: fc.integer({ min: 0, max: 4000 }),
      counters: fc.uniqueArray(
        fc.record({ key: fc.integer({ min: 0, max: 3 }), limit: fc.integer({ min: 0, max: 3 }) }),
        { maxLength: 3, selector: (c) => c.key },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc.array(op, { minLength: 1, maxLength: 30 }),
        async (max, ops) => {
          let t = 0;
          const now = () => t;
          const [sync, awaited, reference] = [0, 1, 2].map(() => createMemoryStore({ maxEntries: max, now }));
          for (const o of ops) {
            t += o.advance;
            const window = { created: Math.floor(t / 1000), until: Math.floor(t / 1000) + 5 };
            const counters = o.counters.map((c) => ({ key: `c${c.key}`, limit: c.limit, ttlSeconds: 3 }));
            const key = `n${o.nonce}`;
            const expected = await outcome(() => sequential(reference as MemoryStore, key, window, counters));
            expect(await outcome(() => (sync as MemoryStore).admitNow(key, window, counters))).toEqual(
              expected,
            );
            expect(await outcome(() => (awaited as MemoryStore).admit(key, window, counters))).toEqual(
              expected,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is synchronous, and validates its arguments before it changes anything', () => {
    const store = createMemoryStore({ now: () => 0 });
    expect(hasAdmitNow(store)).toBe(true);
    const window = { created: 0, until: 10 };
    expect(store.admitNow('n', window, [{ key: 'c', limit: 1, ttlSeconds: 5 }])).toEqual({
      first: true,
      exceeded: -1,
    });
    expect(store.admitNow('n', window, [])).toEqual({ first: false, exceeded: -1 });
    expect(() => store.admitNow('m', window, [{ key: 'c', limit: -1, ttlSeconds: 5 }])).toThrow(RangeError);
    expect(() => store.admitNow('', window, [])).toThrow(TypeError);
    // The refused call left no nonce behind.
    expect(store.admitNow('m', window, [{ key: 'c', limit: 2, ttlSeconds: 5 }])).toEqual({
      first: true,
      exceeded: -1,
    });
    expect(store.admitNow('o', window, [{ key: 'c', limit: 2, ttlSeconds: 5 }])).toEqual({
      first: true,
      exceeded: 0,
    });
  });
});

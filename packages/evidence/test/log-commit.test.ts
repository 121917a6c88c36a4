// SPDX-License-Identifier: Apache-2.0
// The evidence log's group commit: one batch per turn of calls, in call order, each call settled by
// its batch's commit, and a call made after a batch settled gets a batch of its own.
import { describe, expect, it } from 'vitest';
import { createGroupCommit, type Pending } from '../src/log-commit.js';

function recorder(fail?: (n: number) => boolean) {
  const batches: number[][] = [];
  const commit = (batch: readonly Pending<number, string>[]) => {
    batches.push(batch.map((p) => p.value));
    if (batch.some((p) => fail?.(p.value))) throw new Error('the batch failed');
    for (const p of batch) p.value < 0 ? p.reject(new Error(`bad ${p.value}`)) : p.resolve(`#${p.value}`);
  };
  return { batches, enqueue: createGroupCommit<number, string>(commit) };
}

describe('createGroupCommit', () => {
  it('commits every call of one turn in one batch, in call order, after the turn ends', async () => {
    const { batches, enqueue } = recorder();
    const calls = [enqueue(1), enqueue(2), enqueue(3)];
    expect(batches).toEqual([]);
    await expect(Promise.all(calls)).resolves.toEqual(['#1', '#2', '#3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gives a call made by a caller resumed from a batch a batch of its own', async () => {
    const { batches, enqueue } = recorder();
    const later = enqueue(1).then(() => enqueue(2));
    await expect(later).resolves.toBe('#2');
    expect(batches).toEqual([[1], [2]]);
  });

  it('settles each call as its commit says', async () => {
    const { batches, enqueue } = recorder();
    const [ok, bad] = [enqueue(4), enqueue(-5)];
    await expect(ok).resolves.toBe('#4');
    await expect(bad).rejects.toThrow('bad -5');
    expect(batches).toEqual([[4, -5]]);
  });

  it('fails every call of a batch whose commit throws, and the next batch still commits', async () => {
    const { batches, enqueue } = recorder((n) => n === 7);
    const [a, b] = [enqueue(6), enqueue(7)];
    await expect(a).rejects.toThrow('the batch failed');
    await expect(b).rejects.toThrow('the batch failed');
    await expect(enqueue(8)).resolves.toBe('#8');
    expect(batches).toEqual([[6, 7], [8]]);
  });
});

// SPDX-License-Identifier: Apache-2.0
// Where the audit's entries are re-verified: in this thread (a small log: no worker start-up), or
// on worker threads, each building its checker once and checking batches of lines.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrustBundle } from '@agent-passport/trust-bundle';
import { createEntryChecker, type EntryChecker, type LineItem, type LineResult } from './check-entry.js';
import type { CheckerInit } from './checker-trust.js';

export interface Pool {
  /** Synchronous when every line of the batch could be checked at once. */
  run(items: readonly LineItem[]): LineResult[] | Promise<LineResult[]>;
  close(): Promise<void>;
  /** Checks in this thread: a batch must be answered before the next is handed over. */
  readonly inThread: boolean;
}

const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };

function workerUrl(): URL {
  // From dist the worker sits beside this file; from source (tests) it is the built one.
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? new URL('../dist/audit-worker.js', import.meta.url)
    : new URL('./audit-worker.js', import.meta.url);
}

/** The batch's lines one after the other: a line that must wait is waited for before the next. */
export function checkBatch(
  checker: EntryChecker,
  items: readonly LineItem[],
): LineResult[] | Promise<LineResult[]> {
  const out: LineResult[] = [];
  for (let i = 0; i < items.length; i++) {
    const r = checker.checkNow(items[i] as LineItem);
    if (r instanceof Promise) return finishBatch(checker, items, i, r, out);
    out.push(r);
  }
  return out;
}

async function finishBatch(
  checker: EntryChecker,
  items: readonly LineItem[],
  from: number,
  pending: Promise<LineResult>,
  out: LineResult[],
): Promise<LineResult[]> {
  out.push(await pending);
  for (let i = from + 1; i < items.length; i++) {
    const r = checker.checkNow(items[i] as LineItem);
    out.push(r instanceof Promise ? await r : r);
  }
  return out;
}

async function inThread(init: CheckerInit, verified?: readonly TrustBundle[]): Promise<Pool> {
  const checker = await createEntryChecker(init, verified);
  return { run: (items) => checkBatch(checker, items), close: async () => {}, inThread: true };
}

/** One batch on one worker, answered by its id. */
function ask(w: Worker, id: number, items: readonly LineItem[]): Promise<LineResult[]> {
  return new Promise<LineResult[]>((resolve, reject) => {
    const onMessage = (m: { id: number; results?: LineResult[]; error?: string }) => {
      if (m.id !== id) return;
      w.off('message', onMessage);
      w.off('error', reject);
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.results as LineResult[]);
    };
    w.on('message', onMessage);
    w.once('error', reject);
    w.postMessage({ id, items });
  });
}

function onWorkers(init: CheckerInit, size: number): Pool {
  const url = workerUrl();
  if (!existsSync(url))
    throw new Error(`build @agent-passport/evidence first: ${fileURLToPath(url)} is missing`);
  // A plain worker: not the test runner's loader flags (which resolve TypeScript sources). Its live
  // data is small (the checker and its bounded caches) and its garbage short-lived: a small young
  // generation and a bounded old one keep each worker's memory, not just its live data, small.
  const workers = Array.from(
    { length: size },
    () => new Worker(url, { workerData: init, execArgv: [], resourceLimits: WORKER_HEAP }),
  );
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  let nextId = 0;
  const take = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop();
      if (w !== undefined) resolve(w);
      else waiting.push(resolve);
    });
  const give = (w: Worker) => {
    const next = waiting.shift();
    if (next !== undefined) next(w);
    else idle.push(w);
  };
  return {
    async run(items) {
      const w = await take();
      try {
        return await ask(w, nextId++, items);
      } finally {
        give(w);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
    inThread: false,
  };
}

/** `verified`: the bundles of `init`, verified already (used in this thread; workers verify their own). */
export function createPool(
  init: CheckerInit,
  size: number,
  verified?: readonly TrustBundle[],
): Promise<Pool> {
  return size === 0 ? inThread(init, verified) : Promise.resolve(onWorkers(init, size));
}

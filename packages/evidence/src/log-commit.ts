// SPDX-License-Identifier: Apache-2.0
// Group commit for the evidence log: values are queued in call order and handed to `commit` in
// batches, one batch for every call made before the current turn ends, so that one write and one
// fsync acknowledge them all. `commit` settles each pending call (record() resolves only after its
// fsync); the queue only decides when.

export interface Pending<V, R> {
  readonly value: V;
  /** The call succeeded with `result`. */
  readonly resolve: (result: R) => void;
  /** The call failed with `error`. */
  readonly reject: (error: Error) => void;
}

/** A queue that commits in batches; the function it returns enqueues a value and settles as its commit says. */
export function createGroupCommit<V, R>(
  commit: (batch: readonly Pending<V, R>[]) => void,
): (value: V) => Promise<R> {
  let queue: Pending<V, R>[] = [];
  let flushing: Promise<void> | undefined;

  function drain(): void {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        commit(batch);
      } catch (e) {
        // A commit that throws settles nothing itself: its calls fail, none is left waiting.
        const error = e instanceof Error ? e : new Error(String(e));
        for (const p of batch) p.reject(error);
      }
    }
  }

  function flush(): Promise<void> {
    if (flushing !== undefined) return flushing;
    flushing = (async () => {
      await Promise.resolve();
      try {
        drain();
      } finally {
        // Cleared in the same turn as the last empty-queue check: a write queued by a caller
        // resumed from this batch starts its own flush instead of waiting on a finished one.
        flushing = undefined;
      }
    })();
    return flushing;
  }

  return (value) =>
    new Promise((resolve, reject) => {
      queue.push({ value, resolve, reject });
      void flush();
    });
}

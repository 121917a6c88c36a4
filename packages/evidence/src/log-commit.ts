// SPDX-License-Identifier: Apache-2.0
// Group commit for the evidence log: values are queued in call order and handed to `commit` in
// batches, one batch for every call made before the current turn ends, so that one write and one
// fsync acknowledge them all. `commit` settles each pending call (record() resolves only after its
// fsync); the queue only decides when.

export interface Pending<T> {
  /** The value's line, as it goes to the file. */
  readonly line: string;
  readonly value: T;
  /** Settle the call: resolve with the value, or reject with `error`. */
  readonly done: (error?: Error) => void;
}

/** A queue that commits in batches; the function it returns enqueues a value and settles with it. */
export function createGroupCommit<T>(
  toLine: (value: T) => string,
  commit: (batch: readonly Pending<T>[]) => void,
): (value: T) => Promise<T> {
  let queue: Pending<T>[] = [];
  let flushing: Promise<void> | undefined;

  function drain(): void {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      commit(batch);
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
      queue.push({ line: toLine(value), value, done: (e) => (e ? reject(e) : resolve(value)) });
      void flush();
    });
}

// SPDX-License-Identifier: Apache-2.0
// A bounded map that forgets its oldest entry when full: memoised keys, documents, verified
// passports. Insertion order is the eviction order (a Map iterates in insertion order).

export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  /** Remember `value`; when the cache is full, the oldest entry is dropped first. */
  set(key: K, value: V): void;
  readonly size: number;
}

/** A FIFO cache of at most `capacity` entries; capacity 0 remembers nothing. */
export function createBoundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new RangeError('capacity must be a non-negative integer');
  const entries = new Map<K, V>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      if (capacity === 0) return;
      if (!entries.has(key) && entries.size >= capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(key, value);
    },
    get size() {
      return entries.size;
    },
  };
}

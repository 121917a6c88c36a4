// SPDX-License-Identifier: Apache-2.0
// Replay detection across a log in bounded memory: a nonce can only be accepted again while its
// signature is still valid, so a nonce is remembered only for that window after its entry's time
// (the audit's signature age plus skew on both sides, and a margin for entries recorded slightly out
// of order), then forgotten. Memory follows the log's rate, not its length.
import { AUDIT_MAX_AGE_SECONDS, AUDIT_SKEW_SECONDS } from './checker-context.js';

/** How long after an entry its nonce could still be accepted again (ms). */
export const REPLAY_WINDOW_MS = (AUDIT_MAX_AGE_SECONDS + 2 * AUDIT_SKEW_SECONDS + 60) * 1000;

export interface NonceWindow {
  /** The seq of the entry that first used this nonce (undefined: none in the window); remembers it. */
  seen(keyId: string, nonce: string, seq: number, timeMs: number): number | undefined;
  /** Nonces remembered now. */
  readonly size: number;
}

export function createNonceWindow(windowMs = REPLAY_WINDOW_MS): NonceWindow {
  /** Signing keys are few: each gets a short number, so a remembered nonce is a short key. */
  const keys = new Map<string, number>();
  const nonces = new Map<string, { readonly seq: number; readonly until: number }>();
  let latest = Number.NEGATIVE_INFINITY;
  function evict(): void {
    for (const [k, v] of nonces) {
      if (v.until >= latest) return;
      nonces.delete(k);
    }
  }
  return {
    seen(keyId, nonce, seq, timeMs) {
      let k = keys.get(keyId);
      if (k === undefined) {
        k = keys.size;
        keys.set(keyId, k);
      }
      const key = `${k} ${nonce}`;
      const before = nonces.get(key);
      if (before !== undefined) return before.seq;
      if (timeMs > latest) latest = timeMs;
      evict();
      nonces.set(key, { seq, until: timeMs + windowMs });
      return undefined;
    },
    get size() {
      return nonces.size;
    },
  };
}

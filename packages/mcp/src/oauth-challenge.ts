// SPDX-License-Identifier: Apache-2.0
// The OAuth door's presentation challenges. A challenge is its expiry and randomness, MACed: any
// process holding the key can check it; the replay store makes each one single use.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ReplayStore } from '@agent-passport/http-signatures';

export interface ChallengeKeys {
  /** The MAC key (32 bytes or more). */
  readonly key: Uint8Array;
  /** Challenge lifetime in seconds. */
  readonly ttlSeconds: number;
  readonly store: ReplayStore;
}

export function newChallenge(keys: ChallengeKeys, now: Date): string {
  const body = `${Math.floor(now.getTime() / 1000) + keys.ttlSeconds}.${randomBytes(16).toString('base64url')}`;
  return `${body}.${createHmac('sha256', keys.key).update(body).digest('base64url')}`;
}

export async function challengeValid(keys: ChallengeKeys, challenge: string, now: Date): Promise<boolean> {
  const [exp, nonce, mac] = challenge.split('.');
  if (exp === undefined || nonce === undefined || mac === undefined) return false;
  const want = createHmac('sha256', keys.key).update(`${exp}.${nonce}`).digest();
  const got = Buffer.from(mac, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return false;
  if (Number(exp) <= Math.floor(now.getTime() / 1000)) return false;
  // Single use until the challenge expires (an absolute window, as for request nonces).
  return keys.store.checkAndSet(`mcp-challenge:${nonce}`, {
    created: Number(exp) - keys.ttlSeconds,
    until: Number(exp),
  });
}

// SPDX-License-Identifier: Apache-2.0
// Exchange ids sealed with the site's secret (HMAC-SHA256): any instance holding the secret can
// answer an exchange another instance created, with no shared state but the replay store, where
// the challenge is consumed exactly once. The id binds the workflow, the site's DID, a random part
// and the expiry; the challenge and the proof-of-work seed are derived from the id.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Sealer {
  /** A new exchange id, valid until `expires` (seconds since the epoch). */
  exchangeId(expires: number): string;
  /** The expiry and creation of a sealed id, or undefined when the seal does not hold. */
  open(id: string): { readonly expires: number } | undefined;
  /** The challenge of an exchange (256 bits, base64url). */
  challenge(id: string): string;
  /** The proof-of-work seed of an exchange for one agent. */
  powSeed(id: string, agent: string): string;
}

export function createSealer(secret: Uint8Array, workflow: string, did: string): Sealer {
  if (!(secret instanceof Uint8Array) || secret.length < 32)
    throw new TypeError('secret must be at least 32 bytes (shared by every instance of the site)');
  const key = Buffer.from(secret);
  const mac = (label: string, value: string) =>
    createHmac('sha256', key).update(`${label}\n${workflow}\n${did}\n${value}`).digest('base64url');
  return Object.freeze({
    exchangeId(expires: number) {
      const body = `${randomBytes(16).toString('base64url')}.${expires}`;
      return `${body}.${mac('exchange', body)}`;
    },
    open(id: string) {
      const m =
        typeof id === 'string' ? /^([A-Za-z0-9_-]{22}\.(\d{1,12}))\.([A-Za-z0-9_-]{43})$/.exec(id) : null;
      if (m === null) return undefined;
      const expected = Buffer.from(mac('exchange', m[1] as string));
      const given = Buffer.from(m[3] as string);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      return { expires: Number(m[2]) };
    },
    challenge: (id: string) => mac('challenge', id),
    powSeed: (id: string, agent: string) => mac('pow', `${id}\n${agent}`),
  });
}

// SPDX-License-Identifier: Apache-2.0
// keyVerifier (one key, imported once) against verifySignature, the path it replaces on the proof
// hot path: the same verdict on every corpus case, and on hostile signatures and data made from
// valid ones (wrong lengths, S ≥ L, r or s out of range, flipped bits). The WebCrypto back-end's
// bound verifier against its own per-call one.
import { sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as node from '../src/crypto/node.js';
import * as web from '../src/crypto/web.js';
import { keyVerifier, privateKeyObject, publicKeyFromSecret, verifySignature } from '../src/index.js';
import { type Case, decodes, ed25519Cases, p256Cases } from './corpus-cases.js';
import { hex } from './vectors.js';

const keyValid = (c: Case): boolean => decodes({ ...c, sig: new Uint8Array(64) });

/** L (Ed25519) and n (P-256), big-endian, and values at and around them. */
const L_LE = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
const N_BE = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** Signatures that probe every strict check, made from a valid one. */
function hostile(type: Case['type'], valid: Uint8Array): Uint8Array[] {
  const out = [new Uint8Array(0), valid.subarray(0, 63), new Uint8Array([...valid, 0]), new Uint8Array(64)];
  const at = (half: 0 | 1, value: Uint8Array) => {
    const s = valid.slice();
    s.set(value, half * 32);
    return s;
  };
  if (type === 'Ed25519') {
    out.push(at(1, L_LE), at(1, new Uint8Array(32).fill(0xff)));
    const belowL = L_LE.slice();
    belowL[0] = (belowL[0] as number) - 1;
    out.push(at(1, belowL));
  } else {
    out.push(at(0, N_BE), at(1, N_BE), at(0, new Uint8Array(32)), at(1, new Uint8Array(32)));
    const belowN = N_BE.slice();
    belowN[31] = (belowN[31] as number) - 1;
    out.push(at(0, belowN), at(1, belowN));
  }
  return out;
}

describe('keyVerifier: one key, imported once', () => {
  it('gives verifySignature’s verdict on every corpus case whose key decodes', () => {
    const cases = [...ed25519Cases(), ...p256Cases()].filter(keyValid);
    const verdicts = { true: 0, false: 0 };
    for (const c of cases) {
      const expected = verifySignature(c.type, c.pk, c.msg, c.sig);
      expect(keyVerifier(c.type, c.pk)(c.msg, c.sig)).toBe(expected);
      verdicts[String(expected) as 'true' | 'false']++;
    }
    expect(verdicts.true).toBeGreaterThan(100);
    expect(verdicts.false).toBeGreaterThan(100);
  });

  it('refuses hostile signatures and other data like verifySignature (property)', { timeout: 0 }, () => {
    const secrets = [
      hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
      hex('01'.repeat(32)),
    ];
    const keys = (['Ed25519', 'P-256'] as const).flatMap((type) =>
      secrets.map((secret) => ({ type, secret, pk: publicKeyFromSecret(type, secret) })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.uint8Array({ maxLength: 80 }),
        fc.nat(),
        fc.nat(600),
        ({ type, secret, pk }, msg, pick, flip) => {
          const key = privateKeyObject(type, secret);
          const valid = new Uint8Array(
            type === 'Ed25519'
              ? sign(null, msg, key)
              : sign('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }),
          );
          const flipped = valid.slice();
          if (flip < 512) flipped[flip >> 3] = (flipped[flip >> 3] as number) ^ (1 << (flip & 7));
          const candidates = [valid, flipped, ...hostile(type, valid)];
          const sig = candidates[pick % candidates.length] as Uint8Array;
          const check = keyVerifier(type, pk);
          for (const data of [msg, new Uint8Array([...msg, 1])]) {
            expect(check(data, sig)).toBe(verifySignature(type, pk, data, sig));
          }
          expect(check(msg, valid)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    const ed = keys[0] as (typeof keys)[number];
    expect(keyVerifier(ed.type, ed.pk)(new Uint8Array(1), [] as unknown as Uint8Array)).toBe(false);
  });

  it('WebCrypto: the bound verifier agrees with the per-call one on every corpus case', async () => {
    const cases = [...ed25519Cases(), ...p256Cases()].filter(decodes);
    for (const c of cases) {
      const expected = await web.verifyWithBackend(c.type, c.pk, c.msg, c.sig);
      expect(await web.verifierFor(c.type, c.pk)(c.msg, c.sig)).toBe(expected);
      expect(node.verifierFor(c.type, c.pk)(c.msg, c.sig)).toBe(expected);
    }
  });
});

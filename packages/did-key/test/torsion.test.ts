// SPDX-License-Identifier: Apache-2.0
// The torsion check (src/torsion.ts) against noble-curves' Point#isTorsionFree, the implementation it
// replaces: prime-order points, each with every one of the 8 small-order points added (so every
// coset of the 8-torsion), the small-order points alone, in the affine form a decoded key has and in
// the projective form sums have.
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTorsionFree } from '../src/torsion.js';

const { Point } = ed25519;
const SMALL = ED25519_TORSION_SUBGROUP.map((hex) => Point.fromHex(hex));
const ORDER = Point.Fn.ORDER;

/** Both answers for a point, as added up (projective) and as decoded from its bytes (Z = 1). */
function agree(p: InstanceType<typeof Point>): boolean {
  const expected = p.isTorsionFree();
  expect(isTorsionFree(p)).toBe(expected);
  expect(isTorsionFree(Point.fromBytes(p.toBytes(), true))).toBe(expected);
  return expected;
}

describe('isTorsionFree (Ed25519)', () => {
  it('the 8 small-order points: only the identity is torsion-free', () => {
    expect(SMALL.map((t) => agree(t))).toEqual([true, false, false, false, false, false, false, false]);
  });

  it('agrees with noble on a prime-order point plus each small-order point', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: ORDER - 1n }), (k) => {
        const q = Point.BASE.multiply(k);
        const answers = SMALL.map((t) => agree(q.add(t)));
        // Only the point with no torsion component is torsion-free.
        expect(answers).toEqual([true, false, false, false, false, false, false, false]);
      }),
      { numRuns: 40, seed: 20261202 },
    );
  });

  it('agrees with noble on arbitrary encodings that decode to a point (keys an attacker picks)', {
    timeout: 0,
  }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        let p: InstanceType<typeof Point>;
        try {
          p = Point.fromBytes(bytes, true);
        } catch {
          return; // not a point: refused before the torsion check
        }
        agree(p);
      }),
      { numRuns: 300, seed: 8032 },
    );
  });

  it('a key minus or plus an order-2, order-4 or order-8 point is refused, the key itself accepted', () => {
    const key = Point.fromBytes(ed25519.getPublicKey(new Uint8Array(32).fill(7)));
    expect(agree(key)).toBe(true);
    for (const t of SMALL.slice(1)) {
      expect(agree(key.subtract(t))).toBe(false);
      // key + 2t is torsion-free only when t has order 2.
      expect(agree(key.add(t).add(t))).toBe(t.double().is0());
    }
  });
});

// SPDX-License-Identifier: Apache-2.0
// Ed25519's torsion check, [L]P = O (L the prime order of the base point): the test noble-curves'
// Point#isTorsionFree makes, with the same complete twisted Edwards formulas (doubling
// dbl-2008-hwcd, addition add-2008-hwcd, a = −1) in extended coordinates over the same width-4
// NAF of L, and fewer costs: field elements are reduced lazily (x mod 2^255 − 19 folded as
// lo + 19·hi, kept below 2^256; subtractions offset by 8p), doublings followed by a doubling skip T,
// and P's odd multiples are built once per check. Only the final comparison reduces fully.
// test/torsion.test.ts holds it to noble's answer on every coset of the 8-torsion.
import { ed25519 } from '@noble/curves/ed25519.js';

type EdPoint = InstanceType<typeof ed25519.Point>;

const P = 2n ** 255n - 19n;
const LOW = 2n ** 255n - 1n;
/** 8p: added before a subtraction, so that every intermediate stays non-negative. */
const P8 = 8n * P;
const D = ed25519.Point.CURVE().d;

/** A value congruent to x mod p, below 2^256 for any 0 <= x < 2^524. */
function red(x: bigint): bigint {
  const once = (x & LOW) + 19n * (x >> 255n);
  return (once & LOW) + 19n * (once >> 255n);
}

/** The width-4 NAF digits of k, most significant first (odd digits in ±{1, 3, 5, 7}, else 0). */
function nafDigits(k: bigint): number[] {
  const digits: number[] = [];
  let rest = k;
  while (rest > 0n) {
    let d = 0n;
    if ((rest & 1n) === 1n) {
      d = rest & 15n;
      if (d >= 8n) d -= 16n;
      rest -= d;
    }
    digits.push(Number(d));
    rest >>= 1n;
  }
  return digits.reverse();
}

const ORDER_DIGITS = nafDigits(ed25519.Point.Fn.ORDER);

/** A point in extended coordinates (x = X/Z, y = Y/Z, xy = T/Z), each below 2^260. */
interface Ext {
  X: bigint;
  Y: bigint;
  Z: bigint;
  T: bigint;
}

/** 2p in place (dbl-2008-hwcd, a = −1); T only when `withT` (an addition follows). */
function double(p: Ext, withT: boolean): void {
  const A = red(p.X * p.X);
  const B = red(p.Y * p.Y);
  const C = red(2n * red(p.Z * p.Z));
  const s = p.X + p.Y;
  const E = red(s * s) + P8 - A - B;
  const G = B + P8 - A; // D + B, D = aA = −A
  const F = G + P8 - C;
  const H = P8 - A - B; // D − B
  p.X = red(E * F);
  p.Y = red(G * H);
  p.Z = red(F * G);
  if (withT) p.T = red(E * H);
}

/** p + q in place (add-2008-hwcd, a = −1). */
function add(p: Ext, q: Ext): void {
  const A = red(p.X * q.X);
  const B = red(p.Y * q.Y);
  const C = red(red(p.T * D) * q.T);
  const Dz = red(p.Z * q.Z);
  const E = red((p.X + p.Y) * (q.X + q.Y)) + P8 - A - B;
  const F = Dz + P8 - C;
  const G = Dz + C;
  const H = B + A; // B − aA
  p.X = red(E * F);
  p.Y = red(G * H);
  p.Z = red(F * G);
  p.T = red(E * H);
}

const copy = (p: Ext): Ext => ({ X: p.X, Y: p.Y, Z: p.Z, T: p.T });
const negated = (p: Ext): Ext => ({ X: P8 - p.X, Y: p.Y, Z: p.Z, T: P8 - p.T });

/** Is [L]P the identity (X ≡ 0, Y ≡ Z)? Exactly noble's `point.isTorsionFree()`. */
export function isTorsionFree(point: EdPoint): boolean {
  const one: Ext = { X: point.X, Y: point.Y, Z: point.Z, T: point.T };
  const twice = copy(one);
  double(twice, true);
  // ±P, ±3P, ±5P, ±7P.
  const odd: Ext[] = [one];
  for (let i = 1; i < 4; i++) {
    const next = copy(odd[i - 1] as Ext);
    add(next, twice);
    odd.push(next);
  }
  const negatives = odd.map(negated);
  const acc: Ext = { X: 0n, Y: 1n, Z: 1n, T: 0n };
  for (let i = 0; i < ORDER_DIGITS.length; i++) {
    const d = ORDER_DIGITS[i] as number;
    if (i > 0) double(acc, d !== 0);
    if (d > 0) add(acc, odd[(d - 1) >> 1] as Ext);
    else if (d < 0) add(acc, negatives[(-d - 1) >> 1] as Ext);
  }
  return acc.X % P === 0n && (acc.Y - acc.Z) % P === 0n;
}

// SPDX-License-Identifier: Apache-2.0
// Fresh secrets come from the CSPRNG directly (no key-generation job: Node 20 can deadlock exporting
// a generated key during a garbage collection), and P-256 scalars are reduced into [1, n−1] by
// FIPS 186-5 §A.2.1.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { p256ScalarFrom, publicKeyFromSecret, randomSecretKey } from '../src/index.js';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const big = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

describe('p256ScalarFrom', () => {
  it('is (c mod (n−1)) + 1 as 32 big-endian bytes', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 64 }), (wide) => {
        const d = p256ScalarFrom(wide);
        expect(d).toHaveLength(32);
        expect(big(d)).toBe((big(wide) % (N - 1n)) + 1n);
      }),
      { numRuns: 300 },
    );
  });

  it('maps the ends of the range inside [1, n−1]', () => {
    expect(big(p256ScalarFrom(new Uint8Array(48)))).toBe(1n);
    const top = p256ScalarFrom(new Uint8Array(48).fill(0xff));
    expect(big(top)).toBe(((2n ** 384n - 1n) % (N - 1n)) + 1n);
    const nMinus2 = Buffer.from((N - 2n).toString(16).padStart(96, '0'), 'hex');
    expect(big(p256ScalarFrom(new Uint8Array(nMinus2)))).toBe(N - 1n);
    const nMinus1 = Buffer.from((N - 1n).toString(16).padStart(96, '0'), 'hex');
    expect(big(p256ScalarFrom(new Uint8Array(nMinus1)))).toBe(1n);
  });

  it('refuses fewer than 48 bytes (the bias would no longer be negligible)', () => {
    expect(() => p256ScalarFrom(new Uint8Array(32))).toThrow(RangeError);
  });
});

describe('randomSecretKey', () => {
  it('gives distinct 32-byte Ed25519 seeds whose public key matches noble', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const seed = randomSecretKey('Ed25519');
      expect(seed).toHaveLength(32);
      seen.add(Buffer.from(seed).toString('hex'));
      if (i < 20) expect(publicKeyFromSecret('Ed25519', seed)).toEqual(ed25519.getPublicKey(seed));
    }
    expect(seen.size).toBe(200);
  });

  it('gives distinct P-256 scalars in [1, n−1] whose public key matches noble', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const d = randomSecretKey('P-256');
      expect(big(d) >= 1n && big(d) < N).toBe(true);
      seen.add(Buffer.from(d).toString('hex'));
      if (i < 20) expect(publicKeyFromSecret('P-256', d)).toEqual(p256.getPublicKey(d, true));
    }
    expect(seen.size).toBe(200);
  });

  it('refuses another key type', () => {
    expect(() => randomSecretKey('RSA' as 'Ed25519')).toThrow(TypeError);
  });
});

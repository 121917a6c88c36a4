// SPDX-License-Identifier: Apache-2.0
// createKeyVerifier remembers the check of each Multikey it decoded (one platform key per
// publicKeyMultibase): against did-key's decodeMultikey and verifySignature, the path it replaces,
// a bad key is refused with the same code on every call (never remembered), and a remembered key
// gives the same verdicts as a fresh decode.
import { PassportError } from '@agent-passport/core';
import { decodeMultikey, encodeMultikey, verifySignature } from '@agent-passport/did-key';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { createKeyVerifier, createSigner, publicKeyOf } from '../src/index.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof PassportError ? e.code : `not a PassportError: ${String(e)}`;
  }
};
const mb = (bytes: number[]) => base58btc.encode(new Uint8Array(bytes));

describe('createKeyVerifier with remembered key checks', () => {
  it('refuses bad keys with decodeMultikey’s code on every call', () => {
    const bad = [
      'u7QE',
      'z6Mk0OIl',
      mb([0xec, 0x01, ...new Uint8Array(32).fill(9)]),
      mb([0xed, 0x01, 1, ...new Uint8Array(31)]),
      mb([0xed, 0x01, ...new Uint8Array(31).fill(9)]),
      mb([0xed, 0x01, 2, ...new Uint8Array(31)]),
      mb([0x80, 0x24, 0x02, ...new Uint8Array(32).fill(0xff)]),
    ];
    for (const publicKeyMultibase of bad) {
      const expected = codeOf(() => decodeMultikey(publicKeyMultibase));
      expect(expected, publicKeyMultibase).toMatch(/^ERR_/);
      for (let i = 0; i < 3; i++)
        expect(codeOf(() => createKeyVerifier({ id: 'did:example:a#k', publicKeyMultibase }))).toBe(expected);
    }
  });

  it('verifies like a fresh decode and verifySignature, for each key type, however often asked', async () => {
    for (const type of ['Ed25519', 'P-256'] as const) {
      const key = { type, secretKey: new Uint8Array(32).fill(type === 'Ed25519' ? 3 : 4) };
      const publicKeyMultibase = encodeMultikey(publicKeyOf(key), type);
      const data = new TextEncoder().encode(`data for ${type}`);
      const signature = await createSigner(key, 'did:example:a#k').sign({ data });
      const flipped = signature.slice();
      flipped[5] = (flipped[5] as number) ^ 1;
      const { publicKey } = decodeMultikey(publicKeyMultibase);
      for (const id of ['did:example:a#k', 'did:example:b#k', 'did:example:a#k']) {
        const verifier = createKeyVerifier({ id, publicKeyMultibase });
        expect(verifier.id).toBe(id);
        expect(verifier.algorithm).toBe(type);
        for (const sig of [signature, flipped, signature.subarray(0, 63), new Uint8Array(64)])
          expect(await verifier.verify({ data, signature: sig })).toBe(
            await verifySignature(type, publicKey, data, sig),
          );
        expect(await verifier.verify({ data, signature })).toBe(true);
      }
    }
  });
});

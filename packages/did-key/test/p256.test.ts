// SPDX-License-Identifier: Apache-2.0
// P-256 ECDSA with raw r‖s (IEEE P1363), as ecdsa-jcs-2019 uses it: the Wycheproof p1363 corpus,
// with the project's decision on high-S signatures pinned (accepted).
import { sign } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import {
  decodeMultikey,
  encodeMultikey,
  privateKeyObject,
  randomSecretKey,
  verifySignature,
} from '../src/index.js';
import { hex, vector } from './vectors.js';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

describe('Wycheproof ECDSA P-256 SHA-256 P1363', () => {
  it('valid cases verify and invalid ones do not; keys not on the curve are refused on decode', () => {
    const w = vector<{
      testGroups: {
        publicKey: { uncompressed: string };
        tests: { tcId: number; msg: string; sig: string; result: string; flags: string[] }[];
      }[];
    }>('crypto/wycheproof_ecdsa_secp256r1_sha256_p1363_test.json');
    let checked = 0;
    for (const g of w.testGroups) {
      let compressed: Uint8Array;
      try {
        compressed = p256.Point.fromBytes(hex(g.publicKey.uncompressed)).toBytes(true);
      } catch {
        continue;
      }
      for (const t of g.tests) {
        const ok = verifySignature('P-256', compressed, hex(t.msg), hex(t.sig));
        if (t.result === 'valid') expect(ok, `tcId ${t.tcId}`).toBe(true);
        if (t.result === 'invalid') expect(ok, `tcId ${t.tcId} ${t.flags.join(',')}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(250);
  });
});

describe('P-256 signatures', () => {
  const secret = randomSecretKey('P-256');
  const privateKey = privateKeyObject('P-256', secret);
  const uncompressed = p256.getPublicKey(secret, false);
  const { publicKey: pk } = decodeMultikey(encodeMultikey(uncompressed, 'P-256'));
  const msg = new TextEncoder().encode('ecdsa-jcs-2019');
  const sig = new Uint8Array(sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' }));

  it('accepts r‖s and its high-S twin (pinned: malleable signatures are accepted)', () => {
    expect(verifySignature('P-256', pk, msg, sig)).toBe(true);
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
    const twin = new Uint8Array(sig);
    twin.set(hex((N - s).toString(16).padStart(64, '0')), 32);
    expect(verifySignature('P-256', pk, msg, twin)).toBe(true);
  });

  it('refuses r or s of zero, r or s ≥ n, and DER-encoded signatures', () => {
    const zeroR = new Uint8Array(sig);
    zeroR.fill(0, 0, 32);
    expect(verifySignature('P-256', pk, msg, zeroR)).toBe(false);
    const bigS = new Uint8Array(sig);
    bigS.set(hex(N.toString(16)), 32);
    expect(verifySignature('P-256', pk, msg, bigS)).toBe(false);
    const der = new Uint8Array(sign('sha256', msg, privateKey));
    expect(verifySignature('P-256', pk, msg, der)).toBe(false);
  });
});

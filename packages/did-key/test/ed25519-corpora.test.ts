// SPDX-License-Identifier: Apache-2.0
// Ed25519 corpora (RFC 8032 §7.1, Wycheproof, C2SP/CCTV, ed25519-speccheck) through the
// project's policy: public keys are validated on decode (canonical, not small order, torsion-free),
// signatures strictly (64 bytes, S < L) then verified cofactorless by node:crypto. Every flag
// class's outcome is pinned here.
import { createPrivateKey, sign } from 'node:crypto';
import type { PassportError } from '@agent-passport/core';
import { describe, expect, it } from 'vitest';
import { validatePublicKey, verifySignature } from '../src/index.js';
import { hex, vector } from './vectors.js';

type Verdict =
  | 'accept'
  | 'reject-signature'
  | 'ERR_ED25519_NON_CANONICAL'
  | 'ERR_ED25519_SMALL_ORDER'
  | 'ERR_ED25519_TORSION'
  | 'ERR_ED25519_INVALID_POINT'
  | 'ERR_KEY_LENGTH';

function verdict(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Verdict {
  try {
    validatePublicKey('Ed25519', pk);
  } catch (e) {
    return (e as PassportError).code as Verdict;
  }
  return verifySignature('Ed25519', pk, msg, sig) ? 'accept' : 'reject-signature';
}

/**
 * The project's decision for each CCTV flag class (cctv_ed25519_README.md), in precedence order:
 * the key is judged first (refused on decode), then the signature.
 */
export function cctvPolicy(flags: readonly string[]): Verdict {
  if (flags.includes('non_canonical_A')) return 'ERR_ED25519_NON_CANONICAL';
  if (flags.includes('low_order_A')) return 'ERR_ED25519_SMALL_ORDER';
  if (flags.includes('low_order_component_A')) return 'ERR_ED25519_TORSION';
  if (flags.includes('non_canonical_R')) return 'reject-signature'; // RFC 8032 requires it
  if (flags.includes('low_order_residue')) return 'reject-signature'; // cofactorless equation
  return 'accept'; // includes a canonical low_order_R: RFC 8032 does not forbid it
}

describe('Ed25519 corpora', () => {
  it('RFC 8032 §7.1: node:crypto signs byte for byte and verifySignature accepts', () => {
    const r = vector<{
      cases: {
        name: string;
        secretKeyHex: string;
        publicKeyHex: string;
        messageHex: string;
        signatureHex: string;
      }[];
    }>('crypto/rfc8032-ed25519.json');
    expect(r.cases.length).toBeGreaterThanOrEqual(4);
    for (const v of r.cases) {
      const key = createPrivateKey({
        key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), hex(v.secretKeyHex)]),
        format: 'der',
        type: 'pkcs8',
      });
      expect(Buffer.from(sign(null, hex(v.messageHex), key)).toString('hex'), v.name).toBe(v.signatureHex);
      expect(verdict(hex(v.publicKeyHex), hex(v.messageHex), hex(v.signatureHex)), v.name).toBe('accept');
    }
  });

  it('Wycheproof: every valid case accepted, every invalid case refused', () => {
    const w = vector<{
      testGroups: {
        publicKey: { pk: string };
        tests: { tcId: number; msg: string; sig: string; result: string; flags: string[] }[];
      }[];
    }>('crypto/wycheproof_ed25519_test.json');
    let n = 0;
    for (const g of w.testGroups) {
      for (const t of g.tests) {
        const got = verdict(hex(g.publicKey.pk), hex(t.msg), hex(t.sig));
        expect(got === 'accept' ? 'valid' : 'invalid', `tcId ${t.tcId} ${t.flags.join(',')}`).toBe(t.result);
        n++;
      }
    }
    expect(n).toBe(151);
  });

  it('CCTV: every vector gets the outcome the project policy pins for its flag class', () => {
    const v = vector<{ number: number; key: string; sig: string; msg: string; flags: string[] | null }[]>(
      'crypto/cctv_ed25519vectors.json',
    );
    const seen = new Map<Verdict, number>();
    for (const t of v) {
      const flags = t.flags ?? [];
      const got = verdict(hex(t.key), new TextEncoder().encode(t.msg), hex(t.sig));
      expect(got, `vector ${t.number} [${flags.join(',')}]`).toBe(cctvPolicy(flags));
      seen.set(got, (seen.get(got) ?? 0) + 1);
    }
    // Every branch of the policy is exercised by the corpus.
    expect([...seen.keys()].sort()).toEqual(
      [
        'ERR_ED25519_NON_CANONICAL',
        'ERR_ED25519_SMALL_ORDER',
        'ERR_ED25519_TORSION',
        'accept',
        'reject-signature',
      ].sort(),
    );
  });

  it('speccheck cases 0–9: pinned outcomes', () => {
    const s = vector<{ message: string; pub_key: string; signature: string }[]>(
      'crypto/speccheck_cases.json',
    );
    const pinned: Verdict[] = [
      'ERR_ED25519_SMALL_ORDER', // 0: small-order A and R, S = 0
      'ERR_ED25519_SMALL_ORDER', // 1: small-order A
      'ERR_ED25519_TORSION', // 2: mixed-order A
      'ERR_ED25519_TORSION', // 3
      'ERR_ED25519_TORSION', // 4: cofactored-only acceptance
      'ERR_ED25519_TORSION', // 5
      'reject-signature', // 6: S > L
      'reject-signature', // 7: S >> L
      'ERR_ED25519_TORSION', // 8: non-canonical R with mixed-order A
      'ERR_ED25519_TORSION', // 9
    ];
    expect(s.map((t) => verdict(hex(t.pub_key), hex(t.message), hex(t.signature)))).toEqual(pinned);
  });
});

describe('signature shape checks', () => {
  const pk = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  const sig = hex(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
  it('accepts the RFC 8032 test 1 signature, refuses a 63- or 65-byte one and S + L', () => {
    expect(verifySignature('Ed25519', pk, new Uint8Array(), sig)).toBe(true);
    expect(verifySignature('Ed25519', pk, new Uint8Array(), sig.subarray(0, 63))).toBe(false);
    expect(verifySignature('Ed25519', pk, new Uint8Array(), new Uint8Array([...sig, 0]))).toBe(false);
    const malleable = new Uint8Array(sig);
    // S + L: the same point equation, a non-canonical scalar (RFC 8032 §5.1.7 requires S < L).
    let carry = 0;
    const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
    for (let i = 0; i < 32; i++) {
      const v = (malleable[32 + i] as number) + (L[i] as number) + carry;
      malleable[32 + i] = v & 0xff;
      carry = v >> 8;
    }
    expect(verifySignature('Ed25519', pk, new Uint8Array(), malleable)).toBe(false);
  });
});

// SPDX-License-Identifier: Apache-2.0
// Signature cases from the vendored corpora (C2SP/CCTV and Wycheproof Ed25519, Wycheproof P-256
// ECDSA P1363), for the tests that compare verification paths.
import { p256 } from '@noble/curves/nist.js';
import { validatePublicKey } from '../src/index.js';
import { hex, vector } from './vectors.js';

export type Case = { type: 'Ed25519' | 'P-256'; pk: Uint8Array; msg: Uint8Array; sig: Uint8Array };

export function ed25519Cases(): Case[] {
  const cctv = vector<{ key: string; sig: string; msg: string }[]>('crypto/cctv_ed25519vectors.json');
  const w = vector<{ testGroups: { publicKey: { pk: string }; tests: { msg: string; sig: string }[] }[] }>(
    'crypto/wycheproof_ed25519_test.json',
  );
  return [
    ...cctv.map((t) => ({ pk: hex(t.key), msg: new TextEncoder().encode(t.msg), sig: hex(t.sig) })),
    ...w.testGroups.flatMap((g) =>
      g.tests.map((t) => ({ pk: hex(g.publicKey.pk), msg: hex(t.msg), sig: hex(t.sig) })),
    ),
  ].map((c) => ({ type: 'Ed25519' as const, ...c }));
}

export function p256Cases(): Case[] {
  const w = vector<{
    testGroups: { publicKey: { uncompressed: string }; tests: { msg: string; sig: string }[] }[];
  }>('crypto/wycheproof_ecdsa_secp256r1_sha256_p1363_test.json');
  return w.testGroups.flatMap((g) => {
    let pk: Uint8Array;
    try {
      pk = p256.Point.fromBytes(hex(g.publicKey.uncompressed)).toBytes(true);
    } catch {
      return [];
    }
    return g.tests.map((t) => ({ type: 'P-256' as const, pk, msg: hex(t.msg), sig: hex(t.sig) }));
  });
}

export function decodes(c: Case): boolean {
  try {
    validatePublicKey(c.type, c.pk);
    return c.sig.length === 64;
  } catch {
    return false;
  }
}

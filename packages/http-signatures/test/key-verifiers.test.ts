// SPDX-License-Identifier: Apache-2.0
// The recorded-request path's check per public key (internal/key-verifiers.ts) held to
// verifySignature, and one attacker per part of what finds a made check again: the key's bytes
// (changed in place in the same array) and the key's type.
import { generateKeyPairSync, sign } from 'node:crypto';
import { verifySignature } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import { signRequest, verifyRecordedSignature } from '../src/index.js';
import { keyCheck } from '../src/internal/key-verifiers.js';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url'));
  return { raw, sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)) };
}

const a = keyPair();
const b = keyPair();
const DATA = new TextEncoder().encode('"@method": GET');

/** A request signed by `by`, as the audit records it. */
async function recorded(by: ReturnType<typeof keyPair>, created: number) {
  const signed = await signRequest(new Request('https://api.example/x'), {
    keyId: 'did:key:z#z',
    signer: async (data) => by.sign(data),
    created,
  });
  return {
    method: signed.method,
    targetUri: signed.url,
    header: (name: string) => signed.headers.get(name),
  };
}

describe('the recorded path checks a signature as verifySignature does', () => {
  it('the same answer for good, bad and malformed signatures', () => {
    const sig = a.sign(DATA);
    const bad = sig.slice();
    bad[0] = (bad[0] as number) ^ 1;
    const high = sig.slice();
    high[63] = 0xff;
    for (const s of [sig, bad, high, sig.subarray(0, 63), b.sign(DATA)])
      expect(keyCheck('Ed25519', a.raw)(DATA, s)).toBe(verifySignature('Ed25519', a.raw, DATA, s));
  });

  it('bytes: a key array rewritten in place is checked with its new bytes', async () => {
    const created = 1_780_000_000;
    const key = a.raw.slice();
    const options = {
      now: new Date(created * 1000),
      requiredComponents: ['@method', '@target-uri'],
      resolveKey: () => ({ type: 'Ed25519' as const, publicKey: key }),
    };
    const byA = await recorded(a, created);
    const byB = await recorded(b, created);
    expect(verifyRecordedSignature(byA, options)).toMatchObject({ ok: true });
    key.set(b.raw);
    expect(verifyRecordedSignature(byA, options)).toMatchObject({ ok: false, code: 'ERR_SIG_INVALID' });
    expect(verifyRecordedSignature(byB, options)).toMatchObject({ ok: true });
  });

  it('type: the same array under another key type is not the Ed25519 check', () => {
    const key = a.raw.slice();
    const sig = a.sign(DATA);
    expect(keyCheck('Ed25519', key)(DATA, sig)).toBe(true);
    let p256: unknown;
    try {
      p256 = keyCheck('P-256', key)(DATA, sig);
    } catch {
      p256 = 'throws';
    }
    expect(p256).not.toBe(true);
  });
});

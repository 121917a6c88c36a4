// SPDX-License-Identifier: Apache-2.0
// did:key and Multikey interop with the reference stack: the strings we produce for a key are the
// ones @digitalbazaar/ed25519-multikey and @digitalbazaar/ecdsa-multikey produce, both directions,
// and signatures made by either verify with the other.
import {
  decodeDidKey,
  decodeMultikey,
  encodeDidKey,
  encodeMultikey,
  verifySignature,
} from '@agent-passport/did-key';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { describe, expect, it } from 'vitest';

describe('did:key interop with the digitalbazaar Multikey libraries', () => {
  it('Ed25519: their publicKeyMultibase decodes with ours and re-encodes identically (20 keys)', async () => {
    for (let i = 0; i < 20; i++) {
      const kp = await Ed25519Multikey.generate();
      const { type, publicKey } = decodeMultikey(kp.publicKeyMultibase);
      expect(type).toBe('Ed25519');
      expect(encodeMultikey(publicKey, 'Ed25519')).toBe(kp.publicKeyMultibase);
      expect(encodeDidKey(publicKey, 'Ed25519')).toBe(`did:key:${kp.publicKeyMultibase}`);
    }
  });

  it('Ed25519: our did:key is accepted by theirs, and their signatures verify with ours', async () => {
    const kp = await Ed25519Multikey.generate();
    const did = `did:key:${kp.publicKeyMultibase}`;
    const id = `${did}#${kp.publicKeyMultibase}`;
    const theirs = await Ed25519Multikey.from({
      ...(await kp.export({ publicKey: true, secretKey: true, includeContext: true })),
      id,
      controller: did,
    });
    const data = new TextEncoder().encode('interop');
    const signature = await theirs.signer().sign({ data });
    const { publicKey } = decodeDidKey(did);
    expect(verifySignature('Ed25519', publicKey, data, signature)).toBe(true);
    const roundTrip = await Ed25519Multikey.from({
      id,
      controller: did,
      type: 'Multikey',
      publicKeyMultibase: encodeMultikey(publicKey, 'Ed25519'),
    });
    expect(roundTrip.publicKeyMultibase).toBe(kp.publicKeyMultibase);
  });

  it('P-256: their compressed Multikeys decode with ours and re-encode identically (10 keys)', async () => {
    for (let i = 0; i < 10; i++) {
      const kp = await EcdsaMultikey.generate({ curve: 'P-256' });
      const { type, publicKey } = decodeMultikey(kp.publicKeyMultibase);
      expect(type).toBe('P-256');
      expect(publicKey.length).toBe(33);
      expect(encodeMultikey(publicKey, 'P-256')).toBe(kp.publicKeyMultibase);
      expect(kp.publicKeyMultibase.startsWith('zDn')).toBe(true);
    }
  });
});

// SPDX-License-Identifier: Apache-2.0
// A fresh Ed25519 did:key for a test: its key, Multikey, DID and a signer whose verification
// method is the did:key URL.
import { generateKeyPairSync } from 'node:crypto';
import { encodeDidKey, encodeMultikey } from '@agent-passport/did-key';
import { createSigner, publicKeyOf } from '@agent-passport/suites';

export function newKey() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = {
    type: 'Ed25519' as const,
    secretKey: new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url')),
  };
  const multibase = encodeMultikey(publicKeyOf(key), 'Ed25519');
  const did = encodeDidKey(publicKeyOf(key), 'Ed25519');
  return { key, multibase, did, signer: createSigner(key, `${did}#${multibase}`) };
}

// SPDX-License-Identifier: Apache-2.0
// A fresh Ed25519 did:key for a test: its key, Multikey, DID and a signer whose verification
// method is the did:key URL.
import { encodeDidKey, encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { createSigner, publicKeyOf } from '@agent-passport/suites';

export function newKey() {
  const key = {
    type: 'Ed25519' as const,
    secretKey: randomSecretKey('Ed25519'),
  };
  const multibase = encodeMultikey(publicKeyOf(key), 'Ed25519');
  const did = encodeDidKey(publicKeyOf(key), 'Ed25519');
  return { key, multibase, did, signer: createSigner(key, `${did}#${multibase}`) };
}

// SPDX-License-Identifier: Apache-2.0
// didKeyPublicKey and didKeyMethodKey: a did:key's key, or undefined for anything else.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { decodeDidKey, didKeyMethodKey, didKeyPublicKey, encodeDidKey } from '../src/index.js';

const publicKey = ed25519.getPublicKey(new Uint8Array(32).fill(7));
const did = encodeDidKey(publicKey, 'Ed25519');
const method = `${did}#${did.slice('did:key:'.length)}`;

describe('the key of a did:key', () => {
  it('answers the key of a did:key and of its verification method', () => {
    expect(didKeyPublicKey(did)).toEqual({ type: 'Ed25519', publicKey });
    expect(didKeyMethodKey(method)).toEqual({ type: 'Ed25519', publicKey });
    expect(didKeyPublicKey(did)?.publicKey).toEqual(decodeDidKey(did).publicKey);
  });

  it.each([
    ['another method', 'did:web:example.com'],
    ['not a DID', 'example'],
    ['a malformed id', 'did:key:z!'],
    ['a cut-off key', did.slice(0, -4)],
  ])('is undefined for %s', (_, value) => {
    expect(didKeyPublicKey(value)).toBeUndefined();
    expect(didKeyMethodKey(`${value}#x`)).toBeUndefined();
  });

  it('is undefined for a DID without a fragment, or a fragment naming another key', () => {
    expect(didKeyMethodKey(did)).toBeUndefined();
    expect(didKeyMethodKey(`${did}#other`)).toBeUndefined();
  });
});

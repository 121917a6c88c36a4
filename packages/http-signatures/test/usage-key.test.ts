// SPDX-License-Identifier: Apache-2.0
// usageKey: the maxCalls counter of a passport is its issuer's id and the digest of its signed
// content. Hostile shapes: an issuer object, no `id`, another proof over the same content.
import { describe, expect, it } from 'vitest';
import { usageKey } from '../src/index.js';

const base = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential', 'AgentPassport'],
  issuer: 'did:key:z6MkA',
  credentialSubject: { id: 'did:key:z6MkAgent', maxCalls: 5 },
  proof: { type: 'DataIntegrityProof', proofValue: 'z1' },
};

describe('usageKey', () => {
  it('is the issuer id and the SHA-256 of the JCS form without the proof', () => {
    expect(usageKey(base)).toMatch(/^did:key:z6MkA sha-256=:[A-Za-z0-9+/]{43}=:$/);
    // Member order and another proof over the same content do not give a fresh counter.
    const { credentialSubject, ...rest } = base;
    const reordered = { credentialSubject, ...rest, proof: { type: 'DataIntegrityProof', proofValue: 'z2' } };
    expect(usageKey(reordered)).toBe(usageKey(base));
    expect(usageKey({ ...base, issuer: { id: 'did:key:z6MkA' } })).not.toBe(usageKey(base));
  });

  it('separates passports without id, and issuers given as objects', () => {
    const a = { ...base, issuer: { id: 'did:key:z6MkA', name: 'A' } };
    const b = { ...base, issuer: { id: 'did:key:z6MkB', name: 'A' } };
    const c = { ...base, credentialSubject: { id: 'did:key:z6MkOther', maxCalls: 5 } };
    const keys = new Set([usageKey(a), usageKey(b), usageKey(base), usageKey(c)]);
    expect(keys.size).toBe(4);
    expect(usageKey(a).startsWith('did:key:z6MkA ')).toBe(true);
  });

  it('refuses a passport without an issuer id (TypeError)', () => {
    for (const issuer of [undefined, null, 42, '', {}, { id: 7 }, ['did:key:z6MkA']])
      expect(() => usageKey({ ...base, issuer })).toThrow(TypeError);
  });
});

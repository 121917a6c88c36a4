// SPDX-License-Identifier: Apache-2.0
// The two back-ends of the crypto seam give the same answers: every Ed25519 and P-256 corpus case
// whose key passes decoding, SHA-256, key derivation and signatures crossing between them.
import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as node from '../src/crypto/node.js';
import * as web from '../src/crypto/web.js';
import { decodes, ed25519Cases, p256Cases } from './corpus-cases.js';
import { hex } from './vectors.js';

describe('node:crypto and WebCrypto back-ends', () => {
  it('agree on every corpus case that reaches a back-end', async () => {
    const cases = [...ed25519Cases(), ...p256Cases()].filter(decodes);
    const verdicts = { true: 0, false: 0 };
    for (const c of cases) {
      const n = node.verifyWithBackend(c.type, c.pk, c.msg, c.sig);
      expect(typeof n).toBe('boolean');
      expect(await web.verifyWithBackend(c.type, c.pk, c.msg, c.sig)).toBe(n);
      verdicts[String(n) as 'true' | 'false']++;
    }
    expect(verdicts.true).toBeGreaterThan(100);
    expect(verdicts.false).toBeGreaterThan(100);
  });

  it('imports an Ed25519 key (raw, as a JWK) as the very key its SPKI DER holds, on every corpus key', () => {
    const spki = Buffer.from('302a300506032b6570032100', 'hex');
    const cases = ed25519Cases().filter((c) => c.pk.length === 32);
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      const der = createPublicKey({ key: Buffer.concat([spki, c.pk]), format: 'der', type: 'spki' });
      const key = node.publicKeyObject('Ed25519', c.pk);
      expect(key.equals(der)).toBe(true);
      expect(key.export({ format: 'der', type: 'spki' })).toEqual(
        der.export({ format: 'der', type: 'spki' }),
      );
      expect(node.verifyWithBackend('Ed25519', c.pk, c.msg, c.sig)).toBe(verify(null, c.msg, der, c.sig));
    }
  });

  it('hash the same bytes and strings to the same SHA-256 and SHA-512', () => {
    for (const input of ['', 'abc', 'é€𝄞', new Uint8Array(1000).fill(7), new Uint8Array()]) {
      expect(web.sha256(input)).toEqual(new Uint8Array(node.sha256(input)));
      expect(web.sha512(input)).toEqual(new Uint8Array(node.sha512(input)));
    }
    expect(Buffer.from(web.sha256('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('sha256Pair is SHA-256(first) ‖ SHA-256(second) on both back-ends, in that order', () => {
    const concat = (a: Uint8Array, b: Uint8Array) => new Uint8Array([...a, ...b]);
    const inputs = [
      '',
      'abc',
      'é€𝄞',
      '\ud800 lone',
      'x\udfff',
      '\u0000\u00ff\u0100',
      new Uint8Array(1000).fill(7),
      new Uint8Array(),
    ];
    for (const a of inputs)
      for (const b of inputs) {
        const reference = concat(node.sha256(a), node.sha256(b));
        const pair = node.sha256Pair(a, b);
        expect(pair).toBeInstanceOf(Uint8Array);
        expect(pair).toEqual(reference);
        expect(web.sha256Pair(a, b)).toEqual(reference);
      }
    expect(node.sha256Pair('a', 'b')).not.toEqual(node.sha256Pair('b', 'a'));
  });

  it('sha256Pair agrees with two sha256 calls on any strings and bytes (property)', { timeout: 0 }, () => {
    const input = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 }));
    fc.assert(
      fc.property(input, input, (a, b) => {
        const reference = new Uint8Array([...node.sha256(a), ...node.sha256(b)]);
        expect(node.sha256Pair(a, b)).toEqual(reference);
        expect(web.sha256Pair(a, b)).toEqual(reference);
      }),
      { numRuns: 500 },
    );
  });

  it('derive the same public keys and verify each other’s signatures', async () => {
    const secrets = [
      hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
      hex('01'.repeat(32)),
    ];
    for (const type of ['Ed25519', 'P-256'] as const) {
      for (const secret of secrets) {
        const pk = node.publicKeyFromSecret(type, secret);
        expect(web.publicKeyFromSecret(type, secret)).toEqual(new Uint8Array(pk));
        const msg = new TextEncoder().encode(`message for ${type}`);
        const fromNode = await node.signerFor(type, secret)(msg);
        const fromWeb = await web.signerFor(type, secret)(msg);
        expect(await web.verifyWithBackend(type, pk, msg, fromNode)).toBe(true);
        expect(node.verifyWithBackend(type, pk, msg, fromWeb)).toBe(true);
        expect(node.verifyWithBackend(type, pk, new TextEncoder().encode('other'), fromWeb)).toBe(false);
      }
    }
  });

  it('KeyObjects exist only on the Node back-end', () => {
    const pk = node.publicKeyFromSecret('Ed25519', hex('01'.repeat(32)));
    expect(node.publicKeyObject('Ed25519', pk).asymmetricKeyType).toBe('ed25519');
    expect(() => web.publicKeyObject('Ed25519', pk)).toThrow(/only on Node/);
    expect(() => web.privateKeyObject('Ed25519', pk)).toThrow(/only on Node/);
  });
});

// SPDX-License-Identifier: Apache-2.0
// did:key v0.7 (W3C CCG): encoding, decoding with strict key checks, offline resolution,
// dereferencing, and the did-resolver driver.
import { PassportError } from '@agent-passport/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { Resolver } from 'did-resolver';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import {
  decodeDidKey,
  decodeMultikey,
  dereferenceDidKey,
  encodeDidKey,
  encodeMultikey,
  getResolver,
  isDidKey,
  publicKeyFromSecret,
  randomSecretKey,
  resolveDidKey,
} from '../src/index.js';
import { vector } from './vectors.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof PassportError ? e.code : `not a PassportError: ${String(e)}`;
  }
};
const mb = (bytes: number[] | Uint8Array) => base58btc.encode(new Uint8Array(bytes));
const ed25519Key = () => publicKeyFromSecret('Ed25519', randomSecretKey('Ed25519'));
/** An uncompressed P-256 point (0x04 ‖ x ‖ y). */
const p256Key = () => p256.getPublicKey(randomSecretKey('P-256'), false);

describe('W3C did:key vectors', () => {
  it('resolves the spec example to a Multikey document with the same key and ids', () => {
    const ex = vector<{
      exampleDid: string;
      exampleDidDocument: { verificationMethod: { id: string; publicKeyMultibase: string }[] };
    }>('w3c/did-key-spec-examples.json');
    const doc = resolveDidKey(ex.exampleDid);
    expect(doc.id).toBe(ex.exampleDid);
    expect(doc['@context']?.[0]).toBe('https://www.w3.org/ns/did/v1');
    const vm = doc.verificationMethod![0]!;
    expect(vm.id).toBe(ex.exampleDidDocument.verificationMethod[0]!.id);
    expect(vm.publicKeyMultibase).toBe(ex.exampleDidDocument.verificationMethod[0]!.publicKeyMultibase);
    expect(vm.type).toBe('Multikey');
    for (const rel of [
      'authentication',
      'assertionMethod',
      'capabilityInvocation',
      'capabilityDelegation',
    ] as const) {
      expect(doc[rel]).toEqual([vm.id]);
    }
  });

  it('decodes the example DIDs of supported key types and refuses the others with ERR_MULTICODEC_UNSUPPORTED', () => {
    const ex = vector<{ exampleDidsByKeyType: Record<string, string[]> }>('w3c/did-key-spec-examples.json');
    for (const [type, dids] of Object.entries(ex.exampleDidsByKeyType)) {
      for (const did of dids) {
        if (type.startsWith('Ed25519')) expect(decodeDidKey(did).type, did).toBe('Ed25519');
        else if (type.startsWith('P-256')) expect(decodeDidKey(did).type, did).toBe('P-256');
        else
          expect(
            codeOf(() => decodeDidKey(did)),
            did,
          ).toBe('ERR_MULTICODEC_UNSUPPORTED');
      }
    }
  });

  it('maps the did-key test suite negatives to our codes', () => {
    const suite = vector<{
      valid: { did: string }[];
      negative: { did: string; title: string }[];
      'derivedNegativesFrom10-create.js': { did: string; expectedError: string }[];
    }>('w3c/did-key-test-suite-dids.json');
    for (const v of suite.valid) expect(resolveDidKey(v.did).id).toBe(v.did);
    const expected: Record<string, string> = {
      'should not return a didDocument for an invalid DID': 'ERR_MULTIBASE_PREFIX',
      'should error if DID is not MULTIBASE': 'ERR_MULTIBASE_PREFIX',
      'MUST error if key encoding does not match MULTIBASE codec': 'ERR_DID_INVALID',
    };
    for (const n of suite.negative)
      expect(
        codeOf(() => resolveDidKey(n.did)),
        n.title,
      ).toBe(expected[n.title]);
    const derived: Record<string, string> = {
      'key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b': 'ERR_DID_INVALID',
      'did:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b': 'ERR_DID_METHOD_UNSUPPORTED',
      'did:key:-v4:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b': 'ERR_DID_INVALID',
      'did:key:6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b': 'ERR_MULTIBASE_PREFIX',
    };
    for (const n of suite['derivedNegativesFrom10-create.js'])
      expect(
        codeOf(() => resolveDidKey(n.did)),
        n.did,
      ).toBe(derived[n.did]);
  });

  it('agrees with the did-method-key vectors on key bytes (Ed25519 from seeds, P-256 from JWK)', () => {
    const v = vector<{
      'ed25519-x25519': Record<string, { seed: string; verificationKeyPair: { publicKeyBase58: string } }>;
      'nist-curves': Record<
        string,
        { verificationMethod: { publicKeyJwk?: { crv: string; x: string; y: string } } }
      >;
    }>('w3c/did-method-key-test-vectors.json');
    for (const [did, entry] of Object.entries(v['ed25519-x25519'])) {
      const fromSeed = ed25519.getPublicKey(Buffer.from(entry.seed, 'hex'));
      expect(encodeDidKey(fromSeed, 'Ed25519')).toBe(did);
      expect(Buffer.from(decodeDidKey(did).publicKey).toString('hex')).toBe(
        Buffer.from(fromSeed).toString('hex'),
      );
    }
    let p256 = 0;
    for (const [did, entry] of Object.entries(v['nist-curves'])) {
      const jwk = entry.verificationMethod.publicKeyJwk;
      if (!did.startsWith('did:key:zDn')) {
        expect(
          codeOf(() => decodeDidKey(did)),
          did,
        ).toBe('ERR_MULTICODEC_UNSUPPORTED');
        continue;
      }
      if (jwk === undefined) continue;
      const uncompressed = new Uint8Array([
        4,
        ...Buffer.from(jwk.x, 'base64url'),
        ...Buffer.from(jwk.y, 'base64url'),
      ]);
      expect(encodeDidKey(uncompressed, 'P-256')).toBe(did);
      p256++;
    }
    expect(p256).toBeGreaterThanOrEqual(2);
  });
});

describe('decodeMultikey refuses bad keys, each with its own code', () => {
  const ed = ed25519Key();
  const table: [string, string, string][] = [
    [
      'a base64url multibase prefix',
      `u${Buffer.from([0xed, 0x01, ...ed]).toString('base64url')}`,
      'ERR_MULTIBASE_PREFIX',
    ],
    ['a base58btc string with a non-alphabet character', 'z6Mk0OIl', 'ERR_MULTIBASE_DECODE'],
    ['an x25519 codec (0xec)', mb([0xec, 0x01, ...ed]), 'ERR_MULTICODEC_UNSUPPORTED'],
    ['a secp256k1 codec (0xe7)', mb([0xe7, 0x01, 2, ...ed]), 'ERR_MULTICODEC_UNSUPPORTED'],
    ['a padded varint for 0xed', mb([0xed, 0x81, 0x00, ...ed]), 'ERR_MULTICODEC_UNSUPPORTED'],
    ['a truncated varint', mb([0xed]), 'ERR_MULTICODEC_UNSUPPORTED'],
    ['an Ed25519 key of 31 bytes', mb([0xed, 0x01, ...ed.subarray(1)]), 'ERR_KEY_LENGTH'],
    ['an Ed25519 key of 33 bytes', mb([0xed, 0x01, ...ed, 0]), 'ERR_KEY_LENGTH'],
    ['a P-256 key of 32 bytes', mb([0x80, 0x24, ...ed]), 'ERR_KEY_LENGTH'],
    ['an uncompressed P-256 key', mb([0x80, 0x24, ...p256Key()]), 'ERR_KEY_LENGTH'],
    [
      'a P-256 x with no point on the curve',
      mb([0x80, 0x24, 0x02, ...new Uint8Array(32).fill(0xff)]),
      'ERR_P256_NOT_ON_CURVE',
    ],
    [
      'a P-256 key with prefix 04',
      mb([0x80, 0x24, 0x04, ...p256Key().subarray(1, 33)]),
      'ERR_P256_NOT_ON_CURVE',
    ],
    ['the Ed25519 identity point', mb([0xed, 0x01, 1, ...new Uint8Array(31)]), 'ERR_ED25519_SMALL_ORDER'],
    [
      'the Ed25519 point of order 2 (y = −1)',
      mb([0xed, 0x01, 0xec, ...new Uint8Array(30).fill(0xff), 0x7f]),
      'ERR_ED25519_SMALL_ORDER',
    ],
    [
      'the Ed25519 point of order 4 (y = 0)',
      mb([0xed, 0x01, ...new Uint8Array(32)]),
      'ERR_ED25519_SMALL_ORDER',
    ],
    [
      'a non-canonical y ≥ p (y = p + 1, the identity)',
      mb([0xed, 0x01, 0xee, ...new Uint8Array(30).fill(0xff), 0x7f]),
      'ERR_ED25519_NON_CANONICAL',
    ],
    [
      'x = 0 with the sign bit set (−0)',
      mb([0xed, 0x01, 1, ...new Uint8Array(30), 0x80]),
      'ERR_ED25519_NON_CANONICAL',
    ],
    ['a y with no x on the curve', mb([0xed, 0x01, 2, ...new Uint8Array(31)]), 'ERR_ED25519_INVALID_POINT'],
  ];
  for (const [name, value, code] of table) {
    it(`${name} → ${code}`, () => expect(codeOf(() => decodeMultikey(value))).toBe(code));
  }

  it('a mixed-order Ed25519 key (valid key + a torsion point) → ERR_ED25519_TORSION', () => {
    const torsion = ed25519.Point.fromBytes(new Uint8Array(32)); // order 4
    const mixed = ed25519.Point.fromBytes(ed).add(torsion).toBytes();
    expect(codeOf(() => decodeMultikey(mb([0xed, 0x01, ...mixed])))).toBe('ERR_ED25519_TORSION');
  });

  it('throws TypeError for caller mistakes', () => {
    expect(() => decodeMultikey(42 as never)).toThrow(TypeError);
    expect(() => encodeMultikey(ed, 'RSA' as never)).toThrow(TypeError);
    expect(() => encodeMultikey('abc' as never, 'Ed25519')).toThrow(TypeError);
  });
});

describe('did:key documents and DID URLs', () => {
  const did = encodeDidKey(ed25519Key(), 'Ed25519');

  it('dereferences did:key:z…#z… to its Multikey, and nothing else (ERR_VERIFICATION_METHOD_NOT_FOUND)', () => {
    const { multibase } = decodeDidKey(did);
    expect(dereferenceDidKey(`${did}#${multibase}`)).toMatchObject({
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: multibase,
    });
    expect(codeOf(() => dereferenceDidKey(`${did}#key-1`))).toBe('ERR_VERIFICATION_METHOD_NOT_FOUND');
    expect(codeOf(() => dereferenceDidKey(did))).toBe('ERR_VERIFICATION_METHOD_NOT_FOUND');
  });

  it('memoises frozen documents', () => {
    const a = resolveDidKey(did);
    expect(resolveDidKey(did)).toBe(a);
    expect(Object.isFrozen(a.verificationMethod![0])).toBe(true);
  });

  it('isDidKey is a syntax check only', () => {
    expect(isDidKey(did)).toBe(true);
    expect(isDidKey('did:key:0abc')).toBe(false);
    expect(isDidKey('did:web:x')).toBe(false);
    expect(isDidKey(`${did}#x`)).toBe(false);
    expect(isDidKey(null)).toBe(false);
  });

  it('is exposed through did-resolver, with errors as resolution metadata', async () => {
    const resolver = new Resolver(getResolver());
    const ok = await resolver.resolve(did);
    expect(ok.didDocument?.id).toBe(did);
    const bad = await resolver.resolve('did:key:z6MkAAAA');
    expect(bad.didDocument).toBeNull();
    expect(bad.didResolutionMetadata).toMatchObject({
      error: expect.any(String),
      code: expect.stringMatching(/^ERR_/),
    });
  });
});

describe('properties', () => {
  it('Ed25519 and P-256 keys round-trip through did:key', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.constantFrom('Ed25519' as const, 'P-256' as const), (type) => {
        const raw = type === 'Ed25519' ? ed25519Key() : p256Key();
        const did = encodeDidKey(raw, type);
        const back = decodeDidKey(did);
        expect(back.type).toBe(type);
        expect(encodeDidKey(back.publicKey, type)).toBe(did);
        expect(did.startsWith(type === 'Ed25519' ? 'did:key:z6Mk' : 'did:key:zDn')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes and strings never throw anything but PassportError', { timeout: 0 }, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom([0xed, 0x01], [0x80, 0x24], []),
        (bytes, header) => {
          for (const input of [mb([...header, ...bytes]), `did:key:${mb([...header, ...bytes])}`]) {
            try {
              if (input.startsWith('did:')) decodeDidKey(input);
              else decodeMultikey(input);
            } catch (e) {
              expect(e).toBeInstanceOf(PassportError);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

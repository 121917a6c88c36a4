// SPDX-License-Identifier: Apache-2.0
// `relatedResource` (VCDM 2.0 §5.3): the W3C VC Data Model 2.0 test suite's cases (a string, no id,
// a repeated id, no digest), and the digests of the resources held offline (the bundled contexts,
// by the digests of their published bytes).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVcdm2 } from '../src/index.js';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const contextBytes = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'contexts', 'credentials-v2.jsonld'),
);
const b64 = (alg: string, bytes: Uint8Array) => createHash(alg).update(bytes).digest('base64');
const sri = (alg: 'sha256' | 'sha384' | 'sha512', bytes: Uint8Array = contextBytes) =>
  `${alg}-${b64(alg, bytes)}`;

/** A base64url ('u') multibase sha2-256 multihash of `bytes`. */
function multibase(bytes: Uint8Array): string {
  const mh = Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(bytes).digest()]);
  return `u${mh.toString('base64url')}`;
}
/** The same multihash in base58btc ('z'). */
function multibase58(bytes: Uint8Array): string {
  const A = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const mh = Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(bytes).digest()]);
  let n = BigInt(`0x${mh.toString('hex')}`);
  let out = '';
  for (; n > 0n; n /= 58n) out = A[Number(n % 58n)] + out;
  return `z${out}`;
}

const credential = (relatedResource: unknown) => ({
  '@context': [V2],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
  relatedResource,
});
const other = 'https://example.org/logo.png';
const otherDigest = sri('sha384', Buffer.from('some logo'));

describe('relatedResource shape (ERR_VCDM_RELATED_RESOURCE)', () => {
  const cases: [string, unknown, string][] = [
    ['a plain string instead of an object', V2, '/relatedResource'],
    ['an object without id', [{ digestSRI: otherDigest }], '/relatedResource/0/id'],
    ['an id that is not a URL', [{ id: 'logo', digestSRI: otherDigest }], '/relatedResource/0/id'],
    [
      'two with the same id',
      [
        { id: other, digestSRI: otherDigest },
        { id: other, digestSRI: otherDigest },
      ],
      '/relatedResource/1/id',
    ],
    [
      'one without digestSRI or digestMultibase',
      [{ id: other, mediaType: 'image/png' }],
      '/relatedResource/0',
    ],
    [
      'a digestSRI of an unknown algorithm',
      [{ id: other, digestSRI: 'md5-AAAA' }],
      '/relatedResource/0/digestSRI',
    ],
    [
      'a digestSRI of the wrong length',
      [{ id: other, digestSRI: 'sha384-AAAA' }],
      '/relatedResource/0/digestSRI',
    ],
    [
      'a digestMultibase that is no multihash',
      [{ id: other, digestMultibase: 'uAAAA' }],
      '/relatedResource/0/digestMultibase',
    ],
    ['an empty list', [], '/relatedResource'],
  ];
  for (const [label, value, path] of cases)
    it(`refuses ${label}`, () => {
      expect(checkVcdm2(credential(value))).toMatchObject({
        ok: false,
        code: 'ERR_VCDM_RELATED_RESOURCE',
        path,
      });
    });

  it('accepts resources it does not hold, each with a unique id and a well-formed digest', () => {
    expect(
      checkVcdm2(
        credential([
          { id: other, digestSRI: otherDigest, mediaType: 'image/png' },
          { id: 'https://example.org/terms', digestMultibase: multibase(Buffer.from('terms')) },
        ]),
      ),
    ).toEqual({ ok: true });
  });
});

describe('relatedResource digests of the bundled contexts (their published bytes)', () => {
  it.each([
    ['digestSRI sha256', { digestSRI: sri('sha256') }],
    ['digestSRI sha384', { digestSRI: sri('sha384') }],
    ['digestSRI sha512', { digestSRI: sri('sha512') }],
    ['digestMultibase base64url', { digestMultibase: multibase(contextBytes) }],
    ['digestMultibase base58btc', { digestMultibase: multibase58(contextBytes) }],
    ['both', { digestSRI: sri('sha384'), digestMultibase: multibase(contextBytes) }],
  ])('accepts the right %s', (_label, digest) => {
    expect(checkVcdm2(credential([{ id: V2, ...digest }]))).toEqual({ ok: true });
  });

  it.each([
    [
      'digestSRI sha384',
      { digestSRI: 'sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg' },
    ],
    [
      'digestMultibase of the bare sha256',
      { digestMultibase: 'uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k' },
    ],
  ])('accepts the %s the VCDM 2.0 specification publishes for its base context', (_label, digest) => {
    expect(checkVcdm2(credential([{ id: V2, ...digest }]))).toEqual({ ok: true });
  });

  it('refuses the wrong digests the W3C suite sends', () => {
    for (const digest of [
      { digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' },
      { digestSRI: `sha384-${'A'.repeat(64)}` },
    ])
      expect(checkVcdm2(credential([{ id: V2, ...digest }]))).toMatchObject({
        code: 'ERR_VCDM_DIGEST_MISMATCH',
      });
  });

  const reserialised = Buffer.from(JSON.stringify(JSON.parse(contextBytes.toString('utf8'))));
  it.each([
    ['digestSRI of other bytes', { digestSRI: sri('sha384', Buffer.from('not the context')) }],
    [
      'digestSRI of the re-serialised JSON, not the published bytes',
      { digestSRI: sri('sha256', reserialised) },
    ],
    ['digestMultibase of other bytes', { digestMultibase: multibase(Buffer.from('not the context')) }],
    [
      'a right SRI next to a wrong multibase',
      { digestSRI: sri('sha384'), digestMultibase: multibase(reserialised) },
    ],
  ])('refuses %s with ERR_VCDM_DIGEST_MISMATCH', (_label, digest) => {
    expect(checkVcdm2(credential([{ id: V2, ...digest }]))).toMatchObject({
      ok: false,
      code: 'ERR_VCDM_DIGEST_MISMATCH',
      path: '/relatedResource/0',
    });
  });
});

// SPDX-License-Identifier: Apache-2.0
// verifyControlledProof: the one proof check (key named by the controller, listed under the
// purpose, allowed by its history, created not in the future, then the signature), each refusal
// with its code, never a throw for bad data.
import { type DidDocument, PassportError } from '@agent-passport/core';
import { encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import {
  checkControlledKey,
  createSigner,
  publicKeyOf,
  signCredential,
  verifyControlledProof,
} from '../src/index.js';
import { didKeyDocument, testLoader } from './helpers.js';

const key = {
  type: 'Ed25519' as const,
  secretKey: randomSecretKey('Ed25519'),
};
const multibase = encodeMultikey(publicKeyOf(key), 'Ed25519');
const doc = didKeyDocument(multibase);
const did = doc.id;
const vm = `${did}#${multibase}`;
const created = new Date('2026-05-01T00:00:00Z');
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: did,
  credentialSubject: { id: 'urn:example:subject' },
};
const signed = await signCredential(credential, {
  signer: createSigner(key, vm),
  created,
  cryptosuite: 'eddsa-jcs-2022',
  documentLoader: testLoader,
});
const at = new Date('2026-06-01T00:00:00Z');
const base = { controller: did, controllerDocument: doc, purpose: 'assertionMethod' as const, at };
const check = (document: unknown, extra: Record<string, unknown> = {}) =>
  verifyControlledProof({ document, documentLoader: testLoader, ...base, ...extra });
const withProof = (change: Record<string, unknown>) => ({
  ...signed,
  proof: { ...(signed['proof'] as object), ...change },
});

describe('verifyControlledProof', () => {
  it('accepts a proof by a listed key, with its created time and the document it was checked against', async () => {
    const r = await check(signed);
    expect(r).toMatchObject({ verified: true, cryptosuite: 'eddsa-jcs-2022', verificationMethod: vm });
    expect(r.verified && r.created).toBe(created.getTime());
    expect(r.verified && r.controllerDocument).toBe(doc);
  });

  const refused: [string, unknown, Record<string, unknown>, string][] = [
    ['no proof', credential, {}, 'ERR_PROOF_MISSING'],
    ['a proof set', { ...signed, proof: [signed['proof']] }, {}, 'ERR_PROOF_MALFORMED'],
    [
      'a verificationMethod that is not a string',
      withProof({ verificationMethod: 7 }),
      {},
      'ERR_PROOF_MALFORMED',
    ],
    [
      'a key of another DID',
      withProof({ verificationMethod: 'did:key:z6MkOther#z6MkOther' }),
      {},
      'ERR_ISSUER_KEY',
    ],
    ['a key not listed under the purpose', signed, { purpose: 'authentication' }, 'ERR_PROOF_PURPOSE'],
    ['a created time in the future', signed, { at: new Date('2026-04-30T23:58:00Z') }, 'ERR_PROOF_CREATED'],
    ['a created time that is not a date-time', withProof({ created: 'yesterday' }), {}, 'ERR_PROOF_CREATED'],
    [
      'a missing created time where one is required',
      withProof({ created: undefined }),
      { requireCreated: true },
      'ERR_PROOF_CREATED',
    ],
    ['a tampered document', { ...signed, issuer: did, extra: 1 }, {}, 'ERR_PROOF_INVALID'],
    [
      'a suite outside the allowlist',
      signed,
      { cryptosuites: ['ecdsa-jcs-2019'] },
      'ERR_CRYPTOSUITE_UNSUPPORTED',
    ],
  ];
  for (const [name, document, extra, code] of refused)
    it(`refuses ${name} (${code})`, async () => {
      expect(await check(document, extra)).toMatchObject({ verified: false, code });
    });

  it('refuses a key its history retired before the proof was made (ERR_KEY_RETIRED)', async () => {
    const retired: DidDocument = {
      ...doc,
      verificationMethod: [{ ...doc.verificationMethod![0]!, retired: '2026-04-01T00:00:00Z' }],
    };
    expect(await check(signed, { controllerDocument: retired })).toMatchObject({ code: 'ERR_KEY_RETIRED' });
    expect(checkControlledKey(signed, retired, 'assertionMethod')).toMatchObject({ code: 'ERR_KEY_RETIRED' });
  });

  it('resolves the controller only once the proof names one of its keys; resolver failures keep their code', async () => {
    let calls = 0;
    const resolve = async () => {
      calls += 1;
      return doc;
    };
    const other = withProof({ verificationMethod: 'did:key:z6MkOther#z6MkOther' });
    expect(await check(other, { controllerDocument: resolve })).toMatchObject({ code: 'ERR_ISSUER_KEY' });
    expect(calls).toBe(0);
    expect((await check(signed, { controllerDocument: resolve })).verified).toBe(true);
    expect(calls).toBe(1);
    const gone = async () => {
      throw new PassportError('ERR_DID_WEB_HOST_FORBIDDEN', 'unreachable');
    };
    expect(await check(signed, { controllerDocument: gone })).toMatchObject({
      code: 'ERR_DID_WEB_HOST_FORBIDDEN',
    });
    const broken = async () => {
      throw new Error('boom');
    };
    expect(await check(signed, { controllerDocument: broken })).toMatchObject({ code: 'ERR_DID_NOT_FOUND' });
    const elsewhere = { ...doc, id: 'did:example:elsewhere' };
    expect(await check(signed, { controllerDocument: elsewhere })).toMatchObject({
      code: 'ERR_DID_ID_MISMATCH',
    });
    expect(await check(signed, { controllerDocument: async () => elsewhere })).toMatchObject({
      code: 'ERR_DID_ID_MISMATCH',
    });
  });

  it('runs the cryptography through the given step (a cache can wrap it)', async () => {
    let seen = 0;
    const r = await check(withProof({ proofValue: 'zNotASignature' }), {
      verify: async () => {
        seen += 1;
        return { verified: true, cryptosuite: 'eddsa-jcs-2022', verificationMethod: vm };
      },
    });
    expect(seen).toBe(1);
    expect(r.verified).toBe(true);
  });
});

// SPDX-License-Identifier: Apache-2.0
// Proof sets and chains (VC Data Integrity 1.0 §2.1.2, §4.5): every proof of a set verifies, each
// against its own controller; a chained proof (previousProof) secures the document with the
// proofs it names, which must be in the set.
import { createHash } from 'node:crypto';
import type { Signer } from '@agent-passport/core';
import { randomSecretKey } from '@agent-passport/did-key';
import { canonicalize } from '@agent-passport/strict-json';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { describe, expect, it } from 'vitest';
import { addProof, didKeySigner, MAX_PROOFS, verifyProofSet } from '../src/index.js';
import { didKeyDocument, testLoader } from './helpers.js';

type Json = Record<string, unknown>;
const credential: Json = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  id: 'urn:uuid:2f4c9a2e-0d6b-4f39-9b51-6d2cbb0e8f11',
  type: ['VerifiableCredential', 'ExampleAlumniCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:alice', alumniOf: 'The School of Examples' },
};
const created = new Date('2025-01-01T00:00:00Z');
const controllerOf = async (proof: Json) => {
  const vm = String(proof['verificationMethod']);
  return didKeyDocument(vm.split('#')[1] as string);
};
const verify = (doc: unknown) =>
  verifyProofSet(doc, { proofPurpose: 'assertionMethod', documentLoader: testLoader, controllerOf });

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  for (; n > 0n; n /= 58n) out = B58[Number(n % 58n)] + out;
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** An eddsa-jcs-2022 proof chained to `previous`: it signs the document with them as its proof. */
async function chainedJcsProof(doc: Json, signer: Signer, previous: Json | Json[], extra: Json = {}) {
  const { proof: _p, ...unsecured } = doc;
  const ids = (Array.isArray(previous) ? previous : [previous]).map((p) => p['id']);
  const options: Json = {
    '@context': doc['@context'],
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-jcs-2022',
    created: '2025-01-02T00:00:00Z',
    verificationMethod: signer.id,
    proofPurpose: 'assertionMethod',
    previousProof: ids.length === 1 ? ids[0] : ids,
    ...extra,
  };
  const sha = (v: unknown) => createHash('sha256').update(canonicalize(v)).digest();
  const data = Buffer.concat([sha(options), sha({ ...unsecured, proof: previous })]);
  return { ...options, proofValue: `z${base58(await signer.sign({ data: new Uint8Array(data) }))}` };
}

function ed25519Key() {
  return { type: 'Ed25519' as const, secretKey: randomSecretKey('Ed25519') };
}
const alice = didKeySigner(ed25519Key());
const bob = didKeySigner(ed25519Key());

describe('proof sets', () => {
  it('verifies every proof of a set, each by its own controller, in either cryptosuite', async () => {
    const one = await addProof(credential, {
      signer: alice,
      documentLoader: testLoader,
      created,
      cryptosuite: 'eddsa-jcs-2022',
    });
    const two = await addProof(one, {
      signer: bob,
      documentLoader: testLoader,
      created,
      cryptosuite: 'eddsa-rdfc-2022',
    });
    expect(Array.isArray(two['proof'])).toBe(true);
    const r = await verify(two);
    expect(r).toMatchObject({
      verified: true,
      proofs: [
        { cryptosuite: 'eddsa-jcs-2022', verificationMethod: alice.id },
        { cryptosuite: 'eddsa-rdfc-2022', verificationMethod: bob.id },
      ],
    });
    expect(await verify(one)).toMatchObject({ verified: true, proofs: [{ verificationMethod: alice.id }] });
  });

  it('refuses the set when any proof fails, naming the failure', async () => {
    const two = await addProof(
      await addProof(credential, { signer: alice, documentLoader: testLoader, created }),
      { signer: bob, documentLoader: testLoader, created },
    );
    const [first, second] = two['proof'] as Json[];
    const tampered = { ...two, proof: [first, { ...second, created: '2025-01-03T00:00:00Z' }] };
    expect(await verify(tampered)).toMatchObject({ verified: false, code: 'ERR_PROOF_INVALID' });
    const foreign = { ...two, proof: [first, { ...second, type: 'Ed25519Signature2020' }] };
    expect(await verify(foreign)).toMatchObject({ verified: false, code: 'ERR_PROOF_TYPE' });
  });

  it('refuses malformed sets: empty, too many, not objects, repeated ids', async () => {
    const one = await addProof(credential, { signer: alice, documentLoader: testLoader, created });
    const p = one['proof'] as Json;
    expect(await verify({ ...credential, proof: [] })).toMatchObject({ code: 'ERR_PROOF_MISSING' });
    expect(await verify(credential)).toMatchObject({ code: 'ERR_PROOF_MISSING' });
    expect(await verify({ ...credential, proof: Array(MAX_PROOFS + 1).fill(p) })).toMatchObject({
      code: 'ERR_PROOF_MALFORMED',
    });
    expect(await verify({ ...credential, proof: [p, 'z123'] })).toMatchObject({
      code: 'ERR_PROOF_MALFORMED',
    });
    // The same proof twice is two proofs that verify (the W3C eddsa suite sends such a set).
    expect(await verify({ ...credential, proof: [p, p] })).toMatchObject({ verified: true });
    const withId = { ...p, id: 'urn:uuid:1' };
    expect(await verify({ ...credential, proof: [withId, withId] })).toMatchObject({
      code: 'ERR_PROOF_MALFORMED',
    });
  });

  it('a controller that cannot be resolved refuses the set with its code', async () => {
    const one = await addProof(credential, { signer: alice, documentLoader: testLoader, created });
    const { PassportError } = await import('@agent-passport/core');
    const r = await verifyProofSet(one, {
      proofPurpose: 'assertionMethod',
      documentLoader: testLoader,
      controllerOf: async () => {
        throw new PassportError('ERR_DID_NOT_FOUND', 'unknown');
      },
    });
    expect(r).toMatchObject({ verified: false, code: 'ERR_DID_NOT_FOUND' });
  });
});

describe('proof chains (previousProof)', () => {
  it('verifies a chain in order: the second proof secures the document with the first', async () => {
    const first = await idProof(alice, 'urn:uuid:proof-1');
    const second = await chainedJcsProof({ ...credential }, bob, first);
    const doc = { ...credential, proof: [first, second] };
    expect(await verify(doc)).toMatchObject({
      verified: true,
      proofs: [{ verificationMethod: alice.id }, { verificationMethod: bob.id }],
    });
  });

  it('a chained proof moved out of its chain does not verify (it signed the previous proof)', async () => {
    const first = await idProof(alice, 'urn:uuid:proof-1');
    const second = await chainedJcsProof({ ...credential }, bob, first);
    const other = await idProof(alice, 'urn:uuid:proof-1', '2025-01-05T00:00:00Z');
    expect(await verify({ ...credential, proof: [other, second] })).toMatchObject({
      verified: false,
      code: 'ERR_PROOF_INVALID',
    });
  });

  it('refuses a previousProof that names no proof of the set, or is not an id', async () => {
    const first = await idProof(alice, 'urn:uuid:proof-1');
    const second = await chainedJcsProof({ ...credential }, bob, first);
    expect(await verify({ ...credential, proof: [second] })).toMatchObject({
      verified: false,
      code: 'ERR_PROOF_PREVIOUS_MISSING',
    });
    const notString = { ...second, previousProof: 42 };
    expect(await verify({ ...credential, proof: [first, notString] })).toMatchObject({
      code: 'ERR_PROOF_MALFORMED',
    });
    const self = { ...first, previousProof: 'urn:uuid:proof-1' };
    expect(await verify({ ...credential, proof: [self] })).toMatchObject({
      code: 'ERR_PROOF_PREVIOUS_MISSING',
    });
  });

  it('a proof may name several previous proofs', async () => {
    const first = await idProof(alice, 'urn:uuid:proof-1');
    const other = await idProof(bob, 'urn:uuid:proof-2');
    const third = await chainedJcsProof({ ...credential }, alice, [first, other]);
    expect(await verify({ ...credential, proof: [first, other, third] })).toMatchObject({ verified: true });
  });
});

/** An eddsa-jcs-2022 proof with an id (a chain names proofs by id), over the credential alone. */
async function idProof(signer: Signer, id: string, at = '2025-01-01T00:00:00Z'): Promise<Json> {
  const options: Json = {
    '@context': credential['@context'],
    id,
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-jcs-2022',
    created: at,
    verificationMethod: signer.id,
    proofPurpose: 'assertionMethod',
  };
  const sha = (v: unknown) => createHash('sha256').update(canonicalize(v)).digest();
  const data = Buffer.concat([sha(options), sha(credential)]);
  return { ...options, proofValue: `z${base58(await signer.sign({ data: new Uint8Array(data) }))}` };
}

/** An eddsa-rdfc-2022 proof chained to `previous`, made the way Data Integrity §4.5 says. */
async function chainedRdfcProof(signer: Signer, previous: Json): Promise<Json> {
  const options: Json = {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-rdfc-2022',
    created: '2025-01-02T00:00:00Z',
    verificationMethod: signer.id,
    proofPurpose: 'assertionMethod',
    previousProof: previous['id'],
  };
  const canonize = rdfc['canonize'] as (doc: unknown, options: unknown) => Promise<string>;
  const c14n = (doc: unknown) => canonize(doc, { documentLoader: testLoader, safe: true, base: null });
  const sha = (text: string) => createHash('sha256').update(text).digest();
  const data = Buffer.concat([
    sha(await c14n({ '@context': credential['@context'], ...options })),
    sha(await c14n({ ...credential, proof: previous })),
  ]);
  return { ...options, proofValue: `z${base58(await signer.sign({ data: new Uint8Array(data) }))}` };
}

describe('eddsa-rdfc-2022 proof chains', () => {
  it('verify in order; a link moved to another chain, or missing, is refused', async () => {
    const first = await idProof(alice, 'urn:uuid:proof-1');
    const second = await chainedRdfcProof(bob, first);
    expect(await verify({ ...credential, proof: [first, second] })).toMatchObject({
      verified: true,
      proofs: [
        { cryptosuite: 'eddsa-jcs-2022' },
        { cryptosuite: 'eddsa-rdfc-2022', verificationMethod: bob.id },
      ],
    });
    const other = await idProof(alice, 'urn:uuid:proof-1', '2025-01-05T00:00:00Z');
    expect(await verify({ ...credential, proof: [other, second] })).toMatchObject({
      code: 'ERR_PROOF_INVALID',
    });
    expect(await verify({ ...credential, proof: [second] })).toMatchObject({
      code: 'ERR_PROOF_PREVIOUS_MISSING',
    });
  });
});

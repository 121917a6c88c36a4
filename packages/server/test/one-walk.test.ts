// SPDX-License-Identifier: Apache-2.0
// Differential: the proof step with its one JCS walk (checkProof hands verifyControlledProof the
// document as prepareJcs checked and canonicalised it) against the call it replaces (the same
// options, no prepared document: strict-json's safety walk and canonicalize of each signed part),
// on the W3C vectors, credentials signed with each suite, every hostile shape the walk can refuse
// (depth, lone surrogates, forbidden keys, cycles, non-JSON values) and random changes (fast-check,
// fixed numRuns). The verdict, code and message must be the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonObject, PassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, signCredential, verifyControlledProof } from '@agent-passport/suites';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config.js';
import { createService } from '../src/service.js';
import { checkProof, controlledProofOptions, preparedFor } from '../src/verify/proof.js';
import { EXAMPLES_V2, EXAMPLES_V2_URL, exampleCredential, loader, OPERATOR } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ed = didKeySigner(generateKey());
const p256 = didKeySigner(generateKey('P-256'));
const issuerDid = ed.id.split('#')[0] as string;
const service = createService(
  checkConfig({
    issuer: { did: issuerDid, signer: ed, didDocument: resolveDidKey(issuerDid) },
    publicUrl: 'https://issuer.example',
    operatorToken: OPERATOR,
    contexts: { [EXAMPLES_V2_URL]: EXAMPLES_V2 },
    clock: () => NOW,
  }),
);

type Outcome = { readonly ok: string } | { readonly code: string; readonly message: string };

const signerOf = (doc: JsonObject): string => {
  const proof = doc['proof'] as JsonObject | undefined;
  const vm = typeof proof?.['verificationMethod'] === 'string' ? proof['verificationMethod'] : issuerDid;
  return vm.split('#')[0] as string;
};

/** The proof step as the server runs it (one walk when it can). */
async function fast(doc: JsonObject): Promise<Outcome> {
  try {
    return { ok: (await checkProof(doc, signerOf(doc), 'assertionMethod', service.verifyContext(true))).id };
  } catch (cause) {
    if (!(cause instanceof PassportError)) throw cause;
    return { code: cause.code, message: cause.message };
  }
}

/** The call it replaces: the same options, no prepared document. */
async function reference(doc: JsonObject): Promise<Outcome> {
  const options = controlledProofOptions(doc, signerOf(doc), 'assertionMethod', service.verifyContext(true));
  const r = await verifyControlledProof(options);
  return r.verified ? { ok: r.controllerDocument.id } : { code: r.code, message: r.message };
}

async function same(doc: JsonObject, name: string): Promise<Outcome> {
  const [a, b] = [await fast(doc), await reference(doc)];
  expect(a, name).toEqual(b);
  return a;
}

const vectors = (name: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vectors', 'w3c', name), 'utf8'),
  );

async function signed(): Promise<Record<string, JsonObject>> {
  const sign = (signer: typeof ed, cryptosuite: 'eddsa-jcs-2022' | 'eddsa-rdfc-2022' | 'ecdsa-jcs-2019') =>
    signCredential(
      exampleCredential(signer.id.split('#')[0] as string, { id: `urn:example:${cryptosuite}` }),
      {
        signer,
        cryptosuite,
        created: new Date('2026-01-01T00:00:00Z'),
        documentLoader: loader,
      },
    ) as Promise<JsonObject>;
  const eddsa = vectors('vc-di-eddsa.json');
  return {
    'eddsa-jcs-2022': await sign(ed, 'eddsa-jcs-2022'),
    'eddsa-rdfc-2022': await sign(ed, 'eddsa-rdfc-2022'),
    'ecdsa-jcs-2019': await sign(p256, 'ecdsa-jcs-2019'),
    'W3C eddsa-jcs-2022 vector': eddsa['eddsa-jcs-2022'].signedDocument,
    'W3C eddsa-rdfc-2022 vector': eddsa['eddsa-rdfc-2022'].signedDocument,
    'W3C ecdsa-jcs-2019 vector': vectors('vc-di-ecdsa-jcs-2019-p256.json').signedDocument,
  };
}

const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });
const withProof = (doc: JsonObject, change: Record<string, unknown>): JsonObject => ({
  ...doc,
  proof: { ...(doc['proof'] as JsonObject), ...change },
});

/** Each hostile shape, on a copy of `doc`. */
function hostile(doc: JsonObject): Record<string, JsonObject> {
  const subject = doc['credentialSubject'] as JsonObject;
  const cyclic: Record<string, unknown> = { id: 'did:example:c' };
  cyclic['self'] = cyclic;
  const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${39 - i}`, i]));
  const proof = doc['proof'] as JsonObject;
  return {
    tampered: { ...doc, credentialSubject: { ...subject, id: 'did:example:mallory' } },
    'nested 31 deep': { ...doc, credentialSubject: { ...subject, deep: nested(29) } },
    'nested 40 deep': { ...doc, credentialSubject: { ...subject, deep: nested(40) } },
    'a lone surrogate': { ...doc, credentialSubject: { ...subject, name: '\ud800' } },
    'a lone surrogate key': { ...doc, credentialSubject: { ...subject, '\udc00': 1 } },
    'a constructor key': { ...doc, credentialSubject: JSON.parse('{"constructor":1}') },
    'a __proto__ key': { ...doc, extra: JSON.parse('{"__proto__":{"x":1}}') },
    'a cycle': { ...doc, credentialSubject: cyclic },
    NaN: { ...doc, n: Number.NaN },
    'minus zero and large numbers': { ...doc, n: [-0, 1e21, 5e-324, 0.1 + 0.2] },
    'a Date': { ...doc, when: new Date(0) },
    'undefined member': { ...doc, u: undefined },
    'a function': { ...doc, f: () => 1 },
    'a symbol key': { ...doc, [Symbol('s')]: 1 } as JsonObject,
    'a wide object': { ...doc, wide },
    'escapes and non-ASCII': { ...doc, s: 'a"b\\c\n\u0001é😀\u2028' },
    'no proof @context': withProof(doc, { '@context': undefined }),
    'proof @context shorter': withProof(doc, { '@context': ['https://www.w3.org/ns/credentials/v2'] }),
    'proof @context a string': withProof(doc, { '@context': 'https://www.w3.org/ns/credentials/v2' }),
    'proof @context an object': withProof(doc, { '@context': [{ '@vocab': 'https://x.example#' }] }),
    'proof @context not first': withProof(doc, { '@context': [EXAMPLES_V2_URL] }),
    'proof value not base58': withProof(doc, { proofValue: 'z0OIl' }),
    'proof value cut': withProof(doc, { proofValue: String(proof['proofValue']).slice(0, 20) }),
    'created in the future': withProof(doc, { created: '2099-01-01T00:00:00Z' }),
    'wrong purpose': withProof(doc, { proofPurpose: 'authentication' }),
    'no cryptosuite': withProof(doc, { cryptosuite: undefined }),
    'proof not an object': { ...doc, proof: 'x' } as JsonObject,
    'no proof': { ...doc, proof: undefined } as JsonObject,
  };
}

/** `doc` without its proof, signed again with eddsa-jcs-2022 (undefined when signing refuses it). */
async function resigned(doc: JsonObject): Promise<JsonObject | undefined> {
  const { proof: _proof, ...rest } = doc;
  try {
    return (await signCredential(
      { ...rest, issuer: issuerDid },
      {
        signer: ed,
        cryptosuite: 'eddsa-jcs-2022',
        created: new Date('2026-01-01T00:00:00Z'),
        documentLoader: loader,
      },
    )) as JsonObject;
  } catch {
    return undefined;
  }
}

describe('the proof step: one JCS walk against strict-json canonicalize', () => {
  it('gives the same verdicts, codes and messages on vectors, suites and hostile shapes', async () => {
    const docs = await signed();
    const codes = new Set<string>();
    for (const [name, doc] of Object.entries(docs)) {
      expect(await same(doc, name), name).toHaveProperty('ok');
      // The JCS suites take the one walk; RDFC never does.
      expect(preparedFor(doc, doc['proof']) !== undefined, name).toBe(!name.includes('rdfc'));
      for (const [hostileName, bad] of Object.entries(hostile(doc))) {
        const r = await same(bad, `${name}: ${hostileName}`);
        if ('code' in r) codes.add(r.code);
      }
    }
    // Unusual but JCS-safe contents, signed: both paths verify them (the one walk's forms are exact).
    const base = docs['eddsa-jcs-2022'] as JsonObject;
    for (const name of [
      'nested 31 deep',
      'minus zero and large numbers',
      'a wide object',
      'escapes and non-ASCII',
    ]) {
      const doc = (await resigned(hostile(base)[name] as JsonObject)) as JsonObject;
      expect(await same(doc, `${name}, signed`), name).toHaveProperty('ok');
    }
    // The hostile shapes reach the refusals of every step.
    for (const code of ['ERR_PROOF_INVALID', 'ERR_PROOF_CREATED', 'ERR_PROOF_PURPOSE', 'ERR_PROOF_MISSING'])
      expect(codes).toContain(code);
  });

  it('falls back to the reference path where the walk refuses', async () => {
    const doc = (await signed())['eddsa-jcs-2022'] as JsonObject;
    const bad = hostile(doc);
    for (const name of ['nested 40 deep', 'a lone surrogate', 'a constructor key', 'a cycle', 'NaN'])
      expect(preparedFor(bad[name] as JsonObject, doc['proof']), name).toBeUndefined();
    expect(await fast(bad['nested 40 deep'] as JsonObject)).toMatchObject({ code: 'ERR_PROOF_INVALID' });
  });

  it('gives the same outcome on random changes to signed documents', { timeout: 0 }, async () => {
    const docs = await signed();
    const jcs = ['eddsa-jcs-2022', 'ecdsa-jcs-2019', 'W3C eddsa-jcs-2022 vector'].map(
      (n) => docs[n] as JsonObject,
    );
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.constantFrom(-0, Number.NaN, '\ud800', '\udfff\ud800', 1e21, undefined),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...jcs),
        fc.constantFrom('credentialSubject', 'proof', ''),
        fc.string({ maxLength: 8 }),
        value,
        fc.boolean(),
        async (doc, where, key, v, resign) => {
          const part = where === '' ? doc : (doc[where] as JsonObject);
          const changed = { ...part, [key]: v };
          const next = (where === '' ? changed : { ...doc, [where]: changed }) as JsonObject;
          // Signed again after the change (when it is not in the proof): a verdict of `ok` to match.
          const sent = resign && where !== 'proof' ? ((await resigned(next)) ?? next) : next;
          await same(sent, `${where}.${key}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// SPDX-License-Identifier: Apache-2.0
// Issue 7's condition for a dedicated JCS verification path: every vector, fixture and hostile case
// goes through both the direct engine and the digitalbazaar reference (jsonld-signatures), and the
// verdicts (verified, and the code when not) must be identical.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDocumentLoader } from '@agent-passport/contexts';
import type { DidDocument } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import {
  addProof,
  type CryptosuiteName,
  createSigner,
  didKeySigner,
  type ProofPurpose,
  prepareJcs,
  SUITE_KEY_TYPE,
  verifyProof,
} from '@agent-passport/suites';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FixtureCase, fixtureSeed, ISSUER_DID, issuerDocument } from '../fixtures/build.js';

const loader = createDocumentLoader();
type Json = Record<string, unknown>;

async function both(
  document: unknown,
  proofPurpose: ProofPurpose,
  controller: DidDocument,
  extra: { challenge?: string; domain?: string } = {},
) {
  const run = async (engine: 'direct' | 'reference' | 'prepared') => {
    // 'prepared': the direct engine reusing the canonical forms of one prepareJcs walk, as the
    // verifier runs it (a document prepareJcs refuses never reaches a proof check there).
    let doc = document;
    let prepared: ReturnType<typeof prepareJcs> | undefined;
    if (engine === 'prepared') {
      try {
        prepared = prepareJcs(document, { copy: true });
        doc = prepared.value;
      } catch {
        return undefined;
      }
    }
    const r = await verifyProof(doc, {
      proofPurpose,
      controller,
      documentLoader: loader,
      engine: engine === 'reference' ? 'reference' : 'direct',
      ...(prepared === undefined ? {} : { prepared }),
      ...extra,
    });
    return r.verified ? { verified: true } : { verified: false, code: r.code };
  };
  const reference = await run('reference');
  const prepared = await run('prepared');
  // Refused by prepareJcs: the verifier stops at its parse check, and nothing verifies it.
  if (prepared === undefined) expect(reference?.verified).toBe(false);
  else expect(prepared).toEqual(reference);
  return { direct: await run('direct'), reference };
}

const controllerFor = (vm: unknown): DidDocument | undefined => {
  if (typeof vm !== 'string') return undefined;
  const did = vm.split('#')[0]!;
  if (did === issuerDocument.id) return issuerDocument;
  return did.startsWith('did:key:') ? resolveDidKey(did) : undefined;
};

const fixturesDir = join(import.meta.dirname, '..', '..', 'fixtures', 'cases');
const cases = readdirSync(fixturesDir).map(
  (f) => JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as FixtureCase,
);

describe('direct and reference JCS engines agree', () => {
  it('on every fixture case carrying a proof object', async () => {
    let compared = 0;
    for (const c of cases) {
      if (typeof c.input !== 'object' || c.input === null) continue;
      const doc = c.input as Json;
      const proof = doc['proof'] as Json | undefined;
      if (proof === undefined || Array.isArray(proof) || typeof proof !== 'object') continue;
      const controller = controllerFor(proof['verificationMethod']);
      if (controller === undefined) continue;
      const purpose: ProofPurpose = c.kind === 'presentation' ? 'authentication' : 'assertionMethod';
      const extra =
        c.kind === 'presentation'
          ? {
              challenge: c.options?.challenge ?? '',
              ...(c.options?.domain ? { domain: c.options.domain } : {}),
            }
          : {};
      const r = await both(doc, purpose, controller, extra);
      expect(r.direct, c.name).toEqual(r.reference);
      compared++;
    }
    expect(compared).toBeGreaterThan(25);
  });

  const vectors = join(import.meta.dirname, '..', '..', 'fixtures', 'vectors', 'w3c');
  it('on the W3C JCS vectors and every single-field tampering of them', async () => {
    const eddsa = JSON.parse(readFileSync(join(vectors, 'vc-di-eddsa.json'), 'utf8')) as {
      keyPair: { publicKeyMultibase: string };
      'eddsa-jcs-2022': { signedDocument: Json };
    };
    const ecdsa = JSON.parse(readFileSync(join(vectors, 'vc-di-ecdsa-jcs-2019-p256.json'), 'utf8')) as {
      signedDocument: Json;
    };
    const examples = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };
    const vectorLoader = createDocumentLoader({
      extra: { 'https://www.w3.org/ns/credentials/examples/v2': examples },
    });
    for (const signed of [eddsa['eddsa-jcs-2022'].signedDocument, ecdsa.signedDocument]) {
      const vm = (signed['proof'] as Json)['verificationMethod'] as string;
      const controller = resolveDidKey(vm.split('#')[0]!);
      const variants: Json[] = [signed];
      for (const key of Object.keys(signed)) {
        if (key === 'proof') continue;
        variants.push({
          ...signed,
          [key]: key === '@context' ? ['https://www.w3.org/ns/credentials/v2'] : 'tampered',
        });
      }
      for (const key of Object.keys(signed['proof'] as Json)) {
        variants.push({
          ...signed,
          proof: {
            ...(signed['proof'] as Json),
            [key]: key === '@context' ? ['https://www.w3.org/ns/credentials/v2'] : 'tampered',
          },
        });
        const { [key]: _gone, ...without } = signed['proof'] as Json;
        variants.push({ ...signed, proof: without });
      }
      for (const v of variants) {
        const run = async (engine: 'direct' | 'reference') => {
          const r = await verifyProof(v, {
            proofPurpose: 'assertionMethod',
            controller,
            documentLoader: vectorLoader,
            engine,
          });
          return r.verified ? { verified: true } : { verified: false, code: r.code };
        };
        expect(await run('direct'), JSON.stringify(v).slice(0, 120)).toEqual(await run('reference'));
        const prepared = prepareJcs(v, { copy: true });
        const viaPrepared = await verifyProof(prepared.value, {
          proofPurpose: 'assertionMethod',
          controller,
          documentLoader: vectorLoader,
          prepared,
        });
        expect(
          viaPrepared.verified ? { verified: true } : { verified: false, code: viaPrepared.code },
        ).toEqual(await run('reference'));
      }
      expect(
        (
          await verifyProof(signed, {
            proofPurpose: 'assertionMethod',
            controller,
            documentLoader: vectorLoader,
          })
        ).verified,
      ).toBe(true);
    }
  });

  it('on genuine signatures relabelled to a suite of another key type: both refuse, same code', async () => {
    const passport = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'passport.valid.json'), 'utf8'),
    ) as Json;
    const { proof: _proof, ...unsigned } = passport;
    const created = new Date('2026-06-01T12:00:00Z');
    const signers = {
      Ed25519: createSigner({ type: 'Ed25519', secretKey: fixtureSeed('issuer') }, `${ISSUER_DID}#key-1`),
      'P-256': didKeySigner({ type: 'P-256', secretKey: fixtureSeed('relabel p256') }),
    } as const;
    const cases: [CryptosuiteName, keyof typeof signers][] = [
      ['ecdsa-jcs-2019', 'Ed25519'],
      ['eddsa-jcs-2022', 'P-256'],
      ['eddsa-rdfc-2022', 'P-256'],
    ];
    for (const [suite, keyType] of cases) {
      const honest = signers[keyType];
      // A signer claiming the suite's key type, so the stack signs under the relabelled suite.
      const signer = { id: honest.id, algorithm: SUITE_KEY_TYPE[suite], sign: honest.sign };
      const signed = await addProof(unsigned, {
        signer,
        created,
        documentLoader: loader,
        cryptosuite: suite,
      });
      const controller = controllerFor(honest.id)!;
      const r = await both(signed, 'assertionMethod', controller);
      expect(r.reference, `${keyType} as ${suite}`).toEqual({
        verified: false,
        code: 'ERR_SUITE_KEY_MISMATCH',
      });
      expect(r.direct, `${keyType} as ${suite}`).toEqual(r.reference);
    }
  });

  it('on random mutations of a valid passport and presentation (property)', {
    timeout: 600_000,
  }, async () => {
    const passport = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'passport.valid.json'), 'utf8'),
    ) as Json;
    const presentation = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'presentation.valid.json'), 'utf8'),
    ) as Json;
    const targets: [Json, ProofPurpose, { challenge?: string; domain?: string }][] = [
      [passport, 'assertionMethod', {}],
      [
        presentation,
        'authentication',
        { challenge: 'fixture-challenge-7f3a', domain: 'api.service.example' },
      ],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        async (which, pick, value) => {
          const [doc, purpose, extra] = targets[which]!;
          const copy = structuredClone(doc);
          // Replace one leaf somewhere in the document (proof included) with an arbitrary JSON value.
          const paths: (string | number)[][] = [];
          const walk = (v: unknown, path: (string | number)[]) => {
            if (v !== null && typeof v === 'object')
              for (const [k, x] of Object.entries(v)) walk(x, [...path, Array.isArray(v) ? Number(k) : k]);
            else paths.push(path);
          };
          walk(copy, []);
          const path = paths[pick % paths.length]!;
          let parent: Record<string | number, unknown> = copy as Record<string, unknown>;
          for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
          parent[path[path.length - 1]!] = value;
          const vm = ((copy['proof'] as Json | undefined)?.['verificationMethod'] ?? '') as string;
          const controller =
            controllerFor(vm) ?? controllerFor((doc['proof'] as Json)['verificationMethod'])!;
          const r = await both(copy, purpose, controller, extra);
          expect(r.direct).toEqual(r.reference);
        },
      ),
      { numRuns: 150 },
    );
  });
});

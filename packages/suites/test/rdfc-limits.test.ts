// SPDX-License-Identifier: Apache-2.0
// Attacker: eddsa-rdfc-2022 documents that are cheap to send and costly to canonicalise (JSON-LD
// expansion and RDFC-1.0 §4.8 are super-linear on attacker-chosen graphs; a ring of blank nodes
// passes the canonicaliser's own work factor). Each is refused with ERR_RDFC_LIMIT, quickly, before
// any signature check; honest documents still verify.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { describe, expect, it } from 'vitest';
import {
  createRdfcBudget,
  createSigner,
  publicKeyOf,
  signCredential,
  verifyProof,
  warmUpRdfc,
} from '../src/index.js';
import { didKeyDocument, testLoader } from './helpers.js';

const key = {
  type: 'Ed25519' as const,
  secretKey: randomSecretKey('Ed25519'),
};
const multibase = encodeMultikey(publicKeyOf(key), 'Ed25519');
const controller = didKeyDocument(multibase);
const vm = `${controller.id}#${multibase}`;
const NEXT = 'https://example.org/vocab#next';

/** A credential whose subject is a ring of `n` blank nodes, each pointing at the next. */
function ringCredential(n: number): Record<string, unknown> {
  const ring = Array.from({ length: n }, (_, i) => ({ id: `_:b${i}`, [NEXT]: { id: `_:b${(i + 1) % n}` } }));
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: controller.id,
    credentialSubject: ring,
    proof: {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2026-01-01T00:00:00Z',
      verificationMethod: vm,
      proofPurpose: 'assertionMethod',
      proofValue: `z${'1'.repeat(86)}`,
    },
  };
}

const verify = (document: unknown, extra: Record<string, unknown> = {}) =>
  verifyProof(document, {
    proofPurpose: 'assertionMethod',
    controller,
    documentLoader: testLoader,
    ...extra,
  });

/**
 * A credential whose subject is a clique of `n` blank nodes (each points at every other): every
 * node's related nodes share one hash, so RDFC-1.0 §4.8 permutes them, and rdf-canonize observes
 * the abort signal between permutation batches. (On a ring each node has too few related nodes for
 * the signal to be read; there the work factor and the blank-node cap are the bounds.)
 */
function cliqueCredential(n: number): Record<string, unknown> {
  const ids = Array.from({ length: n }, (_, i) => `_:c${i}`);
  const clique = ids.map((id) => ({ id, [NEXT]: ids.filter((o) => o !== id).map((o) => ({ id: o })) }));
  return { ...ringCredential(1), credentialSubject: clique };
}

describe('eddsa-rdfc-2022 under a budget (ERR_RDFC_LIMIT)', () => {
  for (const kib of [90, 360]) {
    it(`a ring of blank nodes at ~${kib} KiB is refused within 2 s of CPU`, async () => {
      let n = 64;
      while (JSON.stringify(ringCredential(n)).length < kib * 1024) n *= 2;
      while (JSON.stringify(ringCredential(n)).length > kib * 1024) n = Math.floor(n * 0.95);
      const doc = ringCredential(n);
      expect(JSON.stringify(doc).length).toBeGreaterThan((kib - 10) * 1024);
      const start = process.cpuUsage();
      const r = await verify(doc);
      const used = process.cpuUsage(start);
      expect((used.user + used.system) / 1000).toBeLessThan(2000); // CPU time: load does not count
      expect(r).toMatchObject({ verified: false, code: 'ERR_RDFC_LIMIT' });
    });
  }

  it('a small ring (under the size cap) is refused for its blank nodes or its work, not verified', async () => {
    for (const n of [65, 200]) {
      const r = await verify(ringCredential(n));
      expect(r, String(n)).toMatchObject({ verified: false, code: 'ERR_RDFC_LIMIT' });
    }
  });

  it('a budget is shared: once spent, the next document in the same request is refused', async () => {
    const signed = await signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: controller.id,
        credentialSubject: { id: 'did:example:subject', [NEXT]: 'x' },
      },
      {
        signer: createSigner(key, vm),
        created: new Date(),
        documentLoader: testLoader,
        cryptosuite: 'eddsa-rdfc-2022',
      },
    );
    expect(await verify(signed)).toMatchObject({ verified: true });
    const probe = createRdfcBudget();
    expect(await verify(signed, { rdfcBudget: probe })).toMatchObject({ verified: true });
    const spent = probe.limits.maxJsonValues - probe.jsonValuesLeft;
    expect(spent).toBeGreaterThan(10);
    const budget = createRdfcBudget({ maxJsonValues: Math.floor(spent * 1.5) });
    expect(await verify(signed, { rdfcBudget: budget })).toMatchObject({ verified: true });
    expect(await verify(signed, { rdfcBudget: budget })).toMatchObject({
      verified: false,
      code: 'ERR_RDFC_LIMIT',
    });
  });

  it('the CPU deadline starts with the first canonicalisation, not when the budget is made', async () => {
    const signed = await signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: controller.id,
        credentialSubject: { id: 'did:example:subject', [NEXT]: 'y' },
      },
      {
        signer: createSigner(key, vm),
        created: new Date(),
        documentLoader: testLoader,
        cryptosuite: 'eddsa-rdfc-2022',
      },
    );
    expect(await verify(signed)).toMatchObject({ verified: true }); // JSON-LD loaded
    const budget = createRdfcBudget({ cpuMs: 150 });
    // A verifier's other checks (parsing, schema, JCS proofs) run before the RDFC proof: 300 ms
    // of CPU spent meanwhile do not count against canonicalisation.
    const start = process.cpuUsage();
    let used = 0;
    while (used < 300_000) {
      const u = process.cpuUsage(start);
      used = u.user + u.system;
    }
    expect(await verify(signed, { rdfcBudget: budget })).toMatchObject({ verified: true });
  });

  it('a budget with a negative or NaN limit is a RangeError (a caller mistake)', () => {
    expect(() => createRdfcBudget({ cpuMs: -1 })).toThrow(RangeError);
    expect(() => createRdfcBudget({ maxBlankNodes: Number.NaN })).toThrow(RangeError);
  });

  it('with every other bound lifted, the deadline alone stops canonicalisation', async () => {
    const limits = { maxJsonValues: 1e6, maxBlankNodes: 1e6, maxWorkFactor: Number.POSITIVE_INFINITY };
    const start = process.cpuUsage();
    const r = await verify(cliqueCredential(8), {
      rdfcBudget: createRdfcBudget({ ...limits, cpuMs: 100 }),
    });
    expect(r).toMatchObject({ verified: false, code: 'ERR_RDFC_LIMIT' });
    expect(r.verified === false && r.message).toContain('deadline');
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(2000); // CPU time: load does not count
  });
});

describe('the first RDFC-1.0 canonicalisation of a process', () => {
  // Cold, the first document was charged about 75 ms of CPU (compiling RDFC-1.0 and processing the
  // VCDM 2.0 context); warmed up outside the clock, about 25 ms. 60 ms tells them apart.
  it('is not charged for warming RDFC-1.0 up: a fresh process verifies under a 60 ms budget', async () => {
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'index.js')))
      throw new Error('build first (npx tsc -b)');
    const document = await signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: controller.id,
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:subject', name: 'cold start' },
      },
      {
        signer: createSigner(key, vm),
        cryptosuite: 'eddsa-rdfc-2022',
        documentLoader: testLoader,
        created: new Date('2026-01-01T00:00:00Z'),
      },
    );
    const dir = mkdtempSync(join(tmpdir(), 'ap-rdfc-'));
    try {
      const file = join(dir, 'input.json');
      writeFileSync(file, JSON.stringify({ document, controller }));
      const out = execFileSync(
        process.execPath,
        [join(import.meta.dirname, 'rdfc-cold-worker.mjs'), file, '60'],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(JSON.parse(out)).toEqual({ verified: true });
      // The same budget less than the document's own cost still refuses it.
      const starved = execFileSync(
        process.execPath,
        [join(import.meta.dirname, 'rdfc-cold-worker.mjs'), file, '0'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(JSON.parse(starved)).toMatchObject({ verified: false, code: 'ERR_RDFC_LIMIT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('warmUpRdfc', () => {
  it('never rejects, with a loader that knows no context or with one that does', async () => {
    await expect(
      warmUpRdfc(async () => {
        throw new Error('closed');
      }),
    ).resolves.toBeUndefined();
    await expect(warmUpRdfc(testLoader)).resolves.toBeUndefined();
  });
});

// SPDX-License-Identifier: Apache-2.0
// The wire-format vectors in fixtures/vectors/agent-passport are rebuilt here and compared byte for
// byte (UPDATE_VECTORS=1 rewrites them), then each is run through the TypeScript verifiers, which
// must give exactly its verdict, check and code. python/tests runs the same files through Python.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from '@agent-passport/core';
import { createRequestVerifier } from '@agent-passport/middleware';
import { createVerifier } from '@agent-passport/verifier';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVectors, type PresentationVector, type RequestVector, VERIFIER } from './build.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'vectors', 'agent-passport');
const update = process.env['UPDATE_VECTORS'] === '1';
const serialise = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const onDisk = (name: string) => readFileSync(join(dir, name), 'utf8');

let built: Record<string, unknown>;
beforeAll(async () => {
  built = await buildVectors();
  if (update)
    for (const [name, value] of Object.entries(built)) writeFileSync(join(dir, name), serialise(value));
});

const verifierAt = (now: string) =>
  createVerifier({ trustedIssuers: VERIFIER.trustedIssuers, clock: () => new Date(now) });

/** The first failing check, as the vectors name it. */
const verdict = (r: { verified: boolean; checks: readonly Check[] }) => {
  const failed = r.checks.find((c) => !c.ok && c.skipped !== true);
  return r.verified ? { verified: true } : { verified: false, check: failed?.name, code: failed?.code };
};

describe('wire-format vectors are reproducible', () => {
  it('every vector file is byte-identical to what the toolkit builds, none missing or extra', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(Object.keys(built).sort());
    for (const [name, value] of Object.entries(built)) expect(serialise(value), name).toBe(onDisk(name));
  });
});

describe('the TypeScript verifiers give every vector its verdict', () => {
  it('signed requests: each step, in order, on one fresh verifier', async () => {
    const { vectors } = JSON.parse(onDisk('requests.json')) as { vectors: RequestVector[] };
    expect(vectors.length).toBeGreaterThanOrEqual(20);
    for (const vector of vectors) {
      const rv = createRequestVerifier({
        verifier: verifierAt(VERIFIER.now),
        clock: () => new Date(VERIFIER.now),
        // The vectors' verifier states its skew (language-neutral name `skewSeconds`).
        maxSkewSeconds: VERIFIER.skewSeconds,
      });
      for (const [i, step] of vector.steps.entries()) {
        const { method, url, headers, body } = step.request;
        const request = new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
        expect(verdict(await rv.verifyRequest(request)), `${vector.name} step ${i}`).toEqual(step.expect);
      }
    }
  });

  it('presentations, against the challenge, domain and clock each names', async () => {
    const { vectors } = JSON.parse(onDisk('presentations.json')) as { vectors: PresentationVector[] };
    for (const v of vectors) {
      const r = await verifierAt(v.now ?? VERIFIER.now).verifyPresentation(v.presentation, v.options);
      expect(verdict(r), v.name).toEqual(v.expect);
    }
  });
});

// SPDX-License-Identifier: Apache-2.0
// The verifier's fixture inputs for the tests that hold a fast path to the reference: every case
// in fixtures/cases, the presentation vectors and their trusted issuer, and the parts of a
// verification those tests compare.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PassportVerification, VerifierConfig } from '../src/index.js';

const fixtures = join(import.meta.dirname, '../../../fixtures');
const read = (path: string) => JSON.parse(readFileSync(join(fixtures, path), 'utf8'));

export const vectors = read('vectors/agent-passport/presentations.json') as {
  verifier: { now: string; trustedIssuers: { id: string; didDocument: never }[] };
  vectors: {
    name: string;
    presentation: unknown;
    options: { challenge: string; domain?: string };
    now?: string;
  }[];
};
/** A presentation case's or vector's options (an empty challenge when it has none) at its time. */
export const optionsOf = (v: {
  readonly options?: Case['options'] | undefined;
  readonly now?: string | undefined;
}) => ({
  ...v.options,
  challenge: v.options?.challenge ?? '',
  now: new Date(v.now ?? vectors.verifier.now),
});
export const [trust] = vectors.verifier.trustedIssuers as [{ id: string; didDocument: never }];

export interface Case {
  name: string;
  kind: 'credential' | 'presentation';
  input: unknown;
  options?: { requiredScopes?: string[]; challenge?: string; domain?: string };
  verifier?: Partial<VerifierConfig>;
}
export const cases = readdirSync(join(fixtures, 'cases'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => read(join('cases', f)) as Case);

/** What the differential tests compare: the outcome, every check, the errors and what was read. */
export const seen = (r: PassportVerification) => ({
  verified: r.verified,
  checks: r.checks,
  errors: r.errors,
  passport: r.passport,
  agent: r.agent,
});

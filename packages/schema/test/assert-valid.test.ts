// SPDX-License-Identifier: Apache-2.0
// assertPassportValid: the VCDM 2.0 rules plus the AgentPassport schema, as one coded error.
import { describe, expect, it } from 'vitest';
import { assertPassportValid } from '../src/index.js';

const passport = (): Record<string, unknown> => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
  type: ['VerifiableCredential', 'AgentPassport'],
  issuer: 'did:web:acme.example',
  validFrom: '2026-05-25T00:00:00Z',
  validUntil: '2026-08-25T00:00:00Z',
  credentialSubject: {
    id: 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
    agentName: 'acme-research-agent-12',
    purpose: 'literature-review',
    scopes: ['read:arxiv'],
  },
});
const code = (f: () => void) => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('assertPassportValid', () => {
  it('accepts a well-formed passport', () =>
    expect(code(() => assertPassportValid(passport()))).toBeUndefined());
  it('refuses the data model first (ERR_VCDM_INVALID), unless it was already checked', () => {
    const p = { ...passport(), validUntil: '2026-01-01T00:00:00Z' };
    expect(code(() => assertPassportValid(p))).toBe('ERR_VCDM_INVALID');
    expect(code(() => assertPassportValid(p, { vcdmChecked: true }))).toBeUndefined();
  });
  it('refuses another credential type (ERR_NOT_PASSPORT) or skips its schema when asked', () => {
    const other = { ...passport(), type: ['VerifiableCredential'] };
    expect(code(() => assertPassportValid(other))).toBe('ERR_NOT_PASSPORT');
    expect(code(() => assertPassportValid(other, { otherTypes: 'skip' }))).toBeUndefined();
  });
  it('reports every schema violation in details, with the caller-chosen code for scopes', () => {
    const p = passport();
    p['credentialSubject'] = { ...(p['credentialSubject'] as object), scopes: ['NOT A SCOPE'] };
    expect(code(() => assertPassportValid(p))).toBe('ERR_SCHEMA_INVALID');
    expect(code(() => assertPassportValid(p, { scopeCode: 'ERR_SCOPE_INVALID' }))).toBe('ERR_SCOPE_INVALID');
    try {
      assertPassportValid(p);
    } catch (e) {
      expect((e as { details?: { errors?: unknown[] } }).details?.errors?.length).toBeGreaterThan(0);
    }
  });
});

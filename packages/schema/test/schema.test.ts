// SPDX-License-Identifier: Apache-2.0
// The AgentPassport JSON Schema and the scope grammar.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENT_PASSPORT_SCHEMA,
  isScope,
  scopeGrants,
  scopesGrant,
  validatePassportSchema,
} from '../src/index.js';
import { CONTEXT_DOCUMENTS_TERMS } from '../src/internal/vc-terms.js';

const root = join(import.meta.dirname, '..', '..', '..');
const passport = () => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
  id: 'urn:uuid:6f1c2a9e-3b7d-4e8a-9c0f-1a2b3c4d5e6f',
  type: ['VerifiableCredential', 'AgentPassport'],
  issuer: 'did:web:acme.example',
  validFrom: '2026-05-25T00:00:00Z',
  validUntil: '2026-08-25T00:00:00+02:00',
  credentialSubject: {
    id: 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
    agentName: 'acme-research-agent-12',
    purpose: 'literature-review',
    scopes: ['read:arxiv', 'write:notes/*'],
    maxCalls: 1000,
  } as Record<string, unknown>,
});

describe('the AgentPassport schema', () => {
  it('is the file in schemas/, embedded in sync', () => {
    expect(AGENT_PASSPORT_SCHEMA).toEqual(
      JSON.parse(readFileSync(join(root, 'schemas', 'agent-passport.schema.json'), 'utf8')),
    );
    const files = [
      'generated.ts',
      'validate-generated.ts',
      'delegation-generated.ts',
      'validate-delegation-generated.ts',
    ].map((f) => join(import.meta.dirname, '..', 'src', f));
    const before = files.map((f) => readFileSync(f, 'utf8'));
    execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'generate.mjs')]);
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
  });

  it('knows the VC v2 terms of contexts/credentials-v2.jsonld', () => {
    const ctx = JSON.parse(readFileSync(join(root, 'contexts', 'credentials-v2.jsonld'), 'utf8'))[
      '@context'
    ] as Record<string, unknown>;
    expect([...CONTEXT_DOCUMENTS_TERMS.keys()].sort()).toEqual(
      Object.keys(ctx)
        .filter((k) => !k.startsWith('@'))
        .sort(),
    );
  });

  it('accepts a well-formed passport', () =>
    expect(validatePassportSchema(passport())).toEqual({ ok: true }));

  const bad: [string, (p: ReturnType<typeof passport>) => void][] = [
    ['no agentName', (p) => delete p.credentialSubject['agentName']],
    ['an empty purpose', (p) => (p.credentialSubject['purpose'] = '')],
    ['a control character in agentName', (p) => (p.credentialSubject['agentName'] = 'a\u0000b')],
    ['a did:web subject', (p) => (p.credentialSubject['id'] = 'did:web:agent.example')],
    ['no scopes', (p) => (p.credentialSubject['scopes'] = [])],
    ['duplicate scopes', (p) => (p.credentialSubject['scopes'] = ['read:x', 'read:x'])],
    [
      '65 scopes',
      (p) => (p.credentialSubject['scopes'] = Array.from({ length: 65 }, (_, i) => `read:r${i}`)),
    ],
    ['a scope outside the grammar', (p) => (p.credentialSubject['scopes'] = ['Read:X'])],
    ['maxCalls 0', (p) => (p.credentialSubject['maxCalls'] = 0)],
    ['maxCalls as a string', (p) => (p.credentialSubject['maxCalls'] = '10')],
    ['an unknown subject claim', (p) => (p.credentialSubject['admin'] = true)],
    ['a validUntil without offset', (p) => (p.validUntil = '2026-08-25T00:00:00')],
    ['a date-only validFrom', (p) => (p.validFrom = '2026-05-25')],
    ['an impossible date', (p) => (p.validFrom = '2026-02-30T00:00:00Z')],
    ['an issuer that is a URL, not a DID', (p) => (p.issuer = 'https://acme.example')],
    ['no AgentPassport type', (p) => (p.type = ['VerifiableCredential'])],
    ['no agent-passport context', (p) => (p['@context'] = ['https://www.w3.org/ns/credentials/v2'])],
    [
      'an audience that is not an origin',
      (p) => (p.credentialSubject['audience'] = ['https://api.example/path']),
    ],
    ['a delegation depth of 9', (p) => (p.credentialSubject['delegation'] = { allowed: true, maxDepth: 9 })],
  ];
  for (const [name, mutate] of bad) {
    it(`refuses ${name}`, () => {
      const p = passport();
      mutate(p);
      expect(validatePassportSchema(p).ok).toBe(false);
    });
  }
});

describe('scope grammar and matching', () => {
  it('accepts the documented forms and refuses the rest', () => {
    for (const s of [
      'read:arxiv',
      'write:notes/daily',
      'write:notes/*',
      '*:arxiv',
      'read:*',
      'admin:billing/eu-west.1/*',
    ])
      expect(isScope(s), s).toBe(true);
    for (const s of [
      'read',
      'read:',
      ':arxiv',
      'Read:arxiv',
      'read:arx*',
      'read:*/x',
      'read:a//b',
      'read:a/',
      'read:/a',
      'read:a b',
      'read:a/*/b',
    ]) {
      expect(isScope(s), s).toBe(false);
    }
  });

  const table: [string, string, boolean][] = [
    ['read:arxiv', 'read:arxiv', true],
    ['read:arxiv', 'read:arxiv-private', false],
    ['read:arxiv', 'read:arxiv/papers', false],
    ['read:arxiv', 'write:arxiv', false],
    ['read:arxiv/*', 'read:arxiv/papers', true],
    ['read:arxiv/*', 'read:arxiv/papers/1', true],
    ['read:arxiv/*', 'read:arxiv', false],
    ['read:arxiv/*', 'read:arxiv-private/papers', false],
    ['*:arxiv', 'write:arxiv', true],
    ['*:arxiv', 'write:arxiv/x', false],
    ['read:*', 'read:anything/at/all', true],
    ['*:*', 'admin:billing', true],
    ['read:arxiv', 'read:*', false],
    ['read:*', 'read:arxiv/*', false],
  ];
  for (const [granted, required, expected] of table) {
    it(`${granted} ${expected ? 'grants' : 'does not grant'} ${required}`, () =>
      expect(scopeGrants(granted, required)).toBe(expected));
  }

  it('scopesGrant lists what is missing', () => {
    expect(scopesGrant(['read:a', 'write:b/*'], ['read:a', 'write:b/c', 'read:z'])).toEqual({
      ok: false,
      missing: ['read:z'],
    });
    expect(scopesGrant(['read:a'], [])).toEqual({ ok: true, missing: [] });
  });

  it('never grants by raw string prefix (property)', { timeout: 0 }, () => {
    const seg = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/);
    fc.assert(
      fc.property(seg, seg, fc.stringMatching(/^[a-z0-9_-]{1,6}$/), (action, resource, suffix) => {
        expect(
          scopeGrants(
            `${action.replace(/^[0-9_-]/, 'a')}:${resource}`,
            `${action.replace(/^[0-9_-]/, 'a')}:${resource}${suffix}`,
          ),
        ).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

// SPDX-License-Identifier: Apache-2.0
// Undefined terms on the JCS path: what JSON-LD safe mode refuses (a property or type no context
// in scope defines, with no @vocab), refused by checkVcdm2 against the closed-world contexts.
import { describe, expect, it } from 'vitest';
import { checkVcdm2, checkVcdm2Presentation } from '../src/index.js';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const AP = 'https://w3id.org/agent-passport/v1';
const EXAMPLES = 'https://example.org/contexts/examples';
type Json = Record<string, unknown>;
const vc = (extra: Json = {}, context: unknown[] = [V2]): Json => ({
  '@context': context,
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
  ...extra,
});
const undefinedAt = (path: string) => ({ ok: false, code: 'ERR_VCDM_UNDEFINED_TERM', path });

describe('undefined terms (ERR_VCDM_UNDEFINED_TERM)', () => {
  it('refuses a top-level statusEntry that no context defines', () => {
    const entry = { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' };
    expect(checkVcdm2(vc({ statusEntry: entry }))).toMatchObject(undefinedAt('/statusEntry'));
  });

  it('refuses a claim of the subject that no context defines', () => {
    expect(checkVcdm2(vc({ credentialSubject: { id: 'did:example:s', degree: 'BSc' } }))).toMatchObject(
      undefinedAt('/credentialSubject/degree'),
    );
  });

  it('refuses a type that no context defines (a relative @type in JSON-LD)', () => {
    expect(checkVcdm2(vc({ type: ['VerifiableCredential', 'DegreeCredential'] }))).toMatchObject(
      undefinedAt('/type'),
    );
  });

  it('refuses a term a context explicitly undefines', () => {
    const contexts = { [EXAMPLES]: { '@context': { '@vocab': 'https://example.org/vocab#', degree: null } } };
    const doc = vc({ credentialSubject: { id: 'did:example:s', degree: 'BSc' } }, [V2, EXAMPLES]);
    expect(checkVcdm2(doc, { contexts })).toMatchObject(undefinedAt('/credentialSubject/degree'));
  });

  it('type-scoped terms do not reach nested nodes: a status term on the subject is undefined', () => {
    const subject = { id: 'did:example:s', statusPurpose: 'revocation' };
    expect(checkVcdm2(vc({ credentialSubject: subject }))).toMatchObject(
      undefinedAt('/credentialSubject/statusPurpose'),
    );
  });

  it('refuses an undefined term inside a credential a presentation embeds', () => {
    const vp = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      verifiableCredential: [vc({ statusEntry: 'x' })],
    };
    expect(checkVcdm2Presentation(vp)).toMatchObject(undefinedAt('/verifiableCredential/0/statusEntry'));
  });

  it('refuses against contexts the caller knows (a server configured context without @vocab)', () => {
    const contexts = { [EXAMPLES]: { '@context': { degree: 'https://example.org/vocab#degree' } } };
    const doc = vc({ credentialSubject: { id: 'did:example:s', degree: 'BSc', major: 'CS' } }, [
      V2,
      EXAMPLES,
    ]);
    expect(checkVcdm2(doc, { contexts })).toMatchObject(undefinedAt('/credentialSubject/major'));
    // A function lookup works the same way.
    expect(checkVcdm2(doc, { contexts: (url) => contexts[url as typeof EXAMPLES] })).toMatchObject(
      undefinedAt('/credentialSubject/major'),
    );
  });
});

describe('defined terms are accepted', () => {
  it('terms of an inline context, absolute IRIs as keys, and types that are IRIs', () => {
    const ctx = [V2, { statusEntry: 'https://example.org/vocab#statusEntry' }];
    expect(checkVcdm2(vc({ statusEntry: { 'https://example.org/vocab#note': 'x' } }, ctx))).toEqual({
      ok: true,
    });
    expect(checkVcdm2(vc({ type: ['VerifiableCredential', 'https://example.org/T'] }))).toEqual({ ok: true });
  });

  it('anything under an @vocab', () => {
    const ctx = [V2, { '@vocab': 'https://example.org/vocab#' }];
    expect(
      checkVcdm2(vc({ statusEntry: { anything: 1 }, type: ['VerifiableCredential', 'X'] }, ctx)),
    ).toEqual({
      ok: true,
    });
  });

  it('a context it does not know makes the document unjudgeable here: not refused for terms', () => {
    expect(checkVcdm2(vc({ statusEntry: 'x' }, [V2, 'https://example.org/unknown/v1']))).toEqual({
      ok: true,
    });
  });

  it('an unknown property-scoped context makes the document unjudgeable, even on a plain value', () => {
    const scoped = {
      '@vocab': null,
      foo: { '@id': 'https://example.org/foo', '@context': 'https://example.org/unknown/v1' },
    };
    const subject = (foo: unknown) => ({ credentialSubject: { id: 'did:example:s', foo, degree: 'BSc' } });
    for (const foo of ['plain', 7, null, ['a'], { id: 'did:example:x' }])
      expect(checkVcdm2(vc(subject(foo), [V2, scoped])), JSON.stringify(foo)).toEqual({ ok: true });
    // Without the scoped context the same term is judged, and the undefined one refused.
    const unscoped = { '@vocab': null, foo: 'https://example.org/foo' };
    expect(checkVcdm2(vc(subject('plain'), [V2, unscoped]))).toMatchObject(
      undefinedAt('/credentialSubject/degree'),
    );
  });

  it('type-scoped (status entry) and property-scoped (statusMessage) terms, and @json values', () => {
    const status = {
      id: 'https://example.org/status/1#7',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: '7',
      statusListCredential: 'https://example.org/status/1',
      statusSize: 2,
      statusMessage: [{ status: '0x0', message: 'pending' }],
      statusReference: 'https://example.org/status-codes',
    };
    expect(checkVcdm2(vc({ credentialStatus: status }))).toEqual({ ok: true });
    const passport = vc(
      {
        type: ['VerifiableCredential', 'AgentPassport'],
        credentialSubject: {
          id: 'did:key:z6Mk',
          agentName: 'a',
          purpose: 'p',
          scopes: ['read:x'],
          constraints: { anything: { goes: true } },
        },
      },
      [V2, AP],
    );
    expect(checkVcdm2(passport)).toEqual({ ok: true });
  });

  it('proofs are set aside: a proof set may hold foreign proof types and their terms', () => {
    const proof = [
      { type: 'Ed25519Signature2020', created: '2024-01-01T00:00:00Z', proofValue: 'z1' },
      { type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', proofPurpose: 'assertionMethod' },
    ];
    expect(checkVcdm2(vc({ proof }))).toEqual({ ok: true });
  });
});

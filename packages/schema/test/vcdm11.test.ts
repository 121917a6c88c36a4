// SPDX-License-Identifier: Apache-2.0
// VCDM 1.1 credentials (first context https://www.w3.org/2018/credentials/v1): accepted by
// checkVcdm/checkVcdmPresentation with the 1.1 rules (issuanceDate, expirationDate, status ids),
// never by checkVcdm2 (AgentPassports, trust bundles and status lists stay 2.0).
import { describe, expect, it } from 'vitest';
import {
  checkVcdm,
  checkVcdm2,
  checkVcdm2Presentation,
  checkVcdmPresentation,
  dateTime11Ms,
} from '../src/index.js';

const V1 = 'https://www.w3.org/2018/credentials/v1';
type Json = Record<string, unknown>;
/** The shape the Data Integrity suites send: the 1.1 context, and an inline context wrapping its terms. */
const vc11 = (extra: Json = {}): Json => ({
  '@context': [V1, { '@context': { name: 'https://schema.org/name' } }],
  id: 'urn:uuid:0b1f4c1e-5f5c-4b57-9d0e-1c2a3b4c5d6e',
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  issuanceDate: '2024-03-16T22:37:26.544Z',
  credentialSubject: { id: 'did:example:subject', name: 'Example' },
  ...extra,
});
const invalidAt = (path: string) => ({ ok: false, code: 'ERR_VCDM_INVALID', path });

describe('VCDM 1.1 credentials', () => {
  it('are accepted by checkVcdm, and refused by checkVcdm2 (2.0 only)', () => {
    expect(checkVcdm(vc11())).toEqual({ ok: true });
    expect(checkVcdm(vc11({ expirationDate: '2030-01-01T00:00:00Z' }))).toEqual({ ok: true });
    expect(checkVcdm2(vc11())).toMatchObject(invalidAt('/@context/0'));
  });

  it('need an issuanceDate, an xsd:dateTime (a timezone is optional in 1.1)', () => {
    const { issuanceDate: _, ...without } = vc11();
    expect(checkVcdm(without)).toMatchObject(invalidAt('/issuanceDate'));
    expect(checkVcdm(vc11({ issuanceDate: 'yesterday' }))).toMatchObject(invalidAt('/issuanceDate'));
    expect(checkVcdm(vc11({ issuanceDate: '2024-03-16T22:37:26' }))).toEqual({ ok: true });
    expect(dateTime11Ms('2024-03-16T22:37:26')).toBe(Date.parse('2024-03-16T22:37:26Z'));
    expect(checkVcdm(vc11({ expirationDate: '2030-13-01T00:00:00Z' }))).toMatchObject(
      invalidAt('/expirationDate'),
    );
  });

  it('a 1.1 credentialStatus needs an id and a type', () => {
    const status = { type: 'StatusList2021Entry', statusPurpose: 'revocation' };
    const ctx = [V1, { '@vocab': 'https://example.org/vocab#' }];
    expect(checkVcdm(vc11({ '@context': ctx, credentialStatus: status }))).toMatchObject(
      invalidAt('/credentialStatus/id'),
    );
    expect(
      checkVcdm(vc11({ '@context': ctx, credentialStatus: { ...status, id: 'https://example.org/s#1' } })),
    ).toEqual({ ok: true });
  });

  it('shares the rules of 2.0: type, issuer, subject', () => {
    expect(checkVcdm(vc11({ type: ['AlumniCredential'] }))).toMatchObject(invalidAt('/type'));
    expect(checkVcdm(vc11({ issuer: 'not a url' }))).toMatchObject(invalidAt('/issuer'));
    expect(checkVcdm(vc11({ credentialSubject: {} }))).toMatchObject(invalidAt('/credentialSubject'));
  });

  it('refuses terms the 1.1 contexts do not define (2.0-only terms such as relatedResource among them)', () => {
    expect(checkVcdm(vc11({ credentialSubject: { id: 'did:example:s', degree: 'BSc' } }))).toMatchObject({
      code: 'ERR_VCDM_UNDEFINED_TERM',
      path: '/credentialSubject/degree',
    });
    expect(
      checkVcdm(vc11({ relatedResource: [{ id: 'https://example.org/x', digestSRI: 'x' }] })),
    ).toMatchObject({ code: 'ERR_VCDM_UNDEFINED_TERM', path: '/relatedResource' });
  });

  it('1.1 presentations, with 1.1 credentials, are checked by checkVcdmPresentation only', () => {
    const vp = { '@context': [V1], type: ['VerifiablePresentation'], verifiableCredential: [vc11()] };
    expect(checkVcdmPresentation(vp)).toEqual({ ok: true });
    expect(checkVcdm2Presentation(vp)).toMatchObject(invalidAt('/@context/0'));
    const { issuanceDate: _, ...without } = vc11();
    expect(checkVcdmPresentation({ ...vp, verifiableCredential: [without] })).toMatchObject(
      invalidAt('/verifiableCredential/0/issuanceDate'),
    );
  });

  it('a context that is neither version is refused, naming both', () => {
    expect(checkVcdm(vc11({ '@context': ['https://example.org/v1'] }))).toMatchObject({
      ...invalidAt('/@context/0'),
      message: expect.stringContaining(V1),
    });
  });
});

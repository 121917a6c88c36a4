// SPDX-License-Identifier: Apache-2.0
// The passport header and the components a request must cover for its credential headers: the
// rules the live request verifier and the offline audit both call.
import { toBase64url } from '@agent-passport/core';
import { describe, expect, it } from 'vitest';
import {
  credentialComponents,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  readPassportHeader,
} from '../src/index.js';

const bytes = new TextEncoder().encode('{"type":["VerifiableCredential","AgentPassport"]}');

describe('readPassportHeader', () => {
  it('answers the exact bytes and their reference, with or without a matching reference header', () => {
    const ref = passportRef(bytes);
    expect(readPassportHeader(toBase64url(bytes), null)).toEqual({ ok: true, bytes, ref });
    expect(readPassportHeader(toBase64url(bytes), ref)).toEqual({ ok: true, bytes, ref });
  });

  it.each([
    ['padding', `${toBase64url(bytes)}=`],
    ['standard base64 characters', '+/+/'],
    ['an empty value', ''],
    ['more than 100,000 characters', 'A'.repeat(100_001)],
  ])('refuses %s with ERR_PARSE_JSON', (_, value) => {
    expect(readPassportHeader(value, null)).toMatchObject({ ok: false, code: 'ERR_PARSE_JSON' });
  });

  it('refuses a reference header naming other bytes with ERR_PASSPORT_REF_MISMATCH', () => {
    const other = passportRef(new Uint8Array([1]));
    expect(readPassportHeader(toBase64url(bytes), other)).toMatchObject({
      ok: false,
      code: 'ERR_PASSPORT_REF_MISMATCH',
    });
  });
});

describe('credentialComponents', () => {
  it('covers the passport header, else its reference header, and the chain header in use', () => {
    expect(credentialComponents({ passport: null, passportRef: null })).toEqual(['@method', '@target-uri']);
    expect(credentialComponents({ passport: 'x', passportRef: 'y' })).toEqual([
      '@method',
      '@target-uri',
      PASSPORT_HEADER,
    ]);
    expect(
      credentialComponents({ passport: null, passportRef: 'y', chainHeader: DELEGATION_REF_HEADER }),
    ).toEqual(['@method', '@target-uri', PASSPORT_REF_HEADER, DELEGATION_REF_HEADER]);
  });
});

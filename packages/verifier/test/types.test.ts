// SPDX-License-Identifier: Apache-2.0
// The verifier's public surface, as types: `tsc -p packages/verifier` fails when it drifts.
import type { AgentPassport, Check, DidKey, ErrorCode } from '@agent-passport/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CallOptions,
  CHECK_NAMES,
  type CheckName,
  createPassportHandle,
  createVerifier,
  type PassportHandle,
  type PassportVerification,
  type PassportVerifier,
  type PresentationOptions,
  type VerifierConfig,
} from '../src/index.js';

describe('the verifier surface', () => {
  it('createVerifier takes one config and returns a PassportVerifier', () => {
    expectTypeOf(createVerifier).parameters.toEqualTypeOf<[VerifierConfig]>();
    expectTypeOf(createVerifier).returns.toEqualTypeOf<PassportVerifier>();
  });
  it('verify calls take untrusted input as unknown, options with one now, and never a raw config', () => {
    expectTypeOf<PassportVerifier['verifyCredential']>().parameters.toEqualTypeOf<[unknown, CallOptions?]>();
    expectTypeOf<PassportVerifier['verifyPresentation']>().parameters.toEqualTypeOf<
      [unknown, PresentationOptions]
    >();
    expectTypeOf<CallOptions['now']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<PresentationOptions['challenge']>().toEqualTypeOf<string>();
  });
  it('results are readonly, ordered checks with coded errors, the passport only when verified', () => {
    expectTypeOf<PassportVerification['checks']>().toEqualTypeOf<readonly Check[]>();
    expectTypeOf<PassportVerification['errors'][number]['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<PassportVerification['passport']>().toEqualTypeOf<AgentPassport | undefined>();
    expectTypeOf<PassportVerification['agent']>().toEqualTypeOf<DidKey | undefined>();
  });
  it('a handle is made of bytes; a verifier may make them (optional: a verifier made elsewhere still fits)', () => {
    expectTypeOf(createPassportHandle).parameters.toEqualTypeOf<[Uint8Array]>();
    expectTypeOf(createPassportHandle).returns.toEqualTypeOf<PassportHandle>();
    expectTypeOf<PassportVerifier['passportHandle']>().toEqualTypeOf<
      ((bytes: Uint8Array) => PassportHandle) | undefined
    >();
  });
  it('check names are a closed union, in order', () => {
    expectTypeOf(CHECK_NAMES).toEqualTypeOf<
      readonly [
        'parse',
        'schema',
        'issuer-trusted',
        'issuer-key',
        'issuer-proof',
        'validity',
        'status',
        'holder',
        'purpose-scopes',
      ]
    >();
    expectTypeOf<'issuer-proof'>().toExtend<CheckName>();
  });
});

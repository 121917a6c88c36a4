// SPDX-License-Identifier: Apache-2.0
// The issuer's public surface, as types: `tsc -p packages/issuer` fails when it drifts.
import type { AgentPassport, PassportPresentation } from '@agent-passport/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CreatePresentationOptions,
  createPresentation,
  type IssuePassportOptions,
  issuePassport,
  listUrl,
} from '../src/index.js';

describe('the issuer surface', () => {
  it('issuing throws on bad input and returns the signed passport', () => {
    expectTypeOf(issuePassport).parameters.toEqualTypeOf<[IssuePassportOptions]>();
    expectTypeOf(issuePassport).returns.toEqualTypeOf<Promise<AgentPassport>>();
    expectTypeOf<IssuePassportOptions['now']>().toEqualTypeOf<Date | undefined>();
  });
  it('presenting returns a presentation; list URLs are strings', () => {
    expectTypeOf(createPresentation).parameters.toEqualTypeOf<[CreatePresentationOptions]>();
    expectTypeOf(createPresentation).returns.toEqualTypeOf<Promise<PassportPresentation>>();
    expectTypeOf(listUrl).returns.toEqualTypeOf<string>();
  });
});

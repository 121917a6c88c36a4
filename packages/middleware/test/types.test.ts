// SPDX-License-Identifier: Apache-2.0
// The middleware's public surface, as types: `tsc -p packages/middleware` fails when it drifts.
import type { PassportVerifier } from '@agent-passport/verifier';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AgentContext,
  agentPassport,
  createRequestVerifier,
  type RequestCallOptions,
  type RequestVerification,
  type RequestVerifier,
  type RequestVerifierOptions,
  withAgentPassport,
} from '../src/index.js';

describe('the middleware surface', () => {
  it('createRequestVerifier returns a RequestVerifier whose calls take one now', () => {
    expectTypeOf(createRequestVerifier).parameters.toEqualTypeOf<[RequestVerifierOptions]>();
    expectTypeOf(createRequestVerifier).returns.toEqualTypeOf<RequestVerifier>();
    expectTypeOf<RequestVerifier['verifyRequest']>().returns.toEqualTypeOf<Promise<RequestVerification>>();
    expectTypeOf<RequestCallOptions['now']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<RequestVerifierOptions['maxSkewSeconds']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RequestVerifierOptions['verifier']>().toEqualTypeOf<PassportVerifier>();
  });
  it('the fetch wrapper maps a Request to a Response; Hono gets typed variables', () => {
    expectTypeOf(withAgentPassport).returns.toEqualTypeOf<(request: Request) => Promise<Response>>();
    const app = new Hono<{ Variables: { agentPassport: AgentContext } }>();
    app.get('/x', (c) => {
      expectTypeOf(c.get('agentPassport')).toEqualTypeOf<AgentContext>();
      return c.text('ok');
    });
    expectTypeOf(agentPassport).returns.toBeFunction();
  });
});

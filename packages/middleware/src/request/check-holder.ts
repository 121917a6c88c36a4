// SPDX-License-Identifier: Apache-2.0
// Check 3, `holder`: the request is signed by the passport subject or, for a delegated call, by
// the end of a delegation chain that starts at the passport.
import { failIf } from '@agent-passport/core';
import { verifyDelegatedCall } from '../delegated.js';
import { established, type RequestContext } from './context.js';

/** Synchronous unless the call is delegated (a check that returns nothing costs no extra turn). */
export function checkHolder(ctx: RequestContext): Promise<void> | undefined {
  const passport = established(ctx.passport, 'the passport');
  const signer = established(ctx.signer, 'the signer');
  if (ctx.carried.delegated) return checkChain(ctx, signer);
  failIf(
    passport.credentialSubject.id !== signer,
    'ERR_HOLDER_MISMATCH',
    'the request is not signed by the passport subject',
  );
  return undefined;
}

async function checkChain(ctx: RequestContext, signer: string): Promise<void> {
  ctx.delegated = await verifyDelegatedCall(
    ctx.settings.delegation,
    ctx.request.headers,
    ctx.settings.chains,
    established(ctx.bytes, 'the passport bytes'),
    signer,
    ctx.scopes,
    ctx.now,
  );
}

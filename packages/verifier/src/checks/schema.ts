// SPDX-License-Identifier: Apache-2.0
// Check 2, `schema`: the VCDM 2.0 rules, the AgentPassport type and the passport's JSON Schema.
import { failUnless, isObject } from '@agent-passport/core';
import { assertPassportValid } from '@agent-passport/schema';
import type { PassportCache } from '../cache.js';
import type { CallContext } from '../context.js';

export function checkSchema(ctx: CallContext, cache: PassportCache): void {
  // A credential given as an object: its lookup (bytes, handles and presentations had theirs at parse).
  if (ctx.hit === undefined && ctx.key === undefined) {
    ctx.key = cache.objectKey(ctx, ctx.document);
    ctx.hit = cache.getObject(ctx.key, ctx.document);
  }
  if (ctx.hit !== undefined) {
    // The same signed bytes passed schema before: the result cannot differ.
    ctx.credential = ctx.hit.credential;
    return;
  }
  const credential = ctx.document;
  failUnless(isObject(credential), 'ERR_PARSE_TYPE', 'the credential is not a JSON object');
  assertPassportValid(credential, { vcdmChecked: ctx.vcdmChecked });
  ctx.credential = credential;
}

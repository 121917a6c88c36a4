// SPDX-License-Identifier: Apache-2.0
// Check 4, `body`: read only now, once the caller is authenticated, under the byte limit, and held
// to the signature (a covered Content-Digest is checked; a body the signature does not cover is
// refused). A withheld body (an audit of a log that kept only the digest) must be covered.
import { CheckFailure, failUnless } from '@agent-passport/core';
import {
  type BodyRead,
  bodyTooLarge,
  checkBody as checkSignedBody,
  declaredTooLarge,
  readBody,
} from '@agent-passport/http-signatures';
import { established, type RequestContext } from './context.js';

/** The body: the caller's bytes, its reader, or a clone of the request; at most `max` bytes. */
function read(ctx: RequestContext, max: number): BodyRead | Promise<BodyRead> {
  const { request, call } = ctx;
  if (call.body instanceof Uint8Array)
    return call.body.length > max ? bodyTooLarge(max) : { ok: true, bytes: call.body };
  if (declaredTooLarge(request.headers, max)) return bodyTooLarge(max);
  if (call.body !== undefined) return call.body(max);
  return readBody(request.body === null ? null : request.clone().body, max);
}

/** The body read, held to the signature's components. */
function held(ctx: RequestContext, components: readonly string[], r: BodyRead): void {
  if (!r.ok) throw new CheckFailure(r.code, r.message);
  if (r.bytes.length > 0) ctx.body = r.bytes;
  const checked = checkSignedBody(components, ctx.request.headers, r.bytes);
  if (!checked.ok) throw new CheckFailure(checked.code, checked.message);
}

/** Synchronous when the caller handed the bytes (no extra turn of the event loop). */
export function checkBody(ctx: RequestContext): Promise<void> | undefined {
  const { components } = established(ctx.signature, 'the signature');
  if (ctx.call.bodyWithheld === true) {
    failUnless(
      components.includes('content-digest'),
      'ERR_SIG_COMPONENT_MISSING',
      'the withheld body is not covered by the signature',
    );
    return undefined;
  }
  const r = read(ctx, ctx.settings.maxBodyBytes);
  if (r instanceof Promise) return r.then((bytes) => held(ctx, components, bytes));
  held(ctx, components, r);
  return undefined;
}

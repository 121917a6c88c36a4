// SPDX-License-Identifier: Apache-2.0
// Check 2, `passport`: the passport the request carries (inline), names (reference header) or is
// signed under (compact form), verified by the passport verifier at the call's time and for the
// route's scopes. A passport that verified is remembered by its reference, with the verifier's
// handle for its bytes: a later call hands the verifier the handle, and nothing is hashed again.
import { CheckFailure } from '@agent-passport/core';
import { PASSPORT_HEADER, readPassportHeader } from '@agent-passport/http-signatures';
import { established, type RequestContext } from './context.js';

type Found = { bytes: Uint8Array; ref: string; inline: boolean };

/**
 * The passport's exact bytes and its reference, from wherever this request puts them; synchronous
 * unless a reference header must be resolved.
 */
function passportBytes(ctx: RequestContext): Found | Promise<Found> {
  const { passport: inline, passportRef: refHeader } = ctx.carried;
  if (inline !== null) {
    const read = readPassportHeader(inline, refHeader);
    if (!read.ok) throw new CheckFailure(read.code, read.message);
    return { bytes: read.bytes, ref: read.ref, inline: true };
  }
  if (refHeader !== null)
    return ctx.settings.passports
      .bytesOf(refHeader)
      .then(({ bytes }) => ({ bytes, ref: refHeader, inline: false }));
  if (ctx.byKeyId !== undefined)
    return { bytes: ctx.byKeyId, ref: established(ctx.signature, 'the signature').keyId, inline: false };
  throw new CheckFailure('ERR_PASSPORT_MISSING', `send the ${PASSPORT_HEADER} header`);
}

export async function checkPassport(ctx: RequestContext): Promise<void> {
  const found = passportBytes(ctx);
  const { bytes, ref, inline } = found instanceof Promise ? await found : found;
  const { passports, verifier } = ctx.settings;
  const r = await verifier.verifyCredential(passports.verifierInput(ref, bytes), {
    requiredScopes: ctx.scopes,
    now: ctx.now,
  });
  if (!r.verified || r.passport === undefined) {
    const first = r.errors[0];
    throw new CheckFailure(
      first?.code ?? 'ERR_VERIFIER_INTERNAL',
      first?.message ?? 'the passport was refused',
    );
  }
  ctx.passport = r.passport;
  ctx.bytes = bytes;
  ctx.ref = ref;
  // A copy of bytes that are not ours: those handed in by resolvePassportRef stay the caller's.
  ctx.known = passports.remember(ref, bytes, r.passport, !inline);
}

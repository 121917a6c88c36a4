// SPDX-License-Identifier: Apache-2.0
// Check 1, `signature`: the request signature (RFC 9421) over the method, the target and the
// passport (or chain) header in use. The key is the keyid's did:key, or in the compact form (after
// first contact) the subject of the passport the keyid references: the keyid is covered by the
// signature (@signature-params), so the reference is bound to the request; the passport itself is
// verified by the next check.
import { CheckFailure } from '@agent-passport/core';
import { didKeyMethodKey, didKeyPublicKey } from '@agent-passport/did-key';
import { credentialComponents, isPassportRef, verifySignatureHeaders } from '@agent-passport/http-signatures';
import type { RequestContext } from './context.js';
import { type SubjectKey, unverifiedSubject } from './known-passports.js';

/** Compact form: the key of the referenced passport's subject; a problem is kept for the refusal. */
async function keyFromRef(ctx: RequestContext, ref: string): Promise<SubjectKey | undefined> {
  const { passports } = ctx.settings;
  const hit = passports.get(ref);
  if (hit?.key !== undefined) {
    ctx.byKeyId = hit.bytes;
    ctx.signer = hit.subject;
    return hit.key;
  }
  let bytes: Uint8Array;
  try {
    bytes = (await passports.bytesOf(ref)).bytes;
  } catch (cause) {
    if (!(cause instanceof CheckFailure)) throw cause;
    ctx.refProblem = cause;
    return undefined;
  }
  try {
    const subject = unverifiedSubject(bytes);
    const key = didKeyPublicKey(subject);
    if (key === undefined) throw new TypeError('no key');
    ctx.byKeyId = bytes;
    ctx.signer = subject;
    return key;
  } catch {
    ctx.refProblem = new CheckFailure(
      'ERR_HOLDER_MISMATCH',
      'the referenced passport has no did:key subject',
    );
    return undefined;
  }
}

export async function checkSignature(ctx: RequestContext): Promise<void> {
  const { settings, carried } = ctx;
  // The compact form: no passport header, the keyid is the reference.
  const compact = carried.passport === null && carried.passportRef === null;
  const r = await verifySignatureHeaders(ctx.request, {
    now: ctx.now,
    ...(settings.requiredTag === undefined ? {} : { requiredTag: settings.requiredTag }),
    maxAgeSeconds: settings.maxAgeSeconds,
    maxSkewSeconds: settings.maxSkewSeconds,
    requiredComponents: credentialComponents(carried),
    resolveKey: (keyId) =>
      compact && isPassportRef(keyId) ? keyFromRef(ctx, keyId) : didKeyMethodKey(keyId),
  });
  if (!r.ok) {
    if (r.code === 'ERR_SIG_KEY_UNKNOWN' && ctx.refProblem !== undefined) throw ctx.refProblem;
    throw new CheckFailure(r.code, r.message);
  }
  ctx.signature = r;
  if (ctx.byKeyId === undefined) ctx.signer = r.keyId.slice(0, r.keyId.indexOf('#'));
}

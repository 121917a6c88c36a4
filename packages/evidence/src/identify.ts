// SPDX-License-Identifier: Apache-2.0
// Who made a refused call: its signer, once the signature verified; the passport it carried
// (inline, or by reference to one the log holds) names the agent, when it verifies for that signer.
import { isPassportRef, PASSPORT_HEADER, PASSPORT_REF_HEADER } from '@agent-passport/http-signatures';
import { type Who, whoOf } from './attribution.js';
import type { CheckerContext } from './checker-context.js';

export async function identify(
  ctx: CheckerContext,
  header: (name: string) => string | null,
  signer: string,
  keyId: string | undefined,
  now: Date,
): Promise<Who> {
  const inline = header(PASSPORT_HEADER);
  const ref = header(PASSPORT_REF_HEADER) ?? (keyId !== undefined && isPassportRef(keyId) ? keyId : null);
  const bytes =
    inline !== null && /^[A-Za-z0-9_-]{1,100000}$/.test(inline)
      ? new Uint8Array(Buffer.from(inline, 'base64url'))
      : ref === null
        ? undefined
        : ctx.shelf.get(ref);
  if (bytes === undefined) return { agent: signer };
  const v = await ctx.verifier.verifyCredential(bytes, { requiredScopes: [], now });
  return v.verified && v.passport?.credentialSubject.id === signer ? whoOf(v.passport) : { agent: signer };
}

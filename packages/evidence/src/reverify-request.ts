// SPDX-License-Identifier: Apache-2.0
// A request entry re-verified as of its own recorded time: the signature, the passport (and the
// delegation chain the entry holds, for a delegated call), holder binding, scopes and body.
import { isObject } from '@agent-passport/core';
import { whoOf } from './attribution.js';
import { broken, type CheckerContext, delegatedRequests, type Reverified } from './checker-context.js';
import type { EvidenceEntry } from './entry.js';
import { identify } from './identify.js';
import { rebuildRequest } from './rebuild-request.js';

export async function reverifyRequest(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  passport: string | undefined,
  now: Date,
): Promise<Reverified> {
  const chain = entry.delegation;
  if (chain !== undefined && (!isObject(chain) || typeof chain.bytes !== 'string'))
    return broken('ERR_EVIDENCE_LINE', 'the delegation record is incomplete');
  const rebuilt = rebuildRequest(entry, passport);
  if (!('request' in rebuilt)) return rebuilt;
  const { record, request, headers, bodyWithheld } = rebuilt;
  const requests =
    chain === undefined
      ? ctx.requests
      : delegatedRequests(
          ctx,
          new URL(record.url).origin,
          new Uint8Array(Buffer.from(chain.bytes, 'base64url')),
          now,
        );
  const v = await requests.verifyRequest(request, {
    requiredScopes: entry.requiredScopes ?? [],
    now,
    // A log that kept the digest and not the body: the digest was compared when rebuilding.
    ...(bodyWithheld ? { bodyWithheld: true } : {}),
  });
  if (!v.verified)
    return {
      who: v.agent === undefined ? {} : await identify(ctx, headers, v.agent, v.keyId, now),
      code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL',
      message: v.errors[0]?.message ?? '',
    };
  const maxCalls = v.passport?.credentialSubject.maxCalls;
  return {
    who:
      v.passport === undefined
        ? { agent: v.agent as string }
        : v.delegation === undefined
          ? whoOf(v.passport)
          : { ...whoOf(v.passport), agent: v.agent as string, principals: v.delegation.principals },
    keyId: v.keyId as string,
    nonce: v.nonce as string,
    ...(maxCalls === undefined ? {} : { maxCalls }),
  };
}

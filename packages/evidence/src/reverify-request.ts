// SPDX-License-Identifier: Apache-2.0
// A request entry re-verified as of its own recorded time: the signature, the passport (and the
// delegation chain the entry holds, for a delegated call), holder binding, scopes and body. A plain
// record (plain-record.ts) is checked in place, synchronously (fast-request.ts); any other entry,
// and every entry of the reference path, by the live request verifier over a rebuilt Request.
import { isObject } from '@agent-passport/core';
import type { RequestVerifier } from '@agent-passport/middleware';
import { whoOf } from './attribution.js';
import {
  broken,
  type CheckerContext,
  delegatedRequests,
  type Reverified,
  rebuiltRequests,
} from './checker-context.js';
import type { EvidenceEntry } from './entry.js';
import { type Checked, checkPlainRequest } from './fast-request.js';
import { identify } from './identify.js';
import { plainRecord } from './plain-record.js';
import { bodyOf, METHODS_WITH_BODY, rebuildRequest } from './rebuild-request.js';

/** A verified call: who made it (the passport holder), its key and nonce, the passport's maxCalls. */
function accepted(passport: Parameters<typeof whoOf>[0], keyId: string, nonce: string): Reverified {
  const maxCalls = passport.credentialSubject.maxCalls;
  return { who: whoOf(passport), keyId, nonce, ...(maxCalls === undefined ? {} : { maxCalls }) };
}

export function reverifyRequest(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  passport: string | undefined,
  now: Date,
): Reverified | Promise<Reverified> {
  if (ctx.reference || entry.delegation !== undefined) return byRebuiltRequest(ctx, entry, passport, now);
  const fast = inPlace(ctx, entry, passport, now);
  if (fast === 'rebuild') return byRebuiltRequest(ctx, entry, passport, now, rebuiltRequests(ctx));
  if (!(fast instanceof Promise)) return fast;
  return fast.then((r) =>
    r === 'rebuild' ? byRebuiltRequest(ctx, entry, passport, now, rebuiltRequests(ctx)) : r,
  );
}

type InPlace = Reverified | 'rebuild';

/** The synchronous path over a plain record; 'rebuild' for any other, or when unsure. */
function inPlace(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  passport: string | undefined,
  now: Date,
): InPlace | Promise<InPlace> {
  const plain = plainRecord(entry, passport);
  if (plain === undefined) return 'rebuild';
  const body = bodyOf(plain.record, plain.header);
  if (body !== undefined && !(body instanceof Uint8Array)) return body;
  const call = {
    ctx,
    plain,
    now,
    body: body !== undefined && METHODS_WITH_BODY.has(plain.method) ? body : undefined,
    withheld: plain.record.bodyLength > 0 && body === undefined,
  };
  const done = (c: Checked): InPlace | Promise<InPlace> => {
    if (c === 'rebuild') return c;
    if (c.ok) return accepted(c.passport, c.keyId, c.nonce);
    if (c.signer === undefined) return { who: {}, code: c.code, message: c.message };
    return identify(ctx, plain.header, c.signer, c.keyId, now).then((who) => ({
      who,
      code: c.code,
      message: c.message,
    }));
  };
  try {
    const c = checkPlainRequest(call);
    return c instanceof Promise ? c.then(done, () => 'rebuild' as const) : done(c);
  } catch {
    return 'rebuild';
  }
}

/** The live request verifier over the Request the record rebuilds (`requests`: the reference's). */
async function byRebuiltRequest(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  passport: string | undefined,
  now: Date,
  requests: RequestVerifier = ctx.requests,
): Promise<Reverified> {
  const chain = entry.delegation;
  if (chain !== undefined && (!isObject(chain) || typeof chain.bytes !== 'string'))
    return broken('ERR_EVIDENCE_LINE', 'the delegation record is incomplete');
  const rebuilt = rebuildRequest(entry, passport);
  if (!('request' in rebuilt)) return rebuilt;
  const { record, request, headers, bodyWithheld } = rebuilt;
  const verifier =
    chain === undefined
      ? requests
      : delegatedRequests(
          ctx,
          new URL(record.url).origin,
          new Uint8Array(Buffer.from(chain.bytes, 'base64url')),
          now,
        );
  const v = await verifier.verifyRequest(request, {
    requiredScopes: entry.requiredScopes ?? [],
    now,
    // A log that kept the digest and not the body: the digest was compared when rebuilding.
    ...(bodyWithheld ? { bodyWithheld: true } : {}),
  });
  if (!v.verified)
    return {
      who: v.agent === undefined ? {} : await identify(ctx, (n) => headers.get(n), v.agent, v.keyId, now),
      code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL',
      message: v.errors[0]?.message ?? '',
    };
  if (v.passport !== undefined && v.delegation === undefined)
    return accepted(v.passport, v.keyId as string, v.nonce as string);
  const maxCalls = v.passport?.credentialSubject.maxCalls;
  return {
    who:
      v.passport === undefined
        ? { agent: v.agent as string }
        : { ...whoOf(v.passport), agent: v.agent as string, principals: v.delegation?.principals ?? [] },
    keyId: v.keyId as string,
    nonce: v.nonce as string,
    ...(maxCalls === undefined ? {} : { maxCalls }),
  };
}

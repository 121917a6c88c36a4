// SPDX-License-Identifier: Apache-2.0
// A standalone credential or presentation (what an agent handed over), verified as of the time its
// own proof says it was made; a presentation is checked against its own challenge and domain.
import { type ErrorCode, isObject } from '@agent-passport/core';
import type { PassportVerification } from '@agent-passport/verifier';
import type { CheckerContext } from './checker-context.js';

export interface DocumentCheck {
  verified: boolean;
  code?: ErrorCode;
  message?: string;
  kind: string;
  agent?: string;
  agentName?: string;
  issuer?: string;
  time?: string;
}

function summarise(v: PassportVerification, kind: string, now: Date): DocumentCheck {
  const p = v.passport;
  return {
    verified: v.verified,
    kind,
    time: now.toISOString(),
    ...(v.verified
      ? {}
      : { code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL', message: v.errors[0]?.message ?? '' }),
    ...(p === undefined
      ? {}
      : {
          agent: p.credentialSubject.id,
          agentName: p.credentialSubject.agentName,
          issuer: String(p.issuer),
        }),
  };
}

export async function checkDocument(ctx: CheckerContext, doc: unknown): Promise<DocumentCheck> {
  if (!isObject(doc))
    return { verified: false, kind: 'unknown', code: 'ERR_PARSE_TYPE', message: 'not a JSON object' };
  const types = Array.isArray(doc['type']) ? doc['type'] : [doc['type']];
  const kind = types.includes('VerifiablePresentation') ? 'presentation' : 'credential';
  const proof = isObject(doc['proof']) ? doc['proof'] : {};
  const created = typeof proof['created'] === 'string' ? Date.parse(proof['created']) : Number.NaN;
  if (Number.isNaN(created))
    return {
      verified: false,
      kind,
      code: 'ERR_PROOF_CREATED',
      message: 'no proof creation time to verify it as of',
    };
  const now = new Date(created);
  if (kind === 'credential') return summarise(await ctx.verifier.verifyCredential(doc, { now }), kind, now);
  const challenge = proof['challenge'];
  if (typeof challenge !== 'string' || challenge.length === 0)
    return {
      verified: false,
      kind,
      code: 'ERR_CHALLENGE_MISMATCH',
      message: 'the presentation proof has no challenge',
    };
  const domain = proof['domain'];
  const v = await ctx.verifier.verifyPresentation(doc, {
    challenge,
    ...(typeof domain === 'string' ? { domain } : {}),
    now,
  });
  return summarise(v, kind, now);
}

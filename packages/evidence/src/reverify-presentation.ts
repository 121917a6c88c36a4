// SPDX-License-Identifier: Apache-2.0
// A presentation entry re-verified as of its own recorded time, against the challenge and domain
// the service required.
import { whoOf } from './attribution.js';
import { broken, type CheckerContext, type Reverified } from './checker-context.js';
import type { EvidenceEntry } from './entry.js';

export async function reverifyPresentation(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  requiredScopes: readonly string[],
  now: Date,
): Promise<Reverified> {
  if (typeof entry.challenge !== 'string')
    return broken('ERR_EVIDENCE_LINE', 'a presentation entry without its challenge');
  const v = await ctx.verifier.verifyPresentation(entry.presentation, {
    challenge: entry.challenge,
    ...(entry.domain === undefined ? {} : { domain: entry.domain }),
    requiredScopes,
    now,
  });
  if (v.verified && v.passport !== undefined) return { who: whoOf(v.passport) };
  return { who: {}, code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL', message: v.errors[0]?.message ?? '' };
}

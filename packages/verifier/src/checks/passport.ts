// SPDX-License-Identifier: Apache-2.0
// Checks 6, 7 and 9: the validity window, the status lists, and what this service accepts
// (purpose, audience, scopes).
import {
  type AgentPassport,
  failIf,
  failUnless,
  isObject,
  type JsonObject,
  parseDateTime,
} from '@agent-passport/core';
import { scopesGrant } from '@agent-passport/schema';
import { hitDates } from '../cache.js';
import { type CallContext, established } from '../context.js';

/** `validity`: validFrom ≤ now + skew and validUntil > now − skew (VCDM 2.0 §4.9). */
export function checkValidity(ctx: CallContext): void {
  const cred = established(ctx.credential, 'the passport');
  // A cache hit parsed them once, from the same credential.
  const dates = ctx.hit === undefined ? undefined : hitDates(ctx.hit);
  const from = dates === undefined ? parseDateTime(cred['validFrom']) : dates.validFrom;
  const until = dates === undefined ? parseDateTime(cred['validUntil']) : dates.validUntil;
  failUnless(
    from !== undefined && until !== undefined,
    'ERR_DATE_INVALID',
    'validFrom/validUntil must be date-times',
  );
  failIf(until <= from, 'ERR_VALIDITY_WINDOW', 'validUntil is not after validFrom');
  const { nowMs, settings } = ctx;
  failIf(
    from > nowMs + settings.skewMs,
    'ERR_NOT_YET_VALID',
    `not valid before ${String(cred['validFrom'])}`,
  );
  failIf(until <= nowMs - settings.skewMs, 'ERR_EXPIRED', `expired at ${String(cred['validUntil'])}`);
}

/** The schema check proved this object is an AgentPassport. */
function asPassport(credential: JsonObject): AgentPassport {
  return credential as unknown as AgentPassport;
}

/**
 * `status`: Bitstring Status List entries, failing closed when no lists are held. Synchronous for
 * a passport without `credentialStatus` (a check that returns nothing costs no extra turn).
 */
export function checkStatus(ctx: CallContext): Promise<void> | void {
  const cred = established(ctx.credential, 'the passport');
  if (cred['credentialStatus'] === undefined) return;
  const check = ctx.settings.checkStatus;
  failUnless(
    check !== undefined,
    'ERR_STATUS_UNAVAILABLE',
    'the passport has a credentialStatus and this verifier holds no status lists (fail closed)',
  );
  return check(asPassport(cred), ctx.now, {
    issuerDocument: established(ctx.issuerDocument, 'the issuer document'),
  });
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

/** The passport's scopes (its strings), listed once per cached passport. */
function grantedScopes(ctx: CallContext, scopes: unknown): readonly string[] {
  const hit = ctx.hit;
  if (hit === undefined) return strings(scopes);
  hit.scopes ??= Object.freeze(strings(scopes));
  return hit.scopes;
}

/** `purpose-scopes`: the purpose is accepted, this origin is in the audience, the scopes suffice. */
export function checkPurposeScopes(ctx: CallContext): void {
  const subject = established(ctx.credential, 'the passport')['credentialSubject'];
  failUnless(isObject(subject), 'ERR_SCHEMA_INVALID', 'credentialSubject must be an object');
  const { acceptedPurposes, origin } = ctx.settings;
  const purpose = subject['purpose'];
  failIf(
    acceptedPurposes !== undefined && !(typeof purpose === 'string' && acceptedPurposes.includes(purpose)),
    'ERR_PURPOSE_DENIED',
    `purpose ${JSON.stringify(purpose)} is not accepted here`,
  );
  const audience = subject['audience'];
  failIf(
    Array.isArray(audience) && (origin === undefined || !audience.includes(origin)),
    'ERR_AUDIENCE_DENIED',
    'this service is not in the passport audience',
  );
  const grant = scopesGrant(grantedScopes(ctx, subject['scopes']), ctx.scopes);
  failIf(!grant.ok, 'ERR_SCOPE_DENIED', `missing scope(s): ${grant.missing.join(', ')}`);
}

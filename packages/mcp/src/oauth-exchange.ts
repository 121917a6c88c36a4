// SPDX-License-Identifier: Apache-2.0
// The token endpoint (RFC 8693 token exchange): a passport presentation answering one of our
// challenges becomes a short-lived access token bound to this resource (RFC 8707), whose scopes
// are those requested that the passport grants. Each step answers a refusal or hands on its result.
import { randomUUID } from 'node:crypto';
import { type AgentPassport, isPassportError } from '@agent-passport/core';
import type { EvidenceLog } from '@agent-passport/evidence';
import { scopeGrants } from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import type { PassportVerifier } from '@agent-passport/verifier';
import type { CryptoKey } from 'jose';
import { type ChallengeKeys, challengeValid } from './oauth-challenge.js';
import { json, oauthError } from './oauth-response.js';
import { mintAccessToken } from './token.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the subject token is a passport presentation (JSON), identified by this URI. */
export const PRESENTATION_TOKEN_TYPE = 'urn:agent-passport:params:oauth:token-type:presentation';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface ExchangeContext {
  /** The resource (RFC 8707) tokens are bound to. */
  readonly resource: string;
  /** Token issuer, and the presentations' domain. */
  readonly issuer: string;
  /** Access token lifetime in seconds. */
  readonly ttlSeconds: number;
  readonly privateKey: CryptoKey;
  readonly challenges: ChallengeKeys;
  /** The caller's options, read on each exchange. */
  readonly services: {
    readonly verifier: PassportVerifier;
    readonly evidence?: Pick<EvidenceLog, 'recordPresentation'>;
  };
}

export async function exchange(context: ExchangeContext, request: Request, now: Date): Promise<Response> {
  const form = await readTokenForm(request, context.resource);
  if (form instanceof Response) return form;
  // Read strictly for the challenge; the verifier reads the same text strictly again.
  const subjectToken = form.get('subject_token') ?? '';
  const presentation = readPresentation(subjectToken);
  if (presentation instanceof Response) return presentation;
  const challenge = (presentation.value as { proof?: { challenge?: unknown } } | null)?.proof?.challenge;
  if (typeof challenge !== 'string' || !(await challengeValid(context.challenges, challenge, now)))
    return oauthError(
      'invalid_grant',
      'ERR_CHALLENGE_MISMATCH',
      'the challenge is not one this server issued, or was used',
    );
  const { verifier, evidence } = context.services;
  const r = await verifier.verifyPresentation(subjectToken, { challenge, domain: context.issuer });
  const asked = (form.get('scope') ?? '').split(' ').filter((s) => s.length > 0);
  try {
    await evidence?.recordPresentation({
      time: now,
      presentation: presentation.value,
      challenge,
      domain: context.issuer,
      requiredScopes: asked,
      verification: r,
    });
  } catch {
    return oauthError(
      'temporarily_unavailable',
      'ERR_EVIDENCE_UNAVAILABLE',
      'the exchange could not be recorded',
      503,
    );
  }
  if (!r.verified || r.passport === undefined) {
    const first = r.errors[0] ?? { code: 'ERR_VERIFIER_INTERNAL' as const, message: 'refused' };
    return oauthError('invalid_grant', first.code, first.message);
  }
  const scopes = grantedScopes(r.passport, asked);
  if (scopes instanceof Response) return scopes;
  return tokenResponse(context, r.passport, scopes, now);
}

/** The form's grant, subject token type and resource, checked; the form itself when they hold. */
async function readTokenForm(request: Request, resource: string): Promise<URLSearchParams | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded'))
    return oauthError(
      'invalid_request',
      'ERR_TOKEN_REQUEST',
      'the token request is a form (RFC 6749 §4.1.3)',
    );
  const form = new URLSearchParams(await request.text());
  if (form.get('grant_type') !== TOKEN_EXCHANGE_GRANT)
    return oauthError(
      'unsupported_grant_type',
      'ERR_TOKEN_REQUEST',
      `grant_type must be ${TOKEN_EXCHANGE_GRANT}`,
    );
  if (form.get('subject_token_type') !== PRESENTATION_TOKEN_TYPE)
    return oauthError(
      'invalid_request',
      'ERR_TOKEN_REQUEST',
      `subject_token_type must be ${PRESENTATION_TOKEN_TYPE}`,
    );
  // RFC 8707 §2: the client names the resource; tokens are only minted for this one.
  if (form.getAll('resource').length !== 1 || form.get('resource') !== resource)
    return oauthError('invalid_target', 'ERR_TOKEN_AUDIENCE', `resource must be ${resource}`);
  return form;
}

function readPresentation(subjectToken: string): { readonly value: unknown } | Response {
  try {
    return { value: parseJson(subjectToken) };
  } catch (e) {
    const code = isPassportError(e) ? e.code : 'ERR_PARSE_JSON';
    return oauthError('invalid_request', code, 'subject_token is a presentation (strict JSON)');
  }
}

/** The scopes asked for that the passport grants (all it grants when none are asked for). */
function grantedScopes(passport: AgentPassport, asked: readonly string[]): string[] | Response {
  const subject = passport.credentialSubject;
  // maxCalls is counted per signed call (native door); a bearer token could not count them.
  if (subject.maxCalls !== undefined)
    return oauthError(
      'invalid_grant',
      'ERR_TOKEN_REQUEST',
      'a passport with maxCalls signs each call instead',
    );
  const scopes =
    asked.length === 0
      ? [...subject.scopes]
      : asked.filter((a) => subject.scopes.some((g) => scopeGrants(g, a)));
  if (scopes.length === 0)
    return oauthError(
      'invalid_scope',
      'ERR_SCOPE_DENIED',
      'the passport grants none of the scopes asked for',
    );
  return scopes;
}

/** The token, living `ttlSeconds` but never past the passport's validUntil. */
async function tokenResponse(
  context: ExchangeContext,
  passport: AgentPassport,
  scopes: readonly string[],
  now: Date,
): Promise<Response> {
  const subject = passport.credentialSubject;
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.min(iat + context.ttlSeconds, Math.floor(Date.parse(passport.validUntil) / 1000));
  const token = await mintAccessToken(
    {
      iss: context.issuer,
      aud: context.resource,
      sub: subject.id,
      client_id: subject.id,
      iat,
      exp,
      jti: randomUUID(),
      scope: scopes.join(' '),
      purpose: subject.purpose,
      passport_id: passport.id,
    },
    context.privateKey,
  );
  return json({
    access_token: token,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: exp - iat,
    scope: scopes.join(' '),
  });
}

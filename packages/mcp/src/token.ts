// SPDX-License-Identifier: Apache-2.0
// The OAuth door's access tokens: short-lived JWTs (RFC 9068 profile, `typ: at+jwt`) signed with
// EdDSA by this authorization server, bound to one resource (`aud`, RFC 8707) and carrying the
// agent, its passport reference, purpose and the granted scopes. Verification never throws on a
// presented token: it returns the refusal code.
import type { ErrorCode } from '@agent-passport/core';
import { type CryptoKey, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';

export interface AccessTokenClaims {
  /** The agent (did:key). */
  readonly sub: string;
  readonly aud: string;
  readonly iss: string;
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  /** Space-separated scopes (RFC 8693 §4.2). */
  readonly scope: string;
  readonly client_id: string;
  readonly purpose: string;
  /** The passport the token was minted from (its id). */
  readonly passport_id: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

type Key = CryptoKey | Uint8Array;

export async function mintAccessToken(claims: AccessTokenClaims, privateKey: Key): Promise<string> {
  const { iss, aud, sub, exp, iat, jti, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(privateKey);
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Verify a presented token for `audience` at `now` (RFC 9068 §4: typ, iss, aud, exp, signature). */
export async function verifyAccessToken(
  token: string,
  options: {
    readonly publicKey: Key;
    readonly issuer: string;
    readonly audience: string;
    readonly now: Date;
  },
): Promise<TokenCheck> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, options.publicKey, {
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
      issuer: options.issuer,
      audience: options.audience,
      currentDate: options.now,
      clockTolerance: 0,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired)
      return { ok: false, code: 'ERR_TOKEN_EXPIRED', message: 'the access token has expired' };
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'aud')
      return { ok: false, code: 'ERR_TOKEN_AUDIENCE', message: 'the access token is for another resource' };
    return { ok: false, code: 'ERR_TOKEN_INVALID', message: 'the access token does not verify' };
  }
  const p = payload as Record<string, unknown>;
  if (!isString(p['scope']) || !isString(p['passport_id']) || !isString(p['purpose']))
    return { ok: false, code: 'ERR_TOKEN_INVALID', message: 'the access token lacks the agent claims' };
  return { ok: true, claims: payload as unknown as AccessTokenClaims };
}

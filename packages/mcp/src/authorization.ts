// SPDX-License-Identifier: Apache-2.0
// The OAuth door: this MCP server is its own authorization server for clients that only speak
// OAuth. It publishes RFC 9728 protected resource metadata and RFC 8414 authorization server
// metadata, hands out single-use presentation challenges, and exchanges a passport presentation
// for a short-lived access token bound to this resource (RFC 8693 token exchange, RFC 8707
// `resource`), whose scopes are those requested that the passport grants.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type ErrorCode, isPassportError } from '@agent-passport/core';
import type { EvidenceLog } from '@agent-passport/evidence';
import { createMemoryStore, type ReplayStore } from '@agent-passport/http-signatures';
import { scopeGrants } from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import type { PassportVerifier } from '@agent-passport/verifier';
import { type CryptoKey, generateKeyPair } from 'jose';
import { mintAccessToken, type TokenCheck, verifyAccessToken } from './token.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the subject token is a passport presentation (JSON), identified by this URI. */
export const PRESENTATION_TOKEN_TYPE = 'urn:agent-passport:params:oauth:token-type:presentation';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const CHALLENGE_PATH = '/oauth/challenge';
export const TOKEN_PATH = '/oauth/token';
const PRM_PATH = '/.well-known/oauth-protected-resource';
const ASM_PATH = '/.well-known/oauth-authorization-server';

export interface McpAuthorizationOptions {
  /** This service's public origin; the issuer of its tokens and the presentations' domain. */
  readonly origin: string;
  /** The MCP endpoint's path (default `/mcp`): the resource is `origin + path`. */
  readonly resourcePath?: string;
  /** Verifies the presented passports (trusted issuers, status…). */
  readonly verifier: PassportVerifier;
  /** Single-use challenges (default: in memory). */
  readonly store?: ReplayStore;
  readonly clock?: () => Date;
  /** Access token lifetime (default 300 s; never past the passport's validUntil). */
  readonly tokenTtlSeconds?: number;
  /** Challenge lifetime (default 120 s). */
  readonly challengeTtlSeconds?: number;
  /** EdDSA key pair signing the tokens (default: generated; share one between processes). */
  readonly keys?: { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey };
  /** Key of the challenges' MAC, 32 bytes or more (default: random): share it between processes. */
  readonly challengeSecret?: Uint8Array;
  /** Token issuer (default: origin); servers sharing keys and issuer still get their own audience. */
  readonly issuer?: string;
  /** Scopes to advertise as `scopes_supported`. */
  readonly scopesSupported?: readonly string[];
  /**
   * Where each exchange's presentation goes (an evidence log): granted or refused, with the scopes
   * asked for. When recording fails no token is minted (ERR_EVIDENCE_UNAVAILABLE).
   */
  readonly evidence?: Pick<EvidenceLog, 'recordPresentation'>;
}

export interface McpAuthorization {
  /** The resource (RFC 8707) this server's tokens are bound to. */
  readonly resource: string;
  /** RFC 9728 metadata URL, for WWW-Authenticate `resource_metadata`. */
  readonly resourceMetadataUrl: string;
  /** Serve the metadata, challenge and token endpoints; undefined for any other path. */
  handle(request: Request): Promise<Response | undefined>;
  verifyToken(token: string): Promise<TokenCheck>;
}

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/** RFC 6749 §5.2 error body, with our code. */
const oauthError = (error: string, code: ErrorCode, message: string, status = 400) =>
  json({ error, error_description: message, code }, status);

export async function createMcpAuthorization(options: McpAuthorizationOptions): Promise<McpAuthorization> {
  if (typeof options?.verifier?.verifyPresentation !== 'function')
    throw new TypeError('verifier is required');
  if (typeof options.origin !== 'string' || !/^https?:\/\/[^/\s]+$/.test(options.origin))
    throw new TypeError('origin is scheme://host[:port]');
  const path = options.resourcePath ?? '/mcp';
  if (!path.startsWith('/')) throw new TypeError('resourcePath starts with /');
  const resource = `${options.origin}${path}`;
  const issuer = options.issuer ?? options.origin;
  const clock = options.clock ?? (() => new Date());
  const ttl = options.tokenTtlSeconds ?? 300;
  const challengeTtl = options.challengeTtlSeconds ?? 120;
  const store = options.store ?? createMemoryStore();
  const keys = options.keys ?? (await generateKeyPair('EdDSA', { extractable: false }));
  if (
    options.challengeSecret !== undefined &&
    !(options.challengeSecret instanceof Uint8Array && options.challengeSecret.length >= 32)
  )
    throw new TypeError('challengeSecret must be at least 32 bytes');
  const hmacKey = options.challengeSecret ?? randomBytes(32);
  const resourceMetadataUrl = `${options.origin}${PRM_PATH}${path}`;

  const prm = {
    resource,
    authorization_servers: [issuer],
    bearer_methods_supported: ['header'],
    ...(options.scopesSupported === undefined ? {} : { scopes_supported: [...options.scopesSupported] }),
  };
  const asm = {
    issuer,
    token_endpoint: `${options.origin}${TOKEN_PATH}`,
    grant_types_supported: [TOKEN_EXCHANGE_GRANT],
    token_endpoint_auth_methods_supported: ['none'],
    agent_passport_challenge_endpoint: `${options.origin}${CHALLENGE_PATH}`,
  };

  /** A challenge is its expiry and randomness, MACed: any process holding the key can check it. */
  function newChallenge(now: Date): string {
    const body = `${Math.floor(now.getTime() / 1000) + challengeTtl}.${randomBytes(16).toString('base64url')}`;
    return `${body}.${createHmac('sha256', hmacKey).update(body).digest('base64url')}`;
  }
  async function challengeValid(challenge: string, now: Date): Promise<boolean> {
    const [exp, nonce, mac] = challenge.split('.');
    if (exp === undefined || nonce === undefined || mac === undefined) return false;
    const want = createHmac('sha256', hmacKey).update(`${exp}.${nonce}`).digest();
    const got = Buffer.from(mac, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return false;
    if (Number(exp) <= Math.floor(now.getTime() / 1000)) return false;
    // Single use until the challenge expires (an absolute window, as for request nonces).
    return store.checkAndSet(`mcp-challenge:${nonce}`, {
      created: Number(exp) - challengeTtl,
      until: Number(exp),
    });
  }

  async function exchange(request: Request): Promise<Response> {
    const now = clock();
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
    // Read strictly for the challenge; the verifier reads the same text strictly again.
    const subjectToken = form.get('subject_token') ?? '';
    let presentation: unknown;
    try {
      presentation = parseJson(subjectToken);
    } catch (e) {
      const code = isPassportError(e) ? e.code : 'ERR_PARSE_JSON';
      return oauthError('invalid_request', code, 'subject_token is a presentation (strict JSON)');
    }
    const challenge = (presentation as { proof?: { challenge?: unknown } } | null)?.proof?.challenge;
    if (typeof challenge !== 'string' || !(await challengeValid(challenge, now)))
      return oauthError(
        'invalid_grant',
        'ERR_CHALLENGE_MISMATCH',
        'the challenge is not one this server issued, or was used',
      );
    const r = await options.verifier.verifyPresentation(subjectToken, { challenge, domain: issuer });
    const asked = (form.get('scope') ?? '').split(' ').filter((s) => s.length > 0);
    try {
      await options.evidence?.recordPresentation({
        time: now,
        presentation,
        challenge,
        domain: issuer,
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
    const subject = r.passport.credentialSubject;
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
    const iat = Math.floor(now.getTime() / 1000);
    const exp = Math.min(iat + ttl, Math.floor(Date.parse(r.passport.validUntil) / 1000));
    const token = await mintAccessToken(
      {
        iss: issuer,
        aud: resource,
        sub: subject.id,
        client_id: subject.id,
        iat,
        exp,
        jti: randomUUID(),
        scope: scopes.join(' '),
        purpose: subject.purpose,
        passport_id: r.passport.id,
      },
      keys.privateKey,
    );
    return json({
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: exp - iat,
      scope: scopes.join(' '),
    });
  }

  async function handle(request: Request): Promise<Response | undefined> {
    const { pathname } = new URL(request.url);
    const get = request.method === 'GET';
    if (pathname === `${PRM_PATH}${path}` || pathname === PRM_PATH)
      return get ? json(prm) : new Response(null, { status: 405, headers: { allow: 'GET' } });
    if (pathname === ASM_PATH)
      return get ? json(asm) : new Response(null, { status: 405, headers: { allow: 'GET' } });
    if (pathname === CHALLENGE_PATH)
      return request.method === 'POST'
        ? json({ challenge: newChallenge(clock()), domain: issuer, expires_in: challengeTtl })
        : new Response(null, { status: 405, headers: { allow: 'POST' } });
    if (pathname === TOKEN_PATH)
      return request.method === 'POST'
        ? exchange(request)
        : new Response(null, { status: 405, headers: { allow: 'POST' } });
    return undefined;
  }

  return Object.freeze({
    resource,
    resourceMetadataUrl,
    handle,
    verifyToken: (token: string) =>
      verifyAccessToken(token, { publicKey: keys.publicKey, issuer, audience: resource, now: clock() }),
  });
}

// SPDX-License-Identifier: Apache-2.0
// The OAuth door: this MCP server is its own authorization server for clients that only speak
// OAuth. It publishes RFC 9728 protected resource metadata and RFC 8414 authorization server
// metadata, hands out single-use presentation challenges, and exchanges a passport presentation
// for a short-lived access token bound to this resource (RFC 8693 token exchange, RFC 8707
// `resource`), whose scopes are those requested that the passport grants.
import { randomBytes } from 'node:crypto';
import type { EvidenceLog } from '@agent-passport/evidence';
import { createMemoryStore, type ReplayStore } from '@agent-passport/http-signatures';
import type { PassportVerifier } from '@agent-passport/verifier';
import { type CryptoKey, generateKeyPair } from 'jose';
import { type ChallengeKeys, newChallenge } from './oauth-challenge.js';
import { type ExchangeContext, exchange, TOKEN_EXCHANGE_GRANT } from './oauth-exchange.js';
import { json } from './oauth-response.js';
import { type TokenCheck, verifyAccessToken } from './token.js';

export { PRESENTATION_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './oauth-exchange.js';
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

/** What the door serves: the metadata documents, and what an exchange needs. */
interface Door {
  readonly path: string;
  readonly prm: object;
  readonly asm: object;
  readonly clock: () => Date;
  readonly exchange: ExchangeContext;
}

export async function createMcpAuthorization(options: McpAuthorizationOptions): Promise<McpAuthorization> {
  const { path, resource, issuer } = checkOptions(options);
  const clock = options.clock ?? (() => new Date());
  const ttlSeconds = options.tokenTtlSeconds ?? 300;
  const challengeTtl = options.challengeTtlSeconds ?? 120;
  const store = options.store ?? createMemoryStore();
  const keys = options.keys ?? (await generateKeyPair('EdDSA', { extractable: false }));
  const challenges: ChallengeKeys = {
    key: options.challengeSecret ?? randomBytes(32),
    ttlSeconds: challengeTtl,
    store,
  };
  const door: Door = {
    path,
    ...metadata(options, resource, issuer),
    clock,
    // The verifier and the evidence log are read from the caller's options on each exchange.
    exchange: { resource, issuer, ttlSeconds, privateKey: keys.privateKey, challenges, services: options },
  };
  return Object.freeze({
    resource,
    resourceMetadataUrl: `${options.origin}${PRM_PATH}${path}`,
    handle: (request: Request) => handle(door, request),
    verifyToken: (token: string) =>
      verifyAccessToken(token, { publicKey: keys.publicKey, issuer, audience: resource, now: clock() }),
  });
}

/** The caller's mistakes are TypeErrors; the resource and the token issuer follow from the options. */
function checkOptions(options: McpAuthorizationOptions): { path: string; resource: string; issuer: string } {
  if (typeof options?.verifier?.verifyPresentation !== 'function')
    throw new TypeError('verifier is required');
  if (typeof options.origin !== 'string' || !/^https?:\/\/[^/\s]+$/.test(options.origin))
    throw new TypeError('origin is scheme://host[:port]');
  const path = options.resourcePath ?? '/mcp';
  if (!path.startsWith('/')) throw new TypeError('resourcePath starts with /');
  if (
    options.challengeSecret !== undefined &&
    !(options.challengeSecret instanceof Uint8Array && options.challengeSecret.length >= 32)
  )
    throw new TypeError('challengeSecret must be at least 32 bytes');
  return { path, resource: `${options.origin}${path}`, issuer: options.issuer ?? options.origin };
}

/** RFC 9728 protected resource metadata and RFC 8414 authorization server metadata. */
function metadata(
  options: McpAuthorizationOptions,
  resource: string,
  issuer: string,
): { prm: object; asm: object } {
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
  return { prm, asm };
}

async function handle(door: Door, request: Request): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  const get = request.method === 'GET';
  if (pathname === `${PRM_PATH}${door.path}` || pathname === PRM_PATH)
    return get ? json(door.prm) : new Response(null, { status: 405, headers: { allow: 'GET' } });
  if (pathname === ASM_PATH)
    return get ? json(door.asm) : new Response(null, { status: 405, headers: { allow: 'GET' } });
  const { challenges, issuer } = door.exchange;
  if (pathname === CHALLENGE_PATH)
    return request.method === 'POST'
      ? json({
          challenge: newChallenge(challenges, door.clock()),
          domain: issuer,
          expires_in: challenges.ttlSeconds,
        })
      : new Response(null, { status: 405, headers: { allow: 'POST' } });
  if (pathname === TOKEN_PATH)
    return request.method === 'POST'
      ? exchange(door.exchange, request, door.clock())
      : new Response(null, { status: 405, headers: { allow: 'POST' } });
  return undefined;
}

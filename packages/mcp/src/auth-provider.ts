// SPDX-License-Identifier: Apache-2.0
// The agent side of the OAuth door, as an MCP client SDK `authProvider`: on a 401 it follows the
// server's protected resource metadata (RFC 9728) to its authorization server (RFC 8414), asks
// for a challenge, presents its passport bound to that challenge and domain, and exchanges the
// presentation for an access token for that resource (RFC 8693, RFC 8707).
import type { AgentPassport, Signer } from '@agent-passport/core';
import { createPresentation } from '@agent-passport/issuer';
import { PRESENTATION_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './authorization.js';

export interface PassportAuthProviderOptions {
  readonly passport: AgentPassport;
  /** The agent's signer (its did:key verification method): signs the presentations. */
  readonly signer: Signer;
  /** Scopes to ask for (default: all the passport grants). */
  readonly scopes?: readonly string[];
  /** Used for discovery and the token exchange (default: the global fetch). */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/** The slice of the SDK's `AuthProvider` this implements. */
export interface PassportAuthProvider {
  token(): Promise<string | undefined>;
  onUnauthorized(ctx: { readonly response: Response; readonly serverUrl: URL }): Promise<void>;
}

async function getJson(
  fetchFn: NonNullable<PassportAuthProviderOptions['fetch']>,
  url: string,
  init?: RequestInit,
) {
  const response = await fetchFn(url, init);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** RFC 8414 §3.1: the metadata URL of an issuer (the well-known segment before any path). */
const asMetadataUrl = (issuer: string) => {
  const u = new URL(issuer);
  return `${u.origin}/.well-known/oauth-authorization-server${u.pathname === '/' ? '' : u.pathname}`;
};

export function createPassportAuthProvider(options: PassportAuthProviderOptions): PassportAuthProvider {
  if (typeof options?.signer?.sign !== 'function' || typeof options.passport !== 'object')
    throw new TypeError('passport and signer are required');
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let current: { token: string; until: number } | undefined;

  return {
    async token() {
      // A token about to expire is not sent: the 401 leads to a fresh exchange.
      return current !== undefined && current.until > Date.now() + 5_000 ? current.token : undefined;
    },
    async onUnauthorized({ response, serverUrl }) {
      current = undefined;
      const named = /resource_metadata="([^"]+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1];
      const prmUrl = named ?? `${serverUrl.origin}/.well-known/oauth-protected-resource${serverUrl.pathname}`;
      const prm = await getJson(fetchFn, prmUrl);
      const issuer = (prm['authorization_servers'] as unknown[] | undefined)?.[0];
      if (typeof issuer !== 'string' || typeof prm['resource'] !== 'string')
        throw new Error('the protected resource metadata names no resource or authorization server');
      const asm = await getJson(fetchFn, asMetadataUrl(issuer));
      if (asm['issuer'] !== issuer)
        throw new Error('the authorization server metadata is for another issuer');
      const { challenge, domain } = await getJson(fetchFn, String(asm['agent_passport_challenge_endpoint']), {
        method: 'POST',
      });
      const presentation = await createPresentation({
        passport: options.passport,
        signer: options.signer,
        challenge: String(challenge),
        domain: String(domain),
      });
      const form = new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token_type: PRESENTATION_TOKEN_TYPE,
        subject_token: JSON.stringify(presentation),
        resource: prm['resource'],
      });
      if (options.scopes !== undefined) form.set('scope', options.scopes.join(' '));
      const issued = await getJson(fetchFn, String(asm['token_endpoint']), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      current = {
        token: String(issued['access_token']),
        until: Date.now() + Number(issued['expires_in']) * 1000,
      };
    },
  };
}

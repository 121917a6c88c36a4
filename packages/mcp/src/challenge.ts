// SPDX-License-Identifier: Apache-2.0
// The gate's refusals. Authorization failures keep the middleware's mapping (401, 403
// insufficient_scope, 503) and add what MCP authorization asks of a 403 (2026-07-28
// basic/authorization, "Scope Challenge Handling"): every scope the operation needs, in one
// challenge, and the protected resource metadata (RFC 9728 §5.1) when the OAuth door is open.
// Malformed MCP messages are 400 with a JSON-RPC error, as the SDK answers a header mismatch.
import type { ErrorCode } from '@agent-passport/core';
import { refusal } from '@agent-passport/middleware';

/** -32020: HeaderMismatch (SEP-2243); -32600: Invalid Request (JSON-RPC 2.0 §5.1). */
const JSONRPC_CODE: Partial<Record<ErrorCode, number>> = { ERR_MCP_HEADER_MISMATCH: -32020 };

const quote = (s: string) => s.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, '');

export interface ChallengeContext {
  /** The scopes the refused operation needs. */
  readonly scopes?: readonly string[];
  /** RFC 9728 metadata URL, when the gate publishes one. */
  readonly resourceMetadataUrl?: string;
}

/** A 401 / 403 / 503 answer for a refused agent. */
export function authorizationRefusal(
  error: { readonly code: ErrorCode; readonly message: string },
  context: ChallengeContext = {},
): Response {
  const r = refusal({ errors: [error] });
  let challenge = r.headers['www-authenticate'] as string;
  // An operation the gate map does not name: no scope would grant it (RFC 6749 §4.1.2.1 access_denied).
  if (error.code === 'ERR_MCP_UNMAPPED') {
    r.status = 403;
    r.body.error = 'access_denied';
    challenge = challenge.replace('error="invalid_token"', 'error="access_denied"');
  }
  if (r.status === 403 && context.scopes !== undefined && context.scopes.length > 0)
    challenge += `, scope="${quote(context.scopes.join(' '))}"`;
  if (context.resourceMetadataUrl !== undefined)
    challenge += `, resource_metadata="${quote(context.resourceMetadataUrl)}"`;
  return new Response(JSON.stringify(r.body), {
    status: r.status,
    headers: { ...r.headers, 'www-authenticate': challenge },
  });
}

/** A 400 answer for a message the gate cannot check: a JSON-RPC error carrying our code. */
export function messageRefusal(code: ErrorCode, message: string, status = 400): Response {
  return Response.json(
    {
      jsonrpc: '2.0',
      id: null,
      error: { code: JSONRPC_CODE[code] ?? -32600, message, data: { code } },
    },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}

/**
 * A Bearer challenge for the OAuth door (RFC 6750 §3, RFC 9728 §5.1): 401 without a token (no
 * error) or with a bad one (invalid_token), 403 insufficient_scope with the scopes needed.
 */
export function bearerRefusal(
  error: { readonly code: ErrorCode; readonly message: string } | undefined,
  context: ChallengeContext = {},
): Response {
  const params: string[] = [];
  let status = 401;
  let kind: string | undefined;
  if (error !== undefined) {
    const forbidden = error.code === 'ERR_SCOPE_DENIED' || error.code === 'ERR_PURPOSE_DENIED';
    status = forbidden || error.code === 'ERR_MCP_UNMAPPED' ? 403 : 401;
    kind = forbidden ? 'insufficient_scope' : status === 403 ? 'access_denied' : 'invalid_token';
    params.push(`error="${kind}"`, `error_description="${quote(error.message)}"`);
  }
  if (context.scopes !== undefined && context.scopes.length > 0)
    params.push(`scope="${quote(context.scopes.join(' '))}"`);
  if (context.resourceMetadataUrl !== undefined)
    params.push(`resource_metadata="${quote(context.resourceMetadataUrl)}"`);
  const body =
    error === undefined
      ? { error: 'invalid_request', message: 'an access token or a signed request is required' }
      : { error: kind, code: error.code, message: error.message };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'www-authenticate': `Bearer ${params.join(', ')}`.trim(),
      'content-type': 'application/json',
      'cache-control': 'no-store',
    },
  });
}

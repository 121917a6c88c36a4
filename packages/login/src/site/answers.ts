// SPDX-License-Identifier: Apache-2.0
// The site's answers: JSON, and signed (RFC 9421 §2.4) whenever the request was signed, refusals
// included, so an agent can tell the site's own refusal from a forgery. Login codes get their own
// statuses; the others follow the middleware's refusal mapping.
import type { ErrorCode } from '@agent-passport/core';
import { type RawSigner, signResponse } from '@agent-passport/http-signatures';
import { refusal } from '@agent-passport/middleware';

const LOGIN_STATUS: Partial<Record<ErrorCode, number>> = {
  ERR_LOGIN_EXCHANGE_UNKNOWN: 404,
  ERR_LOGIN_EXCHANGE_EXPIRED: 410,
  ERR_LOGIN_CHALLENGE_USED: 409,
  ERR_API_NOT_FOUND: 404,
  ERR_API_METHOD: 405,
  ERR_API_REQUEST: 400,
  ERR_PARSE_JSON: 400,
};

export interface SiteKey {
  readonly keyId: string;
  readonly signer: RawSigner;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** A refusal: status, WWW-Authenticate and `{ error, code, message }` (plus `extra` members). */
export function refuse(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  const r = refusal({ errors: [{ code, message }] });
  const status = LOGIN_STATUS[code] ?? r.status;
  return json(status, { ...r.body, ...extra }, status === r.status ? r.headers : {});
}

/** Sign the answer to a signed request with the site's key; an unsigned request gets it unsigned. */
export async function answer(response: Response, request: Request, key: SiteKey): Promise<Response> {
  if (!request.headers.has('signature-input')) return response;
  try {
    return await signResponse(response, request, key);
  } catch {
    // A request whose signature cannot be bound to (several labels) gets an unsigned answer.
    return response;
  }
}

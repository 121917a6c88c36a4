// SPDX-License-Identifier: Apache-2.0
// Shells stay thin (STYLE.md §12): map a verification to an HTTP answer. RFC 6750 §3 style
// WWW-Authenticate with an error, a description and our code; a JSON body carrying the code.
import type { ErrorCode } from '@agent-passport/core';
import type { RequestVerification } from './verify-request.js';

const FORBIDDEN: ReadonlySet<ErrorCode> = new Set([
  'ERR_SCOPE_DENIED',
  'ERR_PURPOSE_DENIED',
  'ERR_AUDIENCE_DENIED',
  'ERR_USAGE_EXCEEDED',
]);
const UNAVAILABLE: ReadonlySet<ErrorCode> = new Set([
  'ERR_STORE_UNAVAILABLE',
  'ERR_STORE_FULL',
  'ERR_STORE_NOT_DURABLE',
  'ERR_EVIDENCE_UNAVAILABLE',
  'ERR_STATUS_UNAVAILABLE',
]);

/** Status, headers and body for a refused request. */
export function refusal(result: RequestVerification): {
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  body: { error: string; code: ErrorCode; message: string };
} {
  const first = result.errors[0] ?? { code: 'ERR_VERIFIER_INTERNAL' as const, message: 'refused' };
  const status = FORBIDDEN.has(first.code) ? 403 : UNAVAILABLE.has(first.code) ? 503 : 401;
  const error =
    status === 403 ? 'insufficient_scope' : status === 503 ? 'temporarily_unavailable' : 'invalid_token';
  const quote = (s: string) => s.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, '');
  return {
    status,
    headers: {
      'www-authenticate': `AgentPassport realm="agent-passport", error="${error}", error_description="${quote(first.message)}", code="${first.code}"`,
      'content-type': 'application/json',
      'cache-control': 'no-store',
    },
    body: { error, code: first.code, message: first.message },
  };
}

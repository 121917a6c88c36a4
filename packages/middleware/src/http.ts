// SPDX-License-Identifier: Apache-2.0
// Shells stay thin (docs/architecture.md): map a verification to an HTTP answer. RFC 6750 §3 style
// WWW-Authenticate with an error, a description and our code; a JSON body carrying the code. A
// refusal sent before the body was read to its end closes the connection (`Connection: close`):
// the unread rest must not be taken for the next request on a kept-alive connection.
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

/** Answers other than 401: the request itself is bad (400, 413), or the service is misconfigured (500). */
const OTHER: ReadonlyMap<ErrorCode, [400 | 413 | 500, string]> = new Map([
  ['ERR_REQUEST_TARGET', [400, 'invalid_request']],
  ['ERR_BODY_TOO_LARGE', [413, 'invalid_request']],
  ['ERR_BODY_CONSUMED', [500, 'server_error']],
]);

export type RefusalStatus = 400 | 401 | 403 | 413 | 500 | 503;

/** Status, headers and body for a refused request; `close` when its body was not read to the end. */
export function refusal(
  result: Pick<RequestVerification, 'errors'>,
  close = false,
): {
  status: RefusalStatus;
  headers: Record<string, string>;
  body: { error: string; code: ErrorCode; message: string };
} {
  const first = result.errors[0] ?? { code: 'ERR_VERIFIER_INTERNAL' as const, message: 'refused' };
  const [status, error] =
    OTHER.get(first.code) ??
    (FORBIDDEN.has(first.code)
      ? [403, 'insufficient_scope']
      : UNAVAILABLE.has(first.code)
        ? [503, 'temporarily_unavailable']
        : [401, 'invalid_token']);
  const quote = (s: string) => s.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, '');
  return {
    status,
    headers: {
      'www-authenticate': `AgentPassport realm="agent-passport", error="${error}", error_description="${quote(first.message)}", code="${first.code}"`,
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...(close ? { connection: 'close' } : {}),
    },
    body: { error, code: first.code, message: first.message },
  };
}

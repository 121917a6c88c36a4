// SPDX-License-Identifier: Apache-2.0
// How a refusal is answered: the HTTP status of each code, and the two body shapes (a VC API
// verification result on the verify endpoints, `{errors}` elsewhere). No stack trace ever leaves.
import { type ErrorCode, isPassportError, PassportError } from '@agent-passport/core';

const STATUS_HTTP: Partial<Record<ErrorCode, number>> = {
  ERR_API_REQUEST: 400,
  ERR_RDFC_LIMIT: 400,
  ERR_API_UNAUTHORIZED: 401,
  ERR_API_NOT_FOUND: 404,
  ERR_PASSPORT_NOT_FOUND: 404,
  ERR_API_METHOD: 405,
  ERR_API_TOO_LARGE: 413,
  ERR_API_MEDIA_TYPE: 415,
  ERR_STATE_LOCKED: 503,
  ERR_STATE_CORRUPT: 500,
  ERR_API_INTERNAL: 500,
};

/** The HTTP status a refusal with `code` is answered with (other codes: 400 parse, else 422). */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS_HTTP[code] ?? (code.startsWith('ERR_PARSE_') ? 400 : 422);
}

export const apiError = (code: ErrorCode, message: string): PassportError => new PassportError(code, message);

/** Any failure as a PassportError: an unexpected one becomes ERR_API_INTERNAL, its details dropped. */
export function asPassportError(cause: unknown): PassportError {
  return isPassportError(cause)
    ? cause
    : apiError('ERR_API_INTERNAL', 'the server failed unexpectedly; nothing was issued or changed');
}

/** The body of a refusal at `path`: verification endpoints answer with a failed verification result. */
export function refusalBody(path: string, error: PassportError, status: number): unknown {
  const problem = { code: error.code, message: error.message };
  return path.endsWith('/verify') && status !== 401
    ? { verified: false, checks: [], warnings: [], errors: [problem] }
    : { errors: [problem] };
}

// SPDX-License-Identifier: Apache-2.0
// The OAuth door's answers: JSON that is never cached, and RFC 6749 §5.2 error bodies with our code.
import type { ErrorCode } from '@agent-passport/core';

export const json = (body: unknown, status = 200): Response =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/** RFC 6749 §5.2 error body, with our code. */
export const oauthError = (error: string, code: ErrorCode, message: string, status = 400): Response =>
  json({ error, error_description: message, code }, status);

// SPDX-License-Identifier: Apache-2.0
// The answers of the service: JSON with a trailing newline, never cached, never sniffed.
import type { Context } from 'hono';

/** The Hono environment of the service: the parsed request body. */
export interface Env {
  Variables: { body: unknown };
}

export const JSON_TYPE = 'application/json';

/** A JSON answer (`type` for published files: did+json, schema+json, ld+json…). */
export function reply(
  status: number,
  body: unknown,
  type: string = JSON_TYPE,
  extra: Record<string, string> = {},
): Response {
  return new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...extra,
    },
  });
}

/** The parsed body of the request (set by jsonBody). */
export const bodyOf = (c: Context<Env>): unknown => c.get('body');

// SPDX-License-Identifier: Apache-2.0
// The answers of the service: JSON with a trailing newline, never cached, never sniffed.
import type { Context } from 'hono';
import { type NodeBindings, NodeReply } from './light.js';

/** The Hono environment of the service: the Node adapter's bindings, the parsed request body. */
export interface Env {
  Bindings: NodeBindings;
  Variables: { body: unknown };
}

export const JSON_TYPE = 'application/json';

/**
 * A JSON answer (`type` for published files: did+json, schema+json, ld+json…). Behind the Node
 * adapter it is a NodeReply, written as it is (a fetch caller always gets a Response).
 */
export function reply(
  c: Context<Env>,
  status: number,
  body: unknown,
  type: string = JSON_TYPE,
  extra: Record<string, string> = {},
): Response {
  const text = `${JSON.stringify(body)}\n`;
  const headers = {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Kept by a HEAD answer (Hono answers HEAD with the GET's headers and no body).
    'content-length': String(Buffer.byteLength(text)),
    ...extra,
  };
  if (c.env?.nodeReply === true) return new NodeReply(status, headers, text) as unknown as Response;
  return new Response(text, { status, headers });
}

/** The parsed body of the request (set by jsonBody). */
export const bodyOf = (c: Context<Env>): unknown => c.get('body');

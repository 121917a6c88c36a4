// SPDX-License-Identifier: Apache-2.0
// The slice of a Node IncomingMessage both Node adapters (Express, Fastify) read.
import type { NodeReadable } from './node-body.js';

/** A Node request's headers as fetch Headers. */
export function nodeHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  return headers;
}

/** The slice of a Node IncomingMessage both Node adapters read. */
export interface NodeRequestLike extends NodeReadable {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The whole message has arrived (else a refusal closes the connection). */
  readonly complete: boolean;
  readonly readableDidRead?: boolean;
}

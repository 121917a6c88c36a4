// SPDX-License-Identifier: Apache-2.0
// The JSON body of a VC API request: `application/json` (or a `+json` type) only, no more than
// the configured size (Hono's body limit: the declared length first, a chunked body while it is
// read), parsed strictly (no duplicate keys, no `__proto__`, bounded depth).
import { parseJson } from '@agent-passport/strict-json';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiError } from '../errors.js';
import type { Env } from './reply.js';

const JSON_TYPE = /^application\/([a-z.+-]+\+)?json$/;
const proceed = async (): Promise<void> => {};

/** Refuse a body that is not JSON by its media type, before reading it. */
function checkMediaType(c: Context<Env>): void {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPE.test(type)) throw apiError('ERR_API_MEDIA_TYPE', 'send the body as application/json');
}

/** Reads the JSON body of a request: the media type, then the size, then the strict parse. */
export type JsonBodyReader = (c: Context<Env>) => Promise<unknown>;

/** The reader of a JSON body of at most `maxBytes`. */
export function jsonBody(maxBytes: number): JsonBodyReader {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw apiError('ERR_API_TOO_LARGE', `the body is over ${maxBytes} bytes`);
    },
  });
  return async function readJsonBody(c) {
    checkMediaType(c);
    // Hono's body limit, called directly: it returns once the body is known to fit (a chunked body
    // is read under the limit into a new Request).
    await limit(c, proceed);
    const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    return parseJson(bytes, { maxBytes, maxDepth: 64 });
  };
}

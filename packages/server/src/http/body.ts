// SPDX-License-Identifier: Apache-2.0
// The JSON body of a VC API request: `application/json` (or a `+json` type) only, no more than
// the configured size (Hono's body limit: the declared length first, a chunked body while it is
// read), parsed strictly (no duplicate keys, no `__proto__`, bounded depth).
import { parseJson } from '@agent-passport/strict-json';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiError } from '../errors.js';
import type { Env } from './reply.js';

const JSON_TYPE = /^application\/([a-z.+-]+\+)?json$/;

/** Refuse a body that is not JSON by its media type, before reading it. */
function mediaType(): MiddlewareHandler<Env> {
  return async function jsonMediaType(c, next) {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!JSON_TYPE.test(type)) throw apiError('ERR_API_MEDIA_TYPE', 'send the body as application/json');
    await next();
  };
}

/** Read and parse the body into the `body` variable. */
function parse(maxBytes: number): MiddlewareHandler<Env> {
  return async function strictJson(c, next) {
    const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    c.set('body', parseJson(bytes, { maxBytes, maxDepth: 64 }));
    await next();
  };
}

/** The middleware reading a JSON body of at most `maxBytes`. */
export function jsonBody(maxBytes: number): MiddlewareHandler<Env>[] {
  const tooLarge = () => {
    throw apiError('ERR_API_TOO_LARGE', `the body is over ${maxBytes} bytes`);
  };
  return [mediaType(), bodyLimit({ maxSize: maxBytes, onError: tooLarge }), parse(maxBytes)];
}

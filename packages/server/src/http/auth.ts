// SPDX-License-Identifier: Apache-2.0
// Bearer tokens (RFC 6750) through Hono's bearer-auth, compared as SHA-256 digests in constant
// time; any refusal of it (no header, a malformed one, a wrong token) is answered 401 ERR_API_UNAUTHORIZED.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { tokenDigest } from '../config.js';
import type { Env } from './reply.js';

/** Require the token whose digest is `wanted`; undefined: the route is open. */
export function requireToken(wanted: Buffer | undefined): MiddlewareHandler<Env> {
  if (wanted === undefined)
    return async function open(_c, next) {
      await next();
    };
  return bearerAuth({ verifyToken: (token) => timingSafeEqual(tokenDigest(token), wanted) });
}

// SPDX-License-Identifier: Apache-2.0
// Bearer tokens (RFC 6750) through Hono's bearer-auth, compared as SHA-256 digests in constant
// time; any refusal of it (no header, a malformed one, a wrong token) is answered 401 ERR_API_UNAUTHORIZED.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { tokenDigest } from '../config.js';
import type { Env } from './reply.js';

/** Throws unless the request carries the token; undefined when the route is open. */
export type TokenCheck = (c: Context<Env>) => Promise<void>;
const proceed = async (): Promise<void> => {};

/** Require the token whose digest is `wanted`; undefined: the route is open. */
export function requireToken(wanted: Buffer | undefined): TokenCheck | undefined {
  if (wanted === undefined) return undefined;
  const bearer: MiddlewareHandler<Env> = bearerAuth({
    verifyToken: (token) => timingSafeEqual(tokenDigest(token), wanted),
  });
  return async function checkToken(c) {
    // Hono's middleware, called directly: it throws for a refusal and returns once it passes.
    await bearer(c, proceed);
  };
}

// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/middleware/hono`: Hono middleware (any runtime Hono runs on).
import { type AgentContext, type MiddlewareOptions, prepare, verifyFetchRequest } from './edge.js';

export type { AgentContext, MiddlewareOptions } from './edge.js';

/** The slice of a Hono context this middleware uses. */
interface HonoLikeContext {
  readonly req: { raw: Request };
  set(key: 'agentPassport', value: AgentContext): void;
}

/**
 * Hono middleware: `app.use('/api/*', agentPassport({ verifier, origin, requiredScopes }))`; then
 * `c.get('agentPassport')`. The handler's `c.req.raw` is the verified request (its body the
 * verified bytes).
 */
export function agentPassport(
  options: MiddlewareOptions,
): (c: HonoLikeContext, next: () => Promise<void>) => Promise<Response | undefined> {
  const edge = prepare(options);
  return async function agentPassportHono(
    c: HonoLikeContext,
    next: () => Promise<void>,
  ): Promise<Response | undefined> {
    const v = await verifyFetchRequest(edge, c.req.raw);
    if ('refused' in v) return v.refused;
    c.req.raw = v.request;
    c.set('agentPassport', v.context);
    await next();
    return undefined;
  };
}

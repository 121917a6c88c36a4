// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/middleware/express`: Express middleware (Node).
import { type AgentContext, consumed, context, type MiddlewareOptions, prepare } from './edge.js';
import { refusal } from './http.js';
import { readNodeBody } from './node-body.js';
import { type NodeRequestLike, nodeHeaders } from './node-request.js';
import type { RequestVerification } from './verify-request.js';

export type { AgentContext, MiddlewareOptions } from './edge.js';

/** The slices of Express's request and response this middleware uses. */
interface ExpressLikeRequest extends NodeRequestLike {
  readonly originalUrl: string;
  body?: unknown;
  agentPassport?: AgentContext;
}
interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  set(headers: Record<string, string>): ExpressLikeResponse;
  json(body: unknown): void;
}

/**
 * Express middleware. Mount it before any body parser: it reads the raw body itself, only once
 * the caller is authenticated, and leaves it in `req.body` as a Buffer (or after `express.raw()`;
 * after a parser that consumed the body it refuses: ERR_BODY_CONSUMED).
 */
export function expressAgentPassport(
  options: MiddlewareOptions,
): (req: ExpressLikeRequest, res: ExpressLikeResponse, next: (err?: unknown) => void) => Promise<void> {
  const edge = prepare(options);
  return async function agentPassportExpress(
    req: ExpressLikeRequest,
    res: ExpressLikeResponse,
    next: (err?: unknown) => void,
  ): Promise<void> {
    const send = (result: Pick<RequestVerification, 'errors'>) => {
      const r = refusal(result, !req.complete);
      res.status(r.status).set(r.headers).json(r.body);
    };
    try {
      const target = edge.url(req.originalUrl, req.headers.host);
      if (!target.ok) return send({ errors: [target] });
      const preread = Buffer.isBuffer(req.body) ? req.body : undefined;
      if (preread === undefined && (req.body !== undefined || req.readableDidRead === true))
        return send(consumed);
      const request = new Request(target.url, { method: req.method, headers: nodeHeaders(req.headers) });
      let bytes: Uint8Array | undefined;
      const result = await edge.verify(
        request,
        preread ??
          (async (max) => {
            const r = await readNodeBody(req, max);
            if (r.ok) bytes = r.bytes;
            return r;
          }),
      );
      if (!result.verified) return send(result);
      if (bytes !== undefined && (bytes.length > 0 || (req.method !== 'GET' && req.method !== 'HEAD')))
        req.body = bytes;
      req.agentPassport = context(result);
      next();
    } catch (e) {
      next(e);
    }
  };
}

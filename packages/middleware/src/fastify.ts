// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/middleware/fastify`: the Fastify plugin (Node).
import { Readable } from 'node:stream';
import { type AgentContext, context, type MiddlewareOptions, prepare } from './edge.js';
import { refusal } from './http.js';
import { type NodeReadable, readNodeBody } from './node-body.js';
import { type NodeRequestLike, nodeHeaders } from './node-request.js';
import type { RequestVerification } from './verify-request.js';

export type { AgentContext, MiddlewareOptions } from './edge.js';

/** The slices of Fastify this plugin uses. */
interface FastifyLikeRequest {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly raw: NodeRequestLike;
  agentPassport?: AgentContext;
}
interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(h: Record<string, string>): FastifyLikeReply;
  send(body: unknown): unknown;
}
interface FastifyLike {
  addContentTypeParser(
    type: string,
    opts: { parseAs: 'buffer' },
    parser: (req: unknown, body: Buffer, done: (err: Error | null, body?: Buffer) => void) => void,
  ): void;
  removeAllContentTypeParsers(): void;
  decorateRequest(name: 'agentPassport', value: null): void;
  addHook(
    name: 'preParsing',
    hook: (req: FastifyLikeRequest, reply: FastifyLikeReply, payload: NodeReadable) => Promise<unknown>,
  ): void;
}

/** The verified bytes as the payload Fastify goes on to parse (it checks them against Content-Length). */
function payloadOf(bytes: Uint8Array): Readable & { receivedEncodedLength: number } {
  return Object.assign(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)]), {
    receivedEncodedLength: bytes.length,
  });
}

/**
 * Fastify plugin: `app.register(fastifyAgentPassport, { verifier, origin, store })` in the scope of
 * the routes it protects. It verifies in a preParsing hook, before Fastify reads any body, reads
 * the body itself once the caller is authenticated, hands Fastify exactly those bytes (kept raw:
 * Buffers, parse them in the handler) and puts the agent on `request.agentPassport`.
 */
export function fastifyAgentPassport(
  app: FastifyLike,
  options: MiddlewareOptions,
  done: (err?: Error) => void,
): void {
  try {
    const edge = prepare(options);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, next) => next(null, body));
    app.decorateRequest('agentPassport', null);
    app.addHook('preParsing', async (req, reply, payload) => {
      const send = (result: Pick<RequestVerification, 'errors'>) => {
        const r = refusal(result, !req.raw.complete);
        reply.code(r.status).headers(r.headers).send(r.body);
        return undefined;
      };
      const target = edge.url(req.url, req.headers.host);
      if (!target.ok) return send({ errors: [target] });
      const request = new Request(target.url, { method: req.raw.method, headers: nodeHeaders(req.headers) });
      let bytes: Uint8Array | undefined;
      const result = await edge.verify(request, async (max) => {
        const r = await readNodeBody(payload, max);
        if (r.ok) bytes = r.bytes;
        return r;
      });
      if (!result.verified) return send(result);
      req.agentPassport = context(result);
      return payloadOf(bytes ?? new Uint8Array());
    });
    done();
  } catch (e) {
    done(e as Error);
  }
}
// Fastify: do not encapsulate, so the hook applies to the routes registered beside it.
(fastifyAgentPassport as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

// SPDX-License-Identifier: Apache-2.0
// Middleware for fetch handlers, Hono, Express and Fastify: configured once (options validated
// when created), the verified agent on the request context, refusals answered with their status.
// Every adapter does the same in the same order: the target (a configured origin + the raw target
// in normal form, else 400), the verification (headers first; the body read only once the caller
// is authenticated, under maxBodyBytes), the answer (closing the connection when the body was not
// read to its end).
import { Readable } from 'node:stream';
import type { AgentPassport, DidKey } from '@agent-passport/core';
import { readBody } from '@agent-passport/http-signatures';
import { refusal } from './http.js';
import { type NodeReadable, readNodeBody } from './node-body.js';
import { parseOrigins, requestUrl } from './target.js';
import {
  type BodyReader,
  createRequestVerifier,
  type RequestVerification,
  type RequestVerifierOptions,
} from './verify-request.js';

export interface AgentContext {
  readonly agent: DidKey;
  readonly passport: AgentPassport;
  readonly verification: RequestVerification;
  /** Who acted on whose authority: organisation → agent (→ sub-agents, for a delegated call). */
  readonly principals: readonly string[];
}

export interface MiddlewareOptions extends RequestVerifierOptions {
  /** Scopes the route needs: a list, or computed from the request (its URL is the verified one). */
  readonly requiredScopes?: readonly string[] | ((request: Request) => readonly string[]);
  /**
   * Required: this service's public origin, or its origins (`scheme://host[:port]`). The signed
   * `@target-uri` is this origin + the raw request target, so a request signed for another service
   * fails here whatever its Host header says; with several origins, Host only picks among them.
   */
  readonly origin: string | readonly string[];
}

function prepare(options: MiddlewareOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError('options are required');
  if ('trustHostHeader' in options)
    throw new TypeError('trustHostHeader is gone: give origin, this service public origin(s)');
  const origins = parseOrigins(options.origin);
  const rv = createRequestVerifier(options);
  const scopes = options.requiredScopes;
  if (
    scopes !== undefined &&
    typeof scopes !== 'function' &&
    !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))
  ) {
    throw new TypeError('requiredScopes must be a list of scopes or a function');
  }
  return {
    /** The URL to verify, route and log: a configured origin + the raw target, or a refusal. */
    url: (target: string, host: unknown) => requestUrl(origins, target, host),
    verify: (request: Request, body?: Uint8Array | BodyReader) =>
      rv.verifyRequest(request, {
        requiredScopes: typeof scopes === 'function' ? scopes(request) : (scopes ?? []),
        ...(body === undefined ? {} : { body }),
      }),
  };
}
type Edge = ReturnType<typeof prepare>;

const context = (result: RequestVerification): AgentContext => ({
  agent: result.agent as DidKey,
  passport: result.passport as AgentPassport,
  verification: result,
  principals: result.delegation?.principals ?? [
    (result.passport as AgentPassport).issuer,
    result.agent as DidKey,
  ],
});
const consumed = {
  errors: [
    {
      code: 'ERR_BODY_CONSUMED' as const,
      message: 'a body parser ran before the verifier: mount it after agent-passport, or use a raw parser',
    },
  ],
};

function refuse(result: Pick<RequestVerification, 'errors'>, close: boolean): Response {
  const r = refusal(result, close);
  return new Response(JSON.stringify(r.body), { status: r.status, headers: r.headers });
}

/**
 * A fetch Request through the edge: the same URL for the verifier, the handler and the log; the
 * body read only when the verifier asks (after authentication), then handed on as those bytes.
 */
async function verifyFetchRequest(
  edge: Edge,
  received: Request,
): Promise<{ refused: Response } | { request: Request; context: AgentContext }> {
  const at = new URL(received.url);
  const target = edge.url(received.url.slice(at.origin.length), at.host);
  if (!target.ok) return { refused: refuse({ errors: [target] }, received.body !== null) };
  const init = { method: received.method, headers: received.headers, signal: received.signal };
  const request = new Request(target.url, init);
  let bytes: Uint8Array | undefined;
  const reader: BodyReader = async (max) => {
    const r = await readBody(received.body, max);
    if (r.ok) bytes = r.bytes;
    return r;
  };
  const result = await edge.verify(request, received.body === null ? new Uint8Array() : reader);
  if (!result.verified) return { refused: refuse(result, received.body !== null && bytes === undefined) };
  const withBody =
    bytes !== undefined && bytes.length > 0 && received.method !== 'GET' && received.method !== 'HEAD';
  return {
    request: withBody ? new Request(target.url, { ...init, body: bytes } as RequestInit) : request,
    context: context(result),
  };
}

/** Wrap a fetch handler (`(request) => Response`): it runs only for verified agents. */
export function withAgentPassport(
  options: MiddlewareOptions,
  handler: (request: Request, context: AgentContext) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  const edge = prepare(options);
  return async function agentPassportFetchHandler(received) {
    const v = await verifyFetchRequest(edge, received);
    return 'refused' in v ? v.refused : handler(v.request, v.context);
  };
}

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

/** A Node request's headers as fetch Headers. */
function nodeHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  return headers;
}

/** The slice of a Node IncomingMessage both Node adapters read. */
interface NodeRequestLike extends NodeReadable {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The whole message has arrived (else a refusal closes the connection). */
  readonly complete: boolean;
  readonly readableDidRead?: boolean;
}

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

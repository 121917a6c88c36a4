// SPDX-License-Identifier: Apache-2.0
// Middleware for fetch handlers, Hono and Express: configured once (options validated when
// created), the verified agent on the request context, refusals answered with 401/403/503.
import type { AgentPassport, DidKey } from '@agent-passport/core';
import { refusal } from './http.js';
import {
  createRequestVerifier,
  type RequestVerification,
  type RequestVerifierOptions,
} from './verify-request.js';

export interface AgentContext {
  readonly agent: DidKey;
  readonly passport: AgentPassport;
  readonly verification: RequestVerification;
}

export interface MiddlewareOptions extends RequestVerifierOptions {
  /** Scopes the route needs: a list, or computed from the request. */
  readonly requiredScopes?: readonly string[] | ((request: Request) => readonly string[]);
  /**
   * This service's public origin (scheme://host[:port]). The signed @target-uri is checked against
   * it, so a request signed for another service cannot be replayed here with a forged Host header.
   * Required by the Node adapters (Express, Fastify) unless `trustHostHeader` is set.
   */
  readonly origin?: string;
  /** Node adapters: build the URL from the Host header (only behind a proxy that sets it). */
  readonly trustHostHeader?: boolean;
}

const ORIGIN = /^https?:\/\/[^/\s]+$/;

function checkOrigin(options: MiddlewareOptions, node: boolean): void {
  if (options.origin !== undefined && !ORIGIN.test(options.origin))
    throw new TypeError('origin is scheme://host[:port]');
  if (node && options.origin === undefined && options.trustHostHeader !== true) {
    throw new TypeError(
      'give origin (this service public origin), or trustHostHeader: true behind a proxy that sets Host',
    );
  }
}

/** The request as addressed to this service's origin, when one is configured. */
function atOrigin(request: Request, origin: string | undefined): Request {
  if (origin === undefined) return request;
  const url = new URL(request.url);
  if (url.origin === origin) return request;
  return new Request(`${origin}${url.pathname}${url.search}`, request);
}

function prepare(options: MiddlewareOptions, node = false) {
  checkOrigin(options, node);
  const rv = createRequestVerifier(options);
  const scopes = options.requiredScopes;
  if (
    scopes !== undefined &&
    typeof scopes !== 'function' &&
    !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))
  ) {
    throw new TypeError('requiredScopes must be a list of scopes or a function');
  }
  return async (received: Request, body?: Uint8Array) => {
    const request = atOrigin(received, options.origin);
    return rv.verifyRequest(request, {
      requiredScopes: typeof scopes === 'function' ? scopes(request) : (scopes ?? []),
      ...(body === undefined ? {} : { body }),
    });
  };
}

function refuse(result: RequestVerification): Response {
  const r = refusal(result);
  return new Response(JSON.stringify(r.body), { status: r.status, headers: r.headers });
}

/** Wrap a fetch handler (`(request) => Response`): it runs only for verified agents. */
export function withAgentPassport(
  options: MiddlewareOptions,
  handler: (request: Request, context: AgentContext) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  const verify = prepare(options);
  return async function agentPassportFetchHandler(received) {
    // The body is read once and the handler gets a request carrying the same bytes: cheaper than
    // reading it from a clone (a tee of the body stream).
    let request = received;
    let body: Uint8Array | undefined;
    if (received.body !== null) {
      body = new Uint8Array(await received.arrayBuffer());
      request = new Request(received, { body } as RequestInit);
    }
    const result = await verify(request, body);
    if (!result.verified) return refuse(result);
    return handler(request, {
      agent: result.agent as DidKey,
      passport: result.passport as AgentPassport,
      verification: result,
    });
  };
}

/** The slice of a Hono context this middleware uses. */
interface HonoLikeContext {
  readonly req: { readonly raw: Request };
  set(key: 'agentPassport', value: AgentContext): void;
}

/** Hono middleware: `app.use('/api/*', agentPassport({ verifier, requiredScopes }))`; then `c.get('agentPassport')`. */
export function agentPassport(options: MiddlewareOptions) {
  const verify = prepare(options);
  return async function agentPassportHono(
    c: HonoLikeContext,
    next: () => Promise<void>,
  ): Promise<Response | undefined> {
    const result = await verify(c.req.raw);
    if (!result.verified) return refuse(result);
    c.set('agentPassport', {
      agent: result.agent as DidKey,
      passport: result.passport as AgentPassport,
      verification: result,
    });
    await next();
    return undefined;
  };
}

/** The slices of Express's request and response this middleware uses. */
interface ExpressLikeRequest extends AsyncIterable<Buffer | string> {
  readonly method: string;
  readonly originalUrl: string;
  readonly protocol: string;
  readonly headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  agentPassport?: AgentContext;
  get(name: string): string | undefined;
}
interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  set(headers: Record<string, string>): ExpressLikeResponse;
  json(body: unknown): void;
}

/**
 * Express middleware. It needs the raw body to recompute Content-Digest: mount it before any body
 * parser (it then leaves the raw body in `req.body` as a Buffer), or after `express.raw()`.
 * `origin` fixes the public origin when behind a proxy (the agent signs the URL it called).
 */
export function expressAgentPassport(options: MiddlewareOptions) {
  const verify = prepare(options, true);
  return async function agentPassportExpress(
    req: ExpressLikeRequest,
    res: ExpressLikeResponse,
    next: (err?: unknown) => void,
  ) {
    try {
      let body: Buffer | undefined;
      if (Buffer.isBuffer(req.body)) body = req.body;
      else if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        body = Buffer.concat(chunks);
        req.body = body;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers.set(k, v);
        else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      }
      const origin = options.origin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      // The body bytes go to the verifier as they are (no request body to read back from a clone).
      const request = new Request(`${origin}${req.originalUrl}`, { method: req.method, headers });
      const result = await verify(request, body !== undefined && body.length > 0 ? body : undefined);
      if (!result.verified) {
        const r = refusal(result);
        res.status(r.status).set(r.headers).json(r.body);
        return;
      }
      req.agentPassport = {
        agent: result.agent as DidKey,
        passport: result.passport as AgentPassport,
        verification: result,
      };
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** The slices of Fastify this plugin uses. */
interface FastifyLikeRequest {
  readonly method: string;
  readonly url: string;
  readonly protocol: string;
  readonly host: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
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
    name: 'preHandler',
    hook: (req: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>,
  ): void;
}

/**
 * Fastify plugin: `app.register(fastifyAgentPassport, { verifier, store })`. It keeps request bodies
 * raw (Buffers, so Content-Digest can be recomputed; parse them in the handler), verifies in a
 * preHandler hook and puts the agent on `request.agentPassport`. Register it in the scope of the
 * routes it protects. `origin` fixes the public origin when behind a proxy.
 */
export function fastifyAgentPassport(
  app: FastifyLike,
  options: MiddlewareOptions,
  done: (err?: Error) => void,
): void {
  try {
    const verify = prepare(options, true);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, next) => next(null, body));
    app.decorateRequest('agentPassport', null);
    app.addHook('preHandler', async (req, reply) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers.set(k, v);
        else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      }
      const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
      const origin = options.origin ?? `${req.protocol}://${req.host}`;
      const request = new Request(`${origin}${req.url}`, { method: req.method, headers });
      const result = await verify(request, body);
      if (!result.verified) {
        const r = refusal(result);
        return reply.code(r.status).headers(r.headers).send(r.body);
      }
      req.agentPassport = {
        agent: result.agent as DidKey,
        passport: result.passport as AgentPassport,
        verification: result,
      };
      return undefined;
    });
    done();
  } catch (e) {
    done(e as Error);
  }
}
// Fastify: do not encapsulate, so the hook applies to the routes registered beside it.
(fastifyAgentPassport as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

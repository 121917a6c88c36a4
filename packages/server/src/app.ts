// SPDX-License-Identifier: Apache-2.0
// The VC API routes (Hono): each endpoint's bearer token and JSON body, its handler, and every
// refusal answered with its code (errors.ts). Paths that are not endpoints serve the published
// files to GET and HEAD.
import type { Context, Handler } from 'hono';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { apiError, asPassportError, httpStatusOf, refusalBody } from './errors.js';
import { requireToken, type TokenCheck } from './http/auth.js';
import { type JsonBodyReader, jsonBody } from './http/body.js';
import { type Env, JSON_TYPE, reply } from './http/reply.js';
import { issueRoute } from './routes/issue.js';
import { publishedFiles } from './routes/published.js';
import { statusRoute } from './routes/status.js';
import { verifyCredentialsRoute } from './routes/verify-credentials.js';
import { verifyPresentationsRoute } from './routes/verify-presentations.js';
import type { Service } from './service.js';

/** The path and query of the request, as it was sent. */
function target(c: Context<Env>): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

/** Any failure as its answer; a bearer-auth refusal of any kind is 401 ERR_API_UNAUTHORIZED. */
function refusal(cause: unknown, c: Context<Env>): Response {
  const unauthorized = cause instanceof HTTPException && (cause.status === 400 || cause.status === 401);
  const error = unauthorized
    ? apiError('ERR_API_UNAUTHORIZED', 'a valid bearer token is needed')
    : asPassportError(cause);
  const status = httpStatusOf(error.code);
  const extra: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
  return reply(c, status, refusalBody(target(c), error, status), JSON_TYPE, extra);
}

function publishedRoute(service: Service) {
  const published = publishedFiles(service);
  return async function publishedFile(c: Context<Env>): Promise<Response> {
    const path = new URL(c.req.url).pathname;
    const file = await published(path);
    if (file === undefined) throw apiError('ERR_API_NOT_FOUND', `nothing is published at ${path}`);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      throw apiError('ERR_API_METHOD', 'only GET and HEAD here');
    return reply(c, 200, file[0], file[1], { 'access-control-allow-origin': '*' });
  };
}

/**
 * One endpoint as one Hono handler (Hono then runs it without composing a middleware chain): POST
 * only, then the bearer token, then the JSON body, then `handler`.
 */
function endpoint(
  path: string,
  token: TokenCheck | undefined,
  readBody: JsonBodyReader,
  handler: Handler<Env>,
): Handler<Env> {
  return async function postJson(c, next) {
    if (c.req.method !== 'POST') throw apiError('ERR_API_METHOD', `${path} takes POST`);
    if (token !== undefined) await token(c);
    c.set('body', await readBody(c));
    return handler(c, next);
  };
}

export function createApp(service: Service): Hono<Env> {
  const { settings } = service;
  const body = jsonBody(settings.maxBodyBytes);
  const operator = requireToken(settings.operatorDigest);
  const verifier = requireToken(settings.verifyDigest);
  const endpoints = [
    ['/credentials/issue', operator, issueRoute(service)],
    ['/credentials/status', operator, statusRoute(service)],
    ['/credentials/verify', verifier, verifyCredentialsRoute(service)],
    ['/presentations/verify', verifier, verifyPresentationsRoute(service)],
  ] as const;
  const app = new Hono<Env>();
  for (const [path, token, handler] of endpoints) app.all(path, endpoint(path, token, body, handler));
  // Every other path: the published files (as Hono's not-found handler, so that an endpoint's
  // request matches one handler only).
  app.notFound(publishedRoute(service));
  app.onError(refusal);
  return app;
}

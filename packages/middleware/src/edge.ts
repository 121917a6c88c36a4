// SPDX-License-Identifier: Apache-2.0
// What every adapter (fetch handlers, Hono, Express, Fastify) shares: configured once (options
// validated when created), the verified agent on the request context, refusals answered with their
// status. Every adapter does the same in the same order: the target (a configured origin + the raw
// target in normal form, else 400), the verification (headers first; the body read only once the
// caller is authenticated, under maxBodyBytes), the answer (closing the connection when the body
// was not read to its end). Runs in any JavaScript runtime.
import type { AgentPassport, DidKey } from '@agent-passport/core';
import { readBody } from '@agent-passport/http-signatures';
import { refusal } from './http.js';
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

export function prepare(options: MiddlewareOptions) {
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
export type Edge = ReturnType<typeof prepare>;

export const context = (result: RequestVerification): AgentContext => ({
  agent: result.agent as DidKey,
  passport: result.passport as AgentPassport,
  verification: result,
  principals: result.delegation?.principals ?? [
    (result.passport as AgentPassport).issuer,
    result.agent as DidKey,
  ],
});
export const consumed = {
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
export async function verifyFetchRequest(
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

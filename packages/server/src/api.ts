// SPDX-License-Identifier: Apache-2.0
// The issuer and verifier service: W3C VC API endpoints and the files an issuer publishes, as a
// fetch-style handler (`(Request) => Promise<Response>`, for any runtime) and its node:http
// listener. Every answer is JSON with a stable error code; bad input never gets a 500 and no
// response carries a stack trace.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IssuerState } from '@agent-passport/issuer';
import { createApp } from './app.js';
import { checkConfig, type VcApiConfig } from './config.js';
import { toNodeListener } from './http/node.js';
import { createService } from './service.js';

export type { IssuingCryptosuite, VcApiConfig } from './config.js';

export interface VcApi {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The same service as a fetch handler (Workers, Deno, Bun, Hono's `app.mount`). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** The issuer state, when the server keeps status. */
  readonly state: IssuerState | undefined;
  /**
   * Resolves once the RDFC-1.0 implementation is loaded (started when the service is built), so
   * that no request's CPU deadline pays for it; never rejects. The service answers before it too.
   */
  readonly ready: Promise<void>;
}

/** Check a configuration and build the service. Throws TypeError/RangeError for a bad configuration. */
export function createVcApi(config: VcApiConfig): VcApi {
  const service = createService(checkConfig(config));
  const app = createApp(service);
  const fetch = async (request: Request): Promise<Response> => app.fetch(request);
  const handle = toNodeListener((request, env) => app.fetch(request, env), { light: true });
  return { handle, fetch, state: service.status.state, ready: service.ready };
}

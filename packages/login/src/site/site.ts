// SPDX-License-Identifier: Apache-2.0
// The site: one fetch handler for the login workflow and the prove endpoint, `protect` for the
// routes of a session, and session revocation. Mount `fetch` in any framework that speaks fetch
// (Hono: `app.all('/workflows/*', (c) => site.fetch(c.req.raw))`) or through `nodeHandler`.
import { requestUrl } from '@agent-passport/middleware';
import { PROVE_PATH } from '../protocol.js';
import { refuse } from './answers.js';
import { createExchange, participate } from './exchange.js';
import { protect, type SessionContext } from './guard.js';
import { type LoginSiteOptions, normalise } from './options.js';
import { prove } from './prove.js';
import { revokeSession } from './revoke.js';

export interface LoginSite {
  /** The site's DID, origin and the workflow's URL (what an agent logs in at). */
  readonly did: string;
  readonly origin: string;
  readonly workflowUrl: string;
  /** The login workflow and PROVE_PATH; any other path is 404 (ERR_API_NOT_FOUND). */
  fetch(request: Request): Promise<Response>;
  /** A fetch handler for a route only a live session may call. */
  protect(
    handler: (request: Request, context: SessionContext) => Response | Promise<Response>,
  ): (request: Request) => Promise<Response>;
  /**
   * Revoke a session: its next call is refused (ERR_LOGIN_SESSION_REVOKED). With an evidence log
   * the revocation is recorded after it took effect; if that write fails the revocation still
   * stands and the promise rejects with ERR_EVIDENCE_UNAVAILABLE (revoked, but not recorded).
   */
  revokeSession(id: string): Promise<boolean>;
}

export function createLoginSite(options: LoginSiteOptions): LoginSite {
  const config = normalise(options);
  const base = `/workflows/${config.workflow}/exchanges`;
  async function handle(received: Request): Promise<Response> {
    const at = new URL(received.url);
    const target = requestUrl([config.origin], received.url.slice(at.origin.length), at.host);
    if (!target.ok) return refuse(target.code, target.message);
    // The signed @target-uri is the configured origin + the raw target, never the Host header.
    const init = { method: received.method, headers: received.headers, body: received.body, duplex: 'half' };
    const request = new Request(target.url, init as RequestInit);
    const path = new URL(target.url).pathname;
    const now = config.clock();
    if (path === PROVE_PATH) return prove(config, request, now);
    if (path === base || path.startsWith(`${base}/`)) {
      if (received.method !== 'POST') return refuse('ERR_API_METHOD', 'exchanges take POST');
      if (path === base) return createExchange(config, now);
      const id = path.slice(base.length + 1);
      if (id.includes('/')) return refuse('ERR_API_NOT_FOUND', 'no such endpoint');
      return participate(config, request, id, now);
    }
    return refuse('ERR_API_NOT_FOUND', 'no such endpoint');
  }
  return Object.freeze({
    did: config.did,
    origin: config.origin,
    workflowUrl: `${config.origin}/workflows/${config.workflow}`,
    fetch: handle,
    protect: (handler: Parameters<LoginSite['protect']>[0]) => protect(config, handler),
    revokeSession: (id: string) => revokeSession(config, id),
  });
}

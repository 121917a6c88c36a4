// SPDX-License-Identifier: Apache-2.0
// Session calls: each one is a signed agent request verified by the middleware (signature,
// passport re-verified on every call: trust, validity, status; holder; replay; maxCalls), in the
// compact form whose passport the session holds; then, as the middleware's last check before the
// call is recorded, the session it names (a covered header) must be live and bound to this very
// key and passport.
import {
  type AgentContext,
  type RequestVerification,
  type ServiceRefusal,
  withAgentPassport,
} from '@agent-passport/middleware';
import { parseDictionary } from 'structured-headers';
import { SESSION_HEADER } from '../protocol.js';
import { refuse } from './answers.js';
import type { SiteConfig } from './options.js';
import type { Session } from './sessions.js';

export interface SessionContext extends AgentContext {
  readonly session: Session;
}

/** Does the request's (verified) signature cover the session header? */
function coversSession(headers: Headers): boolean {
  try {
    const [member] = parseDictionary(headers.get('signature-input') ?? '').values();
    return Array.isArray(member?.[0]) && member[0].some(([c]) => c === SESSION_HEADER);
  } catch {
    return false;
  }
}

/** The session of a verified call, or the code that refuses it. */
export async function sessionOf(
  config: SiteConfig,
  request: Request,
  verification: RequestVerification,
): Promise<Session | ServiceRefusal> {
  const id = request.headers.get(SESSION_HEADER);
  if (id === null || !coversSession(request.headers))
    return { code: 'ERR_LOGIN_SESSION_MISSING', message: `sign the ${SESSION_HEADER} header` };
  const session = await config.sessions.get(id);
  if (session === undefined) return { code: 'ERR_LOGIN_SESSION_UNKNOWN', message: 'no such session' };
  if (
    session.agent !== verification.agent ||
    session.passportRef !== verification.passportRef ||
    session.delegation?.ref !== verification.delegation?.ref
  )
    return {
      code: 'ERR_LOGIN_SESSION_KEY',
      message: 'the session is bound to another key, passport or delegation chain',
    };
  if (session.revoked) return { code: 'ERR_LOGIN_SESSION_REVOKED', message: 'the session was revoked' };
  if (Math.floor(config.clock().getTime() / 1000) >= session.expires)
    return { code: 'ERR_LOGIN_SESSION_EXPIRED', message: 'the session has expired' };
  return session;
}

/**
 * A fetch handler that runs only for calls of a live session. The session is the middleware's
 * last check (`authorize`), so a call it refuses is refused, and logged, as refused; the session
 * store's own refusals (unreachable, restarted) fail closed with their codes.
 */
export function protect(
  config: SiteConfig,
  handler: (request: Request, context: SessionContext) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  /** The live session of each call the middleware let in, by its verification. */
  const sessions = new WeakMap<RequestVerification, Session>();
  return withAgentPassport(
    {
      verifier: config.verifier,
      store: config.store,
      origin: config.origin,
      clock: config.clock,
      maxSkewSeconds: config.skew,
      resolvePassportRef: (ref) => config.sessions.passportByRef(ref),
      ...(config.delegation === undefined ? {} : { delegation: config.delegation }),
      ...(config.evidence === undefined
        ? {}
        : { evidence: config.evidence, recordRefused: config.recordRefused }),
      async authorize(request, verification) {
        const session = await sessionOf(config, request, verification);
        if ('code' in session) return session;
        sessions.set(verification, session);
        return undefined;
      },
    },
    async (request, context) => {
      const session = sessions.get(context.verification);
      // Unreachable: the middleware calls the handler only for a call `authorize` let in.
      if (session === undefined) return refuse('ERR_VERIFIER_INTERNAL', 'no session for this call');
      return handler(request, { ...context, session });
    },
  );
}

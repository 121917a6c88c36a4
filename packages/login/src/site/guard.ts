// SPDX-License-Identifier: Apache-2.0
// Session calls: each one is a signed agent request verified by the middleware (signature,
// passport re-verified on every call: trust, validity, status; holder; replay; maxCalls), in the
// compact form whose passport the session holds; then the session it names (a covered header)
// must be live and bound to this very key and passport.
import { type ErrorCode, isPassportError } from '@agent-passport/core';
import { type AgentContext, withAgentPassport } from '@agent-passport/middleware';
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
  context: AgentContext,
): Promise<Session | { code: ErrorCode; message: string }> {
  const id = request.headers.get(SESSION_HEADER);
  if (id === null || !coversSession(request.headers))
    return { code: 'ERR_LOGIN_SESSION_MISSING', message: `sign the ${SESSION_HEADER} header` };
  const session = await config.sessions.get(id);
  if (session === undefined) return { code: 'ERR_LOGIN_SESSION_UNKNOWN', message: 'no such session' };
  if (
    session.agent !== context.agent ||
    session.passportRef !== context.verification.passportRef ||
    session.delegation?.ref !== context.verification.delegation?.ref
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

/** A fetch handler that runs only for calls of a live session. */
export function protect(
  config: SiteConfig,
  handler: (request: Request, context: SessionContext) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
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
    },
    async (request, context) => {
      let session: Awaited<ReturnType<typeof sessionOf>>;
      try {
        session = await sessionOf(config, request, context);
      } catch (e) {
        // The session store's own refusals (unreachable, restarted): fail closed with its code.
        if (!isPassportError(e)) throw e;
        session = { code: e.code, message: e.message };
      }
      if ('code' in session) return refuse(session.code, session.message);
      return handler(request, { ...context, session });
    },
  );
}

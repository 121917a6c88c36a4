// SPDX-License-Identifier: Apache-2.0
// The gate's two doors. Native: the request verified by the middleware (signature, passport,
// holder, replay, maxCalls, evidence) with the headers covered by the signature. OAuth: an access
// token minted by the gate's authorization for this resource. Both end in `serve`: the operation's
// requirement met, the handler called, lists filtered to what the agent may use.
import type { AgentPassport, ErrorCode, PassportError } from '@agent-passport/core';
import { withAgentPassport } from '@agent-passport/middleware';
import { scopesGrant } from '@agent-passport/schema';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { McpAuthorization } from './authorization.js';
import { authorizationRefusal, bearerRefusal, type ChallengeContext } from './challenge.js';
import { coverageProblem } from './coverage.js';
import type { McpGateOptions } from './gate.js';
import { AGENT_PASSPORT_AUTH_KEY, type McpAgent } from './gate-agent.js';
import { type GateMap, grants, lookup, requirementFor, requirementOf } from './gate-map.js';
import { filterListResponse, isListMethod } from './lists.js';
import type { McpCall } from './message.js';
import { MCP_METHOD_HEADER, MCP_NAME_HEADER, MCP_SIGNATURE_TAG } from './profile.js';
import type { Requirement } from './templates.js';

/** What both doors share. */
export interface GateContext {
  /** The caller's options: the handler is read on each call. */
  readonly options: McpGateOptions;
  readonly map: GateMap;
  /** What every refusal's challenge carries (the resource metadata URL, with the OAuth door). */
  readonly challenge: ChallengeContext;
}

/** The native door: the middleware's request verifier, and the responses that came through it. */
export interface NativeDoor {
  readonly fetch: (request: Request) => Promise<Response>;
  /** Responses served past the middleware (anything else is the middleware's refusal). */
  readonly answered: WeakSet<Response>;
}

/** The operation's refusal: not in the gate map, a scope missing, or a purpose not accepted. */
function operationRefusal(
  request: Request,
  agent: Pick<McpAgent, 'scopes' | 'purpose'>,
  r: Requirement | undefined,
): { code: ErrorCode; message: string; scopes?: readonly string[] } | undefined {
  if (r === undefined) {
    const method = request.headers.get(MCP_METHOD_HEADER) ?? '';
    const what = `${method} ${request.headers.get(MCP_NAME_HEADER) ?? ''}`.trim();
    return { code: 'ERR_MCP_UNMAPPED', message: `${what} is not in the gate map` };
  }
  if (!scopesGrant(agent.scopes, r.scopes).ok)
    return {
      code: 'ERR_SCOPE_DENIED',
      message: `missing scope(s): ${r.scopes.join(', ')}`,
      scopes: r.scopes,
    };
  if (r.purposes !== undefined && !r.purposes.includes(agent.purpose))
    return { code: 'ERR_PURPOSE_DENIED', message: 'the passport purpose is not accepted here' };
  return undefined;
}

/**
 * Both doors end here, once the operation's requirement is met (the native door's middleware checks
 * it as its last check, the token door before it calls): the handler called, lists filtered.
 */
async function serve(
  gate: GateContext,
  request: Request,
  agent: McpAgent,
  authInfo: AuthInfo,
): Promise<Response> {
  const method = request.headers.get(MCP_METHOD_HEADER) as string;
  const response = await gate.options.handler.fetch(request, {
    authInfo: { ...authInfo, extra: { [AGENT_PASSPORT_AUTH_KEY]: agent } },
  });
  if (!isListMethod(method) || !response.ok) return response;
  return filterListResponse(response, method, (kind, key) => {
    const need = lookup(gate.map, kind, key);
    return need !== undefined && grants(agent, need);
  });
}

export function nativeDoor(gate: GateContext): NativeDoor {
  const answered = new WeakSet<Response>();
  const fetch = withAgentPassport(
    {
      ...gate.options,
      requiredTag: MCP_SIGNATURE_TAG,
      requiredScopes: (request) => requirementOf(gate.map, request)?.scopes ?? [],
      // The operation's own refusal before the call is recorded: never logged as accepted.
      authorize: (request, verification) => {
        const s = (verification.passport as AgentPassport).credentialSubject;
        const refused = operationRefusal(request, s, requirementOf(gate.map, request));
        return refused === undefined ? undefined : { code: refused.code, message: refused.message };
      },
    },
    async (request, context) => {
      const s = context.passport.credentialSubject;
      const agent: McpAgent = {
        agent: context.agent,
        scopes: s.scopes,
        purpose: s.purpose,
        door: 'signature',
        context,
      };
      const authInfo = {
        token: context.verification.passportRef as string,
        clientId: context.agent,
        scopes: [...s.scopes],
        expiresAt: Math.floor(Date.parse(context.passport.validUntil) / 1000),
      };
      const response = await serve(gate, request, agent, authInfo);
      answered.add(response);
      return response;
    },
  );
  return { fetch, answered };
}

/** A signed call: the MCP headers covered, then the native door. */
export async function signed(
  gate: GateContext,
  native: NativeDoor,
  request: Request,
  call: McpCall,
): Promise<Response> {
  const missing = coverageProblem(request.headers, call);
  if (missing !== undefined)
    return authorizationRefusal(
      { code: 'ERR_SIG_COMPONENT_MISSING', message: `${missing} must be covered by the signature` },
      gate.challenge,
    );
  const response = await native.fetch(request);
  if (native.answered.has(response)) return response;
  // The middleware refused: answer with the MCP challenge (the scopes this operation needs).
  const refused = (await response.json()) as { code: PassportError['code']; message: string };
  return authorizationRefusal(refused, {
    ...gate.challenge,
    scopes: requirementFor(gate.map, call.method, call.name)?.scopes ?? [],
  });
}

/** A call with an access token from the OAuth door. */
export async function bearer(
  gate: GateContext,
  request: Request,
  call: McpCall,
  token: string,
  auth: McpAuthorization,
): Promise<Response> {
  const r = await auth.verifyToken(token);
  if (!r.ok) return bearerRefusal(r, gate.challenge);
  const c = r.claims;
  const scopes = c.scope.split(' ');
  const agent: McpAgent = { agent: c.sub, scopes, purpose: c.purpose, door: 'token' };
  const refused = operationRefusal(request, agent, requirementFor(gate.map, call.method, call.name));
  if (refused !== undefined)
    return bearerRefusal(
      { code: refused.code, message: refused.message },
      refused.scopes === undefined ? gate.challenge : { ...gate.challenge, scopes: refused.scopes },
    );
  const authInfo = { token, clientId: c.sub, scopes, expiresAt: c.exp, resource: new URL(c.aud) };
  return serve(gate, request, agent, authInfo);
}

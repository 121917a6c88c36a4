// SPDX-License-Identifier: Apache-2.0
// The gate before an MCP handler (2026-07-28 streamable HTTP): one POST, one JSON-RPC message,
// its Mcp-Method / Mcp-Name headers equal to the body. Native door: the headers covered by the
// agent's signature, the agent verified by the middleware's request verifier (signature,
// passport, holder, replay, maxCalls, evidence) with the scopes the gate map names for that tool,
// prompt or resource. OAuth door (when configured): an access token minted for this resource.
// Anything the map does not name is refused. The handler gets the agent as `authInfo`, and lists
// come back filtered to what the agent may use.
import { isPassportError, type PassportError } from '@agent-passport/core';
import { type AgentContext, type MiddlewareOptions, withAgentPassport } from '@agent-passport/middleware';
import { scopesGrant } from '@agent-passport/schema';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { McpAuthorization } from './authorization.js';
import { readBounded } from './body.js';
import { authorizationRefusal, bearerRefusal, messageRefusal } from './challenge.js';
import { coverageProblem } from './coverage.js';
import { filterListResponse, isListMethod, type ListKind } from './lists.js';
import { type McpCall, readMcpCall } from './message.js';
import {
  decodeMcpName,
  MCP_METHOD_HEADER,
  MCP_NAME_HEADER,
  MCP_SIGNATURE_TAG,
  nameField,
} from './profile.js';
import { type Requirement, templateMatcher } from './templates.js';

/** What an operation needs: scopes, or scopes and the passport purposes accepted for it. */
export type McpRequirement =
  | readonly string[]
  | { readonly scopes: readonly string[]; readonly purposes?: readonly string[] };

type RequirementMap = Readonly<Record<string, McpRequirement>>;

/** The handler behind the gate: `createMcpHandler(...)` of @modelcontextprotocol/server, or its shape. */
export interface McpFetchHandler {
  fetch(request: Request, options?: { authInfo?: AuthInfo }): Promise<Response>;
}

export interface McpGateOptions extends Omit<MiddlewareOptions, 'requiredScopes' | 'trustHostHeader'> {
  /** This service's public origin (scheme://host[:port]): the signed URL is checked against it. */
  readonly origin: string;
  readonly handler: McpFetchHandler;
  /** Tool name → what calling it (and seeing it listed) needs. A tool not named is refused. */
  readonly tools: RequirementMap;
  /** Prompt name → requirement. */
  readonly prompts?: RequirementMap;
  /** Resource URI (or, for templates, URI template) → requirement. */
  readonly resources?: RequirementMap;
  /**
   * Other methods → requirement. Without an entry, the lists, `ping`, `server/discover` and
   * `notifications/*` need a verified agent and no scope; any other method is refused.
   */
  readonly methods?: RequirementMap;
  /** Largest accepted body (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** The OAuth door (createMcpAuthorization): its endpoints are served and its tokens accepted. */
  readonly authorization?: McpAuthorization;
}

export interface McpGate {
  /** Serve one HTTP request (web-standard; for Node servers wrap with `toNodeHandler`). */
  readonly fetch: (request: Request) => Promise<Response>;
}

/** The agent behind a call, as tool handlers see it (`mcpAgent(ctx)`). */
export interface McpAgent {
  readonly agent: string;
  readonly scopes: readonly string[];
  readonly purpose: string;
  /** `signature`: the native door (the full verification is in `context`); `token`: the OAuth door. */
  readonly door: 'signature' | 'token';
  readonly context?: AgentContext;
}

/** The key under `authInfo.extra` where tool handlers find the agent. */
export const AGENT_PASSPORT_AUTH_KEY = 'agentPassport';

/** The agent behind a call, from a tool handler's context (`ctx.http.authInfo`). */
export function mcpAgent(
  ctx: { readonly http?: { readonly authInfo?: AuthInfo } } | undefined,
): McpAgent | undefined {
  return ctx?.http?.authInfo?.extra?.[AGENT_PASSPORT_AUTH_KEY] as McpAgent | undefined;
}

const OPEN: Requirement = { scopes: [] };
const OPEN_METHODS = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'ping',
  'server/discover',
]);

const normalize = (r: McpRequirement): Requirement => (Array.isArray(r) ? { scopes: r } : (r as Requirement));

function checkMap(name: string, map: unknown): void {
  if (map === undefined) return;
  if (map === null || typeof map !== 'object') throw new TypeError(`${name} must be an object`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  for (const [k, r] of Object.entries(map)) {
    const n = Array.isArray(r) ? { scopes: r } : (r as { scopes?: unknown; purposes?: unknown });
    if (!strings(n?.scopes) || (n.purposes !== undefined && !strings(n.purposes)))
      throw new TypeError(`${name}[${JSON.stringify(k)}] must be a list of scopes or { scopes, purposes }`);
  }
}

function checkOptions(options: McpGateOptions): number {
  if (typeof options?.handler?.fetch !== 'function')
    throw new TypeError('handler (an MCP fetch handler) is required');
  if (typeof options.origin !== 'string')
    throw new TypeError('origin (this service public origin) is required');
  if (options.tools === undefined) throw new TypeError('tools (the tool → scopes map) is required');
  for (const name of ['tools', 'prompts', 'resources', 'methods'] as const) checkMap(name, options[name]);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new RangeError('maxBodyBytes must be a positive integer');
  return maxBodyBytes;
}

export function createMcpGate(options: McpGateOptions): McpGate {
  const maxBodyBytes = checkOptions(options);
  const maps: Readonly<Record<ListKind, RequirementMap>> = {
    tools: options.tools,
    prompts: options.prompts ?? {},
    resources: options.resources ?? {},
  };
  const own = (map: RequirementMap, key: string | undefined) =>
    key !== undefined && Object.hasOwn(map, key) ? normalize(map[key] as McpRequirement) : undefined;
  const byTemplate = templateMatcher(
    Object.fromEntries(Object.entries(maps.resources).map(([k, r]) => [k, normalize(r)])),
  );
  /** A map entry: exact, or for a resource URI, the templates it matches. */
  const lookup = (kind: ListKind, key: string | undefined) =>
    own(maps[kind], key) ?? (kind === 'resources' && key !== undefined ? byTemplate(key) : undefined);
  const oauth = options.authorization;
  const challenge = oauth === undefined ? {} : { resourceMetadataUrl: oauth.resourceMetadataUrl };

  function requirementFor(method: string, name: string | undefined): Requirement | undefined {
    if (method === 'tools/call') return own(maps.tools, name);
    if (method === 'prompts/get') return own(maps.prompts, name);
    if (method === 'resources/read') return lookup('resources', name);
    const configured = own(options.methods ?? {}, method);
    if (configured !== undefined) return configured;
    return OPEN_METHODS.has(method) || method.startsWith('notifications/') ? OPEN : undefined;
  }
  /** The requirement, read from the headers (which the gate has checked against the body). */
  function requirementOf(request: Request) {
    const method = request.headers.get(MCP_METHOD_HEADER) ?? '';
    const header = request.headers.get(MCP_NAME_HEADER);
    const name = nameField(method) === undefined || header === null ? undefined : decodeMcpName(header);
    return requirementFor(method, name);
  }
  const grants = (agent: McpAgent, r: Requirement) =>
    scopesGrant(agent.scopes, r.scopes).ok &&
    (r.purposes === undefined || r.purposes.includes(agent.purpose));

  /** Both doors end here: the operation's requirement met, the handler called, lists filtered. */
  async function serve(request: Request, agent: McpAgent, authInfo: AuthInfo, r: Requirement | undefined) {
    const method = request.headers.get(MCP_METHOD_HEADER) as string;
    const refuse = agent.door === 'token' ? bearerRefusal : authorizationRefusal;
    if (r === undefined) {
      const what = `${method} ${request.headers.get(MCP_NAME_HEADER) ?? ''}`.trim();
      return refuse({ code: 'ERR_MCP_UNMAPPED', message: `${what} is not in the gate map` }, challenge);
    }
    if (!scopesGrant(agent.scopes, r.scopes).ok)
      return refuse(
        { code: 'ERR_SCOPE_DENIED', message: `missing scope(s): ${r.scopes.join(', ')}` },
        { ...challenge, scopes: r.scopes },
      );
    if (r.purposes !== undefined && !r.purposes.includes(agent.purpose))
      return refuse(
        { code: 'ERR_PURPOSE_DENIED', message: 'the passport purpose is not accepted here' },
        challenge,
      );
    const response = await options.handler.fetch(request, {
      authInfo: { ...authInfo, extra: { [AGENT_PASSPORT_AUTH_KEY]: agent } },
    });
    if (!isListMethod(method) || !response.ok) return response;
    return filterListResponse(response, method, (kind, key) => {
      const need = lookup(kind, key);
      return need !== undefined && grants(agent, need);
    });
  }

  const answered = new WeakSet<Response>();
  const native = withAgentPassport(
    {
      ...options,
      requiredTag: MCP_SIGNATURE_TAG,
      requiredScopes: (request) => requirementOf(request)?.scopes ?? [],
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
      const response = await serve(request, agent, authInfo, requirementOf(request));
      answered.add(response);
      return response;
    },
  );

  async function signed(request: Request, call: McpCall): Promise<Response> {
    const missing = coverageProblem(request.headers, call);
    if (missing !== undefined)
      return authorizationRefusal(
        { code: 'ERR_SIG_COMPONENT_MISSING', message: `${missing} must be covered by the signature` },
        challenge,
      );
    const response = await native(request);
    if (answered.has(response)) return response;
    // The middleware refused: answer with the MCP challenge (the scopes this operation needs).
    const refused = (await response.json()) as { code: PassportError['code']; message: string };
    return authorizationRefusal(refused, {
      ...challenge,
      scopes: requirementFor(call.method, call.name)?.scopes ?? [],
    });
  }

  async function bearer(request: Request, call: McpCall, token: string, auth: McpAuthorization) {
    const r = await auth.verifyToken(token);
    if (!r.ok) return bearerRefusal(r, challenge);
    const c = r.claims;
    const scopes = c.scope.split(' ');
    const agent: McpAgent = { agent: c.sub, scopes, purpose: c.purpose, door: 'token' };
    const authInfo = { token, clientId: c.sub, scopes, expiresAt: c.exp, resource: new URL(c.aud) };
    return serve(request, agent, authInfo, requirementFor(call.method, call.name));
  }

  async function fetch(received: Request): Promise<Response> {
    const served = await oauth?.handle(received);
    if (served !== undefined) return served;
    if (received.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const body = await readBounded(received, maxBodyBytes);
    if (body === undefined)
      return messageRefusal('ERR_PARSE_SIZE', `the body is over ${maxBodyBytes} bytes`, 413);
    let call: McpCall;
    try {
      call = readMcpCall(body, received.headers, maxBodyBytes);
    } catch (e) {
      if (isPassportError(e)) return messageRefusal(e.code, e.message);
      throw e;
    }
    const request = new Request(received, { body } as RequestInit);
    const token = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(received.headers.get('authorization') ?? '')?.[1];
    if (oauth !== undefined && token !== undefined) return bearer(request, call, token, oauth);
    // An OAuth client's first, credential-less request: point it at the metadata (RFC 9728 §5.1).
    if (oauth !== undefined && !received.headers.has('signature-input'))
      return bearerRefusal(undefined, challenge);
    return signed(request, call);
  }

  return Object.freeze({ fetch });
}

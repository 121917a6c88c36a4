// SPDX-License-Identifier: Apache-2.0
// The gate before an MCP handler (2026-07-28 streamable HTTP): one POST, one JSON-RPC message,
// its Mcp-Method / Mcp-Name headers equal to the body and covered by the agent's signature; the
// agent verified by the middleware's request verifier (signature, passport, holder, replay,
// maxCalls, evidence) with the scopes the gate map names for that tool, prompt or resource;
// anything the map does not name refused. The handler gets the verified agent as `authInfo`, and
// lists come back filtered to what the agent may use.
import { isPassportError, type PassportError } from '@agent-passport/core';
import { type AgentContext, type MiddlewareOptions, withAgentPassport } from '@agent-passport/middleware';
import { scopesGrant } from '@agent-passport/schema';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { authorizationRefusal, messageRefusal } from './challenge.js';
import { coverageProblem } from './coverage.js';
import { filterListResponse, isListMethod, type ListKind } from './lists.js';
import { type McpCall, readMcpCall } from './message.js';
import { decodeMcpName, MCP_METHOD_HEADER, MCP_NAME_HEADER, nameField } from './profile.js';

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
  /** RFC 9728 metadata URL to name in challenges (set by the OAuth door). */
  readonly resourceMetadataUrl?: string;
}

export interface McpGate {
  /** Serve one HTTP request (web-standard; for Node servers wrap with `toNodeHandler`). */
  readonly fetch: (request: Request) => Promise<Response>;
}

/** The key under `authInfo.extra` where tool handlers find the verified agent. */
export const AGENT_PASSPORT_AUTH_KEY = 'agentPassport';

const OPEN_METHODS = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'ping',
  'server/discover',
]);
interface Requirement {
  readonly scopes: readonly string[];
  readonly purposes?: readonly string[];
}
const OPEN: Requirement = { scopes: [] };

const normalize = (r: McpRequirement): Requirement => (Array.isArray(r) ? { scopes: r } : (r as Requirement));

function checkMap(name: string, map: unknown): void {
  if (map === undefined) return;
  if (map === null || typeof map !== 'object') throw new TypeError(`${name} must be an object`);
  for (const [k, r] of Object.entries(map)) {
    const n = Array.isArray(r) ? { scopes: r } : (r as { scopes?: unknown; purposes?: unknown });
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (!strings(n?.scopes) || (n.purposes !== undefined && !strings(n.purposes)))
      throw new TypeError(`${name}[${JSON.stringify(k)}] must be a list of scopes or { scopes, purposes }`);
  }
}

/** The verified agent, from a tool handler's context (`ctx.http.authInfo`). */
export function mcpAgent(
  ctx: { readonly http?: { readonly authInfo?: AuthInfo } } | undefined,
): AgentContext | undefined {
  return ctx?.http?.authInfo?.extra?.[AGENT_PASSPORT_AUTH_KEY] as AgentContext | undefined;
}

export function createMcpGate(options: McpGateOptions): McpGate {
  if (typeof options?.handler?.fetch !== 'function')
    throw new TypeError('handler (an MCP fetch handler) is required');
  if (typeof options.origin !== 'string')
    throw new TypeError('origin (this service public origin) is required');
  for (const name of ['tools', 'prompts', 'resources', 'methods'] as const) checkMap(name, options[name]);
  if (options.tools === undefined) throw new TypeError('tools (the tool → scopes map) is required');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new RangeError('maxBodyBytes must be a positive integer');
  const maps: Readonly<Record<ListKind, RequirementMap>> = {
    tools: options.tools,
    prompts: options.prompts ?? {},
    resources: options.resources ?? {},
  };
  const own = (map: RequirementMap, key: string | undefined) =>
    key !== undefined && Object.hasOwn(map, key) ? normalize(map[key] as McpRequirement) : undefined;

  function requirementFor(method: string, name: string | undefined): Requirement | undefined {
    if (method === 'tools/call') return own(maps.tools, name);
    if (method === 'prompts/get') return own(maps.prompts, name);
    if (method === 'resources/read') return own(maps.resources, name);
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
  const grants = (passport: AgentContext['passport'], r: Requirement) =>
    scopesGrant(passport.credentialSubject.scopes, r.scopes).ok &&
    (r.purposes === undefined || r.purposes.includes(passport.credentialSubject.purpose));

  const challenge = {
    ...(options.resourceMetadataUrl === undefined
      ? {}
      : { resourceMetadataUrl: options.resourceMetadataUrl }),
  };
  const answered = new WeakSet<Response>();

  const verified = withAgentPassport(
    { ...options, requiredScopes: (request) => requirementOf(request)?.scopes ?? [] },
    async (request, agent) => {
      const r = requirementOf(request);
      const method = request.headers.get(MCP_METHOD_HEADER) as string;
      let response: Response;
      if (r === undefined) {
        response = authorizationRefusal(
          {
            code: 'ERR_MCP_UNMAPPED',
            message: `${method} ${request.headers.get(MCP_NAME_HEADER) ?? ''} is not in the gate map`.trim(),
          },
          challenge,
        );
      } else if (r.purposes !== undefined && !r.purposes.includes(agent.passport.credentialSubject.purpose)) {
        response = authorizationRefusal(
          { code: 'ERR_PURPOSE_DENIED', message: 'the passport purpose is not accepted for this operation' },
          challenge,
        );
      } else {
        const authInfo: AuthInfo = {
          token: agent.verification.passportRef as string,
          clientId: agent.agent,
          scopes: [...agent.passport.credentialSubject.scopes],
          expiresAt: Math.floor(Date.parse(agent.passport.validUntil ?? '') / 1000) || undefined,
          extra: { [AGENT_PASSPORT_AUTH_KEY]: agent },
        } as AuthInfo;
        response = await options.handler.fetch(request, { authInfo });
        if (isListMethod(method) && response.ok)
          response = await filterListResponse(response, method, (kind, key) => {
            const need = own(maps[kind], key);
            return need !== undefined && grants(agent.passport, need);
          });
      }
      answered.add(response);
      return response;
    },
  );

  async function fetch(received: Request): Promise<Response> {
    if (received.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const declared = Number(received.headers.get('content-length') ?? 0);
    if (declared > maxBodyBytes)
      return messageRefusal('ERR_PARSE_SIZE', `the body is over ${maxBodyBytes} bytes`);
    const body = new Uint8Array(await received.arrayBuffer());
    let call: McpCall;
    try {
      call = readMcpCall(body, received.headers, maxBodyBytes);
    } catch (e) {
      if (isPassportError(e)) return messageRefusal(e.code, e.message);
      throw e;
    }
    const missing = coverageProblem(received.headers, call);
    if (missing !== undefined)
      return authorizationRefusal(
        { code: 'ERR_SIG_COMPONENT_MISSING', message: `${missing} must be covered by the signature` },
        challenge,
      );
    const request = new Request(received, { body } as RequestInit);
    let response: Response;
    try {
      response = await verified(request);
    } catch (e) {
      if (isPassportError(e))
        return authorizationRefusal({ code: 'ERR_VERIFIER_INTERNAL', message: e.message }, challenge);
      throw e;
    }
    if (answered.has(response)) return response;
    // The middleware refused: answer with the MCP challenge (the scopes this operation needs).
    const refused = (await response.json()) as { code: PassportError['code']; message: string };
    return authorizationRefusal(refused, {
      ...challenge,
      scopes: requirementFor(call.method, call.name)?.scopes ?? [],
    });
  }

  return Object.freeze({ fetch });
}

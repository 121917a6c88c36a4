// SPDX-License-Identifier: Apache-2.0
// The gate before an MCP handler (2026-07-28 streamable HTTP): one POST, one JSON-RPC message,
// its Mcp-Method / Mcp-Name headers equal to the body. Native door: the headers covered by the
// agent's signature, the agent verified by the middleware's request verifier (signature,
// passport, holder, replay, maxCalls, evidence) with the scopes the gate map names for that tool,
// prompt or resource. OAuth door (when configured): an access token minted for this resource.
// Anything the map does not name is refused. The handler gets the agent as `authInfo`, and lists
// come back filtered to what the agent may use.
import { isPassportError } from '@agent-passport/core';
import type { MiddlewareOptions } from '@agent-passport/middleware';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { McpAuthorization } from './authorization.js';
import { readBounded } from './body.js';
import { bearerRefusal, messageRefusal } from './challenge.js';
import { bearer, type GateContext, type NativeDoor, nativeDoor, signed } from './gate-doors.js';
import { checkMap, gateMap, type RequirementMap } from './gate-map.js';
import { type McpCall, readMcpCall } from './message.js';

export type { McpAgent } from './gate-agent.js';
export { AGENT_PASSPORT_AUTH_KEY, mcpAgent } from './gate-agent.js';
export type { McpRequirement } from './gate-map.js';

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
  const oauth = options.authorization;
  const gate: GateContext = {
    options,
    map: gateMap(options),
    challenge: oauth === undefined ? {} : { resourceMetadataUrl: oauth.resourceMetadataUrl },
  };
  const native = nativeDoor(gate);
  return Object.freeze({
    fetch: (received: Request) => gateFetch(gate, native, oauth, maxBodyBytes, received),
  });
}

/** One POST, one bounded JSON-RPC message; then the OAuth door for a bearer token, else the native one. */
async function gateFetch(
  gate: GateContext,
  native: NativeDoor,
  oauth: McpAuthorization | undefined,
  maxBodyBytes: number,
  received: Request,
): Promise<Response> {
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
  if (oauth !== undefined && token !== undefined) return bearer(gate, request, call, token, oauth);
  // An OAuth client's first, credential-less request: point it at the metadata (RFC 9728 §5.1).
  if (oauth !== undefined && !received.headers.has('signature-input'))
    return bearerRefusal(undefined, gate.challenge);
  return signed(gate, native, request, call);
}

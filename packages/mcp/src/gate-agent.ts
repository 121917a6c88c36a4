// SPDX-License-Identifier: Apache-2.0
// The agent behind a gated call, as the gate hands it to tool handlers under `authInfo.extra`.
import type { AgentContext } from '@agent-passport/middleware';
import type { AuthInfo } from '@modelcontextprotocol/server';

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

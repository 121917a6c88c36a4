// SPDX-License-Identifier: Apache-2.0

export type { McpAgentFetchOptions } from './agent.js';
export { createMcpAgentFetch } from './agent.js';
export type { ChallengeContext } from './challenge.js';
export { authorizationRefusal } from './challenge.js';
export type { McpFetchHandler, McpGate, McpGateOptions, McpRequirement } from './gate.js';
export { AGENT_PASSPORT_AUTH_KEY, createMcpGate, mcpAgent } from './gate.js';
export type { McpCall } from './message.js';
export { readMcpCall } from './message.js';
export {
  decodeMcpName,
  MCP_METHOD_HEADER,
  MCP_NAME_HEADER,
  MCP_NAME_SOURCE,
  MCP_PROTOCOL_VERSION,
  MCP_PROTOCOL_VERSION_HEADER,
  mcpComponents,
} from './profile.js';

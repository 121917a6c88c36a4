// SPDX-License-Identifier: Apache-2.0

export type { McpAgentFetchOptions } from './agent.js';
export { createMcpAgentFetch } from './agent.js';
export type { PassportAuthProvider, PassportAuthProviderOptions } from './auth-provider.js';
export { createPassportAuthProvider } from './auth-provider.js';
export type { McpAuthorization, McpAuthorizationOptions } from './authorization.js';
export {
  CHALLENGE_PATH,
  createMcpAuthorization,
  PRESENTATION_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  TOKEN_PATH,
} from './authorization.js';
export type { ChallengeContext } from './challenge.js';
export { authorizationRefusal, bearerRefusal } from './challenge.js';
export type { McpAgent, McpFetchHandler, McpGate, McpGateOptions, McpRequirement } from './gate.js';
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
  MCP_SIGNATURE_TAG,
  mcpComponents,
} from './profile.js';
export type { AccessTokenClaims, TokenCheck } from './token.js';

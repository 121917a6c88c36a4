// SPDX-License-Identifier: Apache-2.0
// Every adapter, for the package root: each also has its own entry (`/fetch`, `/hono`, `/express`,
// `/fastify`), so an application loads only its framework's adapter.
export type { AgentContext, MiddlewareOptions } from './edge.js';
export { expressAgentPassport } from './express.js';
export { fastifyAgentPassport } from './fastify.js';
export { withAgentPassport } from './fetch.js';
export { agentPassport } from './hono.js';

// SPDX-License-Identifier: Apache-2.0
// @agent-passport/login/site: the site side of headless login and mutual authentication.

export { LOGIN_WORKFLOW, PROVE_PATH, SESSION_HEADER } from './protocol.js';
export type { SessionContext } from './site/guard.js';
export type { NodeHandlerOptions } from './site/node.js';
export { toNodeHandler } from './site/node.js';
export type { LoginSiteOptions } from './site/options.js';
export type { RedisSessionStore, RedisSessionStoreOptions } from './site/redis-sessions.js';
export { createRedisSessionStore } from './site/redis-sessions.js';
export type { Session, SessionDelegation, SessionStore } from './site/sessions.js';
export { createMemorySessionStore } from './site/sessions.js';
export type { LoginSite } from './site/site.js';
export { createLoginSite } from './site/site.js';

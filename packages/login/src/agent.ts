// SPDX-License-Identifier: Apache-2.0
// @agent-passport/login/agent: the agent side of headless login and mutual authentication.

export type { LoginOptions, SessionFetch } from './agent/login.js';
export { login } from './agent/login.js';
export type { VerifySiteOptions } from './agent/prove.js';
export { verifySite } from './agent/prove.js';
export type { SiteTrust } from './agent/site-key.js';
export type { SessionInfo } from './protocol.js';

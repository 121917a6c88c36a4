// SPDX-License-Identifier: Apache-2.0
// @agent-passport/login: the protocol both sides share. The site is in `/site`, the agent in `/agent`.

export { DEFAULT_AGENT_POW_CAP, MAX_POW_DIFFICULTY, powBits, solvePow } from './pow.js';
export type { LoginPresentationRequest, SessionInfo } from './protocol.js';
export {
  ACCEPTED_CRYPTOSUITES,
  LOGIN_WORKFLOW,
  PROVE_PATH,
  presentationRequestOf,
  SESSION_HEADER,
} from './protocol.js';

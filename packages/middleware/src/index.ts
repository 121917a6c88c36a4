// SPDX-License-Identifier: Apache-2.0

export { PASSPORT_HEADER, PASSPORT_REF_HEADER, passportRef } from '@agent-passport/http-signatures';
export type { AgentContext, MiddlewareOptions } from './adapters.js';
export { agentPassport, expressAgentPassport, fastifyAgentPassport, withAgentPassport } from './adapters.js';
export type { RefusalStatus } from './http.js';
export { refusal } from './http.js';
export type { NodeReadable } from './node-body.js';
export { readNodeBody } from './node-body.js';
export type { TargetResult } from './target.js';
export { parseOrigins, requestUrl, targetProblem } from './target.js';
export type {
  BodyReader,
  EvidenceSink,
  RequestCallOptions,
  RequestEvidence,
  RequestVerification,
  RequestVerifier,
  RequestVerifierOptions,
  ServiceCheck,
  ServiceRefusal,
} from './verify-request.js';
export { createRequestVerifier, REQUEST_CHECK_NAMES } from './verify-request.js';

// SPDX-License-Identifier: Apache-2.0

export type { IssuingCryptosuite, VcApi, VcApiConfig } from './api.js';
export { createVcApi } from './api.js';
export { TOKEN_CHARACTERS } from './config.js';
export type { FetchHandler, NodeListener } from './http/node.js';
export { toNodeListener } from './http/node.js';
export type { ListenOptions, RunningServer } from './listen.js';
export { listen, selfSignedCertificate, startVcApiServer } from './listen.js';
export { DEFAULT_MESSAGE_STATUS } from './message-status.js';
export { verifyCredential } from './verify/credential.js';
export { MAX_PRESENTED_CREDENTIALS, verifyPresentation } from './verify/presentation.js';
export type { ApiProblem, VerificationResult, VerifyContext } from './verify/result.js';

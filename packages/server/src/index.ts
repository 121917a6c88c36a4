// SPDX-License-Identifier: Apache-2.0

export type { IssuingCryptosuite, VcApi, VcApiConfig } from './api.js';
export { createVcApi } from './api.js';
export type { ListenOptions, RunningServer } from './listen.js';
export { listen, selfSignedCertificate, startVcApiServer } from './listen.js';
export { DEFAULT_MESSAGE_STATUS } from './message-status.js';
export type { ApiProblem, VerificationResult, VerifyContext } from './verify.js';
export { verifyCredential, verifyPresentation } from './verify.js';

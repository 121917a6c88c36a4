// SPDX-License-Identifier: Apache-2.0

export type {
  CallOptions,
  CheckName,
  PassportVerification,
  PassportVerifier,
  PresentationOptions,
  StatusChecker,
  TrustedIssuer,
  VerifierConfig,
} from './verifier.js';
export { CHECK_NAMES, createVerifier } from './verifier.js';

// SPDX-License-Identifier: Apache-2.0

export type {
  CallOptions,
  CheckName,
  PassportHandle,
  PassportVerification,
  PassportVerifier,
  PresentationOptions,
  StatusChecker,
  TrustedIssuer,
  VerifierConfig,
} from './verifier.js';
export { CHECK_NAMES, createPassportHandle, createVerifier } from './verifier.js';

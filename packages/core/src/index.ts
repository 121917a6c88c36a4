// SPDX-License-Identifier: Apache-2.0
export { ALL_ERROR_CODES, ERROR_CODES, PassportError, isErrorCode, isPassportError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type {
  Check,
  Clock,
  Did,
  DidDocument,
  DidKey,
  DidUrl,
  DidWeb,
  DocumentLoader,
  KeyType,
  MultikeyVerificationMethod,
  RemoteDocument,
  Signer,
  VerificationResult,
  Verifier,
} from './types.js';

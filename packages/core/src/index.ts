// SPDX-License-Identifier: Apache-2.0

export {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromBase64url,
  fromHex,
  toBase64,
  toBase64url,
  toHex,
  utf8Length,
} from './bytes.js';
export type { CheckRun, CheckStep, ContextCheckStep } from './checks.js';
export { CheckFailure, failIf, failUnless, runChecks, runChecksOn } from './checks.js';
export { DATE_TIME_STAMP, formatDateTime, parseDateTime } from './dates.js';
export type { ErrorCode } from './errors.js';
export { ALL_ERROR_CODES, ERROR_CODES, isErrorCode, isPassportError, PassportError } from './errors.js';
export type { BoundedCache } from './fifo.js';
export { createBoundedCache } from './fifo.js';
export type { JsonObject } from './json.js';
export { deepFreeze, isObject } from './json.js';
export { assertKeyValidAt } from './key-history.js';
export { randomBytes, randomUUID } from './random.js';
export type {
  AgentPassport,
  Check,
  Clock,
  DataIntegrityProof,
  DelegationClaim,
  Did,
  DidDocument,
  DidKey,
  DidUrl,
  DidWeb,
  DocumentLoader,
  KeyType,
  MultikeyVerificationMethod,
  PassportPresentation,
  PassportSubject,
  RemoteDocument,
  Signer,
  StatusChecker,
  StatusContext,
  StatusListEntry,
  VerificationResult,
  Verifier,
} from './types.js';

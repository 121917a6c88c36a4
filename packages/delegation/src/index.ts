// SPDX-License-Identifier: Apache-2.0

export type { DelegateOptions } from './delegate.js';
export { delegate } from './delegate.js';
export { credentialDigest } from './digest.js';
export type { PresentChainOptions } from './presentation.js';
export { presentChain } from './presentation.js';
export { assertDelegationShape, MAX_DELEGATION_BYTES, parseDelegation } from './shape.js';
export type { AgentDelegation, ChainLink, DelegationSubject, ParentReference } from './types.js';
export type {
  ChainCallOptions,
  ChainPresentationOptions,
  ChainVerification,
  DelegationChainInput,
  DelegationVerifier,
  DelegationVerifierConfig,
} from './verify-chain.js';
export { CHAIN_CHECK_NAMES, createDelegationVerifier, DEFAULT_MAX_CHAIN_LENGTH } from './verify-chain.js';

// SPDX-License-Identifier: Apache-2.0

export type {
  ControlledKeyResult,
  ControlledProofOptions,
  ControlledProofResult,
  ProofCheck,
  ProofRefusal,
} from './controlled.js';
export { checkControlledKey, verifyControlledProof } from './controlled.js';
export type { KnownJcs, PreparedJcs, PrepareJcsOptions } from './jcs.js';
export { prepareJcs } from './jcs.js';
export type { PrivateKey } from './keys.js';
export {
  createKeyVerifier,
  createSigner,
  decodePrivateKeyMultibase,
  didKeySigner,
  encodePrivateKeyMultibase,
  privateKeyObject,
  publicKeyOf,
} from './keys.js';
export type { CryptosuiteName, ProofPurpose, ProofResult } from './proof.js';
export {
  addProof,
  CRYPTOSUITES,
  createPresentation,
  defaultCryptosuite,
  SUITE_KEY_TYPE,
  signCredential,
  signPresentation,
  verifyProof,
  warmUpRdfc,
} from './proof.js';
export type { ProofSetOptions, ProofSetResult } from './proof-set.js';
export { MAX_PROOFS, verifyProofSet } from './proof-set.js';
export type { RdfcBudget, RdfcLimits } from './rdfc.js';
export { createRdfcBudget, RDFC_LIMITS } from './rdfc.js';

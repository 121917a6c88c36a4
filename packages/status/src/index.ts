// SPDX-License-Identifier: Apache-2.0

export {
  createBitstring,
  decodeList,
  encodeList,
  getBit,
  MAX_LIST_BYTES,
  MIN_LIST_BYTES,
  MIN_LIST_ENTRIES,
  setBit,
} from './bitstring.js';
export type { AsyncStatusChecker, StatusCheckerOptions } from './checker.js';
export { createStatusChecker } from './checker.js';
export type { BitstringStatusListCredential, IssueStatusListOptions } from './credential.js';
export {
  DEFAULT_LIST_VALIDITY_MS,
  issueStatusListCredential,
} from './credential.js';
export {
  checkStatusEntryOptions,
  MAX_STATUS_SIZE,
  readStatus,
  statusMessageOf,
  statusSizeOf,
  writeStatus,
} from './message.js';
export type { StatusPurpose } from './purposes.js';
export { STATUS_PURPOSES } from './purposes.js';

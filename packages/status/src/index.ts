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
export type { StatusCheckerOptions } from './checker.js';
export { createStatusChecker } from './checker.js';
export type { BitstringStatusListCredential, IssueStatusListOptions, StatusPurpose } from './credential.js';
export {
  DEFAULT_LIST_VALIDITY_MS,
  issueStatusListCredential,
  STATUS_PURPOSES,
} from './credential.js';
export {
  checkStatusEntryOptions,
  MAX_STATUS_SIZE,
  readStatus,
  statusMessageOf,
  statusSizeOf,
  writeStatus,
} from './message.js';

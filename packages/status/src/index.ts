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
export type { AsyncStatusChecker, StatusCheckerOptions, StatusReader, StatusResult } from './checker.js';
export { assertStatusAllows, createStatusChecker, createStatusReader } from './checker.js';
export type { BitstringStatusListCredential, IssueStatusListOptions } from './credential.js';
export {
  DEFAULT_LIST_VALIDITY_MS,
  issueStatusListCredential,
} from './credential.js';
export type { MessageStatusOptions, StatusMessage } from './message.js';
export {
  checkStatusEntryOptions,
  MAX_STATUS_SIZE,
  readStatus,
  statusMessageOf,
  statusSizeOf,
  statusValueOf,
  writeStatus,
} from './message.js';
export type { ListPurpose, StatusPurpose } from './purposes.js';
export { LIST_PURPOSES, STATUS_PURPOSES } from './purposes.js';

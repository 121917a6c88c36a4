// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/http-signatures/stores`: the store interfaces and the in-memory store.
export type {
  Admission,
  AdmissionStore,
  MemoryStore,
  NonceWindow,
  ReplayStore,
  SyncAdmissionStore,
  UsageCount,
  UsageStore,
} from './stores.js';
export { createMemoryStore, hasAdmit, hasAdmitNow } from './stores.js';

// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/http-signatures/stores`: the store interfaces and the in-memory store.
export type { NonceWindow, ReplayStore, UsageStore } from './stores.js';
export { createMemoryStore } from './stores.js';

// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/trust-bundle/bundle`: create and verify trust bundles and name the published
// files, with no filesystem or network code (runs in any JavaScript runtime).
export type {
  BundledIssuer,
  CreateTrustBundleOptions,
  TrustBundle,
  VerifyTrustBundleOptions,
} from './bundle.js';
export {
  createTrustBundle,
  DEFAULT_BUNDLE_VALIDITY_MS,
  TRUST_BUNDLE_TYPE,
  verifyTrustBundle,
} from './bundle.js';
export type { StatusIndex } from './locations.js';
export { issuerFileUrl, SCHEMA_FILE, STATUS_INDEX_FILE } from './locations.js';

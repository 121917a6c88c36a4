// SPDX-License-Identifier: Apache-2.0

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
export { collectFromPublishFolder, collectFromWeb } from './collect.js';
export type { StatusIndex } from './locations.js';
export { issuerFileUrl, SCHEMA_FILE, STATUS_INDEX_FILE } from './locations.js';

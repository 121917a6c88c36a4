// SPDX-License-Identifier: Apache-2.0

export type { AssertPassportOptions } from './assert-valid.js';
export { assertPassportValid } from './assert-valid.js';
export { AGENT_DELEGATION_SCHEMA, validateDelegationSchema } from './delegation-schema.js';
export type { Vcdm2Code } from './internal/invalid.js';
export type { SchemaResult } from './passport-schema.js';
export { AGENT_PASSPORT_SCHEMA, validatePassportSchema } from './passport-schema.js';
export {
  isScope,
  REQUIRED_SCOPE_PATTERN,
  SCOPE_PATTERN,
  scopeGrants,
  scopesGrant,
  scopesWithin,
  scopeWithin,
} from './scopes.js';
export type { ContextLookup } from './terms.js';
export type { Vcdm2Options, Vcdm2Result } from './vcdm2.js';
export {
  checkVcdm,
  checkVcdm2,
  checkVcdm2Presentation,
  checkVcdmPresentation,
  DATE_TIME_STAMP,
  dateTimeMs,
  isUrl,
  VC_V2,
} from './vcdm2.js';
export { dateTime11Ms, VC_V1 } from './vcdm11.js';

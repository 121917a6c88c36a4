// SPDX-License-Identifier: Apache-2.0

export type { DocumentKey, Relationship } from './document.js';
export { assertKeyValidAt, buildDidDocument, RELATIONSHIPS, validateDidDocument } from './document.js';
export { isForbiddenAddress, isForbiddenHost, isIpLiteral } from './hosts.js';
export type { DidResolverLike, DidWebResolverOptions, HardenedFetcher } from './resolver.js';
export {
  createDidWebResolver,
  createHardenedFetcher,
  createPinnedResolver,
  getResolver,
} from './resolver.js';
export type { ParsedDidWeb } from './url.js';
export { didWebToUrl, parseDidWeb, urlToDidWeb } from './url.js';

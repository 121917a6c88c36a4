// SPDX-License-Identifier: Apache-2.0

export type { DocumentKey, Relationship } from './document.js';
export { buildDidDocument, RELATIONSHIPS, validateDidDocument } from './document.js';
export { isForbiddenAddress, isForbiddenHost, isIpLiteral } from './hosts.js';
export type { DidResolverLike, DidWebResolverOptions } from './resolver.js';
export { createDidWebResolver, createPinnedResolver, getResolver } from './resolver.js';
export type { ParsedDidWeb } from './url.js';
export { didWebToUrl, parseDidWeb, urlToDidWeb } from './url.js';

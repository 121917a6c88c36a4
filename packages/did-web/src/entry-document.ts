// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/did-web/document`: did:web documents and URLs, offline. No network code, so
// verification packages and browser bundles import this entry, never the resolver.
export type { DocumentKey, Relationship } from './document.js';
export { assertKeyValidAt, buildDidDocument, RELATIONSHIPS, validateDidDocument } from './document.js';
export type { ParsedDidWeb } from './url.js';
export { didWebToUrl, parseDidWeb, urlToDidWeb } from './url.js';

// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/did-web/resolver`: the network part of did:web (hardened HTTPS fetcher, address
// policy, resolvers). Node only (node:https, node:dns, node:net).
export { isForbiddenAddress, isForbiddenHost, isIpLiteral } from './hosts.js';
export type { DidResolverLike, DidWebResolverOptions, HardenedFetcher } from './resolver.js';
export {
  createDidWebResolver,
  createHardenedFetcher,
  createPinnedResolver,
  getResolver,
} from './resolver.js';

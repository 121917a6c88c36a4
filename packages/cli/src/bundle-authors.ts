// SPDX-License-Identifier: Apache-2.0
// The pinned authors of trust bundles, and reading a bundle against them.

import { BUNDLE_AUTHOR_LABEL, type Home } from './home.js';
import { readBounded } from './internal/files.js';
import { MAX_BUNDLE_BYTES } from './limits.js';
import { usage } from './usage.js';

/**
 * The pinned bundle authors: given ones, else $AGENT_PASSPORT_BUNDLE_AUTHOR, else this home's own
 * bundle author (an operator verifying the bundles it signs itself).
 */
export async function bundleAuthors(
  given: readonly string[] | undefined,
  home: Home,
): Promise<readonly string[]> {
  const env = process.env['AGENT_PASSPORT_BUNDLE_AUTHOR'];
  const authors = given ?? (env !== undefined && env !== '' ? [env] : []);
  if (authors.length === 0) {
    const own = await home.findKey(BUNDLE_AUTHOR_LABEL);
    if (own !== undefined) return [own.did];
    throw usage(
      'no pinned bundle author: give --bundle-author <did:key> (or run `bundle author` in this home)',
    );
  }
  if (!authors.every((a) => a.startsWith('did:key:'))) throw usage('a bundle author is a did:key');
  return authors;
}

/** A trust bundle file verified against the pinned authors (ERR_BUNDLE_* when it does not verify). */
export async function readTrustBundle(file: string, authors: readonly string[], now?: Date) {
  const { verifyTrustBundle } = await import('@agent-passport/trust-bundle');
  return verifyTrustBundle(new Uint8Array(readBounded(file, MAX_BUNDLE_BYTES)), {
    authors,
    ...(now === undefined ? {} : { now }),
  });
}

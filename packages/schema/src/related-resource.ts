// SPDX-License-Identifier: Apache-2.0
// `relatedResource` (VCDM 2.0 §5.3): one or more objects, each with an `id` no other one has and a
// `digestSRI` or `digestMultibase`. A verifier that holds the resource checks the digest: this
// toolkit holds the bundled contexts, and checks against the digests of their published bytes.
import { CONTEXT_DIGESTS } from '@agent-passport/contexts';
import { type Digest, digestEquals, parseMultibaseDigest, parseSri } from './internal/digest-encoding.js';
import { asList, Invalid, isObject, isUrl, type Json } from './internal/invalid.js';

/**
 * The digests the VCDM 2.0 specification publishes for its base context (§B.1, the bytes served
 * at the URL, which differ in white space from the npm copy bundled here); either matches.
 */
const PUBLISHED: ReadonlyMap<string, Partial<Record<'sha256' | 'sha384' | 'sha512', string>>> = new Map([
  [
    'https://www.w3.org/ns/credentials/v2',
    {
      sha256: 'JKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k=',
      sha384: 'NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg',
    },
  ],
]);

function bad(at: string, message: string): Invalid {
  return new Invalid(at, message, 'ERR_VCDM_RELATED_RESOURCE');
}

/** The digests one entry states; refuses a malformed or missing one. */
function statedDigests(entry: Json, at: string): Digest[] {
  const sri = entry['digestSRI'];
  const multibase = entry['digestMultibase'];
  if (sri === undefined && multibase === undefined)
    throw bad(at, 'a related resource needs a digestSRI or a digestMultibase');
  const out: Digest[] = [];
  if (sri !== undefined) {
    const parsed = typeof sri === 'string' ? parseSri(sri) : undefined;
    if (parsed === undefined)
      throw bad(`${at}/digestSRI`, 'digestSRI must be sha256-, sha384- or sha512-<base64>');
    out.push(...parsed);
  }
  if (multibase !== undefined) {
    for (const [i, v] of asList(multibase).entries()) {
      const parsed = typeof v === 'string' ? parseMultibaseDigest(v) : undefined;
      if (parsed === undefined)
        throw bad(
          `${at}/digestMultibase${Array.isArray(multibase) ? `/${i}` : ''}`,
          'digestMultibase must be a multibase sha2 multihash',
        );
      out.push(parsed);
    }
  }
  return out;
}

/** The `relatedResource` rules of `doc` at `path`, and the digests of the resources held offline. */
export function checkRelatedResources(doc: Json, path: string): void {
  if (!('relatedResource' in doc)) return;
  const value = doc['relatedResource'];
  const list = asList(value);
  if (list.length === 0)
    throw bad(`${path}/relatedResource`, 'relatedResource must hold at least one object');
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const at = `${path}/relatedResource${Array.isArray(value) ? `/${i}` : ''}`;
    if (!isObject(entry)) throw bad(at, 'each related resource is an object with an id and a digest');
    const id = entry['id'];
    if (!isUrl(id)) throw bad(`${at}/id`, 'each related resource needs an id, a URL');
    if (seen.has(id)) throw bad(`${at}/id`, `the related resource ${id} is listed twice`);
    seen.add(id);
    const digests = statedDigests(entry, at);
    const held = CONTEXT_DIGESTS.get(id);
    if (held === undefined) return;
    const published = PUBLISHED.get(id) ?? {};
    for (const d of digests)
      if (![held[d.alg], published[d.alg]].some((v) => v !== undefined && digestEquals(d, v)))
        throw new Invalid(
          at,
          `the ${d.alg} digest of ${id} is not the digest of its published bytes`,
          'ERR_VCDM_DIGEST_MISMATCH',
        );
  });
}

// SPDX-License-Identifier: Apache-2.0
// Resource URIs matched against the URI templates of the gate map with the SDK's own matcher
// (RFC 6570 level as the SDK implements it), so the gate and the SDK route a URI the same way.
// When several templates match, the requirement is all of theirs: the SDK may serve the URI
// through any of them.
import { UriTemplate } from '@modelcontextprotocol/server';

export interface Requirement {
  readonly scopes: readonly string[];
  readonly purposes?: readonly string[];
}

/** A lookup of `uri` among the template keys of a resource map. */
export function templateMatcher(
  map: Readonly<Record<string, Requirement>>,
): (uri: string) => Requirement | undefined {
  const templates = Object.keys(map)
    .filter((k) => UriTemplate.isTemplate(k))
    .map((k) => [new UriTemplate(k), map[k] as Requirement] as const);
  return (uri) => {
    const hits = templates.filter(([t]) => t.match(uri) !== null).map(([, r]) => r);
    if (hits.length === 0) return undefined;
    const scopes = [...new Set(hits.flatMap((r) => r.scopes))];
    const lists = hits.flatMap((r) => (r.purposes === undefined ? [] : [r.purposes]));
    if (lists.length === 0) return { scopes };
    return { scopes, purposes: lists.reduce((a, b) => a.filter((p) => b.includes(p))) };
  };
}

// SPDX-License-Identifier: Apache-2.0
// The scope grammar (packages/schema/README.md):
//   scope    = action ":" resource
//   action   = "*" / lower *31(lower / digit / "_" / "-")
//   resource = "*" / segment *("/" segment) ["/*"]
//   segment  = (lower / digit) *63(lower / digit / "_" / "." / "-")
// Matching is exact per segment; the only wildcards are a whole action "*", a whole resource "*",
// and a trailing "/*" meaning "strictly below this path". Never a prefix match on raw strings.

export const SCOPE_PATTERN =
  /^(\*|[a-z][a-z0-9_-]{0,31}):(\*|[a-z0-9][a-z0-9_.-]{0,63}(\/[a-z0-9][a-z0-9_.-]{0,63})*(\/\*)?)$/;

/** A scope a caller may require: the grammar without any wildcard. */
export const REQUIRED_SCOPE_PATTERN =
  /^[a-z][a-z0-9_-]{0,31}:[a-z0-9][a-z0-9_.-]{0,63}(\/[a-z0-9][a-z0-9_.-]{0,63})*$/;

export function isScope(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && SCOPE_PATTERN.test(value);
}

/** Does the granted scope grant the (concrete) required scope? */
export function scopeGrants(granted: string, required: string): boolean {
  if (!isScope(granted) || typeof required !== 'string' || !REQUIRED_SCOPE_PATTERN.test(required))
    return false;
  const g = granted.indexOf(':');
  const r = required.indexOf(':');
  const gAction = granted.slice(0, g);
  if (gAction !== '*' && gAction !== required.slice(0, r)) return false;
  const gResource = granted.slice(g + 1);
  const rResource = required.slice(r + 1);
  if (gResource === '*') return true;
  if (!gResource.endsWith('/*')) return gResource === rResource;
  const base = gResource.slice(0, -2).split('/');
  const want = rResource.split('/');
  if (want.length <= base.length) return false;
  return base.every((segment, i) => segment === want[i]);
}

/** Are all required scopes granted? `missing` lists those that are not. */
export function scopesGrant(
  granted: readonly string[],
  required: readonly string[],
): { ok: boolean; missing: string[] } {
  const missing = required.filter((r) => !granted.some((g) => scopeGrants(g, r)));
  return { ok: missing.length === 0, missing };
}

/**
 * Is every scope the `child` grants also granted by `parent` (delegation narrowing)? Decided on the
 * grammar, never on raw strings: an action "*" stays under a parent action "*"; a resource "*" only
 * under a parent "*"; a "base/*" only under "*" or a "p/*" whose segments prefix base; a concrete
 * resource under an equal one or a wildcard strictly above it. Anything else is not provably
 * narrower and is refused.
 */
export function scopeWithin(child: string, parent: string): boolean {
  if (!isScope(child) || !isScope(parent)) return false;
  const c = child.indexOf(':');
  const p = parent.indexOf(':');
  const pAction = parent.slice(0, p);
  if (pAction !== '*' && pAction !== child.slice(0, c)) return false;
  const cResource = child.slice(c + 1);
  const pResource = parent.slice(p + 1);
  if (pResource === '*') return true;
  if (cResource === '*') return false;
  if (!pResource.endsWith('/*')) return cResource === pResource;
  const base = pResource.slice(0, -2).split('/');
  const childWild = cResource.endsWith('/*');
  const segments = (childWild ? cResource.slice(0, -2) : cResource).split('/');
  if (childWild ? segments.length < base.length : segments.length <= base.length) return false;
  return base.every((segment, i) => segment === segments[i]);
}

/** Is each child scope within one parent scope? `widened` lists those that are not. */
export function scopesWithin(
  child: readonly string[],
  parent: readonly string[],
): { ok: boolean; widened: string[] } {
  const widened = child.filter((s) => !parent.some((q) => scopeWithin(s, q)));
  return { ok: widened.length === 0, widened };
}

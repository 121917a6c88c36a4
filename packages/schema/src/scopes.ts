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

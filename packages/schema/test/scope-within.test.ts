// SPDX-License-Identifier: Apache-2.0
// Delegation narrowing in the scope grammar: a child scope is within a parent scope only when the
// grammar proves every scope it grants is granted by the parent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scopeGrants, scopesWithin, scopeWithin } from '../src/index.js';

describe('scopeWithin', () => {
  it.each([
    ['read:a', 'read:a', true],
    ['read:a/b', 'read:a/*', true],
    ['read:a/b/*', 'read:a/*', true],
    ['read:a/*', 'read:a/*', true],
    ['read:a/b', 'read:*', true],
    ['read:*', 'read:*', true],
    ['read:a', '*:*', true],
    ['*:a', '*:a', true],
    ['read:a', 'read:a/*', false],
    ['read:a/*', 'read:a', false],
    ['read:a/*', 'read:a/b/*', false],
    ['read:*', 'read:a/*', false],
    ['*:a', 'read:a', false],
    ['write:a', 'read:a', false],
    ['read:ab/c', 'read:a/*', false],
    ['read:a/b/*', 'read:a/b', false],
    ['nonsense', 'read:*', false],
    ['read:a', 'nonsense', false],
  ])('%s within %s: %s', (child, parent, expected) => {
    expect(scopeWithin(child, parent)).toBe(expected);
  });

  it('names the scopes that are not within any parent scope', () => {
    expect(scopesWithin(['read:a/b', 'write:c'], ['read:a/*'])).toEqual({ ok: false, widened: ['write:c'] });
    expect(scopesWithin(['read:a/b'], ['write:c', 'read:a/*'])).toEqual({ ok: true, widened: [] });
  });

  it('is sound: whatever a child within its parent grants, the parent grants', { timeout: 0 }, () => {
    const segment = fc.constantFrom('a', 'b', 'c');
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    const action = fc.constantFrom('read', 'write');
    const scope = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('read', 'write', '*'),
          fc.oneof(
            path,
            path.map((p) => `${p}/*`),
            fc.constant('*'),
          ),
        )
        .map(([a, r]) => `${a}:${r}`),
    );
    const required = fc.tuple(action, path).map(([a, r]) => `${a}:${r}`);
    fc.assert(
      fc.property(scope, scope, required, (child, parent, want) => {
        if (scopeWithin(child, parent) && scopeGrants(child, want))
          expect(scopeGrants(parent, want)).toBe(true);
      }),
      { numRuns: 2000, seed: 18 },
    );
  });
});

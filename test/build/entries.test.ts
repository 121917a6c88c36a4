// SPDX-License-Identifier: Apache-2.0
// Subpath entries are slices of their package: each export of an entry is the very value the
// package root exports, except entries kept off the root so that their dependency stays optional
// (the Redis store and ioredis) or so that one side never loads the other's code (login's site and
// agent): what those add is not on the root, and what they share with it is the root's own value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packages = join(import.meta.dirname, '..', '..', 'packages');
const OFF_THE_ROOT = new Set([
  '@agent-passport/http-signatures/redis',
  '@agent-passport/login/site',
  '@agent-passport/login/agent',
]);

const entries = readdirSync(packages).flatMap((dir) => {
  const pkg = JSON.parse(readFileSync(join(packages, dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.keys(pkg.exports)
    .filter((k) => k !== '.' && k !== './package.json')
    .map((k) => ({ root: pkg.name, entry: `${pkg.name}${k.slice(1)}` }));
});

describe('subpath entries', () => {
  it('exist for the portable and the Node-only parts', () => {
    expect(entries.map((e) => e.entry)).toEqual(
      expect.arrayContaining([
        '@agent-passport/did-web/document',
        '@agent-passport/did-web/resolver',
        '@agent-passport/http-signatures/stores',
        '@agent-passport/http-signatures/redis',
        '@agent-passport/middleware/fetch',
        '@agent-passport/middleware/hono',
        '@agent-passport/middleware/express',
        '@agent-passport/middleware/fastify',
        '@agent-passport/trust-bundle/bundle',
        '@agent-passport/trust-bundle/collect',
      ]),
    );
  });
  for (const { root, entry } of entries) {
    it(`${entry} exports what ${root} exports${OFF_THE_ROOT.has(entry) ? ' (off the root)' : ''}`, async () => {
      const [r, e] = await Promise.all([import(root), import(entry)]);
      expect(Object.keys(e).length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(e)) {
        if (OFF_THE_ROOT.has(entry) && !(name in r)) continue;
        expect(r[name], name).toBe(value);
      }
    });
  }
});

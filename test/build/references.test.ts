// SPDX-License-Identifier: Apache-2.0
// One `tsc -b tsconfig.build.json` builds every package, in dependency order, through project
// references. A package whose references do not match its dependencies would build against stale
// output (or not at all); one missing from the root file would not build with `npm run build`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const packages = readdirSync(join(root, 'packages')).sort();
const refs = (config: Record<string, unknown>) =>
  ((config['references'] ?? []) as { path: string }[]).map((r) => r.path).sort();

describe('build: TypeScript project references', () => {
  it('the root tsconfig.build.json references every package', () => {
    expect(refs(json(join(root, 'tsconfig.build.json')))).toEqual(
      packages.map((p) => `packages/${p}/tsconfig.build.json`).sort(),
    );
  });

  it.each(packages)(
    '%s: composite, build info inside dist/, a reference per workspace dependency',
    (name) => {
      const dir = join(root, 'packages', name);
      const config = json(join(dir, 'tsconfig.build.json'));
      expect(config['compilerOptions']).toMatchObject({
        composite: true,
        rootDir: 'src',
        outDir: 'dist',
        tsBuildInfoFile: 'dist/tsconfig.build.tsbuildinfo',
      });
      const pkg = json(join(dir, 'package.json'));
      const deps = Object.keys((pkg['dependencies'] ?? {}) as Record<string, string>)
        .filter((d) => d.startsWith('@agent-passport/'))
        .map((d) => `../${d.slice('@agent-passport/'.length)}/tsconfig.build.json`)
        .sort();
      expect(refs(config)).toEqual(deps);
      // A package may build more after tsc (the inspector its static page), never instead of it.
      expect((pkg['scripts'] as Record<string, string>)['build']).toMatch(
        /^tsc -b tsconfig\.build\.json( && node dist\/[\w-]+\.js)?$/,
      );
    },
  );
});

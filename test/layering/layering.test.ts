// SPDX-License-Identifier: Apache-2.0
// docs/architecture.md (packages and layers): a package depends only on packages below it. This
// test reads every package's manifest and every import in its sources and fails on an import that
// points up or sideways, or on a workspace import that the manifest does not declare.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Lower layers first. A package may import packages of strictly lower layers only. */
export const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['did-key', 'strict-json'],
  ['did-web'],
  ['contexts'],
  ['suites'],
  ['schema'],
  ['status', 'keystore'],
  ['issuer', 'verifier'],
  ['trust-bundle', 'http-signatures', 'delegation'],
  ['middleware', 'a2a', 'inspector'],
  ['evidence'],
  ['server', 'mcp', 'login'],
  ['cli'],
];

const root = join(import.meta.dirname, '..', '..');
const packagesDir = join(root, 'packages');

function layerOf(name: string): number {
  const i = LAYERS.findIndex((layer) => layer.includes(name));
  return i;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) out.push(p);
  }
  return out;
}

/** Every `@agent-passport/x` named by an import, export or dynamic import in `text`. */
export function workspaceImports(text: string): string[] {
  const found = new Set<string>();
  const re = /(?:from\s*|import\s*\(\s*|import\s+)['"]@agent-passport\/([a-z0-9-]+)/g;
  for (const m of text.matchAll(re)) found.add(m[1]!);
  return [...found];
}

const packages = readdirSync(packagesDir).filter((d) => statSync(join(packagesDir, d)).isDirectory());

describe('package layering', () => {
  it('finds the import forms it must police', () => {
    expect(
      workspaceImports(
        "import { a } from '@agent-passport/core';\nexport * from \"@agent-passport/did-key\";\nawait import('@agent-passport/cli');\nimport '@agent-passport/x-y';",
      ).sort(),
    ).toEqual(['cli', 'core', 'did-key', 'x-y']);
  });

  it('places every package in a layer', () => {
    for (const name of packages)
      expect(layerOf(name), `packages/${name} is missing from LAYERS`).toBeGreaterThanOrEqual(0);
  });

  for (const name of packages) {
    it(`@agent-passport/${name} imports only packages below it, each declared in its manifest`, () => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
      };
      expect(manifest.name).toBe(`@agent-passport/${name}`);
      const declared = Object.keys(manifest.dependencies ?? {})
        .filter((d) => d.startsWith('@agent-passport/'))
        .map((d) => d.slice('@agent-passport/'.length));
      const mine = layerOf(name);
      for (const dep of declared) {
        expect(layerOf(dep), `${name} declares ${dep}, which is not below it`).toBeLessThan(mine);
        expect(layerOf(dep)).toBeGreaterThanOrEqual(0);
      }
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
        for (const dep of workspaceImports(readFileSync(file, 'utf8'))) {
          expect(dep, `${file} imports itself through the package name`).not.toBe(name);
          expect(
            layerOf(dep),
            `${file} imports @agent-passport/${dep}, which is not below ${name}`,
          ).toBeLessThan(mine);
          expect(layerOf(dep), `${file} imports unknown @agent-passport/${dep}`).toBeGreaterThanOrEqual(0);
          expect(declared, `${file} imports @agent-passport/${dep}, not declared in dependencies`).toContain(
            dep,
          );
        }
      }
    });
  }
});

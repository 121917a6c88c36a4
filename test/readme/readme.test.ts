// SPDX-License-Identifier: Apache-2.0
// The README's examples are code that runs: the TypeScript quick start is this folder's
// quickstart.ts, byte for byte, and it must verify.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('shows the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });

  it('quotes quickstart.ts verbatim, and it verifies', async () => {
    const code = readFileSync(join(import.meta.dirname, 'quickstart.ts'), 'utf8').replace(
      /\n*export \{ result \};\n$/,
      '\n',
    );
    expect(readme).toContain(code);
    const { result } = await import('./quickstart.js');
    expect(result.errors).toEqual([]);
    expect(result.verified).toBe(true);
  });

  it('documents every error code', async () => {
    const { ALL_ERROR_CODES } = await import('@agent-passport/core');
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    for (const code of ALL_ERROR_CODES) expect(doc, code).toContain(`\`${code}\``);
  });
});

describe('package.json scripts', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  it('npm start and npm run bench run files that exist after the build', () => {
    for (const name of ['start', 'bench']) {
      const script = pkg.scripts[name] ?? '';
      const file = /node (\S+)/.exec(script)?.[1];
      expect(file, `${name}: ${script}`).toBeDefined();
      expect(existsSync(join(import.meta.dirname, '..', '..', file!)), `${name} runs ${file}`).toBe(true);
    }
    expect(pkg.scripts['start']).toContain('demo');
    // Every package typechecked and tested by turbo; the whole repository linted once, by the root
    // biome check (a package's own lint task checks a subset of its files).
    expect(pkg.scripts['test']).toContain('turbo run typecheck test');
    expect(pkg.scripts['test']).toMatch(/&& biome check \.$/);
    expect(pkg.scripts['lint']).toBe('biome check .');
    expect(pkg.scripts['build']).toBe('tsc -b tsconfig.build.json');
  });
});

describe('README revocation example', () => {
  it('quotes revocation.ts verbatim, and the revoked passport is refused offline', async () => {
    const code = readFileSync(join(import.meta.dirname, 'revocation.ts'), 'utf8').replace(
      /\n*export \{ result \};\n$/,
      '\n',
    );
    expect(readme).toContain(code);
    const { result } = await import('./revocation.js');
    expect(result.verified).toBe(false);
    expect(result.errors.map((e: { code: string }) => e.code)).toEqual(['ERR_REVOKED']);
  });
});

describe('server package README example', () => {
  it('quotes server-embed.ts verbatim, and the credential it issues verifies', async () => {
    const serverReadme = readFileSync(
      join(import.meta.dirname, '..', '..', 'packages', 'server', 'README.md'),
      'utf8',
    );
    const code = readFileSync(join(import.meta.dirname, 'server-embed.ts'), 'utf8').replace(
      /\n*export \{ result \};\n$/,
      '\n',
    );
    expect(serverReadme).toContain(code);
    const { result } = await import('./server-embed.js');
    expect(result).toEqual({
      verified: true,
      checks: ['dataModel', 'proof', 'validity', 'credentialStatus'],
      warnings: [],
      errors: [],
    });
  });
});

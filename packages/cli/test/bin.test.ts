// SPDX-License-Identifier: Apache-2.0
// The installable command: package.json "bin" names an executable file with a node shebang, and
// that file, run as a command, answers --version and (bare) prints the help with exit 2.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkgDir = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
};
const bin = join(pkgDir, pkg.bin['agent-passport'] ?? 'missing');

describe('the agent-passport command', () => {
  it('is package.json "bin": an executable file with a node shebang, inside the published files', () => {
    expect(Object.keys(pkg.bin)).toEqual(['agent-passport']);
    accessSync(bin, constants.X_OK);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(pkg.files).toContain(pkg.bin['agent-passport']?.replace(/^\.\//, '').split('/')[0]);
  });

  it('--version prints the package version and exits 0 (run as a command, not through node)', () => {
    for (const flag of ['--version', '-V']) {
      const r = spawnSync(bin, [flag], { encoding: 'utf8' });
      expect([r.status, r.stdout]).toEqual([0, `${pkg.version}\n`]);
    }
  });

  it('bare, it prints the help on stderr and exits 2; --help prints it on stdout and exits 0', () => {
    const bare = spawnSync(bin, [], { encoding: 'utf8' });
    expect(bare.status).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('Usage: agent-passport');
    expect(bare.stderr).toContain('Exit codes:');
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: agent-passport');
    const group = spawnSync(bin, ['bundle'], { encoding: 'utf8' });
    expect(group.status).toBe(2);
    expect(group.stderr).toContain('Usage: agent-passport bundle');
  });
});

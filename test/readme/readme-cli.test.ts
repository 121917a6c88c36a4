// SPDX-License-Identifier: Apache-2.0
// The README's command-line walkthrough, run line by line against the built CLI as a newcomer would
// (in a fresh folder and home), except `serve`, which runs until stopped (the CLI tests cover it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'ap-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shell block under "## The command line", continuation lines joined, comments dropped. */
function walkthrough(): string[] {
  const section = readme.slice(readme.indexOf('## The command line'));
  const block = section.slice(
    section.indexOf('```sh\n') + 6,
    section.indexOf('```', section.indexOf('```sh\n') + 6),
  );
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.length > 0);
}

/** Split a command line into words, honouring single quotes. */
const words = (line: string) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');

describe('README command-line walkthrough', () => {
  const lines = walkthrough();
  it('is found, and uses every verb', () => {
    for (const verb of [
      'org init',
      'agent create',
      'issue',
      'inspect',
      'verify',
      'present',
      'publish',
      'serve',
      'demo',
    ]) {
      expect(
        lines.some((l) => l.startsWith(`agent-passport ${verb}`)),
        verb,
      ).toBe(true);
    }
  });

  // Each command has its own spawn timeout; the walkthrough as a whole gets no wall-clock limit
  // (a loaded 2-core machine runs it several times slower).
  it('runs end to end: every command exits 0', { timeout: 0 }, () => {
    expect(existsSync(bin), 'build the CLI first').toBe(true);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      AGENT_PASSPORT_HOME: join(work, 'home'),
      NO_COLOR: '1',
    };
    for (const line of lines) {
      const [cmd, ...args] = words(line);
      if (cmd === 'export') {
        const [name, value] = (args.join(' ').match(/^([A-Z_]+)=(.*)$/) ?? []).slice(1);
        env[name!] = value!.replace(/^'|'$/g, '');
        continue;
      }
      expect(cmd).toBe('agent-passport');
      if (args[0] === 'serve') continue;
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: work,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    expect(existsSync(join(work, 'site', '.well-known', 'did.json'))).toBe(true);
  });
});

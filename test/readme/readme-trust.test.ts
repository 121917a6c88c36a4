// SPDX-License-Identifier: Apache-2.0
// The README's revocation / rotation / trust-bundle walkthrough, run line by line against the
// built CLI in a fresh folder and home. A line annotated `(exit N)` must exit N, others exit 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'ap-readme-trust-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shell block of the section: [command, expected exit code] per line. */
function walkthrough(): [string, number][] {
  const section = readme.slice(readme.indexOf('## Revocation, key rotation and trust bundles'));
  const start = section.indexOf('```sh\n') + 6;
  return section
    .slice(start, section.indexOf('```', start))
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => [l.replace(/\s+#.*$/, '').trim(), Number(/\(exit (\d+)\)/.exec(l)?.[1] ?? 0)]);
}
const words = (line: string) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');

describe('README revocation, rotation and trust-bundle walkthrough', () => {
  const lines = walkthrough();
  it('shows revoke → rebundle → refused, and rotate → old and new passports verify', () => {
    const commands = lines.map(([l]) => l);
    expect(commands.some((l) => l.startsWith('agent-passport revoke'))).toBe(true);
    expect(commands.some((l) => l.startsWith('agent-passport org rotate'))).toBe(true);
    expect(lines.filter(([, code]) => code === 1)).toHaveLength(1);
  });

  // Each command has its own spawn timeout; the walkthrough as a whole gets no wall-clock limit
  // (a loaded 2-core machine runs it several times slower).
  it('runs end to end with the exit codes it states', { timeout: 0 }, () => {
    expect(existsSync(bin), 'build the CLI first').toBe(true);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      AGENT_PASSPORT_HOME: join(work, 'home'),
      NO_COLOR: '1',
    };
    delete env['AGENT_PASSPORT_BUNDLE_AUTHOR'];
    const outputs: string[] = [];
    for (const [line, code] of lines) {
      const [cmd, ...args] = words(line);
      if (cmd === 'export') {
        const [name, value] = (args.join(' ').match(/^([A-Z_]+)=(.*)$/) ?? []).slice(1);
        env[name!] = value!.replace(/^'|'$/g, '');
        continue;
      }
      expect(cmd).toBe('agent-passport');
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: work,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(code);
      outputs.push(r.stdout);
      if (code === 1) expect(r.stdout).toContain('ERR_REVOKED');
    }
    const fresh = JSON.parse(readFileSync(join(work, 'billing-2.json'), 'utf8'));
    const old = JSON.parse(readFileSync(join(work, 'billing.json'), 'utf8'));
    expect(old.proof.verificationMethod).toBe('did:web:acme.example#key-1');
    expect(fresh.proof.verificationMethod).toBe('did:web:acme.example#key-2');
    expect(outputs.at(-1)).toContain('verified');
  });
});

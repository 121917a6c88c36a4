// SPDX-License-Identifier: Apache-2.0
// The delegation README's command-line walkthrough, run as written in one bash script (with
// `agent-passport` on PATH) in a fresh folder and home, on a free port in place of 8444. A line
// annotated `(exit N)` must exit N (the script stops otherwise); every other line must succeed.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const readme = readFileSync(join(root, 'packages', 'delegation', 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'ap-readme-delegation-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shell block under "## On the command line", each `(exit N)` line made to assert its status. */
function walkthrough(): string {
  const section = readme.slice(readme.indexOf('## On the command line'));
  const start = section.indexOf('```sh\n') + 6;
  return section
    .slice(start, section.indexOf('```', start))
    .split('\n')
    .map((line) => {
      const code = /\(exit (\d+)\)\s*$/.exec(line)?.[1];
      if (code === undefined) return line;
      const command = line.replace(/\s+#.*$/, '');
      return `if ${command}; then echo 'exited 0, not ${code}' >&2; exit 90; else s=$?; [ "$s" -eq ${code} ] || { echo "exited $s, not ${code}" >&2; exit 91; }; fi`;
    })
    .join('\n');
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('delegation README command-line walkthrough', () => {
  // The walkthrough waits for a passport to expire; each command has the script's timeout.
  it('runs: the delegate is accepted, widened / expired / revoked are refused with their codes, the audit names the chain', {
    timeout: 0,
  }, async () => {
    expect(existsSync(bin), 'build the CLI first').toBe(true);
    const script = walkthrough();
    expect(script.match(/exit 91/g)).toHaveLength(3);
    const port = await freePort();
    const binDir = join(work, 'bin');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'agent-passport'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(binDir, 'agent-passport'), 0o755);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script.replaceAll('8444', String(port))], {
      cwd: work,
      encoding: 'utf8',
      timeout: 600_000,
      env: {
        ...process.env,
        PATH: `${binDir}:${process.env['PATH'] ?? ''}`,
        AGENT_PASSPORT_HOME: join(work, 'home'),
        NO_COLOR: '1',
      },
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const did = 'did:key:z6Mk\\w+';
    expect(r.stdout).toMatch(
      new RegExp(
        `^200 \\{"agent":"(${did})","principals":\\["did:web:acme\\.example","${did}","\\1"\\]`,
        'm',
      ),
    );
    expect(r.stderr).toContain('ERR_DELEGATION_SCOPE_WIDENED');
    expect(r.stdout).toMatch(/^✗ 401 ERR_EXPIRED /m);
    expect(r.stdout).toMatch(/^✗ 401 ERR_REVOKED /m);
    expect(r.stdout).toContain('✓ intact 1 entries');
    expect(r.stdout).toMatch(new RegExp(`entry 1 delegated: did:web:acme\\.example → ${did} → ${did}$`, 'm'));
    expect(readFileSync(join(work, 'gate.log'), 'utf8')).toMatch(/^gate for did:web:acme\.example at /);
  });
});

// SPDX-License-Identifier: Apache-2.0
// The README's VC API walkthrough, run as written in one bash script (with `agent-passport` on
// PATH) in a fresh folder and home, on a free port in place of 8443.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'ap-readme-server-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function walkthrough(): string {
  const section = readme.slice(readme.indexOf('## Issuer and verifier service (W3C VC API)'));
  const start = section.indexOf('```sh\n') + 6;
  return section.slice(start, section.indexOf('```', start));
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('README VC API walkthrough', () => {
  // Each command has its own spawn timeout; the walkthrough as a whole gets no wall-clock limit
  // (a loaded 2-core machine runs it several times slower).
  it('runs: issue over HTTPS, verify (true), revoke, verify (ERR_REVOKED)', { timeout: 0 }, async () => {
    const script = walkthrough();
    expect(script).toContain('agent-passport serve --self-signed --port 8443');
    const port = await freePort();
    const binDir = join(work, 'bin');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'agent-passport'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(binDir, 'agent-passport'), 0o755);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script.replaceAll('8443', String(port))], {
      cwd: work,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        PATH: `${binDir}:${process.env['PATH'] ?? ''}`,
        AGENT_PASSPORT_HOME: join(work, 'home'),
        AGENT_PASSPORT_PASSPHRASE: 'a long passphrase for the readme test',
        NO_COLOR: '1',
      },
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const verdicts = r.stdout.split('\n').filter((l) => l.startsWith('{"verified"'));
    expect(verdicts).toHaveLength(2);
    expect(JSON.parse(verdicts[0] as string)).toMatchObject({ verified: true, errors: [] });
    expect(JSON.parse(verdicts[1] as string)).toMatchObject({
      verified: false,
      errors: [{ code: 'ERR_REVOKED', check: 'credentialStatus' }],
    });
    expect(r.stdout).toContain('"statusPurpose":"revocation","status":true');
    expect(readFileSync(join(work, 'serve.log'), 'utf8')).toContain(
      'serving the VC API for did:web:localhost%3A',
    );
  });
});

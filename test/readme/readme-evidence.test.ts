// SPDX-License-Identifier: Apache-2.0
// The README's evidence walkthrough, run as written: each line through bash (with `agent-passport`
// on PATH) in a fresh folder. A line annotated `(exit N)` must exit N, others exit 0.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'ap-readme-evidence-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function walkthrough(): [string, number][] {
  const section = readme.slice(readme.indexOf('## Evidence and offline audit'));
  const start = section.indexOf('```sh\n') + 6;
  return section
    .slice(start, section.indexOf('```', start))
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => [l.replace(/\s+#.*$/, '').trim(), Number(/\(exit (\d+)\)/.exec(l)?.[1] ?? 0)]);
}

describe('README evidence walkthrough', () => {
  // Each command has its own spawn timeout; the walkthrough as a whole gets no wall-clock limit
  // (a loaded 2-core machine runs it several times slower).
  it('runs: three agents call the demo service, the audit names who made call 5, tampering is found', {
    timeout: 0,
  }, () => {
    const lines = walkthrough();
    expect(lines.length).toBe(5);
    const binDir = join(work, 'bin');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'agent-passport'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(binDir, 'agent-passport'), 0o755);
    const env = {
      ...process.env,
      PATH: `${binDir}:${process.env['PATH'] ?? ''}`,
      AGENT_PASSPORT_HOME: join(work, 'home'),
      NO_COLOR: '1',
    };
    const outputs: string[] = [];
    for (const [line, code] of lines) {
      const r = spawnSync('bash', ['-c', line], { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(code);
      outputs.push(r.stdout);
    }
    expect(outputs[1]).toContain('✓ intact 13 entries');
    expect(readFileSync(join(work, 'demo', 'report.html'), 'utf8')).toContain(
      '<title>Agent Passport audit</title>',
    );
    expect(outputs[2]).toMatch(/entry 5 at .*: billing-3 \(did:key:z6Mk.*\) POST .*\/ledger/);
    expect(outputs[4]).toContain('ERR_EVIDENCE_HASH');
  });
});

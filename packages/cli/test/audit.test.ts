// SPDX-License-Identifier: Apache-2.0
// `agent-passport audit` through the built CLI: the demo's log audits clean on several workers,
// presented documents audit without a log, and bad usage has its exit codes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-audit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, '--home', join(work, 'home'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });

describe('agent-passport audit', () => {
  it('audits the demo log on two workers, writes JSON, and answers a time range', () => {
    expect(run('demo', '--calls', '--out', 'demo').status).toBe(0);
    const author = readFileSync(join(work, 'demo', 'bundle-author.txt'), 'utf8').trim();
    const common = ['demo/evidence.jsonl', '--bundle', 'demo/bundle.json', '--bundle-author', author];
    const r = run(
      'audit',
      ...common,
      '--workers',
      '2',
      '--out',
      'report.json',
      '--from',
      '2000-01-01T00:00:00Z',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('audit: 13 entries');
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
    expect(report.totals).toEqual({ accepted: 12, refused: 1, failed: 0, garbage: 0, events: 0 });
    expect(report.matches).toHaveLength(13);

    // Presented documents: the passport in the log audits by itself.
    const entry = JSON.parse(
      readFileSync(join(work, 'demo', 'evidence.jsonl'), 'utf8').split('\n')[0] as string,
    );
    mkdirSync(join(work, 'presented'));
    writeFileSync(join(work, 'presented', 'p.json'), Buffer.from(entry.passport.bytes, 'base64url'));
    const docs = run(
      '--json',
      'audit',
      'presented',
      '--documents',
      '--bundle',
      'demo/bundle.json',
      '--bundle-author',
      author,
    );
    expect(docs.status, docs.stderr).toBe(0);
    expect(JSON.parse(docs.stdout)).toMatchObject({ documents: 1, verified: 1 });

    // An entry the log does not hold is an error, not an empty answer.
    const noEntry = run('--json', 'audit', ...common, '--entry', '99');
    expect(noEntry.status).toBe(3);
    expect(JSON.parse(noEntry.stdout)).toMatchObject({
      error: { code: 'ERR_AUDIT_ENTRY_NOT_FOUND', message: expect.stringContaining('13 entries') },
      exitCode: 3,
    });
    const five = run('--json', 'audit', ...common, '--entry', '5');
    expect(five.status, five.stderr).toBe(0);
    expect(JSON.parse(five.stdout).matches).toEqual([expect.objectContaining({ seq: 5 })]);

    expect(run('audit', 'demo/evidence.jsonl').status).toBe(2);
    expect(run('audit', ...common, '--workers', '-1').status).toBe(2);
    expect(run('audit', ...common, '--entry', '0').status).toBe(2);
    const badDate = run('audit', ...common, '--from', 'yesterday');
    expect(badDate.status).toBe(3);
    expect(badDate.stderr).toContain('ERR_DATE_INVALID');
    const wrongAuthor = run(
      'audit',
      'demo/evidence.jsonl',
      '--bundle',
      'demo/bundle.json',
      '--bundle-author',
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    );
    expect(wrongAuthor.status).toBe(1);
    expect(wrongAuthor.stderr).toContain('ERR_BUNDLE_SIGNATURE');
  });
});

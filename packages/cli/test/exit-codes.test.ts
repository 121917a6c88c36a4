// SPDX-License-Identifier: Apache-2.0
// The README's exit-code table, row by row, against the built command: every case runs with --json
// (exactly one JSON document on stdout, errors included) and asserts its exit code and error code;
// every exit code of the table and every error code it names has a case here.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-exit-'));
const PASS = 'correct horse battery staple';
const OTHER_DID = 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly home?: string;
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
}

const argv = (args: string[], options: Run) => [bin, '--home', join(work, options.home ?? 'home'), ...args];
const envOf = (options: Run) => ({
  ...process.env,
  AGENT_PASSPORT_PASSPHRASE: PASS,
  NO_COLOR: '1',
  ...options.env,
});

function run(args: string[], options: Run = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, argv(args, options), {
    cwd: work,
    encoding: 'utf8',
    env: envOf(options),
    timeout: 60_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `run` without blocking the worker, so that the table's cases (independent runs) overlap. */
function runConcurrently(args: string[], options: Run = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv(args, options), {
      cwd: work,
      env: envOf(options),
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.on('error', () => {}); // a command that exits before reading all its input
    child.stdin.end(options.input);
  });
}

interface Case extends Run {
  readonly name: string;
  readonly args: string[];
  readonly exit: number;
  /** The error code: of the error document, or of the first verification error. */
  readonly code?: string;
  /** Words the message must hold. */
  readonly says?: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'verify: the passport verifies', args: ['verify', 'passport.json'], exit: 0 },
  { name: 'inspect decodes', args: ['inspect', 'passport.json'], exit: 0 },
  { name: 'verify reads stdin', args: ['verify', '-'], exit: 0, input: 'passport.json' },
  {
    name: 'verify: a scope the passport lacks',
    args: ['verify', 'passport.json', '--scope', 'write:billing'],
    exit: 1,
    code: 'ERR_SCOPE_DENIED',
  },
  {
    name: 'verify: an issuer not trusted',
    args: ['verify', 'passport.json', '--trust', OTHER_DID],
    exit: 1,
    code: 'ERR_ISSUER_UNTRUSTED',
  },
  {
    name: 'verify --bundle: a file that is not a bundle',
    args: ['verify', 'passport.json', '--bundle', 'passport.json', '--bundle-author', OTHER_DID],
    exit: 1,
    code: 'ERR_BUNDLE_INVALID',
  },
  {
    name: 'bundle verify: a file that is not a bundle',
    args: ['bundle', 'verify', 'passport.json', '--author', OTHER_DID],
    exit: 1,
    code: 'ERR_BUNDLE_INVALID',
  },
  { name: 'no verb', args: [], exit: 2, code: 'ERR_USAGE', says: ['no verb'] },
  { name: 'an unknown verb', args: ['frobnicate'], exit: 2, code: 'ERR_USAGE', says: ['frobnicate'] },
  { name: 'an unknown option', args: ['agent', 'list', '--bogus'], exit: 2, code: 'ERR_USAGE' },
  { name: 'org init without a DID choice', args: ['org', 'init'], exit: 2, code: 'ERR_USAGE' },
  { name: 'agent create: a bad name', args: ['agent', 'create', 'Bad_Name'], exit: 2, code: 'ERR_USAGE' },
  {
    name: 'issue --max-calls: not a number',
    args: ['issue', '--agent', 'a1', '--purpose', 'p', '--scope', 'read:x', '--max-calls', 'many'],
    exit: 2,
    code: 'ERR_USAGE',
  },
  ...(['revoke', 'suspend', 'reinstate'] as const).map((verb) => ({
    name: `${verb} --agent without --all`,
    args: [verb, '--agent', 'a1'],
    exit: 2,
    code: 'ERR_USAGE',
    says: ['--all'],
  })),
  { name: 'bundle create: nothing to bundle', args: ['bundle', 'create'], exit: 2, code: 'ERR_USAGE' },
  {
    name: 'serve: an operator token too short',
    args: ['serve', '--port', '0'],
    env: { AGENT_PASSPORT_OPERATOR_TOKEN: 'short' },
    exit: 2,
    code: 'ERR_USAGE',
    says: ['AGENT_PASSPORT_OPERATOR_TOKEN', '16'],
  },
  {
    name: 'verify: a missing file',
    args: ['verify', 'missing.json'],
    exit: 3,
    code: 'ERR_FILE_NOT_FOUND',
    says: ['missing.json'],
  },
  {
    name: 'present: a missing passport',
    args: ['present', '--agent', 'a1', '--passport', 'missing.json', '--challenge', 'c'],
    exit: 3,
    code: 'ERR_FILE_NOT_FOUND',
  },
  {
    name: 'audit: a missing log',
    args: ['audit', 'missing.jsonl', '--bundle', 'passport.json', '--bundle-author', OTHER_DID],
    exit: 3,
    code: 'ERR_FILE_NOT_FOUND',
    says: ['missing.jsonl'],
  },
  {
    name: 'serve: a missing folder',
    args: ['serve', 'nope', '--port', '0'],
    exit: 3,
    code: 'ERR_FILE_NOT_FOUND',
  },
  { name: 'inspect: a folder', args: ['inspect', 'folder'], exit: 3, code: 'ERR_FILE_UNREADABLE' },
  {
    name: 'verify: a 200 MB file is refused before it is read',
    args: ['verify', 'huge.json'],
    exit: 3,
    code: 'ERR_PARSE_SIZE',
    says: ['64 KiB'],
  },
  {
    name: 'verify: /dev/zero (no size to stat)',
    args: ['verify', '/dev/zero'],
    exit: 3,
    code: 'ERR_PARSE_SIZE',
  },
  {
    name: 'verify: standard input beyond the limit',
    args: ['verify', '-'],
    input: 'big.json',
    exit: 3,
    code: 'ERR_PARSE_SIZE',
  },
  { name: 'verify: not JSON', args: ['verify', 'garbage.json'], exit: 3, code: 'ERR_PARSE_JSON' },
  {
    name: 'issue: a scope outside the grammar, explained in words',
    args: ['issue', '--agent', 'a1', '--purpose', 'p', '--scope', 'Read:X'],
    exit: 3,
    code: 'ERR_SCOPE_INVALID',
    says: ['action:resource', 'lowercase', 'read:arxiv'],
  },
  {
    name: 'verify --scope: a required scope outside the grammar, explained in words',
    args: ['verify', 'passport.json', '--scope', 'read:*'],
    exit: 3,
    code: 'ERR_SCOPE_INVALID',
    says: ['action:resource', 'no *'],
  },
  {
    name: 'issue --valid-until: a date without a time says the format',
    args: ['issue', '--agent', 'a1', '--purpose', 'p', '--scope', 'read:x', '--valid-until', '2027-01-01'],
    exit: 3,
    code: 'ERR_DATE_INVALID',
    says: ['RFC 3339', '2027-01-01T00:00:00Z'],
  },
  {
    name: 'org show: no organisation',
    args: ['org', 'show'],
    home: 'empty',
    exit: 3,
    code: 'ERR_ORG_MISSING',
  },
  {
    name: 'publish: no organisation',
    args: ['publish', '--out', 'site'],
    home: 'empty',
    exit: 3,
    code: 'ERR_ORG_MISSING',
  },
  {
    name: 'verify: nothing to trust says how to trust an issuer',
    args: ['verify', 'passport.json'],
    home: 'empty',
    exit: 3,
    code: 'ERR_ISSUER_UNTRUSTED',
    says: ['--trust', '--bundle'],
  },
  {
    name: 'org rotate: a did:key organisation',
    args: ['org', 'rotate'],
    exit: 3,
    code: 'ERR_DID_METHOD_UNSUPPORTED',
  },
  {
    name: 'org compromise: no such key',
    args: ['org', 'compromise', 'key-9', '--since', '2026-01-01T00:00:00Z'],
    exit: 3,
    code: 'ERR_VERIFICATION_METHOD_NOT_FOUND',
  },
  {
    name: 'present: a wrong passphrase',
    args: ['present', '--agent', 'a1', '--passport', 'passport.json', '--challenge', 'c'],
    env: { AGENT_PASSPORT_PASSPHRASE: 'not the passphrase' },
    exit: 4,
    code: 'ERR_KEYSTORE_PASSPHRASE',
  },
  {
    name: 'issue: no passphrase at all',
    args: ['issue', '--agent', 'a1', '--purpose', 'p', '--scope', 'read:x'],
    env: { AGENT_PASSPORT_PASSPHRASE: undefined },
    exit: 4,
    code: 'ERR_KEYSTORE_PASSPHRASE_MISSING',
  },
  {
    name: 'bundle author: a weak passphrase',
    args: ['bundle', 'author'],
    home: 'empty',
    env: { AGENT_PASSPORT_PASSPHRASE: 'short' },
    exit: 4,
    code: 'ERR_KEYSTORE_PASSPHRASE_WEAK',
  },
  {
    name: 'bundle create --resolve: a loopback did:web',
    args: ['bundle', 'create', '--resolve', 'did:web:localhost%3A1'],
    exit: 5,
    code: 'ERR_DID_WEB_HOST_FORBIDDEN',
  },
  {
    name: 'publish into a path under a file',
    args: ['publish', '--out', 'passport.json/site'],
    exit: 70,
    code: 'ERR_CLI_INTERNAL',
    says: ['ENOTDIR'],
  },
  {
    name: 'issue --out into a path under a file: the failed write is the one document',
    args: ['issue', '--agent', 'a1', '--purpose', 'p', '--scope', 'read:x', '--out', 'passport.json/p.json'],
    exit: 70,
    code: 'ERR_CLI_INTERNAL',
  },
  {
    name: 'demo --calls into a path under a file',
    args: ['demo', '--calls', '--out', 'passport.json/demo'],
    exit: 70,
    code: 'ERR_CLI_INTERNAL',
  },
];

beforeAll(() => {
  expect(run(['org', 'init', '--did-key']).status).toBe(0);
  expect(run(['agent', 'create', 'a1']).status).toBe(0);
  const issued = run([
    'issue',
    '--agent',
    'a1',
    '--purpose',
    'p',
    '--scope',
    'read:x',
    '--out',
    'passport.json',
  ]);
  expect(issued.status, issued.stderr).toBe(0);
  mkdirSync(join(work, 'folder'));
  writeFileSync(join(work, 'garbage.json'), '{"issuer": ');
  writeFileSync(join(work, 'big.json'), `"${'x'.repeat(70 * 1024)}"`);
  // 200 MB without writing 200 MB: a sparse file of that size.
  writeFileSync(join(work, 'huge.json'), '');
  truncateSync(join(work, 'huge.json'), 200 * 1024 * 1024);
});

/** The code a --json document reports: an error's, or a verification's first error's. */
function codeOf(doc: Record<string, unknown>): string | undefined {
  const error = doc['error'] as { code?: string } | undefined;
  const errors = doc['errors'] as { code?: string }[] | undefined;
  return error?.code ?? errors?.[0]?.code;
}

describe('exit codes (README table)', () => {
  // Each case is its own process and none changes what another sees: they run side by side
  // (vitest's maxConcurrency, 5, at a time).
  it.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const input = c.input === undefined ? undefined : readFileSync(join(work, c.input), 'utf8');
    const r = await runConcurrently(['--json', ...c.args], {
      ...c,
      ...(input === undefined ? {} : { input }),
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(c.exit);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(codeOf(doc)).toBe(c.code);
    if (doc['error'] !== undefined) expect(doc['exitCode']).toBe(c.exit);
    for (const words of c.says ?? []) expect(JSON.stringify(doc)).toContain(words);
  });

  it('covers every exit code of the README table and every error code it names', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The command line'));
    const rows = [...section.matchAll(/^\| `(\d+)` \|(.*)\|$/gm)];
    expect(rows.map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5, 70]);
    for (const [, exit, rest] of rows) {
      expect(CASES.some((c) => c.exit === Number(exit))).toBe(true);
      for (const [code] of (rest as string).matchAll(/ERR_[A-Z_]+/g))
        expect(
          CASES.some((c) => c.exit === Number(exit) && c.code === code),
          `${code} (exit ${exit})`,
        ).toBe(true);
    }
  });

  it('without --json: one line on stderr, nothing on stdout, the code named', () => {
    const missing = run([
      'audit',
      'missing.jsonl',
      '--bundle',
      'passport.json',
      '--bundle-author',
      OTHER_DID,
    ]);
    expect([missing.status, missing.stdout]).toEqual([3, '']);
    expect(missing.stderr).toMatch(/^error ERR_FILE_NOT_FOUND: .*missing\.jsonl does not exist\n$/);
    const internal = run(['publish', '--out', 'passport.json/site']);
    expect(internal.status).toBe(70);
    expect(internal.stderr).toMatch(/^internal error: ENOTDIR/);
    const untrusted = run(['verify', 'passport.json', '--trust', OTHER_DID]);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toContain('trust an issuer with --trust');
  });
});

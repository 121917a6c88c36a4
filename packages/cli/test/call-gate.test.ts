// SPDX-License-Identifier: Apache-2.0
// `agent-passport gate` and `agent-passport call`, run as a user would: a real gate process on a
// loopback port; the planner calls as itself, the researcher as its delegate; the wrong presenter,
// a chain for another service, a missing scope, an untrusted organisation and bad usage are each
// refused with their code and exit status.
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-cli-call-gate-'));
const env = { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple', NO_COLOR: '1' };

function run(args: string[], home = join(work, 'home')): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, '--home', home, ...args], {
    encoding: 'utf8',
    cwd: work,
    env,
    timeout: 60_000,
  });
}
function ok(args: string[], home?: string): string {
  const r = run(args, home);
  expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}
const didOf = (name: string, home?: string) =>
  (JSON.parse(ok(['--json', 'agent', 'list'], home)) as { name: string; did: string }[]).find(
    (a) => a.name === name,
  )?.did as string;

let gate: ChildProcess;
let url = '';
let planner = '';
let researcher = '';

/** `call --json`: exit status, HTTP status, refusal code and answer. */
function call(path: string, args: string[], home?: string) {
  const r = run(['--json', 'call', `${url}${path}`, ...args], home);
  const doc = JSON.parse(r.stdout) as { status: number; code?: string; body: Record<string, unknown> };
  return { exit: r.status, ...doc };
}

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`build the CLI first (npm run build): ${bin} is missing`);
  ok(['org', 'init', '--did-key']);
  ok(['agent', 'create', 'planner']);
  ok(['agent', 'create', 'researcher']);
  planner = didOf('planner');
  researcher = didOf('researcher');
  ok(
    [
      'issue',
      '--agent',
      'planner',
      '--purpose',
      'planning',
      '--scope',
      'read:arxiv',
      '--scope',
      'write:notes',
    ].concat(['--valid-for', '1h', '--delegation-depth', '1', '--out', 'passport.json']),
  );
  gate = spawn(
    process.execPath,
    [bin, '--home', join(work, 'home'), '--json', 'gate', '--port', '0', '--scope', 'read:arxiv'],
    { cwd: work, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  url = await new Promise<string>((resolve, reject) => {
    gate.stdout?.on('data', (d) => {
      stdout += d;
      if (stdout.endsWith('}\n')) resolve((JSON.parse(stdout) as { url: string }).url);
    });
    gate.on('exit', (code) => reject(new Error(`gate exited ${code}`)));
  });
  for (const [audience, out] of [
    [url, 'delegation.json'],
    ['https://other.example', 'elsewhere.json'],
  ] as const)
    ok(
      [
        'delegate',
        '--from',
        'planner',
        '--to',
        researcher,
        '--parent',
        'passport.json',
        '--scope',
        'read:arxiv',
      ].concat(['--valid-for', '10m', '--audience', audience, '--out', out]),
    );
}, 180_000);
afterAll(() => {
  gate?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('agent-passport gate and call', () => {
  it('accepts the planner as itself and the researcher as its delegate, naming who acted on whose authority', () => {
    const own = call('/papers', ['--agent', 'planner', '--passport', 'passport.json']);
    expect(own).toMatchObject({ exit: 0, status: 200, body: { agent: planner, path: '/papers' } });
    const org = (own.body['principals'] as string[])[0];
    expect(own.body['principals']).toEqual([org, planner]);
    const delegated = call('/papers?q=agents', [
      '--agent',
      'researcher',
      '--passport',
      'passport.json',
      '--delegation',
      'delegation.json',
    ]);
    expect(delegated).toMatchObject({ exit: 0, status: 200, body: { agent: researcher } });
    expect(delegated.body['principals']).toEqual([org, planner, researcher]);
  });

  it('sends a body when asked (POST, its digest signed)', () => {
    const r = call('/notes', [
      '--agent',
      'planner',
      '--passport',
      'passport.json',
      '--method',
      'post',
      '--data',
      'passport.json',
    ]);
    expect(r).toMatchObject({ exit: 0, status: 200, body: { method: 'POST', path: '/notes' } });
  });

  it('prints a redirect and does not follow it: the passport and chain go only to the service called', async () => {
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok));
    const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const redirecting = createServer((_req, res) => {
      res.writeHead(302, { location: `${target}/stolen`, 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((ok) => redirecting.listen(0, '127.0.0.1', ok));
    const from = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/papers`;
    // Run asynchronously: both servers live in this process.
    const r = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          bin,
          '--home',
          join(work, 'home'),
          '--json',
          'call',
          from,
          '--agent',
          'planner',
          '--passport',
          'passport.json',
        ],
        { cwd: work, env },
      );
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (status) => resolve({ status, stdout }));
    });
    redirecting.close();
    other.close();
    expect([r.status, (JSON.parse(r.stdout) as { status: number }).status]).toEqual([0, 302]);
    expect(elsewhere).toEqual([]);
  });

  it('refuses a chain presented by another agent than its subject (ERR_HOLDER_MISMATCH, exit 1)', () => {
    const r = call('/papers', [
      '--agent',
      'planner',
      '--passport',
      'passport.json',
      '--delegation',
      'delegation.json',
    ]);
    expect(r).toMatchObject({ exit: 1, status: 401, code: 'ERR_HOLDER_MISMATCH' });
  });

  it('refuses a chain made for another service (ERR_DELEGATION_AUDIENCE)', () => {
    const r = call('/papers', [
      '--agent',
      'researcher',
      '--passport',
      'passport.json',
      '--delegation',
      'elsewhere.json',
    ]);
    expect(r).toMatchObject({ exit: 1, status: 401, code: 'ERR_DELEGATION_AUDIENCE' });
  });

  it('refuses an agent without the scope the gate requires (ERR_SCOPE_DENIED)', () => {
    ok([
      'issue',
      '--agent',
      'planner',
      '--purpose',
      'notes',
      '--scope',
      'write:notes',
      '--out',
      'notes.json',
    ]);
    const r = call('/papers', ['--agent', 'planner', '--passport', 'notes.json']);
    expect(r).toMatchObject({ exit: 1, status: 403, code: 'ERR_SCOPE_DENIED' });
  });

  it("refuses another organisation's passport (ERR_ISSUER_UNTRUSTED)", () => {
    const other = join(work, 'other');
    ok(['org', 'init', '--did-key'], other);
    ok(['agent', 'create', 'stranger'], other);
    ok(
      ['issue', '--agent', 'stranger', '--purpose', 'p', '--scope', 'read:arxiv', '--out', 'stranger.json'],
      other,
    );
    const r = call('/papers', ['--agent', 'stranger', '--passport', 'stranger.json'], other);
    expect(r).toMatchObject({ exit: 1, status: 401, code: 'ERR_ISSUER_UNTRUSTED' });
  });

  it('refuses bad usage before any work (exit 2), and a gate with no organisation to trust (exit 3)', () => {
    expect(run(['call', 'ftp://x', '--agent', 'planner', '--passport', 'passport.json']).status).toBe(2);
    const get = run([
      'call',
      `${url}/x`,
      '--agent',
      'planner',
      '--passport',
      'passport.json',
      '--data',
      'passport.json',
    ]);
    expect([get.status, get.stderr]).toEqual([
      2,
      expect.stringContaining('--data needs a method with a body'),
    ]);
    const wildcard = run(['gate', '--port', '0', '--scope', 'read:*']);
    expect([wildcard.status, wildcard.stderr]).toEqual([3, expect.stringContaining('ERR_SCOPE_INVALID')]);
    const empty = run(['gate', '--port', '0', '--scope', 'read:arxiv'], join(work, 'empty'));
    expect([empty.status, empty.stderr]).toEqual([3, expect.stringContaining('ERR_ISSUER_UNTRUSTED')]);
  });

  it('delegate --valid-until: a date past the parent is refused, never clamped (ERR_DELEGATION_WINDOW)', () => {
    const base = [
      'delegate',
      '--from',
      'planner',
      '--to',
      researcher,
      '--parent',
      'passport.json',
      '--scope',
      'read:arxiv',
    ];
    const past = run([...base, '--valid-until', '2099-01-01T00:00:00Z']);
    expect([past.status, past.stderr]).toEqual([3, expect.stringContaining('ERR_DELEGATION_WINDOW')]);
    const bad = run([...base, '--valid-until', 'tomorrow']);
    expect([bad.status, bad.stderr]).toEqual([3, expect.stringContaining('ERR_DATE_INVALID')]);
    const soon = new Date(Date.now() + 5 * 60_000).toISOString();
    expect(run([...base, '--valid-until', soon, '--out', 'soon.json']).status).toBe(0);
  });
});

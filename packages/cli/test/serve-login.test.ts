// SPDX-License-Identifier: Apache-2.0
// `agent-passport serve --login`: the VC API service runs the headless login workflow as this
// organisation (its did:web signs the answers). Through the built CLI on 127.0.0.1: an agent of the
// home logs in with `agent-passport login` against the organisation's document and calls the
// session route; the VC API routes still answer beside it; without --login there is no workflow.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-serve-login-'));
const home = join(work, 'home');
const env = {
  ...process.env,
  AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple',
  AGENT_PASSPORT_OPERATOR_TOKEN: 'operator-token-0123456789',
  NO_COLOR: '1',
};
const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, '--home', home, ...args], { encoding: 'utf8', env, cwd: work });
/** The CLI, asynchronously: the test goes on while it runs. */
const cliAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [bin, '--home', home, ...args], { env, cwd: work });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });

const children: ChildProcess[] = [];
/** `serve` (a free port unless `args` name one); resolves with what it printed (--json) once it listens. */
function serve(args: string[], where = { home, work }): Promise<Record<string, unknown>> {
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [bin, '--home', where.home, '--json', 'serve', ...port, ...args], {
    cwd: where.work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((ok, fail) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      try {
        ok(JSON.parse(buf) as Record<string, unknown>);
      } catch {
        // Not the whole JSON value yet.
      }
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('exit', (code) => fail(new Error(`serve exited ${code}: ${buf}${err}`)));
  });
}

beforeAll(() => {
  const org = cli(['--json', 'org', 'init', '--did', 'did:web:acme.example']);
  expect(org.status, org.stderr).toBe(0);
  const { didDocument } = JSON.parse(org.stdout) as { didDocument: object };
  writeFileSync(join(work, 'acme-did.json'), JSON.stringify(didDocument));
  expect(cli(['agent', 'create', 'buyer-1']).status).toBe(0);
  const issued = cli([
    'issue',
    '--agent',
    'buyer-1',
    '--purpose',
    'shopping',
    '--scope',
    'read:catalog',
    '--valid-for',
    '1d',
    '--out',
    'passport.json',
  ]);
  expect(issued.status, issued.stderr).toBe(0);
}, 120_000);
const readmeWork = mkdtempSync(join(tmpdir(), 'ap-serve-login-readme-'));
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  rmSync(readmeWork, { recursive: true, force: true });
});

/** The shell block of packages/login/README.md § From the command line, continuation lines joined. */
function readmeLines(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'login', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## From the command line'));
  const from = section.indexOf('```sh\n') + 6;
  return section
    .slice(from, section.indexOf('```', from))
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

describe('agent-passport serve --login', () => {
  it('an agent logs in to the organisation and calls the session route; the VC API still answers', async () => {
    const info = await serve(['--login']);
    const url = info['url'] as string;
    expect(info['login']).toBe(`${url}/workflows/agent-login`);
    const r = await cliAsync([
      '--json',
      'login',
      `${url}/workflows/agent-login`,
      '--agent',
      'buyer-1',
      '--passport',
      'passport.json',
      '--site-document',
      'acme-did.json',
      '--get',
      '/workflows/agent-login/session',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      site: string;
      session: { id: string; agent: string };
      call: { status: number; body: { agent: string; session: string } };
    };
    expect(out.site).toBe('did:web:acme.example');
    expect(out.call.status).toBe(200);
    expect(out.call.body).toMatchObject({ agent: out.session.agent, session: out.session.id });
    // The session route takes signed session calls only; the VC API routes are untouched.
    const bare = await fetch(`${url}/workflows/agent-login/session`);
    expect(bare.status).toBe(401);
    const verify = await fetch(`${url}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: { type: ['VerifiableCredential'] } }),
    });
    expect(verify.status).toBe(400);
  }, 120_000);

  it('a sub-agent logs in with the delegation its agent made (login --delegation)', async () => {
    const info = await serve(['--login']);
    const url = info['url'] as string;
    const sub = cli(['--json', 'agent', 'create', 'sub-1']);
    expect(sub.status, sub.stderr).toBe(0);
    const subDid = (JSON.parse(sub.stdout) as { did: string }).did;
    const steps = [
      ['issue', '--agent', 'buyer-1', '--purpose', 'shopping', '--scope', 'read:catalog'],
      ['--valid-for', '1d', '--delegation-depth', '1', '--out', 'delegable.json'],
    ];
    expect(cli(steps.flat()).status).toBe(0);
    const delegated = cli([
      'delegate',
      '--from',
      'buyer-1',
      '--to',
      subDid,
      '--parent',
      'delegable.json',
      '--scope',
      'read:catalog',
      '--audience',
      url,
      '--out',
      'sub-1.json',
    ]);
    expect(delegated.status, delegated.stderr).toBe(0);
    const r = await cliAsync([
      '--json',
      'login',
      `${url}/workflows/agent-login`,
      '--agent',
      'sub-1',
      '--passport',
      'delegable.json',
      '--delegation',
      'sub-1.json',
      '--site-document',
      'acme-did.json',
      '--get',
      '/workflows/agent-login/session',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      session: { agent: string; principals: string[] };
      call: { status: number; body: { principals: string[] } };
    };
    expect(out.session.agent).toBe(subDid);
    expect(out.session.principals).toHaveLength(3);
    expect(out.call.status).toBe(200);
    expect(out.call.body.principals).toEqual(out.session.principals);
  }, 120_000);

  it('without --login there is no login workflow (404)', async () => {
    const info = await serve([]);
    const r = await fetch(`${info['url'] as string}/workflows/agent-login/exchanges`, { method: 'POST' });
    expect(r.status).toBe(404);
    expect(info['login']).toBeUndefined();
  });
});

describe('packages/login/README.md § From the command line', () => {
  it('runs as quoted in a fresh folder and home (8443 replaced by a free port)', async () => {
    const lines = readmeLines();
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['org', 'agent', 'issue', 'publish', 'serve', 'login']);
    const port = String(await freePort());
    const where = { home: join(readmeWork, 'home'), work: readmeWork };
    let last = { status: null as number | null, stdout: '', stderr: '' };
    for (const line of lines) {
      const args = line.replace(/ &$/, '').replaceAll('8443', port).split(/\s+/).slice(1);
      if (args[0] === 'serve') {
        await serve(args.slice(1), where);
        continue;
      }
      last = spawnSync(process.execPath, [bin, '--home', where.home, ...args], {
        encoding: 'utf8',
        env,
        cwd: readmeWork,
      });
      expect(last.status, `${line}\n${last.stderr}`).toBe(0);
    }
    expect(last.stdout).toContain('✓ did:web:acme.example proved itself');
    expect(last.stdout).toMatch(/^200 \{"agent":"did:key:z6Mk\w+","session":"[\w-]+"/m);
  }, 180_000);
});

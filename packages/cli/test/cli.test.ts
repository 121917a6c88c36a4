// SPDX-License-Identifier: Apache-2.0
// The built CLI, run as a user would: a subprocess, a fresh home folder, the passphrase from the
// environment. Each failure asserts its exit code and its error code.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-cli-'));
const home = join(work, 'home');
const PASS = 'correct horse battery staple';

function run(
  args: string[],
  env: Record<string, string | undefined> = {},
): SpawnSyncReturns<string> & { json: () => unknown } {
  const r = spawnSync(process.execPath, [bin, '--home', home, ...args], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: PASS, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return Object.assign(r, { json: () => JSON.parse(r.stdout) as unknown });
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`build the CLI first (npm run build): ${bin} is missing`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('agent-passport CLI', () => {
  it('--help lists the verbs with examples and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const verb of [
      'org',
      'agent',
      'issue',
      'present',
      'verify',
      'inspect',
      'publish',
      'serve',
      'demo',
    ]) {
      expect(r.stdout).toContain(verb);
    }
    expect(r.stdout).toContain('Examples:');
    expect(run(['issue', '--help']).stdout).toContain('$ agent-passport issue --agent');
  });

  it('an unknown verb or a missing option exits 2 (usage)', () => {
    expect(run(['frobnicate']).status).toBe(2);
    expect(run(['issue', '--agent', 'x']).status).toBe(2);
  });

  it('issue before org init exits 3 with ERR_ORG_MISSING', () => {
    const r = run([
      'issue',
      '--subject',
      'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
      '--purpose',
      'p',
      '--scope',
      'read:x',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('ERR_ORG_MISSING');
  });

  it('org init creates a did:web organisation and refuses a second one (ERR_ORG_EXISTS)', () => {
    const r = run(['--json', 'org', 'init', '--did', 'did:web:acme.example']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      did: 'did:web:acme.example',
      verificationMethod: 'did:web:acme.example#key-1',
    });
    const again = run(['org', 'init', '--did', 'did:web:acme.example']);
    expect(again.status).toBe(3);
    expect(again.stderr).toContain('ERR_ORG_EXISTS');
  });

  it('org init refuses a did:web that does not map to a URL (ERR_DID_WEB_INVALID)', () => {
    const r = spawnSync(
      process.execPath,
      [bin, '--home', join(work, 'other'), 'org', 'init', '--did', 'did:web:evil.example%2F@x'],
      {
        encoding: 'utf8',
        env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: PASS },
      },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('ERR_DID_WEB_INVALID');
  });

  let agentDid = '';
  it('agent create makes a did:key agent, listed by agent list', () => {
    const r = run(['--json', 'agent', 'create', 'research-12']);
    expect(r.status, r.stderr).toBe(0);
    agentDid = (r.json() as { did: string }).did;
    expect(agentDid).toMatch(/^did:key:z6Mk/);
    expect(run(['--json', 'agent', 'list']).json()).toEqual([
      expect.objectContaining({ name: 'research-12', did: agentDid }),
    ]);
  });

  it('issue writes a passport; inspect decodes it; verify accepts it and prints ✓ per check', () => {
    const r = run([
      'issue',
      '--agent',
      'research-12',
      '--purpose',
      'literature-review',
      '--scope',
      'read:arxiv',
      '--scope',
      'write:notes/*',
      '--max-calls',
      '100',
      '--out',
      'passport.json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const passport = JSON.parse(readFileSync(join(work, 'passport.json'), 'utf8')) as {
      credentialSubject: { id: string };
    };
    expect(passport.credentialSubject.id).toBe(agentDid);
    const i = run(['--json', 'inspect', 'passport.json']);
    expect(i.json()).toMatchObject({
      kind: 'credential',
      issuer: 'did:web:acme.example',
      scopes: ['read:arxiv', 'write:notes/*'],
    });
    const v = run(['verify', 'passport.json', '--scope', 'read:arxiv']);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('✓ verified');
    expect(v.stdout).toContain('✓ issuer-proof');
  });

  it('verify refuses a scope the passport lacks: exit 1, ✗ and ERR_SCOPE_DENIED', () => {
    const v = run(['verify', 'passport.json', '--scope', 'write:billing']);
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('✗ purpose-scopes');
    expect(v.stdout).toContain('ERR_SCOPE_DENIED');
    const j = run(['--json', 'verify', 'passport.json', '--scope', 'write:billing']);
    expect(j.json()).toMatchObject({ verified: false, errors: [{ code: 'ERR_SCOPE_DENIED' }] });
  });

  it('verify refuses an edited passport with ERR_PROOF_INVALID', () => {
    const p = JSON.parse(readFileSync(join(work, 'passport.json'), 'utf8')) as {
      credentialSubject: { scopes: string[] };
    };
    p.credentialSubject.scopes.push('admin:*');
    writeFileSync(join(work, 'edited.json'), JSON.stringify(p));
    const v = run(['verify', 'edited.json']);
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('ERR_PROOF_INVALID');
  });

  it('verify of a file that is not JSON exits 3 with ERR_PARSE_JSON', () => {
    writeFileSync(join(work, 'garbage.json'), '{"issuer": ');
    const v = run(['verify', 'garbage.json']);
    expect(v.status).toBe(3);
    expect(v.stderr).toContain('ERR_PARSE_JSON');
  });

  it('present signs for a challenge; verify checks challenge and domain exactly', () => {
    const p = run([
      'present',
      '--agent',
      'research-12',
      '--passport',
      'passport.json',
      '--challenge',
      'c-9',
      '--domain',
      'api.example',
      '--out',
      'vp.json',
    ]);
    expect(p.status, p.stderr).toBe(0);
    expect(run(['verify', 'vp.json', '--challenge', 'c-9', '--domain', 'api.example']).status).toBe(0);
    const wrong = run(['verify', 'vp.json', '--challenge', 'c-10', '--domain', 'api.example']);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('ERR_CHALLENGE_MISMATCH');
    expect(run(['verify', 'vp.json']).status).toBe(2);
  });

  it('a wrong passphrase exits 4 with ERR_KEYSTORE_PASSPHRASE; none at all with ERR_KEYSTORE_PASSPHRASE_MISSING', () => {
    const wrong = run(
      ['present', '--agent', 'research-12', '--passport', 'passport.json', '--challenge', 'c'],
      {
        AGENT_PASSPORT_PASSPHRASE: 'not the passphrase',
      },
    );
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toContain('ERR_KEYSTORE_PASSPHRASE');
    const none = run(
      ['present', '--agent', 'research-12', '--passport', 'passport.json', '--challenge', 'c'],
      {
        AGENT_PASSPORT_PASSPHRASE: undefined,
      },
    );
    expect(none.status).toBe(4);
    expect(none.stderr).toContain('ERR_KEYSTORE_PASSPHRASE_MISSING');
  });

  it('publish writes the issuer folder; serve serves it over HTTP', async () => {
    const r = run(['--json', 'publish', '--out', 'site']);
    expect(r.status, r.stderr).toBe(0);
    for (const f of [
      '.well-known/did.json',
      '.well-known/agent-passport-schema.json',
      'contexts/agent-passport/v1.jsonld',
    ]) {
      expect(existsSync(join(work, 'site', f)), f).toBe(true);
    }
    const child = spawn(process.execPath, [bin, '--json', 'serve', join(work, 'site'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const m = /"url": "([^"]+)"/.exec(buf);
          if (m) ok(m[1]!);
        });
        child.once('exit', () => fail(new Error(`serve exited: ${buf}`)));
      });
      const res = await fetch(`${url}/.well-known/did.json`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: string }).id).toBe('did:web:acme.example');
      expect((await fetch(`${url}/../org.json`)).status).toBe(404);
      expect((await fetch(`${url}/.well-known/`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('demo (npm start) runs the whole story: one agent accepted, one refused for scope, nothing left running', () => {
    const r = spawnSync(process.execPath, [bin, 'demo'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 100_000, // it ends by itself (status 0, not killed); generous for a loaded machine
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('✓ accepted research-agent-12');
    expect(r.stdout).toMatch(/✗ refused\s+billing-agent-3: ERR_SCOPE_DENIED/);
  });
});

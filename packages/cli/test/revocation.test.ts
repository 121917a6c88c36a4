// SPDX-License-Identifier: Apache-2.0
// Revocation, key rotation and trust bundles through the built CLI, as a user runs them: an issuer
// served over HTTPS on loopback, a verifier that works from a signed bundle with no network at all.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, serveFolder } from '../src/serve.js';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const noNetwork = join(import.meta.dirname, 'no-network.mjs');
const work = mkdtempSync(join(tmpdir(), 'ap-revoke-'));
const site = join(work, 'site');
const PASS = 'correct horse battery staple';
let server: RunningServer;
let did: string;

function run(
  args: string[],
  options: { home?: string; offline?: boolean; env?: Record<string, string> } = {},
): SpawnSyncReturns<string> & { json: () => Record<string, unknown> } {
  const node = [...(options.offline ? ['--import', noNetwork] : []), bin];
  const argv = ['--home', join(work, options.home ?? 'issuer'), ...args];
  // Offline runs also go into a network namespace of their own (no interfaces) when the kernel lets us.
  const isolated = options.offline && spawnSync('unshare', ['-rn', 'true']).status === 0;
  const r = spawnSync(
    isolated ? 'unshare' : process.execPath,
    isolated ? ['-rn', process.execPath, ...node, ...argv] : [...node, ...argv],
    {
      encoding: 'utf8',
      cwd: work,
      env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: PASS, NO_COLOR: '1', ...options.env },
      timeout: 60_000,
    },
  );
  return Object.assign(r, { json: () => JSON.parse(r.stdout) as Record<string, unknown> });
}
/** For runs that talk to this process's server: spawnSync would block the server's event loop. */
function runAsync(
  args: string[],
  home: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, '--home', join(work, home), ...args], {
      cwd: work,
      env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: PASS, NO_COLOR: '1' },
    });
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
}
const ok = (r: { status: number | null; stdout: string; stderr: string }) =>
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`build the CLI first (npm run build): ${bin} is missing`);
  server = await serveFolder(site, { selfSigned: true, port: 0 });
  writeFileSync(join(work, 'ca.pem'), server.cert as string);
  did = `did:web:localhost%3A${server.port}`;
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const passports: Record<string, string> = {};
let author = '';

describe('revocation from the command line', () => {
  it('org init gives a did:web organisation a status base beside its DID document', () => {
    const r = run(['--json', 'org', 'init', '--did', did]);
    ok(r);
    ok(run(['agent', 'create', 'research-12']));
    ok(run(['agent', 'create', 'billing-3']));
    const show = run(['--json', 'org', 'show']).json();
    expect(show['statusBase']).toBe(`https://localhost:${server.port}/status`);
  });

  it('issue gives each passport a revocation and a suspension entry; verify checks them', () => {
    for (const agent of ['research-12', 'billing-3']) {
      const file = `${agent}.json`;
      ok(run(['issue', '--agent', agent, '--purpose', 'p', '--scope', 'read:arxiv', '--out', file]));
      passports[agent] = file;
    }
    const passport = JSON.parse(readFileSync(join(work, passports['research-12'] as string), 'utf8'));
    expect(passport.credentialStatus.map((e: { statusPurpose: string }) => e.statusPurpose)).toEqual([
      'revocation',
      'suspension',
    ]);
    const v = run(['--json', 'verify', 'research-12.json']);
    ok(v);
    expect((v.json()['checks'] as { name: string; ok: boolean }[]).find((c) => c.name === 'status')?.ok).toBe(
      true,
    );
  });

  it('revoke --agent needs --all to confirm; then verify refuses with ERR_REVOKED (exit 1); the other agent still passes', () => {
    const unconfirmed = run(['--json', 'revoke', '--agent', 'research-12']);
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.json()).toMatchObject({ error: { code: 'ERR_USAGE' }, exitCode: 2 });
    expect((unconfirmed.json()['error'] as { message: string }).message).toContain('--all');
    ok(run(['verify', 'research-12.json']));
    const r = run(['--json', 'revoke', '--agent', 'research-12', '--all']);
    ok(r);
    expect((r.json()['passports'] as unknown[]).length).toBe(1);
    const v = run(['verify', 'research-12.json']);
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('ERR_REVOKED');
    ok(run(['verify', 'billing-3.json']));
  });

  it('suspend by passport id, then reinstate; a revocation cannot be reinstated', () => {
    const id = JSON.parse(readFileSync(join(work, 'billing-3.json'), 'utf8')).id as string;
    ok(run(['suspend', id]));
    const v = run(['verify', 'billing-3.json']);
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('ERR_SUSPENDED');
    ok(run(['reinstate', id]));
    ok(run(['verify', 'billing-3.json']));
    const again = run(['reinstate', '--agent', 'research-12', '--all']);
    expect(again.status).toBe(3);
    expect(again.stderr).toContain('ERR_REVOKED');
  });

  it('refuses unknown passports (ERR_PASSPORT_NOT_FOUND) and ambiguous selections (usage)', () => {
    const r = run(['revoke', 'urn:uuid:00000000-0000-4000-8000-000000000000']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('ERR_PASSPORT_NOT_FOUND');
    expect(run(['revoke']).status).toBe(2);
    expect(run(['revoke', 'x', '--agent', 'research-12']).status).toBe(2);
    expect(run(['revoke', 'x', '--all']).status).toBe(2);
  });

  it('publish writes signed status lists and the status index beside the DID document', () => {
    const r = run(['--json', 'publish', '--out', site]);
    ok(r);
    expect(r.json()['files']).toEqual(
      expect.arrayContaining([
        '.well-known/did.json',
        '.well-known/agent-passport-schema.json',
        '.well-known/agent-passport-status.json',
        'status/revocation/1',
        'status/suspension/1',
      ]),
    );
    const list = JSON.parse(readFileSync(join(site, 'status/revocation/1'), 'utf8'));
    expect(list.type).toContain('BitstringStatusListCredential');
    expect(list.proof.verificationMethod).toBe(`${did}#key-1`);
  });
});

describe('trust bundles from the command line', () => {
  it('bundle author, bundle create --from, bundle verify', () => {
    const a = run(['--json', 'bundle', 'author'], { home: 'operator' });
    ok(a);
    author = a.json()['did'] as string;
    expect(author).toMatch(/^did:key:z6Mk/);
    // Idempotent: the same key the second time.
    expect(run(['--json', 'bundle', 'author'], { home: 'operator' }).json()['did']).toBe(author);
    ok(run(['bundle', 'create', '--from', site, '--out', 'bundle.json'], { home: 'operator' }));
    const v = run(['--json', 'bundle', 'verify', 'bundle.json', '--author', author], { home: 'operator' });
    ok(v);
    expect(v.json()['issuers']).toEqual([{ id: did, statusLists: 2 }]);
  });

  it('bundle create --resolve fetches the issuer over HTTPS with the hardened resolver', async () => {
    const r = await runAsync(
      [
        'bundle',
        'create',
        '--resolve',
        did,
        '--allow-host',
        'localhost',
        '--ca',
        join(work, 'ca.pem'),
        '--out',
        'bundle-web.json',
      ],
      'operator',
    );
    ok(r);
    const fromWeb = JSON.parse(readFileSync(join(work, 'bundle-web.json'), 'utf8'));
    const fromFolder = JSON.parse(readFileSync(join(work, 'bundle.json'), 'utf8'));
    expect(fromWeb.credentialSubject).toEqual(fromFolder.credentialSubject);
    // Without the test-only allowances the hardened resolver refuses loopback.
    const refused = run(['bundle', 'create', '--resolve', did, '--out', 'x.json'], { home: 'operator' });
    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain('ERR_DID_WEB_HOST_FORBIDDEN');
  });

  it('with a bundle, verification needs no network at all (no sockets, no DNS, no interfaces)', () => {
    const good = run(['verify', 'billing-3.json', '--bundle', 'bundle.json', '--bundle-author', author], {
      home: 'verifier',
      offline: true,
    });
    ok(good);
    const revoked = run(
      ['--json', 'verify', 'research-12.json', '--bundle', 'bundle.json', '--bundle-author', author],
      {
        home: 'verifier',
        offline: true,
      },
    );
    expect(revoked.status).toBe(1);
    expect(revoked.json()['errors']).toEqual([expect.objectContaining({ code: 'ERR_REVOKED' })]);
    // The guard is real: any attempt to open a connection fails the run.
    for (const attempt of [
      "await fetch('https://example.com')",
      "require('node:https').get('https://example.com')",
    ]) {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          noNetwork,
          '-e',
          attempt.startsWith('await') ? `(async () => { ${attempt} })()` : attempt,
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('network access attempted');
    }
  });

  it('refuses a tampered bundle, a bundle by an author not pinned, and incomplete options', () => {
    const bundle = JSON.parse(readFileSync(join(work, 'bundle.json'), 'utf8'));
    bundle.credentialSubject.trustedIssuers[0].statusLists = [];
    writeFileSync(join(work, 'tampered.json'), JSON.stringify(bundle));
    const tampered = run(['bundle', 'verify', 'tampered.json', '--author', author], { home: 'operator' });
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('ERR_BUNDLE_SIGNATURE');
    const other = 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';
    const wrong = run(['verify', 'billing-3.json', '--bundle', 'bundle.json', '--bundle-author', other], {
      home: 'verifier',
    });
    // A bundle that does not verify is a refusal (exit 1) wherever it is read.
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('ERR_BUNDLE_SIGNATURE');
    expect(run(['verify', 'billing-3.json', '--bundle', 'bundle.json'], { home: 'verifier' }).status).toBe(2);
    expect(
      run(
        ['verify', 'billing-3.json', '--bundle', 'bundle.json', '--bundle-author', author, '--trust', did],
        {
          home: 'verifier',
        },
      ).status,
    ).toBe(2);
    expect(run(['bundle', 'verify', 'bundle.json'], { home: 'verifier' }).status).toBe(2);
    // The operator's own home pins its own bundle author by default.
    ok(run(['bundle', 'verify', 'bundle.json'], { home: 'operator' }));
    expect(run(['bundle', 'create', '--out', 'x.json'], { home: 'operator' }).status).toBe(2);
  });
});

describe('key rotation from the command line', () => {
  it('rotate: old passports still verify, new ones use the new key', () => {
    const r = run(['--json', 'org', 'rotate']);
    ok(r);
    expect(r.json()).toMatchObject({ verificationMethod: `${did}#key-2`, retired: `${did}#key-1` });
    ok(
      run(['issue', '--agent', 'billing-3', '--purpose', 'p', '--scope', 'read:arxiv', '--out', 'new.json']),
    );
    const fresh = JSON.parse(readFileSync(join(work, 'new.json'), 'utf8'));
    expect(fresh.proof.verificationMethod).toBe(`${did}#key-2`);
    ok(run(['publish', '--out', site]));
    ok(run(['bundle', 'create', '--from', site, '--out', 'bundle2.json'], { home: 'operator' }));
    for (const file of ['billing-3.json', 'new.json'])
      ok(run(['verify', file, '--bundle', 'bundle2.json', '--bundle-author', author], { home: 'verifier' }));
    const doc = JSON.parse(readFileSync(join(site, '.well-known/did.json'), 'utf8'));
    expect(
      doc.verificationMethod.map((m: { id: string; retired?: string }) => [m.id, m.retired !== undefined]),
    ).toEqual([
      [`${did}#key-2`, false],
      [`${did}#key-1`, true],
    ]);
  });

  it('compromise: proofs the key made since then are refused with ERR_KEY_COMPROMISED', () => {
    expect(run(['org', 'compromise', 'key-2', '--since', '2026-01-01T00:00:00Z']).status).toBe(2);
    const unknown = run(['org', 'compromise', 'key-9', '--since', '2026-01-01T00:00:00Z']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain('ERR_VERIFICATION_METHOD_NOT_FOUND');
    const badDate = run(['org', 'compromise', 'key-1', '--since', 'yesterday']);
    expect(badDate.status).toBe(3);
    expect(badDate.stderr).toContain('ERR_DATE_INVALID');
    // Compromised well before billing-3's passport was signed: that passport is now refused.
    ok(run(['org', 'compromise', 'key-1', '--since', '2020-01-01T00:00:00Z']));
    ok(run(['publish', '--out', site]));
    ok(run(['bundle', 'create', '--from', site, '--out', 'bundle3.json'], { home: 'operator' }));
    const v = run(
      ['--json', 'verify', 'billing-3.json', '--bundle', 'bundle3.json', '--bundle-author', author],
      {
        home: 'verifier',
      },
    );
    expect(v.status).toBe(1);
    expect(v.json()['errors']).toEqual([expect.objectContaining({ code: 'ERR_KEY_COMPROMISED' })]);
    ok(
      run(['verify', 'new.json', '--bundle', 'bundle3.json', '--bundle-author', author], {
        home: 'verifier',
      }),
    );
  });

  it('a did:key organisation cannot rotate, and without a status base cannot revoke', () => {
    ok(run(['org', 'init', '--did-key'], { home: 'keyorg' }));
    const rotate = run(['org', 'rotate'], { home: 'keyorg' });
    expect(rotate.status).toBe(3);
    expect(rotate.stderr).toContain('ERR_DID_METHOD_UNSUPPORTED');
    const revoke = run(['revoke', 'urn:uuid:x'], { home: 'keyorg' });
    expect(revoke.status).toBe(3);
    expect(revoke.stderr).toContain('ERR_STATUS_UNAVAILABLE');
  });
});

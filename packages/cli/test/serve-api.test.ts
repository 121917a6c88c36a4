// SPDX-License-Identifier: Apache-2.0
// `agent-passport serve` (no folder): the VC API service for this home's organisation, run as a
// subprocess over real HTTPS on 127.0.0.1, verifying another organisation's passports from a
// signed trust bundle.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-serve-api-'));
const home = join(work, 'home');
const env = { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple', NO_COLOR: '1' };
const TOKEN = 'operator-token-for-the-cli-test';
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, '--home', home, ...args], {
    cwd: work,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });

/** Start `serve` with `args`; resolves with what it printed (--json) once it listens. */
function serve(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [bin, '--home', home, '--json', 'serve', '--self-signed', '--port', '0', ...args],
    {
      cwd: work,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const ready = new Promise<Record<string, unknown>>((ok, fail) => {
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
  return { child, ready };
}

function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        // The test trusts the server's fresh self-signed certificate without pinning it.
        rejectUnauthorized: false,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

let passport: Record<string, unknown>;
let author: string;
beforeAll(() => {
  // Another organisation's service, its evidence log (with the passports it saw) and its bundle.
  expect(run(['demo', '--calls', '--out', 'demo']).status).toBe(0);
  author = readFileSync(join(work, 'demo', 'bundle-author.txt'), 'utf8').trim();
  const first = JSON.parse(
    readFileSync(join(work, 'demo', 'evidence.jsonl'), 'utf8').split('\n')[0] as string,
  );
  passport = JSON.parse(Buffer.from(first.passport.bytes, 'base64').toString('utf8'));
  expect(run(['org', 'init', '--did', 'did:web:issuer.example']).status).toBe(0);
}, 180_000);

describe('agent-passport serve (VC API)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill('SIGTERM'));

  it('issues as this organisation and verifies a partner passport from a trust bundle', async () => {
    const s = serve(['--bundle', 'demo/bundle.json', '--bundle-author', author], {
      AGENT_PASSPORT_OPERATOR_TOKEN: TOKEN,
    });
    child = s.child;
    const info = await s.ready;
    expect(info).toMatchObject({
      issuer: 'did:web:issuer.example',
      status: true,
      trustedIssuers: ['did:web:acme.example'],
    });
    expect(info['operatorToken']).toBeUndefined();
    const url = info['url'] as string;
    const issued = await post(
      `${url}/credentials/issue`,
      {
        credential: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiableCredential'],
          issuer: 'did:web:issuer.example',
          credentialSubject: { id: 'did:example:alice' },
        },
      },
      TOKEN,
    );
    expect(issued.status).toBe(201);
    expect((await post(`${url}/credentials/verify`, issued.json)).status).toBe(200);
    const partner = await post(`${url}/credentials/verify`, { verifiableCredential: passport });
    expect(partner.json).toMatchObject({
      verified: true,
      checks: ['dataModel', 'proof', 'validity', 'credentialStatus', 'schema'],
    });
    const denied = await post(`${url}/credentials/issue`, issued.json, 'not-the-operator-token');
    expect([denied.status, (denied.json['errors'] as { code: string }[])[0]?.code]).toEqual([
      401,
      'ERR_API_UNAUTHORIZED',
    ]);
    child.kill('SIGTERM');
  });

  it('without a bundle a did:web partner is unknown; without a token one is generated and printed', async () => {
    const s = serve([]);
    child = s.child;
    const info = await s.ready;
    expect(String(info['operatorToken'])).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const r = await post(`${info['url'] as string}/credentials/verify`, { verifiableCredential: passport });
    expect([r.status, (r.json['errors'] as { code: string }[])[0]?.code]).toEqual([400, 'ERR_DID_NOT_FOUND']);
    child.kill('SIGTERM');
  });

  it('a bundle signed by someone else is refused at start (a refusal: exit 1, ERR_BUNDLE_SIGNATURE)', () => {
    const stranger = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const r = run(['serve', '--port', '0', '--bundle', 'demo/bundle.json', '--bundle-author', stranger]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERR_BUNDLE_SIGNATURE');
    const bad = run(['serve', '--port', '0', '--cryptosuite', 'ecdsa-sd-2023']);
    expect(bad.status).toBe(2);
  });
});

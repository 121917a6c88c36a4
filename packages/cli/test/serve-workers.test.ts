// SPDX-License-Identifier: Apache-2.0
// `agent-passport serve --workers 2`: two service processes on one port (node:cluster) over real
// HTTPS on 127.0.0.1. Each request goes on a new connection, so the primary hands them to the
// workers in turn: a credential issued by one and revoked by one is refused by both; SIGTERM stops
// the primary and its workers.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-serve-workers-'));
const home = join(work, 'home');
const TOKEN = 'operator-token-for-the-workers-test';
const env = {
  ...process.env,
  AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple',
  AGENT_PASSPORT_OPERATOR_TOKEN: TOKEN,
  NO_COLOR: '1',
};
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

beforeAll(() => {
  const r = spawnSync(process.execPath, [bin, '--home', home, 'org', 'init', '--did-key'], {
    env,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
}, 60_000);

type Reply = { status: number; json: Record<string, unknown> };
function post(url: string, body: unknown, token?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        // A new connection per request (no agent): the cluster hands each to the next worker.
        agent: false,
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

function start(): Promise<Record<string, unknown>> {
  child = spawn(
    process.execPath,
    [bin, '--home', home, '--json', 'serve', '--self-signed', '--port', '0', '--workers', '2'],
    { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const c = child;
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    c.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        ok(JSON.parse(out) as Record<string, unknown>);
      } catch {
        // Not the whole JSON value yet.
      }
    });
    c.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    c.once('exit', (code) => fail(new Error(`serve exited ${code}: ${out}${err}`)));
  });
}

describe('agent-passport serve --workers 2', () => {
  it('serves issue, verify and status from two processes on one port, and stops on SIGTERM', async () => {
    const info = await start();
    expect(info).toMatchObject({ workers: 2, status: true });
    const url = info['url'] as string;
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: info['issuer'],
      credentialSubject: { id: 'did:example:alice' },
    };
    const issued = await post(`${url}/credentials/issue`, { credential }, TOKEN);
    expect(issued.status).toBe(201);
    // Four verifications on four connections: each worker verifies (and signs its lists) twice.
    for (let i = 0; i < 4; i++) {
      const r = await post(`${url}/credentials/verify`, issued.json);
      expect([r.status, r.json['verified']]).toEqual([200, true]);
    }
    const vc = issued.json['verifiableCredential'] as { id: string };
    const revoke = await post(
      `${url}/credentials/status`,
      {
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      },
      TOKEN,
    );
    expect(revoke.status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const r = await post(`${url}/credentials/verify`, issued.json);
      expect([r.status, (r.json['errors'] as { code: string }[])[0]?.code]).toEqual([400, 'ERR_REVOKED']);
    }
    const c = child as ChildProcess;
    const exited = new Promise<number | null>((done) => c.once('exit', (code) => done(code)));
    c.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(post(`${url}/credentials/verify`, issued.json)).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);
});

// SPDX-License-Identifier: Apache-2.0
// `agent-passport login URL --agent NAME` through the built CLI against a login site on
// 127.0.0.1: the site proves itself against the pinned document, the agent logs in and calls a
// session route; an impostor site (another key for the same DID) gets nothing.
import { spawn, spawnSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { createLoginSite, toNodeHandler } from '@agent-passport/login/site';
import { privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-login-cli-'));
const home = join(work, 'home');
const PASS = 'correct horse battery staple';
const env = { ...process.env, AGENT_PASSPORT_PASSPHRASE: PASS, NO_COLOR: '1' };
const SITE = 'did:web:shop.example';
const siteKey = generateKey();
const siteDocument = buildDidDocument({
  did: SITE,
  keys: [{ publicKeyMultibase: siteKey.publicKeyMultibase, purposes: ['authentication'] }],
});
const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, '--home', home, ...args], { encoding: 'utf8', env, cwd: work });
/** The CLI against this process's servers: spawn, never spawnSync (it would block them). */
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

const servers: Server[] = [];
async function startSite(signWith: KeyMaterial, orgDocument: object): Promise<string> {
  let handle: (q: IncomingMessage, s: ServerResponse) => void = (_q, s) => void s.end();
  const server = createServer((q, s) => handle(q, s));
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = privateKeyObject(signWith);
  const orgDid = (orgDocument as { id: string }).id;
  const site = createLoginSite({
    origin,
    did: SITE,
    keyId: `${SITE}#key-1`,
    signer: (data) => new Uint8Array(sign(null, data, key)),
    // The site trusts the organisation (its document); every status is allowed in this test.
    verifier: createVerifier({
      trustedIssuers: [{ id: orgDid, didDocument: orgDocument as never }],
      checkStatus: () => {},
    }),
    secret: new Uint8Array(32).fill(1),
  });
  const me = site.protect((_r, { agent }) => Response.json({ agent }));
  const node = toNodeHandler((r) => (new URL(r.url).pathname === '/api/me' ? me(r) : site.fetch(r)));
  handle = (q, s) => void node(q, s);
  return origin;
}

let orgDocument: object;
beforeAll(() => {
  const org = cli(['--json', 'org', 'init', '--did', 'did:web:acme.example']);
  expect(org.status, org.stderr).toBe(0);
  orgDocument = (JSON.parse(org.stdout) as { didDocument: object }).didDocument;
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
  writeFileSync(join(work, 'shop-did.json'), JSON.stringify(siteDocument));
});
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  rmSync(work, { recursive: true, force: true });
});

describe('agent-passport login', () => {
  it('logs in after the site proved itself, and calls a session route (--get)', async () => {
    const origin = await startSite(siteKey, orgDocument);
    const r = await cliAsync([
      '--json',
      'login',
      `${origin}/workflows/agent-login`,
      '--agent',
      'buyer-1',
      '--passport',
      'passport.json',
      '--site-document',
      'shop-did.json',
      '--get',
      '/api/me',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      site: string;
      session: { agent: string };
      call: { status: number; body: { agent: string } };
    };
    expect(out.site).toBe(SITE);
    expect(out.call).toEqual({ status: 200, body: { agent: out.session.agent } });
  });

  it('an impostor site: refused (ERR_RESPONSE_SIGNATURE_INVALID, exit 1)', async () => {
    const origin = await startSite(generateKey(), orgDocument);
    const r = await cliAsync([
      'login',
      `${origin}/workflows/agent-login`,
      '--agent',
      'buyer-1',
      '--passport',
      'passport.json',
      '--site-document',
      'shop-did.json',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERR_RESPONSE_SIGNATURE_INVALID');
  });

  it('neither a site document nor a bundle: usage (exit 2)', () => {
    const r = cli([
      'login',
      'http://127.0.0.1:1/workflows/agent-login',
      '--agent',
      'buyer-1',
      '--passport',
      'passport.json',
    ]);
    expect(r.status).toBe(2);
  });
});

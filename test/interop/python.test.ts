// SPDX-License-Identifier: Apache-2.0
// TypeScript and Python, both directions, over loopback HTTP: the Python package's own tests (which
// include the toolkit's vectors byte for byte); the Python agent (httpx and requests) calling the
// TypeScript middleware, which accepts its requests and refuses tampered ones with their codes; a
// Python presentation verified by the TypeScript verifier; the TypeScript agent calling a Python
// service. In CI a missing Python or Debian package fails this file instead of skipping it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PassportError } from '@agent-passport/core';
import { createAgentFetch, signRequest } from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { encryptKey, generateKey } from '@agent-passport/keystore';
import { type RequestVerification, withAgentPassport } from '@agent-passport/middleware';
import { canonicalize, parseJson } from '@agent-passport/strict-json';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PYTHON = '/usr/bin/python3';
const root = join(import.meta.dirname, '..', '..');
const pythonDir = join(root, 'python');
const probe = spawnSync(PYTHON, ['-c', 'import cryptography, httpx, requests, pytest'], { encoding: 'utf8' });
const available = probe.status === 0;
const inCi = process.env['CI'] === 'true';

describe('Python is available for the cross-language tests', () => {
  it('in CI, /usr/bin/python3 has python3-cryptography, -httpx, -requests and -pytest (.ci/run installs them)', () => {
    expect({
      available: available || !inCi,
      problem: available ? '' : (probe.error?.message ?? probe.stderr),
    }).toEqual({ available: true, problem: available ? '' : (probe.error?.message ?? probe.stderr) });
  });
});

describe.skipIf(!available)('TypeScript and Python, both directions', () => {
  const org = generateKey();
  const agent = generateKey();
  const signer = didKeySigner(agent);
  const dir = mkdtempSync(join(tmpdir(), 'ap-python-'));
  let passport: Awaited<ReturnType<typeof issuePassport>>;
  let server: Server;
  let origin: string;
  const seen: RequestVerification[] = [];

  beforeAll(async () => {
    passport = await issuePassport({
      issuer: { id: org.did, signer: didKeySigner(org) },
      subject: agent.did,
      agentName: 'python-agent',
      purpose: 'interop',
      scopes: ['read:notes', 'write:notes'],
      validUntil: new Date(Date.now() + 86_400_000),
    });
    writeFileSync(join(dir, 'passport.json'), JSON.stringify(passport));
    server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const handler = withAgentPassport(
      {
        verifier: createVerifier({ trustedIssuers: [org.did] }),
        origin,
        evidence: { record: (e) => void seen.push(e.verification) },
        recordRefused: true,
      },
      (_request, context) => Response.json({ agent: context.agent }),
    );
    server.on('request', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const method = req.method ?? 'GET';
      const request = new Request(`${origin}${req.url}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      });
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });

  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the Python package's tests pass, the toolkit's vectors included", () => {
    const r = spawnSync(PYTHON, ['-m', 'pytest', '-q', 'tests'], { cwd: pythonDir, encoding: 'utf8' });
    expect(r.stdout.slice(-2000), r.stderr).toMatch(/(\d+) passed/);
    expect(r.status, r.stdout.slice(-4000)).toBe(0);
    expect(Number(/(\d+) passed/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(100);
    expect(r.stdout).not.toMatch(/skipped|failed|error/);
  });

  it('RFC 8785: Python and TypeScript canonicalise 400 generated JSON texts identically (or refuse with one code)', () => {
    const texts = fc.sample(
      fc.oneof(
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc
          .array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 8 })
          .map((v) => JSON.stringify(v)),
        fc
          .dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }))
          .map((v) => JSON.stringify(v)),
      ),
      { numRuns: 400, seed: 8785 },
    );
    const file = join(dir, 'jcs-texts.jsonl');
    writeFileSync(file, texts.map((t) => JSON.stringify(t)).join('\n'));
    const r = spawnSync(PYTHON, [join(pythonDir, 'interop', 'jcs.py'), file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const python = JSON.parse(r.stdout) as { canonical?: string; code?: string }[];
    const typescript = texts.map((t) => {
      try {
        return { canonical: canonicalize(parseJson(t, { maxBytes: 1 << 20 })) };
      } catch (error) {
        return { code: (error as PassportError).code };
      }
    });
    expect(python).toEqual(typescript);
    expect(typescript.filter((t) => t.code !== undefined).length).toBeLessThan(texts.length / 2);
  });

  it('the Python agent calls the TypeScript middleware: accepted, tampered refused, its presentation verified', async () => {
    // The agent key travels in the toolkit's encrypted key file (fresh salt and nonce), read by Python.
    const keyFile = join(dir, 'agent.key.json');
    writeFileSync(
      keyFile,
      JSON.stringify(encryptKey(agent, 'interop passphrase', { kdf: { N: 2 ** 15, r: 8, p: 1 } })),
    );
    const challenge = `challenge-${Date.now()}`;
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        PYTHON,
        [join(pythonDir, 'interop', 'agent.py'), origin, join(dir, 'passport.json'), challenge],
        {
          env: { ...process.env, AGENT_KEY_FILE: keyFile, AGENT_PASSPORT_PASSPHRASE: 'interop passphrase' },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.key_did).toBe(agent.did);
    expect([out.httpx_get, out.httpx_post, out.requests_get, out.requests_put]).toEqual([200, 200, 200, 200]);
    expect(out.tampered).toEqual({
      body: [401, 'ERR_DIGEST_MISMATCH'],
      path: [401, 'ERR_SIG_INVALID'],
      method: [401, 'ERR_SIG_INVALID'],
    });
    // The middleware saw the passport inline once per client, then the compact form.
    const accepted = seen.filter((v) => v.verified);
    expect(accepted).toHaveLength(4);
    expect(accepted.every((v) => v.agent === agent.did)).toBe(true);
    expect(accepted.map((v) => v.keyId === v.passportRef)).toEqual([false, true, false, true]);
    const verifier = createVerifier({ trustedIssuers: [org.did] });
    const options = { challenge, domain: 'api.service.example' };
    const vp = await verifier.verifyPresentation(out.presentation, options);
    expect(vp.errors).toEqual([]);
    expect(vp.agent).toBe(agent.did);
    const wrong = await verifier.verifyPresentation(out.presentation, { ...options, challenge: 'other' });
    expect(wrong.errors[0]?.code).toBe('ERR_CHALLENGE_MISMATCH');
    out.presentation.holder = org.did;
    expect((await verifier.verifyPresentation(out.presentation, options)).errors[0]?.code).toBe(
      'ERR_HOLDER_MISMATCH',
    );
  });

  it('the TypeScript agent calls a Python service: inline, then compact, tampered refused with its code', async () => {
    const child: ChildProcess = spawn(PYTHON, [join(pythonDir, 'interop', 'service.py'), org.did], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const pyOrigin = (await lines.next()).value as string;
      expect(pyOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const agentFetch = createAgentFetch({
        passport,
        keyId: signer.id,
        signer: (data) => signer.sign({ data }),
      });
      const first = await agentFetch(`${pyOrigin}/api/notes?limit=1`);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ agent: agent.did });
      const second = await agentFetch(`${pyOrigin}/api/notes`, {
        method: 'POST',
        body: '{"title":"from ts"}',
      });
      expect(second.status).toBe(200);
      const signed = await signRequest(
        new Request(`${pyOrigin}/api/notes`, { method: 'POST', body: 'abc' }),
        {
          keyId: signer.id,
          signer: (data) => signer.sign({ data }),
          extraHeaders: { 'agent-passport': Buffer.from(JSON.stringify(passport)).toString('base64url') },
        },
      );
      const tampered = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: 'abd' });
      expect(tampered.status).toBe(401);
      expect(((await tampered.json()) as { code: string }).code).toBe('ERR_DIGEST_MISMATCH');
      const logged = [];
      for (let i = 0; i < 3; i++) logged.push(JSON.parse((await lines.next()).value as string));
      expect(logged).toEqual([
        { verified: true, code: null, agent: agent.did, compact: false },
        { verified: true, code: null, agent: agent.did, compact: true },
        // The body is checked after the signature: the refusal names the signer.
        { verified: false, code: 'ERR_DIGEST_MISMATCH', agent: agent.did, compact: false },
      ]);
    } finally {
      child.stdin?.end();
      child.kill();
    }
  });
});

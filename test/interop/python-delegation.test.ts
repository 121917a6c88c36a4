// SPDX-License-Identifier: Apache-2.0
// A Python sub-agent on a delegation chain, against the TypeScript middleware over loopback HTTP:
// the planner (TypeScript) delegates read:arxiv to a researcher whose key only Python holds; the
// Python client (httpx and requests) sends the chain beside the organisation's passport on first
// contact and both references after, and sends the chain again when a service instance does not
// know it (ERR_DELEGATION_UNKNOWN); the middleware accepts it and names organisation → planner →
// researcher. A widened chain is refused with its code, and the Python presentation of the chain
// verifies with the TypeScript chain verifier. Python's header names are the TypeScript ones.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentLoader } from '@agent-passport/contexts';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import {
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { encryptKey, generateKey } from '@agent-passport/keystore';
import { type RequestEvidence, withAgentPassport } from '@agent-passport/middleware';
import { didKeySigner, signCredential } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PYTHON = '/usr/bin/python3';
const root = join(import.meta.dirname, '..', '..');
const pythonDir = join(root, 'python');
// python.test.ts fails in CI when Python or a Debian package is missing; here it only skips.
const available =
  spawnSync(PYTHON, ['-c', 'import cryptography, httpx, requests'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!available)('a Python sub-agent and the TypeScript middleware', () => {
  const [org, planner, researcher] = [generateKey(), generateKey(), generateKey()];
  const dir = mkdtempSync(join(tmpdir(), 'ap-python-delegation-'));
  const seen: RequestEvidence[] = [];
  const fresh: RequestEvidence[] = [];
  let server: Server;
  let origin = '';
  let passportBytes: Uint8Array;
  let config: Parameters<typeof createDelegationVerifier>[0];

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const passport = await issuePassport({
      issuer: { id: org.did, signer: didKeySigner(org) },
      subject: planner.did,
      agentName: 'planner',
      purpose: 'research planning',
      scopes: ['read:arxiv', 'write:notes'],
      validUntil: new Date(Date.now() + 3_600_000),
      delegation: { allowed: true, maxDepth: 1 },
    });
    const delegation = await delegate({
      parent: passport,
      signer: didKeySigner(planner),
      subject: researcher.did,
      scopes: ['read:arxiv'],
      validUntil: new Date(Date.now() + 600_000),
      audience: [origin],
    });
    // The planner's careless (or the researcher's forged) link: read:* under read:arxiv, signed.
    const { proof: _proof, ...unsigned } = structuredClone(delegation) as unknown as Record<string, unknown>;
    const widened = await signCredential(
      { ...unsigned, credentialSubject: { ...delegation.credentialSubject, scopes: ['read:*'] } },
      { signer: didKeySigner(planner), created: new Date(), documentLoader: createDocumentLoader() },
    );
    passportBytes = new TextEncoder().encode(JSON.stringify(passport));
    writeFileSync(join(dir, 'passport.json'), passportBytes);
    writeFileSync(join(dir, 'delegation.json'), `${JSON.stringify(delegation, null, 2)}\n`);
    writeFileSync(join(dir, 'widened-chain.json'), JSON.stringify([widened]));
    writeFileSync(
      join(dir, 'researcher.key.json'),
      JSON.stringify(encryptKey(researcher, 'interop passphrase', { kdf: { N: 2 ** 15, r: 8, p: 1 } })),
    );
    config = { trustedIssuers: [org.did], origin };
    const guard = (extra: object) =>
      withAgentPassport(
        {
          verifier: createVerifier(config),
          delegation: createDelegationVerifier(config),
          origin,
          requiredScopes: ['read:arxiv'],
          ...extra,
        },
        async (_request, context) => Response.json({ principals: context.principals }),
      );
    const service = guard({
      evidence: { record: (e: RequestEvidence) => void seen.push(e) },
      recordRefused: true,
    });
    server.on('request', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const method = req.method ?? 'GET';
      const body = Buffer.concat(chunks);
      const request = new Request(`${origin}${req.url}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      });
      // /fresh/…: an instance that knows the passport (a shared cache) but has never seen the chain.
      const handler = req.url?.startsWith('/fresh/')
        ? guard({
            resolvePassportRef: () => passportBytes,
            evidence: { record: (e: RequestEvidence) => void fresh.push(e) },
            recordRefused: true,
          })
        : service;
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });

  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the Python delegate (chain inline, then by reference, resent when unknown), refuses a widened chain, verifies its presentation', async () => {
    const challenge = `challenge-${Date.now()}`;
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        PYTHON,
        [
          join(pythonDir, 'interop', 'delegate_agent.py'),
          origin,
          join(dir, 'passport.json'),
          join(dir, 'delegation.json'),
          join(dir, 'widened-chain.json'),
          challenge,
        ],
        {
          env: {
            ...process.env,
            AGENT_KEY_FILE: join(dir, 'researcher.key.json'),
            AGENT_PASSPORT_PASSPHRASE: 'interop passphrase',
          },
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
    expect(out.key_did).toBe(researcher.did);
    expect(out.headers).toEqual([
      PASSPORT_HEADER,
      PASSPORT_REF_HEADER,
      DELEGATION_HEADER,
      DELEGATION_REF_HEADER,
    ]);
    const chain = [org.did, planner.did, researcher.did];
    for (const call of [
      'httpx_first',
      'httpx_second',
      'httpx_forgotten',
      'requests_first',
      'requests_second',
    ])
      expect(out[call], call).toEqual([200, chain]);
    expect(out.widened).toEqual([401, 'ERR_DELEGATION_SCOPE_WIDENED']);

    // What the service received: the chain inline once per client, then only the references, each
    // covered by the signature; the signer is the researcher, on the planner's passport.
    const forms = seen.map((e) => [
      e.verification.verified,
      DELEGATION_HEADER in e.headers,
      DELEGATION_REF_HEADER in e.headers,
      e.verification.errors[0]?.code ?? null,
    ]);
    expect(forms).toEqual([
      [true, true, false, null],
      [true, false, true, null],
      [true, true, false, null],
      [true, false, true, null],
      [false, true, false, 'ERR_DELEGATION_SCOPE_WIDENED'],
    ]);
    // The instance that had never seen the chain asked for it; the client sent it again.
    expect(
      fresh.map((e) => [e.verification.errors[0]?.code ?? null, DELEGATION_HEADER in e.headers]),
    ).toEqual([
      ['ERR_DELEGATION_UNKNOWN', false],
      [null, true],
    ]);
    for (const e of seen.slice(0, 4)) {
      expect(e.verification.agent).toBe(researcher.did);
      const covered = e.headers['signature-input'] ?? '';
      expect(covered).toContain(
        `"${e.headers[DELEGATION_HEADER] === undefined ? DELEGATION_REF_HEADER : DELEGATION_HEADER}"`,
      );
      expect(covered).toContain(`keyid="${researcher.did}#`);
    }

    const verifier = createDelegationVerifier(config);
    const options = { challenge, domain: 'api.example' };
    const vp = await verifier.verifyPresentation(out.presentation, options);
    expect(vp.errors).toEqual([]);
    expect(vp.principals).toEqual(chain);
    const wrong = await verifier.verifyPresentation(out.presentation, { ...options, challenge: 'other' });
    expect(wrong.errors[0]?.code).toBe('ERR_CHALLENGE_MISMATCH');
  });
});

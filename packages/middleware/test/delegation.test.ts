// SPDX-License-Identifier: Apache-2.0
// Delegated agents through the middleware (issue 18): a sub-agent signs, the chain travels in a
// covered header on first contact and by reference after; the context names the whole chain; calls
// count against every ancestor's maxCalls, across processes on one real Redis.
import { execFile } from 'node:child_process';
import { sign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AgentPassport } from '@agent-passport/core';
import { type AgentDelegation, createDelegationVerifier, delegate } from '@agent-passport/delegation';
import {
  createAgentFetch,
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  signRequest,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis, type RunningRedis, startRedis } from '../../http-signatures/test/redis-server.js';
import { type AgentContext, createRequestVerifier, expressAgentPassport } from '../src/index.js';

const ORIGIN = 'https://api.example';
const org = generateKey();
const planner = generateKey();
const researcher = generateKey();
const rawSigner = (k: KeyMaterial) => {
  const key = privateKeyObject(k);
  return (data: Uint8Array) => new Uint8Array(sign(null, data, key));
};
const keyId = (k: KeyMaterial) => `${k.did}#${k.publicKeyMultibase}`;
const hour = () => new Date(Date.now() + 3_600_000);
/** Every delegation ends at the same time: a link never outlives the one above it. */
const LINKS_UNTIL = new Date(Date.now() + 600_000);

async function passportFor(maxCalls?: number): Promise<AgentPassport> {
  return issuePassport({
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: planner.did,
    agentName: 'planner',
    purpose: 'research planning',
    scopes: ['read:arxiv/*'],
    validUntil: hour(),
    delegation: { allowed: true, maxDepth: 2 },
    ...(maxCalls === undefined ? {} : { maxCalls }),
  });
}
function delegateTo(
  parent: AgentPassport | AgentDelegation,
  from: KeyMaterial,
  to: KeyMaterial,
  extra: { maxDepth?: number; maxCalls?: number } = {},
) {
  return delegate({
    parent,
    signer: didKeySigner(from),
    subject: to.did,
    scopes: ['read:arxiv/papers'],
    validUntil: LINKS_UNTIL,
    audience: [ORIGIN],
    ...extra,
  });
}

const config = { trustedIssuers: [org.did], origin: ORIGIN };
function service(withDelegation: boolean) {
  const seen: { context: AgentContext; headers: Record<string, unknown> }[] = [];
  const app = express();
  app.use(
    expressAgentPassport({
      verifier: createVerifier(config),
      ...(withDelegation ? { delegation: createDelegationVerifier(config) } : {}),
      origin: ORIGIN,
      requiredScopes: ['read:arxiv/papers'],
    }),
  );
  app.get('/papers', (req, res) => {
    const context = (req as unknown as { agentPassport: AgentContext }).agentPassport;
    seen.push({ context, headers: req.headers });
    res.json({ principals: context.principals });
  });
  return { app, seen };
}
async function listen(app: express.Express): Promise<{ server: Server; port: number }> {
  const server = createServer(app);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, port: (server.address() as AddressInfo).port };
}
/** The agent signs for ORIGIN; the request goes to the loopback server. */
const toLoopback = (port: number) => (request: Request) => {
  const url = new URL(request.url);
  return fetch(new Request(`http://127.0.0.1:${port}${url.pathname}${url.search}`, request));
};

describe('delegated agents through the middleware', () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
  });

  it('accepts a sub-agent: the chain inline first, by reference after; the context names the chain', async () => {
    const passport = await passportFor();
    const link = await delegateTo(passport, planner, researcher);
    const { app, seen } = service(true);
    const { server, port } = await listen(app);
    servers.push(server);
    const agentFetch = createAgentFetch({
      passport,
      delegations: [link],
      keyId: keyId(researcher),
      signer: rawSigner(researcher),
      fetch: toLoopback(port),
    });
    for (let i = 0; i < 2; i++) {
      const response = await agentFetch(`${ORIGIN}/papers`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ principals: [org.did, planner.did, researcher.did] });
    }
    expect(seen[0]?.headers[DELEGATION_HEADER]).toBeDefined();
    expect(seen[1]?.headers[DELEGATION_HEADER]).toBeUndefined();
    expect(seen[1]?.headers[DELEGATION_REF_HEADER]).toBeDefined();
    expect(seen[1]?.context.agent).toBe(researcher.did);
    expect(seen[1]?.context.verification.delegation?.chain.map((c) => c.id)).toEqual([passport.id, link.id]);
  });

  it('refuses a chain at a service that takes no delegated agents, an unknown chain reference, an uncovered chain', async () => {
    const passport = await passportFor();
    const link = await delegateTo(passport, planner, researcher);
    const { app } = service(false);
    const { server, port } = await listen(app);
    servers.push(server);
    const agentFetch = createAgentFetch({
      passport,
      delegations: [link],
      keyId: keyId(researcher),
      signer: rawSigner(researcher),
      fetch: toLoopback(port),
    });
    const refused = await agentFetch(`${ORIGIN}/papers`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('ERR_DELEGATION_INVALID');

    const rv = createRequestVerifier({
      verifier: createVerifier(config),
      delegation: createDelegationVerifier(config),
    });
    const inline = Buffer.from(JSON.stringify(passport)).toString('base64url');
    const byRef = await signRequest(new Request(`${ORIGIN}/papers`), {
      keyId: keyId(researcher),
      signer: rawSigner(researcher),
      extraHeaders: { [PASSPORT_HEADER]: inline, [DELEGATION_REF_HEADER]: `sha-256=:${'A'.repeat(43)}=:` },
    });
    expect((await rv.verifyRequest(byRef)).errors[0]?.code).toBe('ERR_DELEGATION_UNKNOWN');
    // A chain added after signing is not covered by the signature.
    const signed = await signRequest(new Request(`${ORIGIN}/papers`), {
      keyId: keyId(researcher),
      signer: rawSigner(researcher),
      extraHeaders: { [PASSPORT_HEADER]: inline },
    });
    const headers = new Headers(signed.headers);
    headers.set(DELEGATION_HEADER, Buffer.from(JSON.stringify([link])).toString('base64url'));
    const smuggled = new Request(signed.url, { headers });
    expect((await rv.verifyRequest(smuggled)).errors[0]?.code).toBe('ERR_SIG_COMPONENT_MISSING');
  });
});

const run = promisify(execFile);
describe.skipIf(!haveRedis())(
  'maxCalls across two sub-agents of one parent, two processes, one Redis',
  () => {
    let redis: RunningRedis;
    const work = mkdtempSync(join(tmpdir(), 'ap-dlg-'));
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it("each sub-agent may call 4 times, their parent's link 5 times: exactly 5 accepted in all", async () => {
      for (const dist of ['../dist/index.js', '../../delegation/dist/index.js'])
        if (!existsSync(join(import.meta.dirname, dist))) throw new Error('build first (npx tsc -b)');
      const middle = generateKey();
      const [x, y] = [generateKey(), generateKey()];
      const passport = await passportFor(100);
      const l1 = await delegateTo(passport, planner, middle, { maxDepth: 1, maxCalls: 5 });
      const requests = async (leafKey: KeyMaterial) => {
        const leaf = await delegateTo(l1, middle, leafKey, { maxCalls: 4 });
        return Promise.all(
          Array.from({ length: 4 }, async () => {
            const r = await signRequest(new Request(`${ORIGIN}/papers`), {
              keyId: keyId(leafKey),
              signer: rawSigner(leafKey),
              extraHeaders: {
                [PASSPORT_HEADER]: Buffer.from(JSON.stringify(passport)).toString('base64url'),
                [DELEGATION_HEADER]: Buffer.from(JSON.stringify([l1, leaf])).toString('base64url'),
              },
            });
            return { url: r.url, method: r.method, headers: Object.fromEntries(r.headers) };
          }),
        );
      };
      const worker = async (batch: unknown[], name: string) => {
        const file = join(work, `${name}.json`);
        writeFileSync(
          file,
          JSON.stringify({ redisUrl: redis.url, issuer: org.did, origin: ORIGIN, requests: batch }),
        );
        const { stdout } = await run(
          process.execPath,
          [join(import.meta.dirname, 'delegation-worker.mjs'), file],
          {
            timeout: 60_000,
          },
        );
        return JSON.parse(stdout) as Record<string, number>;
      };
      const [a, b] = await Promise.all([worker(await requests(x), 'x'), worker(await requests(y), 'y')]);
      expect((a['accepted'] ?? 0) + (b['accepted'] ?? 0), JSON.stringify({ a, b })).toBe(5);
      expect((a['ERR_USAGE_EXCEEDED'] ?? 0) + (b['ERR_USAGE_EXCEEDED'] ?? 0)).toBe(3);
      expect(a['accepted']).toBeLessThanOrEqual(4);
      expect(b['accepted']).toBeLessThanOrEqual(4);
    });
  },
);

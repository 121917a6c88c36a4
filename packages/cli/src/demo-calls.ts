// SPDX-License-Identifier: Apache-2.0
// `demo --calls --out <dir>`: a service over loopback HTTP with the request middleware and an
// evidence log, three agents calling it with signed requests, and what an auditor needs afterwards
// (the log, a trust bundle and the bundle author's did:key), all written to <dir>.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AgentPassport, DidDocument, Signer } from '@agent-passport/core';
import { buildDidDocument } from '@agent-passport/did-web';
import { type EvidenceLog, openEvidenceLog } from '@agent-passport/evidence';
import { createAgentFetch } from '@agent-passport/http-signatures';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { withAgentPassport } from '@agent-passport/middleware';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createStatusChecker } from '@agent-passport/status';
import { createSigner, didKeySigner } from '@agent-passport/suites';
import { createTrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier } from '@agent-passport/verifier';
import { toJson, writeFileAtomic } from './internal/files.js';
import { green, type Out, red } from './output.js';

const ORG = 'did:web:acme.example';
const SCOPES: Record<string, string> = {
  '/papers': 'read:papers',
  '/ledger': 'write:ledger',
  '/tickets': 'read:tickets',
};
const TEAM = [
  { name: 'research-12', scopes: ['read:papers'] },
  { name: 'billing-3', scopes: ['read:papers', 'write:ledger'] },
  { name: 'support-7', scopes: ['read:tickets'] },
];
/** Who calls what, in order: [agent, path, JSON body for a POST]. */
const CALLS: [string, string, string?][] = [
  ['research-12', '/papers'],
  ['billing-3', '/papers'],
  ['support-7', '/tickets'],
  ['research-12', '/papers'],
  ['billing-3', '/ledger', '{"amount":4200,"currency":"EUR","to":"acct-77"}'],
  ['support-7', '/ledger', '{"amount":1,"currency":"EUR"}'],
  ['research-12', '/papers'],
  ['support-7', '/tickets'],
  ['billing-3', '/ledger', '{"amount":12,"currency":"EUR","to":"acct-3"}'],
  ['research-12', '/papers'],
  ['billing-3', '/papers'],
  ['support-7', '/tickets'],
  ['research-12', '/papers'],
];

interface Org {
  readonly didDocument: DidDocument;
  readonly signer: Signer;
}
interface Agent {
  readonly name: string;
  readonly key: KeyMaterial;
  readonly passport: AgentPassport;
}

/** The team's passports, each with status entries reserved in the issuer state; the signed lists. */
async function issueTeam(org: Org, dir: string, now: Date): Promise<{ agents: Agent[]; lists: object[] }> {
  const state = openIssuerState(join(dir, 'issuer-state.json'), {
    issuer: ORG,
    statusBase: 'https://acme.example/status',
  });
  const agents: Agent[] = [];
  for (const a of TEAM) {
    const key = generateKey();
    const id = `urn:uuid:${crypto.randomUUID()}`;
    const validUntil = new Date(now.getTime() + 30 * 86_400_000).toISOString();
    const issuedAt = now.toISOString();
    const { entries } = await state.allocate({
      id,
      subject: key.did,
      agentName: a.name,
      issuedAt,
      validUntil,
    });
    const passport = await issuePassport({
      id,
      issuer: { id: ORG, signer: org.signer, didDocument: org.didDocument },
      subject: key.did,
      agentName: a.name,
      purpose: 'operations',
      scopes: a.scopes,
      validUntil,
      credentialStatus: entries,
      now,
    });
    agents.push({ name: a.name, key, passport });
  }
  const lists = (await state.issueLists({ signer: org.signer, now })).map((l) => l.credential);
  return { agents, lists };
}

/** The auditor's trust bundle, signed by a fresh operator key; returns the operator's did:key. */
async function writeBundle(org: Org, lists: object[], dir: string, now: Date): Promise<string> {
  const operator = generateKey();
  const bundle = await createTrustBundle({
    author: { id: operator.did, signer: didKeySigner(operator) },
    issuers: [{ id: ORG, didDocument: org.didDocument, statusLists: lists, schema: AGENT_PASSPORT_SCHEMA }],
    now,
  });
  writeFileAtomic(join(dir, 'bundle.json'), toJson(bundle));
  writeFileAtomic(join(dir, 'bundle-author.txt'), `${operator.did}\n`);
  return operator.did;
}

/** The service: the middleware with an evidence log in front of a handler, on loopback HTTP. */
async function startService(org: Org, lists: readonly object[], log: EvidenceLog): Promise<Server> {
  // The service checks signatures against its own origin, known once it listens.
  const guard = (origin: string) =>
    withAgentPassport(
      {
        origin,
        verifier: createVerifier({
          trustedIssuers: [{ id: ORG, didDocument: org.didDocument }],
          checkStatus: createStatusChecker({ lists }),
        }),
        evidence: log,
        recordRefused: true,
        requiredScopes: (request) => [SCOPES[new URL(request.url).pathname] ?? 'admin:all'],
      },
      (_request, context) => Response.json({ ok: true, agent: context.passport.credentialSubject.agentName }),
    );
  let handler: ReturnType<typeof guard> | undefined;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const body = Buffer.concat(chunks);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`;
    const init = { method: req.method as string, headers, ...(body.length > 0 ? { body } : {}) };
    const response = await (handler as ReturnType<typeof guard>)(new Request(url, init));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  handler = guard(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return server;
}

/** Every call of CALLS with the agent's signing fetch, one line each. */
async function makeCalls(out: Out, agents: readonly Agent[], base: string): Promise<void> {
  const fetches = new Map(
    agents.map((a) => {
      const s = didKeySigner(a.key);
      return [
        a.name,
        createAgentFetch({ passport: a.passport, keyId: s.id, signer: (data) => s.sign({ data }) }),
      ];
    }),
  );
  for (const [i, [name, path, body]] of CALLS.entries()) {
    const r = await (fetches.get(name) as typeof fetch)(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    await r.arrayBuffer();
    const status = r.status === 200 ? green('200') : red(String(r.status));
    const method = body === undefined ? 'GET ' : 'POST';
    out.line(
      `  ${String(i + 1).padStart(2)} ${name.padEnd(12)} ${method} ${path.padEnd(9)} ${status}${body === undefined ? '' : ` ${body}`}`,
    );
  }
}

export async function runCallsDemo(out: Out, dir: string) {
  const orgKey = generateKey();
  const org: Org = {
    didDocument: buildDidDocument({
      did: ORG,
      keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
    }),
    signer: createSigner(orgKey, `${ORG}#key-1`),
  };
  const now = new Date();
  const { agents, lists } = await issueTeam(org, dir, now);
  const bundleAuthor = await writeBundle(org, lists, dir, now);
  const logPath = join(dir, 'evidence.jsonl');
  const log = openEvidenceLog(logPath);
  const server = await startService(org, lists, log);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  out.line(`service on ${base}, evidence in ${logPath}`);
  try {
    await makeCalls(out, agents, base);
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
    log.close();
  }
  const summary = { dir, log: logPath, bundle: join(dir, 'bundle.json'), bundleAuthor, calls: CALLS.length };
  out.data(summary);
  out.line(
    `audit it: agent-passport audit ${logPath} --bundle ${summary.bundle} --bundle-author ${bundleAuthor}`,
  );
  return summary;
}

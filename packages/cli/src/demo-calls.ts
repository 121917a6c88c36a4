// SPDX-License-Identifier: Apache-2.0
// `demo --calls --out <dir>`: a service over loopback HTTP with the request middleware and an
// evidence log, three agents calling it with signed requests, and what an auditor needs afterwards
// (the log, a trust bundle and the bundle author's did:key), all written to <dir>.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildDidDocument } from '@agent-passport/did-web';
import { openEvidenceLog } from '@agent-passport/evidence';
import { createAgentFetch } from '@agent-passport/http-signatures';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
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

export async function runCallsDemo(out: Out, dir: string) {
  const orgKey = generateKey();
  const didDocument = buildDidDocument({
    did: ORG,
    keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
  });
  const signer = createSigner(orgKey, `${ORG}#key-1`);
  const state = openIssuerState(join(dir, 'issuer-state.json'), {
    issuer: ORG,
    statusBase: 'https://acme.example/status',
  });
  const now = new Date();
  const team = [
    { name: 'research-12', scopes: ['read:papers'] },
    { name: 'billing-3', scopes: ['read:papers', 'write:ledger'] },
    { name: 'support-7', scopes: ['read:tickets'] },
  ];
  const agents = [];
  for (const a of team) {
    const key = generateKey();
    const id = `urn:uuid:${crypto.randomUUID()}`;
    const validUntil = new Date(now.getTime() + 30 * 86_400_000).toISOString();
    const { entries } = await state.allocate({
      id,
      subject: key.did,
      agentName: a.name,
      issuedAt: now.toISOString(),
      validUntil,
    });
    const passport = await issuePassport({
      id,
      issuer: { id: ORG, signer, didDocument },
      subject: key.did,
      agentName: a.name,
      purpose: 'operations',
      scopes: a.scopes,
      validUntil,
      credentialStatus: entries,
      now,
    });
    agents.push({ ...a, key, passport });
  }
  const lists = (await state.issueLists({ signer, now })).map((l) => l.credential);
  const operator = generateKey();
  const bundle = await createTrustBundle({
    author: { id: operator.did, signer: didKeySigner(operator) },
    issuers: [{ id: ORG, didDocument, statusLists: lists, schema: AGENT_PASSPORT_SCHEMA }],
    now,
  });
  writeFileAtomic(join(dir, 'bundle.json'), toJson(bundle));
  writeFileAtomic(join(dir, 'bundle-author.txt'), `${operator.did}\n`);

  const log = openEvidenceLog(join(dir, 'evidence.jsonl'));
  // The service checks signatures against its own origin, known once it listens.
  const guard = (origin: string) =>
    withAgentPassport(
      {
        origin,
        verifier: createVerifier({
          trustedIssuers: [{ id: ORG, didDocument }],
          checkStatus: createStatusChecker({ lists }),
        }),
        evidence: log,
        recordRefused: true,
        requiredScopes: (request) => [SCOPES[new URL(request.url).pathname] ?? 'admin:all'],
      },
      (_request, context) => Response.json({ ok: true, agent: context.passport.credentialSubject.agentName }),
    );
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const body = Buffer.concat(chunks);
    const response = await handler(
      new Request(`http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`, {
        method: req.method as string,
        headers,
        ...(body.length > 0 ? { body } : {}),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handler = guard(base);
  out.line(`service on ${base}, evidence in ${join(dir, 'evidence.jsonl')}`);
  const calls: [string, string, string?][] = [
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
  try {
    const fetches = new Map(
      agents.map((a) => {
        const s = didKeySigner(a.key);
        return [
          a.name,
          createAgentFetch({ passport: a.passport, keyId: s.id, signer: (data) => s.sign({ data }) }),
        ];
      }),
    );
    let seq = 0;
    for (const [name, path, body] of calls) {
      seq += 1;
      const r = await (fetches.get(name) as typeof fetch)(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
      await r.arrayBuffer();
      out.line(
        `  ${String(seq).padStart(2)} ${name.padEnd(12)} ${body === undefined ? 'GET ' : 'POST'} ${path.padEnd(9)} ${r.status === 200 ? green('200') : red(String(r.status))}${body === undefined ? '' : ` ${body}`}`,
      );
    }
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
    log.close();
  }
  const summary = {
    dir,
    log: join(dir, 'evidence.jsonl'),
    bundle: join(dir, 'bundle.json'),
    bundleAuthor: operator.did,
    calls: calls.length,
  };
  out.data(summary);
  out.line(
    `audit it: agent-passport audit ${join(dir, 'evidence.jsonl')} --bundle ${join(dir, 'bundle.json')} --bundle-author ${operator.did}`,
  );
  return summary;
}

// SPDX-License-Identifier: Apache-2.0
// The main job (`npm start`): the whole story on embedded defaults, in seconds, leaving nothing
// running and nothing on disk.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import type { DidDocument, Signer } from '@agent-passport/core';
import { buildDidDocument, createDidWebResolver, didWebToUrl } from '@agent-passport/did-web';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner } from '@agent-passport/suites';
import { createVerifier, type PassportVerification } from '@agent-passport/verifier';
import { toJson, writeFileAtomic } from './internal/files.js';
import { formatChecks, green, type Out, red } from './output.js';
import { type RunningServer, serveFolder } from './serve.js';

export interface DemoResult {
  readonly organisation: string;
  readonly didDocumentUrl: string;
  readonly outcomes: readonly {
    agent: string;
    did: string;
    required: readonly string[];
    result: PassportVerification;
  }[];
}

type Issuer = { id: string; signer: Signer; didDocument: DidDocument };
const AGENTS = [
  { name: 'research-agent-12', purpose: 'literature-review', scopes: ['read:arxiv', 'write:notes/*'] },
  { name: 'billing-agent-3', purpose: 'invoice-reconciliation', scopes: ['read:invoices', 'write:ledger'] },
];
const DOMAIN = 'api.research.example';

/** 1. The organisation: a did:web on this machine, its document published over HTTPS. */
function publishOrganisation(out: Out, site: string, port: number): { issuer: Issuer; didUrl: URL } {
  const orgKey = generateKey('Ed25519');
  const did = `did:web:localhost%3A${port}`;
  const didDocument = buildDidDocument({
    did,
    keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
  });
  const didUrl = didWebToUrl(did);
  writeFileAtomic(join(site, didUrl.pathname), toJson(didDocument));
  writeFileAtomic(join(site, '.well-known/agent-passport-schema.json'), toJson(AGENT_PASSPORT_SCHEMA));
  writeFileAtomic(
    join(site, 'contexts/agent-passport/v1.jsonld'),
    toJson(CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT)),
  );
  out.line(`1. organisation ${did}`);
  out.line(`   DID document published at ${didUrl.href}`);
  return { issuer: { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument }, didUrl };
}

/** 2. Two agents, each with its own key and passport. */
async function issueAgents(out: Out, issuer: Issuer) {
  const now = new Date();
  const agents = await Promise.all(
    AGENTS.map(async (a) => {
      const key = generateKey('Ed25519');
      const passport = await issuePassport({
        issuer,
        subject: key.did,
        agentName: a.name,
        purpose: a.purpose,
        scopes: a.scopes,
        validUntil: new Date(now.getTime() + 90 * 86_400_000),
        maxCalls: 1000,
        now,
      });
      return { ...a, key, passport, signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`) };
    }),
  );
  out.line('2. passports issued');
  for (const a of agents)
    out.line(`   ${a.name.padEnd(18)} ${a.key.did.slice(0, 32)}…  scopes ${a.scopes.join(' ')}`);
  return agents;
}

/**
 * 3. A service that needs read:arxiv resolves the issuer over HTTPS (hardened did:web resolver)
 *    and verifies each agent's presentation against its own challenge.
 */
async function verifyAgents(
  out: Out,
  server: RunningServer,
  did: string,
  agents: Awaited<ReturnType<typeof issueAgents>>,
) {
  const resolver = createDidWebResolver({
    allowInsecureHosts: ['localhost'],
    ...(server.cert === undefined ? {} : { ca: server.cert }),
  });
  const verifier = createVerifier({ trustedIssuers: [did], resolveDid: (d) => resolver.resolve(d) });
  const required = ['read:arxiv'];
  out.line(`3. service ${DOMAIN} requires ${required.join(' ')}`);
  const outcomes: DemoResult['outcomes'][number][] = [];
  for (const a of agents) {
    const challenge = randomBytes(16).toString('base64url');
    const vp = await createPresentation({
      passport: a.passport,
      signer: a.signer,
      challenge,
      domain: DOMAIN,
    });
    const result = await verifier.verifyPresentation(vp, {
      challenge,
      domain: DOMAIN,
      requiredScopes: required,
    });
    outcomes.push({ agent: a.name, did: a.key.did, required, result });
    out.line(
      result.verified
        ? `   ${green('✓ accepted')} ${a.name}`
        : `   ${red('✗ refused')}  ${a.name}: ${result.errors.map((e) => `${e.code} (${e.message})`).join('; ')}`,
    );
    for (const l of formatChecks(result.checks)) out.line(`   ${l}`);
  }
  return outcomes;
}

export async function runDemo(out: Out): Promise<DemoResult> {
  const site = mkdtempSync(join(tmpdir(), 'agent-passport-demo-'));
  const server = await serveFolder(site, { selfSigned: true, port: 0 });
  try {
    const { issuer, didUrl } = publishOrganisation(out, site, server.port);
    const agents = await issueAgents(out, issuer);
    const outcomes = await verifyAgents(out, server, issuer.id, agents);
    const summary = { organisation: issuer.id, didDocumentUrl: didUrl.href, outcomes };
    out.data(summary);
    return summary;
  } finally {
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
}

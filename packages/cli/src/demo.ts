// SPDX-License-Identifier: Apache-2.0
// The main job (`npm start`): the whole story on embedded defaults, in seconds, leaving nothing
// running and nothing on disk.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import { buildDidDocument, createDidWebResolver, didWebToUrl } from '@agent-passport/did-web';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner } from '@agent-passport/suites';
import { createVerifier, type PassportVerification } from '@agent-passport/verifier';
import { toJson, writeFileAtomic } from './internal/files.js';
import { formatChecks, green, type Out, red } from './output.js';
import { serveFolder } from './serve.js';

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

export async function runDemo(out: Out): Promise<DemoResult> {
  const site = mkdtempSync(join(tmpdir(), 'agent-passport-demo-'));
  const server = await serveFolder(site, { selfSigned: true, port: 0 });
  try {
    // 1. The organisation: a did:web on this machine, its document published over HTTPS.
    const orgKey = generateKey('Ed25519');
    const did = `did:web:localhost%3A${server.port}`;
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
    const issuer = { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument };

    // 2. Two agents, each with its own key and passport.
    const agents = [
      { name: 'research-agent-12', purpose: 'literature-review', scopes: ['read:arxiv', 'write:notes/*'] },
      {
        name: 'billing-agent-3',
        purpose: 'invoice-reconciliation',
        scopes: ['read:invoices', 'write:ledger'],
      },
    ].map((a) => {
      const key = generateKey('Ed25519');
      return { ...a, key, signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`) };
    });
    const now = new Date();
    const passports = await Promise.all(
      agents.map((a) =>
        issuePassport({
          issuer,
          subject: a.key.did,
          agentName: a.name,
          purpose: a.purpose,
          scopes: a.scopes,
          validUntil: new Date(now.getTime() + 90 * 86_400_000),
          maxCalls: 1000,
          now,
        }),
      ),
    );
    out.line('2. passports issued');
    for (const a of agents)
      out.line(`   ${a.name.padEnd(18)} ${a.key.did.slice(0, 32)}…  scopes ${a.scopes.join(' ')}`);

    // 3. A service that needs read:arxiv resolves the issuer over HTTPS (hardened did:web resolver)
    //    and verifies each agent's presentation against its own challenge.
    const resolver = createDidWebResolver({
      allowInsecureHosts: ['localhost'],
      ...(server.cert === undefined ? {} : { ca: server.cert }),
    });
    const verifier = createVerifier({ trustedIssuers: [did], resolveDid: (d) => resolver.resolve(d) });
    const required = ['read:arxiv'];
    out.line(`3. service api.research.example requires ${required.join(' ')}`);
    const outcomes: DemoResult['outcomes'][number][] = [];
    for (const [i, a] of agents.entries()) {
      const challenge = randomBytes(16).toString('base64url');
      const vp = await createPresentation({
        passport: passports[i]!,
        signer: a.signer,
        challenge,
        domain: 'api.research.example',
      });
      const result = await verifier.verifyPresentation(vp, {
        challenge,
        domain: 'api.research.example',
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
    const summary = { organisation: did, didDocumentUrl: didUrl.href, outcomes };
    out.data(summary);
    return summary;
  } finally {
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
}

// SPDX-License-Identifier: Apache-2.0
// POST /presentations/verify with a delegated agent's presentation: the organisation's passport of
// a planner, the planner's delegation to a research sub-agent, presented by the sub-agent
// (presentChain), verified whole by @agent-passport/delegation over real HTTPS on 127.0.0.1.
import { createDelegationVerifier, delegate, presentChain } from '@agent-passport/delegation';
import { resolveDidKey } from '@agent-passport/did-key';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

const [org, stranger, planner, researcher] = [generateKey(), generateKey(), generateKey(), generateKey()];
const orgSigner = didKeySigner(org);
const orgDid = orgSigner.id.split('#')[0] as string;
const inMinutes = (n: number) => new Date(Date.now() + n * 60_000);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    issuer: { did: orgDid, signer: orgSigner, didDocument: resolveDidKey(orgDid) },
  });
});
afterAll(() => server?.stop());

const passportBy = (issuer: typeof org) =>
  issuePassport({
    issuer: { id: issuer.did, signer: didKeySigner(issuer) },
    subject: planner.did,
    agentName: 'planner',
    purpose: 'research planning',
    scopes: ['read:arxiv', 'write:notes'],
    validUntil: inMinutes(60),
    delegation: { allowed: true, maxDepth: 1 },
  });

async function chain(issuer = org, audience?: string[]) {
  const passport = await passportBy(issuer);
  const delegation = await delegate({
    parent: passport,
    signer: didKeySigner(planner),
    subject: researcher.did,
    scopes: ['read:arxiv'],
    validUntil: inMinutes(10),
    audience: audience ?? [server.url],
  });
  return presentChain({
    passport,
    delegations: [delegation],
    signer: didKeySigner(researcher),
    challenge: 'c-123',
    domain: 'service.example',
  });
}

const verifyVp = (vp: unknown, options: unknown = { challenge: 'c-123', domain: 'service.example' }) =>
  server.call('POST', '/presentations/verify', { verifiablePresentation: vp, options }, { token: null });

describe('a delegated agent presents its chain (POST /presentations/verify)', () => {
  it('is verified whole and names organisation → planner → researcher', async () => {
    const r = await verifyVp(await chain());
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      verified: true,
      errors: [],
      principals: [orgDid, planner.did, researcher.did],
      scopes: ['read:arxiv'],
    });
    expect(r.json.checks).toContain('signers');
  });

  it('refuses a chain for another service, from an untrusted organisation, or for another challenge', async () => {
    const code = (r: { json: { errors: { code: string }[] } }) => r.json.errors[0]?.code;
    const elsewhere = await verifyVp(await chain(org, ['https://elsewhere.example']));
    expect([elsewhere.status, code(elsewhere)]).toEqual([400, 'ERR_DELEGATION_AUDIENCE']);
    const untrusted = await verifyVp(await chain(stranger));
    expect([untrusted.status, code(untrusted)]).toEqual([400, 'ERR_ISSUER_UNTRUSTED']);
    const vp = await chain();
    const replayed = await verifyVp(vp, { challenge: 'another', domain: 'service.example' });
    expect([replayed.status, code(replayed)]).toEqual([400, 'ERR_CHALLENGE_MISMATCH']);
    const unbound = await verifyVp(vp, {});
    expect([unbound.status, code(unbound)]).toEqual([400, 'ERR_API_REQUEST']);
  });

  it('gives the verdict the delegation package gives for the same chain', async () => {
    const vp = await chain();
    const direct = await createDelegationVerifier({
      trustedIssuers: [orgDid],
      origin: server.url,
    }).verifyPresentation(vp, { challenge: 'c-123', domain: 'service.example' });
    const r = await verifyVp(vp);
    expect(r.json.verified).toBe(direct.verified);
    expect(r.json.checks).toEqual(direct.checks.filter((c) => c.skipped !== true).map((c) => c.name));
  });
});

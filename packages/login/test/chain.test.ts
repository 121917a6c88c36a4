// SPDX-License-Identifier: Apache-2.0
// Login by delegation chain over real HTTP on 127.0.0.1: a sub-agent holding an AgentDelegation
// from the agent logs in with [passport, delegation]; the site verifies the chain offline, binds
// the session to the leaf's key and that chain, and names the chain in the session context.
// Attacks: a widened scope, the chain presented by another key, a chain session used by another
// key (the thief, or the delegating agent with its own passport), a site that takes no chains.
import { createDocumentLoader } from '@agent-passport/contexts';
import { PassportError } from '@agent-passport/core';
import { type AgentDelegation, delegate, presentChain } from '@agent-passport/delegation';
import { DELEGATION_HEADER, PASSPORT_HEADER } from '@agent-passport/http-signatures';
import { generateKey } from '@agent-passport/keystore';
import { createPresentation, didKeySigner, signCredential, signPresentation } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/agent.js';
import { SESSION_HEADER } from '../src/index.js';
import {
  agent,
  newExchange,
  org,
  passportFor,
  post,
  type RunningSite,
  signedPost,
  siteDocument,
  startSite,
  thief,
} from './world.js';

const sub = generateKey();
const refusalOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(PassportError);
  return e as PassportError;
};
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

let s: RunningSite;
beforeAll(async () => {
  s = await startSite({ chains: true });
});
afterAll(() => s.close());

/** The agent's passport (delegable) and its delegation of read:catalog to the sub-agent. */
async function chain(extra: { scopes?: string[]; validForMs?: number } = {}) {
  const passport = await passportFor(agent, { delegation: { allowed: true, maxDepth: 1 } });
  const link = await delegate({
    parent: passport,
    signer: didKeySigner(agent),
    subject: sub.did,
    scopes: extra.scopes ?? ['read:catalog'],
    validUntil: new Date(Date.now() + (extra.validForMs ?? 3_600_000)),
    audience: [s.url],
  });
  return { passport, delegations: [link] };
}

describe('login by delegation chain', () => {
  it('the sub-agent logs in; the session is bound to its key and names the chain', async () => {
    const { passport, delegations } = await chain();
    const api = await login(s.site.workflowUrl, { key: sub, passport, delegations, siteDocument });
    expect(api.session.agent).toBe(sub.did);
    expect(api.session.principals).toEqual([org.did, agent.did, sub.did]);
    expect(typeof api.session.delegationRef).toBe('string');
    for (let i = 0; i < 2; i++) {
      // The chain in full on first contact, by reference after.
      const r = await api(`${s.url}/api/me`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({
        agent: sub.did,
        session: api.session.id,
        principals: [org.did, agent.did, sub.did],
      });
    }
  });

  it('the session ends when the chain does (the earliest validUntil of its delegations)', async () => {
    const { passport, delegations } = await chain({ validForMs: 600_000 });
    const api = await login(s.site.workflowUrl, { key: sub, passport, delegations, siteDocument });
    const end = Date.parse(String(delegations[0]?.validUntil));
    expect(Date.parse(api.session.expires)).toBe(Math.floor(end / 1000) * 1000);
  });

  it('a widened scope in the chain: refused (ERR_DELEGATION_SCOPE_WIDENED)', async () => {
    const { passport, delegations } = await chain();
    // The agent signs a link wider than its passport (delegate() itself refuses to).
    const { proof: _, ...unsigned } = structuredClone(delegations[0]) as unknown as Record<string, unknown>;
    const wide = (await signCredential(
      {
        ...unsigned,
        credentialSubject: {
          ...(unsigned['credentialSubject'] as object),
          scopes: ['read:catalog', 'write:orders'],
        },
      },
      { signer: didKeySigner(agent), created: new Date(), documentLoader: createDocumentLoader() },
    )) as unknown as AgentDelegation;
    const e = await refusalOf(
      login(s.site.workflowUrl, { key: sub, passport, delegations: [wide], siteDocument }),
    );
    expect(e.code).toBe('ERR_LOGIN_REFUSED');
    expect(e.message).toContain('ERR_DELEGATION_SCOPE_WIDENED');
  });

  it('the chain presented by another key (its own presentation, or the sub-agent’s relayed): ERR_HOLDER_MISMATCH', async () => {
    const { passport, delegations } = await chain();
    const url = (xid: string) => `${s.url}/workflows/agent-login/exchanges/${xid}`;
    // 1. The thief presents the sub-agent's chain as its own holder.
    let xid = await newExchange(s.url);
    let vpr = await post(await signedPost(thief, url(xid), {}));
    let { challenge } = vpr.json['verifiablePresentationRequest'] as { challenge: string };
    const own = await signPresentation(
      createPresentation({
        verifiableCredential: [passport, ...delegations] as unknown as Record<string, unknown>[],
        holder: thief.did,
      }),
      {
        signer: didKeySigner(thief),
        created: new Date(),
        challenge,
        domain: s.url,
        documentLoader: createDocumentLoader(),
      },
    );
    const first = await post(await signedPost(thief, url(xid), { verifiablePresentation: own }));
    expect(first.json.code).toBe('ERR_HOLDER_MISMATCH');
    // 2. The thief relays a presentation the sub-agent made, in its own signed request.
    xid = await newExchange(s.url);
    vpr = await post(await signedPost(thief, url(xid), {}));
    ({ challenge } = vpr.json['verifiablePresentationRequest'] as { challenge: string });
    const relayed = await presentChain({
      passport,
      delegations,
      signer: didKeySigner(sub),
      challenge,
      domain: s.url,
    });
    const second = await post(await signedPost(thief, url(xid), { verifiablePresentation: relayed }));
    expect(second.json.code).toBe('ERR_HOLDER_MISMATCH');
  });

  it('a chain session used by another key: the thief with the chain (ERR_HOLDER_MISMATCH), the delegating agent (ERR_LOGIN_SESSION_KEY)', async () => {
    const { passport, delegations } = await chain();
    const api = await login(s.site.workflowUrl, { key: sub, passport, delegations, siteDocument });
    const withChain = {
      [PASSPORT_HEADER]: b64(passport),
      [DELEGATION_HEADER]: b64(delegations),
      [SESSION_HEADER]: api.session.id,
    };
    const byThief = await post(await signedPost(thief, `${s.url}/api/me`, {}, withChain));
    expect(byThief.status).toBe(401);
    expect(byThief.json.code).toBe('ERR_HOLDER_MISMATCH');
    const own = { [PASSPORT_HEADER]: b64(passport), [SESSION_HEADER]: api.session.id };
    const byAgent = await post(await signedPost(agent, `${s.url}/api/me`, {}, own));
    expect(byAgent.status).toBe(401);
    expect(byAgent.json.code).toBe('ERR_LOGIN_SESSION_KEY');
  });

  it('a chain session used with another chain of the same agents: ERR_LOGIN_SESSION_KEY', async () => {
    const { passport, delegations } = await chain();
    const api = await login(s.site.workflowUrl, { key: sub, passport, delegations, siteDocument });
    const other = await delegate({
      parent: passport,
      signer: didKeySigner(agent),
      subject: sub.did,
      scopes: ['read:catalog'],
      validUntil: new Date(Date.now() + 600_000),
      audience: [s.url],
    });
    const headers = {
      [PASSPORT_HEADER]: b64(passport),
      [DELEGATION_HEADER]: b64([other]),
      [SESSION_HEADER]: api.session.id,
    };
    const r = await post(await signedPost(sub, `${s.url}/api/me`, {}, headers));
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('ERR_LOGIN_SESSION_KEY');
  });

  it('a site that takes no chains refuses one: ERR_DELEGATION_INVALID', async () => {
    const plain = await startSite();
    try {
      const { passport, delegations } = await chain();
      const e = await refusalOf(
        login(plain.site.workflowUrl, { key: sub, passport, delegations, siteDocument }),
      );
      expect(e.message).toContain('ERR_DELEGATION_INVALID');
    } finally {
      await plain.close();
    }
  });
});

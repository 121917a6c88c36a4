// SPDX-License-Identifier: Apache-2.0
// The login flow over real HTTP on 127.0.0.1: the agent verifies the site's signed answer, logs
// in, and calls a protected route with its session; the session is bound to the agent's key and
// passport, expires, can be revoked, and respects maxCalls.
import { PassportError } from '@agent-passport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/agent.js';
import { SESSION_HEADER } from '../src/index.js';
import {
  agent,
  passportFor,
  post,
  type RunningSite,
  revoked,
  signedPost,
  siteDocument,
  startSite,
  thief,
} from './world.js';

let s: RunningSite;
beforeAll(async () => {
  s = await startSite();
});
afterAll(() => s.close());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof PassportError ? e.code : String(e);
  }
};

describe('login', () => {
  it('logs in after the site proved itself, then calls a protected route with the session', async () => {
    const passport = await passportFor(agent);
    const api = await login(s.site.workflowUrl, { key: agent, passport, siteDocument });
    expect(api.session.agent).toBe(agent.did);
    expect(api.site).toBe('did:web:login.example');
    const r = await api(`${s.url}/api/me`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ agent: agent.did, session: api.session.id });
    // Again: a fresh nonce each time, the same session.
    expect((await api(`${s.url}/api/me`)).status).toBe(200);
  });

  it('a call without the session header: ERR_LOGIN_SESSION_MISSING; an unknown one: ERR_LOGIN_SESSION_UNKNOWN', async () => {
    const passport = await passportFor(agent);
    const { PASSPORT_HEADER } = await import('@agent-passport/http-signatures');
    const inline = Buffer.from(JSON.stringify(passport)).toString('base64url');
    const bare = await post(await signedPost(agent, `${s.url}/api/me`, {}, { [PASSPORT_HEADER]: inline }));
    expect(bare.json.code).toBe('ERR_LOGIN_SESSION_MISSING');
    const unknown = await post(
      await signedPost(agent, `${s.url}/api/me`, {}, { [PASSPORT_HEADER]: inline, [SESSION_HEADER]: 'nope' }),
    );
    expect(unknown.json.code).toBe('ERR_LOGIN_SESSION_UNKNOWN');
  });

  it('a stolen session used by another key with its own passport: ERR_LOGIN_SESSION_KEY', async () => {
    const api = await login(s.site.workflowUrl, {
      key: agent,
      passport: await passportFor(agent),
      siteDocument,
    });
    const { PASSPORT_HEADER } = await import('@agent-passport/http-signatures');
    const own = Buffer.from(JSON.stringify(await passportFor(thief))).toString('base64url');
    const r = await post(
      await signedPost(
        thief,
        `${s.url}/api/me`,
        {},
        { [PASSPORT_HEADER]: own, [SESSION_HEADER]: api.session.id },
      ),
    );
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('ERR_LOGIN_SESSION_KEY');
  });

  it("a stolen session used with the victim's passport reference and another key: ERR_SIG_INVALID", async () => {
    const api = await login(s.site.workflowUrl, {
      key: agent,
      passport: await passportFor(agent),
      siteDocument,
    });
    const { signRequest } = await import('@agent-passport/http-signatures');
    const { rawSigner } = await import('./world.js');
    const forged = await signRequest(new Request(`${s.url}/api/me`), {
      keyId: api.session.passportRef,
      signer: rawSigner(thief),
      extraHeaders: { [SESSION_HEADER]: api.session.id },
    });
    const r = await fetch(forged);
    expect(((await r.json()) as { code: string }).code).toBe('ERR_SIG_INVALID');
  });

  it('a session after its passport is revoked: ERR_REVOKED', async () => {
    const passport = await passportFor(agent);
    const api = await login(s.site.workflowUrl, { key: agent, passport, siteDocument });
    expect((await api(`${s.url}/api/me`)).status).toBe(200);
    revoked.add([passport.credentialStatus ?? []].flat()[0]?.statusListIndex as string);
    const r = await api(`${s.url}/api/me`);
    expect(r.status).toBe(401);
    expect(((await r.json()) as { code: string }).code).toBe('ERR_REVOKED');
    // And it cannot log in again.
    expect(await codeOf(login(s.site.workflowUrl, { key: agent, passport, siteDocument }))).toBe(
      'ERR_LOGIN_REFUSED',
    );
  });

  it('a revoked session: ERR_LOGIN_SESSION_REVOKED; an expired one: ERR_LOGIN_SESSION_EXPIRED', async () => {
    const a = await login(s.site.workflowUrl, {
      key: agent,
      passport: await passportFor(agent),
      siteDocument,
    });
    expect(await s.site.revokeSession(a.session.id)).toBe(true);
    expect(((await (await a(`${s.url}/api/me`)).json()) as { code: string }).code).toBe(
      'ERR_LOGIN_SESSION_REVOKED',
    );
    const short = await startSite({ sessionTtlSeconds: 3 });
    try {
      const b = await login(short.site.workflowUrl, {
        key: agent,
        passport: await passportFor(agent),
        siteDocument,
      });
      expect((await b(`${short.url}/api/me`)).status).toBe(200);
      await new Promise((ok) => setTimeout(ok, 3200));
      const r = await b(`${short.url}/api/me`);
      expect(((await r.json()) as { code: string }).code).toBe('ERR_LOGIN_SESSION_EXPIRED');
    } finally {
      await short.close();
    }
  });

  it('respects maxCalls: ERR_USAGE_EXCEEDED', async () => {
    const api = await login(s.site.workflowUrl, {
      key: agent,
      passport: await passportFor(agent, { maxCalls: 2 }),
      siteDocument,
    });
    expect((await api(`${s.url}/api/me`)).status).toBe(200);
    expect((await api(`${s.url}/api/me`)).status).toBe(200);
    const r = await api(`${s.url}/api/me`);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe('ERR_USAGE_EXCEEDED');
  });
});

// SPDX-License-Identifier: Apache-2.0
// Sessions in one real redis-server, shared by two site instances behind one public origin: a
// session survives a restart of the site; a stolen session, a session whose passport was revoked
// and a session past its passport's maxCalls are refused whichever instance is asked; a Redis that
// can forget is refused, and a Redis restart ends the sessions opened before it (a revocation may
// have been lost with its last writes).
import { type AgentPassport, PassportError } from '@agent-passport/core';
import { PASSPORT_HEADER } from '@agent-passport/http-signatures';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis, type RunningRedis, startRedis } from '../../http-signatures/test/redis-server.js';
import { login } from '../src/agent.js';
import { createRedisSessionStore, type RedisSessionStore, SESSION_HEADER } from '../src/site.js';
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

const codeOf = async (r: Response) => ((await r.json()) as { code?: string }).code;

describe.skipIf(!haveRedis())('sessions in Redis', () => {
  let redis: RunningRedis;
  const closing: { close(): Promise<void> }[] = [];
  let origin = '';
  /** Where the public origin's requests go now (the load balancer). */
  let to = '';
  const balance = (r: Request) => fetch(new Request(r.url.replace(origin, to), r));

  /** One more instance of the site at the public origin, with its own Redis clients. */
  async function instance(extra: { sessionTtlSeconds?: number } = {}): Promise<RunningSite> {
    const store = createRedisStore({ url: redis.url });
    const sessions = createRedisSessionStore({ url: redis.url });
    await sessions.check();
    const site = await startSite({ store, sessions, ...extra, ...(origin === '' ? {} : { origin }) });
    closing.push(store, sessions, site);
    return site;
  }
  const loginVia = async (maxCalls?: number, given?: AgentPassport) => {
    const passport = given ?? (await passportFor(agent, maxCalls === undefined ? {} : { maxCalls }));
    const api = await login(`${origin}/workflows/agent-login`, {
      key: agent,
      passport,
      siteDocument,
      fetch: balance,
    });
    return { api, passport };
  };

  let a: RunningSite;
  let b: RunningSite;
  beforeAll(async () => {
    redis = await startRedis();
    // Let the first exchange begin after the server's start (the stores' restart fence).
    await new Promise((ok) => setTimeout(ok, 2100));
    a = await instance();
    origin = a.url;
    to = a.url;
    b = await instance();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(closing.map((c) => c.close()));
    await redis?.stop();
  });

  it('a session survives a restart of the site (a new instance, new clients, the same Redis)', async () => {
    const { api } = await loginVia();
    to = a.url;
    expect((await api(`${origin}/api/me`)).status).toBe(200);
    const restarted = await instance();
    to = restarted.url;
    const r = await api(`${origin}/api/me`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ agent: agent.did, session: api.session.id });
  });

  it('a shorter session with the same passport does not cut the passport short for a longer one', async () => {
    const passport = await passportFor(agent);
    to = a.url;
    const long = await loginVia(undefined, passport);
    const shortLived = await instance({ sessionTtlSeconds: 2 });
    to = shortLived.url;
    const short = await loginVia(undefined, passport);
    expect(short.api.session.passportRef).toBe(long.api.session.passportRef);
    await new Promise((ok) => setTimeout(ok, 3100));
    // A fresh instance knows the passport only by the session store's reference.
    const fresh = await instance();
    to = fresh.url;
    expect((await long.api(`${origin}/api/me`)).status).toBe(200);
  });

  it('a stolen session used by another key is refused on the other instance: ERR_LOGIN_SESSION_KEY', async () => {
    const { api } = await loginVia();
    const own = Buffer.from(JSON.stringify(await passportFor(thief))).toString('base64url');
    const headers = { [PASSPORT_HEADER]: own, [SESSION_HEADER]: api.session.id };
    const signed = await signedPost(thief, `${origin}/api/me`, {}, headers);
    const stolen = await post(new Request(`${b.url}/api/me`, signed));
    expect(stolen.status).toBe(401);
    expect(stolen.json.code).toBe('ERR_LOGIN_SESSION_KEY');
  });

  it('a session whose passport was revoked is refused on every instance: ERR_REVOKED', async () => {
    const { api, passport } = await loginVia();
    to = b.url;
    expect((await api(`${origin}/api/me`)).status).toBe(200);
    revoked.add([passport.credentialStatus ?? []].flat()[0]?.statusListIndex as string);
    for (const instanceUrl of [a.url, b.url]) {
      to = instanceUrl;
      expect(await codeOf(await api(`${origin}/api/me`))).toBe('ERR_REVOKED');
    }
  });

  it("maxCalls counts the session's calls across both instances: ERR_USAGE_EXCEEDED", async () => {
    const { api } = await loginVia(3);
    for (const instanceUrl of [a.url, b.url, a.url]) {
      to = instanceUrl;
      expect((await api(`${origin}/api/me`)).status).toBe(200);
    }
    to = b.url;
    const r = await api(`${origin}/api/me`);
    expect(r.status).toBe(403);
    expect(await codeOf(r)).toBe('ERR_USAGE_EXCEEDED');
  });

  it('a Redis restart ends the sessions opened before it (ERR_STORE_RESTARTED); a new login works', async () => {
    const { api } = await loginVia();
    to = a.url;
    expect((await api(`${origin}/api/me`)).status).toBe(200);
    await redis.restart();
    // Both instances' replay stores see the restart first (their fence: requests signed before it),
    // so the refusal below is the session store's: the session opened before the restart.
    for (const instanceUrl of [a.url, b.url])
      await post(
        new Request(
          `${instanceUrl}/.well-known/agent-passport/prove`,
          await signedPost(agent, `${origin}/.well-known/agent-passport/prove`, {}),
        ),
      );
    await new Promise((ok) => setTimeout(ok, 1100));
    for (const instanceUrl of [a.url, b.url]) {
      to = instanceUrl;
      const r = (await (await api(`${origin}/api/me`)).json()) as { code: string; message: string };
      expect(r.code).toBe('ERR_STORE_RESTARTED');
      expect(r.message).toContain('log in again');
    }
    const again = await loginVia();
    expect((await again.api(`${origin}/api/me`)).status).toBe(200);
  }, 30_000);
});

describe.skipIf(!haveRedis())('a Redis that can forget', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis({ durable: false });
  }, 30_000);
  afterAll(() => redis?.stop());

  it('is refused for sessions: ERR_STORE_NOT_DURABLE (unless allowed)', async () => {
    const refused: RedisSessionStore = createRedisSessionStore({ url: redis.url });
    const allowed = createRedisSessionStore({ url: redis.url, allowNonDurableRedis: true });
    try {
      const error = await refused.check().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PassportError);
      expect((error as PassportError).code).toBe('ERR_STORE_NOT_DURABLE');
      await expect(allowed.check()).resolves.toBeUndefined();
    } finally {
      await refused.close();
      await allowed.close();
    }
  });
});

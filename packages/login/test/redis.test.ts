// SPDX-License-Identifier: Apache-2.0
// Two instances of one site (same secret, same public origin) behind one real redis-server: an
// exchange created on one is answered by the other, and its challenge is consumed exactly once
// across both, even when the presentation reaches both at the same moment.
import { createRedisStore, type RedisStore } from '@agent-passport/http-signatures/redis';
import { createPresentation } from '@agent-passport/issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis, type RunningRedis, startRedis } from '../../http-signatures/test/redis-server.js';
import { login } from '../src/agent.js';
import { createRedisSessionStore, type RedisSessionStore } from '../src/site.js';
import {
  agent,
  agentSigner,
  newExchange,
  passportFor,
  post,
  type RunningSite,
  signedPost,
  siteDocument,
  startSite,
} from './world.js';

describe.skipIf(!haveRedis())('two site instances on one Redis', () => {
  let redis: RunningRedis;
  let stores: RedisStore[] = [];
  let sessions: RedisSessionStore[] = [];
  let a: RunningSite;
  let b: RunningSite;
  beforeAll(async () => {
    redis = await startRedis();
    // The Redis store refuses windows that began before the server started (its restart fence, to
    // whole seconds): let the first exchange begin after it.
    await new Promise((ok) => setTimeout(ok, 2100));
    stores = [createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })];
    sessions = [createRedisSessionStore({ url: redis.url }), createRedisSessionStore({ url: redis.url })];
    a = await startSite({ store: stores[0] as RedisStore, sessions: sessions[0] as RedisSessionStore });
    // B serves the same public origin as A (as behind one load balancer), on its own port.
    b = await startSite({
      store: stores[1] as RedisStore,
      sessions: sessions[1] as RedisSessionStore,
      origin: a.url,
    });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([
      a?.close(),
      b?.close(),
      ...stores.map((s) => s.close()),
      ...sessions.map((s) => s.close()),
    ]);
    await redis?.stop();
  });

  const onB = (url: string) => url.replace(a.url, b.url);

  it('one challenge, posted to both instances at once: one session, one ERR_LOGIN_CHALLENGE_USED', async () => {
    for (let round = 0; round < 5; round++) {
      const xid = await newExchange(a.url);
      const url = `${a.url}/workflows/agent-login/exchanges/${xid}`;
      // Step 3 answered by B for an exchange A created (sealed ids: no shared exchange state).
      const vpr = await post(new Request(onB(url), await signedPost(agent, url, {})));
      expect(vpr.status, JSON.stringify(vpr.json)).toBe(200);
      const { challenge } = vpr.json['verifiablePresentationRequest'] as { challenge: string };
      const vp = await createPresentation({
        passport: await passportFor(agent),
        signer: agentSigner,
        challenge,
        domain: a.url,
      });
      const toA = await signedPost(agent, url, { verifiablePresentation: vp });
      const toB = await signedPost(agent, url, { verifiablePresentation: vp });
      const answers = await Promise.all([post(toA), post(new Request(onB(url), toB))]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(answers)).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)?.json.code).toBe('ERR_LOGIN_CHALLENGE_USED');
    }
  }, 60_000);

  it('a session opened on A is honoured on B; revoked on B, it is refused on A (ERR_LOGIN_SESSION_REVOKED)', async () => {
    // The load balancer: requests for the public origin (A's) go to the instance `to` names.
    let to = a.url;
    const balance = (r: Request) => fetch(new Request(r.url.replace(a.url, to), r));
    const passport = await passportFor(agent);
    const api = await login(a.site.workflowUrl, { key: agent, passport, siteDocument, fetch: balance });
    to = b.url;
    const viaB = await api(`${a.url}/api/me`);
    expect(viaB.status).toBe(200);
    expect(await b.site.revokeSession(api.session.id)).toBe(true);
    expect(await b.site.revokeSession(api.session.id)).toBe(false);
    to = a.url;
    const r = await api(`${a.url}/api/me`);
    expect(((await r.json()) as { code: string }).code).toBe('ERR_LOGIN_SESSION_REVOKED');
  });
});

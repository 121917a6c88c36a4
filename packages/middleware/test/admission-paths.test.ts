// SPDX-License-Identifier: Apache-2.0
// The one-step admission (a store with `admit`: the Redis store takes a request's nonce and every
// usage counter in one round trip) against the reference path (checkAndSet, then increment counter
// by counter). Every wire-format vector and a set of hostile sequences (replays, maxCalls used up,
// a delegation chain whose ancestors have maxCalls, refused passports) must give the same
// verification, check by check, on both paths: in memory, and on a real Redis.

import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentPassport } from '@agent-passport/core';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import {
  type Admission,
  type AdmissionStore,
  createMemoryStore,
  DELEGATION_HEADER,
  type NonceWindow,
  PASSPORT_HEADER,
  passportRef,
  type ReplayStore,
  signRequest,
  type UsageCount,
  type UsageStore,
} from '@agent-passport/http-signatures';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis, type RunningRedis, startRedis } from '../../http-signatures/test/redis-server.js';
import {
  createRequestVerifier,
  type RequestVerification,
  type RequestVerifierOptions,
} from '../src/index.js';

type Store = ReplayStore & UsageStore;

/** The store without `admit`: the middleware then asks it one call after another. */
const oneByOne = (store: Store): Store => ({
  checkAndSet: (key, window) => store.checkAndSet(key, window),
  increment: (key, limit, ttl) => store.increment(key, limit, ttl),
});

/** An admission store whose `admit` is the reference sequence itself (in memory). */
function admitting(store: Store): Store & AdmissionStore {
  return {
    ...oneByOne(store),
    async admit(key: string, window: NonceWindow, counters: readonly UsageCount[]): Promise<Admission> {
      if (!(await store.checkAndSet(key, window))) return { first: false, exceeded: -1 };
      for (const [i, c] of counters.entries())
        if (!(await store.increment(c.key, c.limit, c.ttlSeconds)).ok) return { first: true, exceeded: i };
      return { first: true, exceeded: -1 };
    },
  };
}

/** Everything a caller reads of a verification. */
const seen = (r: RequestVerification) => ({
  verified: r.verified,
  checks: r.checks,
  errors: r.errors,
  agent: r.agent,
  keyId: r.keyId,
  nonce: r.nonce,
  passportRef: r.passportRef,
  principals: r.delegation?.principals,
});

interface VectorStep {
  readonly request: { method: string; url: string; headers: Record<string, string>; body?: string };
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/vectors/agent-passport/requests.json'), 'utf8'),
) as {
  verifier: { now: string; trustedIssuers: never[]; skewSeconds: number };
  vectors: { name: string; steps: VectorStep[] }[];
};

describe('admission: one step or one call after another, the same verification', () => {
  it('every wire-format vector, step by step (in memory)', async () => {
    const { now, trustedIssuers, skewSeconds } = vectors.verifier;
    const clock = () => new Date(now);
    for (const vector of vectors.vectors) {
      const make = (wrap: (s: Store) => Store) =>
        createRequestVerifier({
          verifier: createVerifier({ trustedIssuers, clock }),
          clock,
          maxSkewSeconds: skewSeconds,
          store: wrap(createMemoryStore({ now: () => clock().getTime() })),
        });
      const [fast, reference] = [make(admitting), make(oneByOne)];
      for (const [i, step] of vector.steps.entries()) {
        const { method, url, headers, body } = step.request;
        const request = () => new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
        const [a, b] = [await fast.verifyRequest(request()), await reference.verifyRequest(request())];
        expect(seen(a), `${vector.name} step ${i}`).toEqual(seen(b));
      }
    }
  });
});

describe.skipIf(!haveRedis())(
  'admission on a real Redis: EVALSHA script against the calls one by one',
  () => {
    const ORIGIN = 'https://api.example';
    const org = generateKey();
    const agent = generateKey();
    const leaf = generateKey();
    const config = { trustedIssuers: [org.did], origin: ORIGIN };
    let redis: RunningRedis;
    const closers: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      for (const c of closers) await c();
      await redis?.stop();
    });

    const signer = (k: KeyMaterial) => {
      const key = privateKeyObject(k);
      return (data: Uint8Array) => new Uint8Array(sign(null, data, key));
    };
    const passportWith = (extra: Record<string, unknown>) =>
      issuePassport({
        issuer: { id: org.did, signer: didKeySigner(org) },
        subject: agent.did,
        agentName: 'differential',
        purpose: 'testing',
        scopes: ['read:notes'],
        validUntil: new Date(Date.now() + 3_600_000),
        ...extra,
      });
    /** Two verifiers on one server: the store's admit, and the same store asked call by call. */
    function pair(extra: Partial<RequestVerifierOptions> = {}) {
      const prefix = `diff:${Math.random().toString(36).slice(2)}:`;
      const make = (wrap: (s: Store) => Store, p: string) => {
        const store = createRedisStore({ url: redis.url, keyPrefix: p, commandTimeoutMs: 10_000 });
        closers.push(() => store.close());
        return createRequestVerifier({ verifier: createVerifier(config), store: wrap(store), ...extra });
      };
      return [make((s) => s, `${prefix}a:`), make(oneByOne, `${prefix}b:`)] as const;
    }
    async function same(
      verifiers: ReturnType<typeof pair>,
      requests: readonly (() => Promise<Request>)[],
    ): Promise<RequestVerification[]> {
      const out = [];
      for (const [i, make] of requests.entries()) {
        const request = await make();
        const [a, b] = [
          await verifiers[0].verifyRequest(request.clone()),
          await verifiers[1].verifyRequest(request.clone()),
        ];
        expect(seen(a), `request ${i}`).toEqual(seen(b));
        out.push(a);
      }
      return out;
    }
    const inline = (passport: AgentPassport, path = '/notes', extra: Record<string, string> = {}) => {
      const bytes = new TextEncoder().encode(JSON.stringify(passport));
      return () =>
        signRequest(new Request(`${ORIGIN}${path}`), {
          keyId: `${agent.did}#${agent.publicKeyMultibase}`,
          signer: signer(agent),
          extraHeaders: { [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url'), ...extra },
        });
    };

    it('replays, maxCalls used up, then the compact form: the same answers', async () => {
      const passport = await passportWith({ maxCalls: 3 });
      const ref = passportRef(new TextEncoder().encode(JSON.stringify(passport)));
      const first = await inline(passport)();
      const compact = () =>
        signRequest(new Request(`${ORIGIN}/notes`), { keyId: ref, signer: signer(agent) });
      const results = await same(pair(), [
        async () => first,
        async () => first, // a replay
        compact,
        compact,
        compact, // the fourth call: maxCalls 3
        async () => first, // still a replay
      ]);
      expect(results.map((r) => r.errors[0]?.code ?? 'ok')).toEqual([
        'ok',
        'ERR_REPLAY',
        'ok',
        'ok',
        'ERR_USAGE_EXCEEDED',
        'ERR_REPLAY',
      ]);
    });

    it('a delegation chain whose root and leaf have maxCalls: counted root first, refused at each', async () => {
      const root = await passportWith({ maxCalls: 4, delegation: { allowed: true, maxDepth: 1 } });
      const link = await delegate({
        parent: root,
        signer: didKeySigner(agent),
        subject: leaf.did,
        scopes: ['read:notes'],
        validUntil: new Date(Date.now() + 600_000),
        audience: [ORIGIN],
        maxCalls: 2,
      });
      const rootBytes = new TextEncoder().encode(JSON.stringify(root));
      const chain = Buffer.from(JSON.stringify([link])).toString('base64url');
      const call = () =>
        signRequest(new Request(`${ORIGIN}/notes`), {
          keyId: `${leaf.did}#${leaf.publicKeyMultibase}`,
          signer: signer(leaf),
          extraHeaders: {
            [PASSPORT_HEADER]: Buffer.from(rootBytes).toString('base64url'),
            [DELEGATION_HEADER]: chain,
          },
        });
      const plannerCall = inline(root, '/notes?by=planner');
      const verifiers = pair({ delegation: createDelegationVerifier(config) });
      const results = await same(verifiers, [call, call, call, plannerCall, plannerCall, call]);
      expect(results.map((r) => r.errors[0]?.message ?? 'ok')).toEqual([
        'ok',
        'ok',
        `maxCalls 2 of ${link.id} reached`,
        'ok',
        'maxCalls 4 reached',
        `maxCalls 4 of ${String(root.id)} reached`,
      ]);
    });

    it('refused before replay (a foreign passport, a tampered signature): nothing stored, the same codes', async () => {
      const stranger = generateKey();
      const foreign = await issuePassport({
        issuer: { id: stranger.did, signer: didKeySigner(stranger) },
        subject: agent.did,
        agentName: 'foreign',
        purpose: 'testing',
        scopes: ['read:notes'],
        validUntil: new Date(Date.now() + 3_600_000),
        maxCalls: 1,
      });
      const passport = await passportWith({ maxCalls: 1 });
      const tampered = async () => {
        const r = await inline(passport)();
        const headers = new Headers(r.headers);
        headers.set(
          'signature-input',
          (headers.get('signature-input') as string).replace('created=', 'created=1'),
        );
        return new Request(r.url, { headers });
      };
      const results = await same(pair(), [inline(foreign), tampered, inline(passport), inline(passport)]);
      expect(results.map((r) => r.errors[0]?.code ?? 'ok')).toEqual([
        'ERR_ISSUER_UNTRUSTED',
        'ERR_SIG_NOT_YET_VALID',
        'ok',
        'ERR_USAGE_EXCEEDED',
      ]);
    });
  },
);

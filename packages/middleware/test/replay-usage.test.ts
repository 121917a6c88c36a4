// SPDX-License-Identifier: Apache-2.0
// The replay and usage steps of verifyRequest from the attacker's side (docs/security.md): a
// nonce is remembered from the signature's `created`, so verifiers with different clocks sharing
// one store never both admit a request; and maxCalls counters are per passport (issuer id + digest of the signed content), so passports without `id`, or whose issuer
// is an object, never share a counter, and re-serialising a passport does not reset its count.
// With the in-memory store and with a real redis-server.
import { sign } from 'node:crypto';
import { createDocumentLoader } from '@agent-passport/contexts';
import {
  createMemoryStore,
  PASSPORT_HEADER,
  type ReplayStore,
  signRequest,
  type UsageStore,
} from '@agent-passport/http-signatures';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject, signCredential } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis, type RunningRedis, startRedis } from '../../http-signatures/test/redis-server.js';
import { createRequestVerifier, refusal } from '../src/index.js';

const orgA = generateKey();
const orgB = generateKey();
const attacker = generateKey();
const victim = generateKey();
const loader = createDocumentLoader();
const keyIdOf = (k: KeyMaterial) => `${k.did}#${k.publicKeyMultibase}`;

/** A passport as the issuer chooses to write it: no `id`, the issuer as a string or an object. */
async function passport(
  org: KeyMaterial,
  agent: KeyMaterial,
  issuer: 'string' | 'object',
  maxCalls: number,
  at: Date = new Date(),
) {
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
    type: ['VerifiableCredential', 'AgentPassport'],
    issuer: issuer === 'string' ? org.did : { id: org.did, name: 'Example Org' },
    validFrom: new Date(at.getTime() - 60_000).toISOString(),
    validUntil: new Date(at.getTime() + 86_400_000).toISOString(),
    credentialSubject: {
      id: agent.did,
      agentName: 'agent',
      purpose: 'testing',
      scopes: ['read:x'],
      maxCalls,
    },
  };
  return signCredential(credential, {
    signer: didKeySigner(org),
    created: at,
    documentLoader: loader,
  });
}

/** A request signed by `agent` carrying the passport's exact `bytes`. */
async function call(
  agent: KeyMaterial,
  bytes: Uint8Array,
  options: { created?: number; expiresIn?: number } = {},
) {
  const key = privateKeyObject(agent);
  return signRequest(new Request('https://api.example/x'), {
    keyId: keyIdOf(agent),
    signer: (data) => new Uint8Array(sign(null, data, key)),
    extraHeaders: { [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url') },
    ...options,
  });
}
const bytesOf = (p: object, space?: number) => new TextEncoder().encode(JSON.stringify(p, null, space));

type Store = ReplayStore & UsageStore;
const stores: [string, () => Promise<Store>][] = [['memory store', async () => createMemoryStore()]];
let redis: RunningRedis | undefined;
const opened: { close(): Promise<void> }[] = [];
if (haveRedis())
  stores.push([
    'Redis store',
    async () => {
      redis ??= await startRedis();
      const s = createRedisStore({
        url: redis.url,
        keyPrefix: `usage-${Math.random()}:`,
        commandTimeoutMs: 10_000,
      });
      opened.push(s);
      return s;
    },
  ]);
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis?.stop();
});

describe('replay: verifiers whose clocks are 3 s apart share one store', () => {
  it('a request first shown to the instance whose clock is ahead is refused later by the other (ERR_REPLAY)', async () => {
    // Real time t (ms); the store and verifier B read it, verifier A is 3 s ahead.
    const c = 1_900_000_000;
    let t = (c - 33) * 1000;
    const store = createMemoryStore({ now: () => t });
    const verifier = createVerifier({ trustedIssuers: [orgA.did] });
    const a = createRequestVerifier({ verifier, store, clock: () => new Date(t + 3000) });
    const b = createRequestVerifier({ verifier, store, clock: () => new Date(t) });
    // The request verifiers hand their own time to the passport verifier: valid around c.
    const p = bytesOf(await passport(orgA, attacker, 'string', 1000, new Date((c - 40) * 1000)));
    const request = await call(attacker, p, { created: c, expiresIn: 3600 });
    // A sees it 30 s before `created` by its own clock: within the skew, admitted.
    const first = await a.verifyRequest(request.clone());
    expect(first.errors).toEqual([]);
    // 332 s later B, whose clock says the request is 299 s old (under maxAge 300), gets the replay.
    t = (c + 299) * 1000;
    const replay = await b.verifyRequest(request.clone());
    expect(replay.verified).toBe(false);
    expect(replay.errors[0]?.code).toBe('ERR_REPLAY');
  });
});

describe('one time per request, one skew name', () => {
  const c = 1_900_000_000;
  // A passport verifier whose own clock is years away: never read while a request verifier calls it.
  const verifier = createVerifier({
    trustedIssuers: [orgA.did],
    clock: () => new Date('2000-01-01T00:00:00Z'),
  });
  it('the request verifier hands its time to the passport verifier', async () => {
    const p = bytesOf(await passport(orgA, attacker, 'string', 10, new Date((c - 40) * 1000)));
    const rv = createRequestVerifier({ verifier, clock: () => new Date(c * 1000) });
    const r = await rv.verifyRequest(await call(attacker, p, { created: c }));
    expect(r.errors).toEqual([]);
  });
  it('a call passes its own now, for the signature and the passport alike', async () => {
    const p = bytesOf(await passport(orgA, attacker, 'string', 10, new Date((c - 40) * 1000)));
    const rv = createRequestVerifier({ verifier, clock: () => new Date('2000-01-01T00:00:00Z') });
    const r = await rv.verifyRequest(await call(attacker, p, { created: c }), { now: new Date(c * 1000) });
    expect(r.errors).toEqual([]);
  });
  it('maxSkewSeconds defaults to 60: created 50 s ahead is admitted, 70 s ahead is not', async () => {
    const p = bytesOf(await passport(orgA, attacker, 'string', 10, new Date((c - 40) * 1000)));
    const rv = createRequestVerifier({ verifier, clock: () => new Date(c * 1000) });
    const near = await rv.verifyRequest(await call(attacker, p, { created: c + 50 }));
    expect(near.errors).toEqual([]);
    const far = await rv.verifyRequest(await call(attacker, p, { created: c + 70 }));
    expect(far.errors[0]?.code).toBe('ERR_SIG_NOT_YET_VALID');
    expect(() => createRequestVerifier({ verifier, maxSkewSeconds: 601 })).toThrow(RangeError);
  });
});

describe('usage: one counter per passport, whatever its id and issuer look like', () => {
  let attackerA: Uint8Array;
  let victimB: Uint8Array;
  let attackerSameIssuer: Uint8Array;
  let victimSameIssuer: Uint8Array;
  beforeAll(async () => {
    attackerA = bytesOf(await passport(orgA, attacker, 'object', 2));
    victimB = bytesOf(await passport(orgB, victim, 'object', 2));
    attackerSameIssuer = bytesOf(await passport(orgA, attacker, 'string', 2));
    victimSameIssuer = bytesOf(await passport(orgA, victim, 'string', 2));
  });

  for (const [name, open] of stores) {
    describe(name, () => {
      const verifierFor = async () =>
        createRequestVerifier({
          verifier: createVerifier({ trustedIssuers: [orgA.did, orgB.did] }),
          store: await open(),
        });

      it('two issuers given as objects, passports without id: the attacker cannot use up the victim', async () => {
        const rv = await verifierFor();
        const mine = [];
        for (let i = 0; i < 3; i++)
          mine.push((await rv.verifyRequest(await call(attacker, attackerA))).errors[0]?.code);
        expect(mine).toEqual([undefined, undefined, 'ERR_USAGE_EXCEEDED']);
        const theirs = await rv.verifyRequest(await call(victim, victimB));
        expect(theirs.errors).toEqual([]);
      });

      it('one issuer (a string), two passports without id: separate counters', async () => {
        const rv = await verifierFor();
        for (let i = 0; i < 2; i++)
          expect((await rv.verifyRequest(await call(attacker, attackerSameIssuer))).verified).toBe(true);
        const theirs = await rv.verifyRequest(await call(victim, victimSameIssuer));
        expect(theirs.errors).toEqual([]);
      });

      it('re-serialising a passport (other bytes, same signed content) does not reset its count', async () => {
        const rv = await verifierFor();
        const parsed = JSON.parse(new TextDecoder().decode(attackerA)) as object;
        const results = [];
        for (const space of [undefined, 1, 2, 3])
          results.push(
            (await rv.verifyRequest(await call(attacker, bytesOf(parsed, space)))).errors[0]?.code,
          );
        expect(results).toEqual([undefined, undefined, 'ERR_USAGE_EXCEEDED', 'ERR_USAGE_EXCEEDED']);
      });
    });
  }
});

describe.skipIf(!haveRedis())('a Redis that can forget, and one that restarted, as HTTP answers', () => {
  it('no persistence → 503 ERR_STORE_NOT_DURABLE; a request signed before a restart → 401 ERR_STORE_RESTARTED', async () => {
    const volatile = await startRedis({ durable: false });
    const strict = createRedisStore({ url: volatile.url });
    const relaxed = createRedisStore({ url: volatile.url, allowNonDurableRedis: true });
    try {
      const verifier = createVerifier({ trustedIssuers: [orgA.did] });
      const p = bytesOf(await passport(orgA, attacker, 'string', 1000));
      const refused = await createRequestVerifier({ verifier, store: strict }).verifyRequest(
        await call(attacker, p),
      );
      expect(refusal(refused)).toMatchObject({ status: 503, body: { code: 'ERR_STORE_NOT_DURABLE' } });
      const rv = createRequestVerifier({ verifier, store: relaxed });
      const request = await call(attacker, p, { expiresIn: 300 });
      expect((await rv.verifyRequest(request.clone())).verified).toBe(true);
      await new Promise((r) => setTimeout(r, 1100));
      await volatile.restart();
      let replay = await rv.verifyRequest(request.clone());
      for (let i = 0; i < 50 && replay.errors[0]?.code === 'ERR_STORE_UNAVAILABLE'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        replay = await rv.verifyRequest(request.clone());
      }
      expect(refusal(replay)).toMatchObject({ status: 401, body: { code: 'ERR_STORE_RESTARTED' } });
    } finally {
      await strict.close();
      await relaxed.close();
      await volatile.stop();
    }
  }, 30_000);
});

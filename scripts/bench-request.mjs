// SPDX-License-Identifier: Apache-2.0
// The signed-request rows of `npm run bench`: the agent signs (RFC 9421, the compact form after
// first contact), the service verifies signature, passport, holder, body, replay and usage, with
// the memory store, with Redis one request at a time (latency-bound: one round trip each) and with
// many requests in flight (auto-pipelined), the round trip under the Redis row (the store's
// admission alone, a bare PING), and a delegated agent's chain; then the bytes of
// headers the agent's fetch adds. Standalone (`node scripts/bench-request.mjs [--smoke]
// [--rounds N]`) it runs only these rows, N rounds (default 3), and prints each row's median ratio:
// on a shared machine one round decides little.
import { execFileSync, spawn } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import {
  createAgentFetch,
  createMemoryStore,
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  signRequest,
} from '@agent-passport/http-signatures';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { createRequestVerifier } from '@agent-passport/middleware';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { Redis } from 'ioredis';
import { createMeasure } from './bench-measure.mjs';

const ADDED = [
  'signature-input',
  'signature',
  'content-digest',
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
];
/** Bytes of the headers the agent adds, as HTTP/1.1 sends them ("name: value\r\n"). */
const addedBytes = (request) => {
  let n = 0;
  for (const name of ADDED) {
    const v = request.headers.get(name);
    if (v !== null) n += name.length + 2 + v.length + 2;
  }
  return n;
};

/** What the agent's fetch sends: first contact (a POST with a body), then a POST and a GET. */
async function wireSizes(passport, keyId, rawSign) {
  const sent = [];
  const agentFetch = createAgentFetch({
    passport,
    keyId,
    signer: rawSign,
    fetch: async (request) => {
      sent.push(request);
      return new Response('ok');
    },
  });
  const body = JSON.stringify({ query: 'agent identity', limit: 10 });
  const post = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
  await agentFetch('https://api.example/papers/search', post);
  await agentFetch('https://api.example/papers/search', post);
  await agentFetch('https://api.example/papers/42');
  return {
    requestHeadersFirstContactBytes: addedBytes(sent[0]),
    requestHeadersAfterBytes: addedBytes(sent[1]),
    requestHeadersAfterBodilessBytes: addedBytes(sent[2]),
  };
}

/**
 * A throwaway redis-server without persistence (the rows measure verification, not durability),
 * on a loopback port and on a Unix socket.
 */
async function throwawayRedis() {
  execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  const port = await new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const socket = join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...['--dir', dir, '--unixsocket', socket, '--unixsocketperm', '700'],
    ],
    { stdio: 'ignore' },
  );
  for (let t = 0; t < 100; t++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    socket,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The rows. `measure(name, fn, iterations?)` is bench.mjs's (a median per call and the adjacent
 * raw-verify baseline); `iterations` and `warm` its counts; `claims` the passport's claims with
 * `issuer`; `agent` the subject's key material.
 */
export async function benchRequest({ measure, iterations, warm, verifier, passport, claims, org, agent }) {
  const rows = [];
  const agentKey = privateKeyObject(agent);
  const rawSign = (data) => new Uint8Array(sign(null, data, agentKey));
  const keyId = `${agent.did}#${agent.publicKeyMultibase}`;
  const passportBytes = new TextEncoder().encode(JSON.stringify(passport));
  const inline = Buffer.from(passportBytes).toString('base64url');
  const ref = passportRef(passportBytes);
  const body = JSON.stringify({ query: 'agent identity', limit: 10 });
  const bodyBytes = new TextEncoder().encode(body);
  const makeRequest = (first) =>
    signRequest(
      new Request('https://api.example/papers/search', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }),
      // As the agent's fetch does: the passport inline on first contact, then the compact form
      // (keyid = the passport reference, no passport header).
      first
        ? { keyId, signer: rawSign, extraHeaders: { [PASSPORT_HEADER]: inline } }
        : { keyId: ref, signer: rawSign },
    );
  rows.push(await measure('sign a request', () => makeRequest(false)));
  const accepted = (r) => {
    if (!r.verified) throw new Error(`bench request refused: ${JSON.stringify(r.errors)}`);
  };
  const pool = async (n) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await makeRequest(false));
    return out;
  };
  // A server holds the body bytes (the Node adapters and the fetch-handler middleware pass them);
  // the clone row reads the body from a clone of the Request instead, as a bare verifyRequest does.
  async function one(name, store, given = true) {
    const rv = createRequestVerifier({ verifier, ...(store ? { store } : {}) });
    accepted(await rv.verifyRequest(await makeRequest(true)));
    const requests = await pool(iterations + warm);
    let i = 0;
    const call = given ? { body: bodyBytes } : {};
    rows.push(await measure(name, async () => accepted(await rv.verifyRequest(requests[i++], call))));
  }
  /** Per request, with `inFlight` requests verified concurrently (a server under load). */
  async function concurrent(name, store, inFlight) {
    const rv = createRequestVerifier({ verifier, store });
    accepted(await rv.verifyRequest(await makeRequest(true)));
    const batches = Math.max(2, Math.ceil(iterations / inFlight));
    // `measure` warms up with `warm` calls, each a batch here.
    const requests = await pool((batches + warm) * inFlight);
    let i = 0;
    const call = { body: bodyBytes };
    const row = await measure(
      name,
      async () => {
        const batch = requests.slice(i, i + inFlight);
        i += inFlight;
        for (const r of await Promise.all(batch.map((q) => rv.verifyRequest(q, call)))) accepted(r);
      },
      batches,
    );
    rows.push({ ...row, medianUs: row.medianUs / inFlight, p99Us: row.p99Us / inFlight });
  }
  await one('verify a signed request (memory store)');
  await one('verify a signed request (memory, body from a clone)', undefined, false);
  rows.push(...(await benchDelegated({ measure, iterations, warm, claims, org, agent })));
  let redis;
  try {
    redis = await throwawayRedis();
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: `bench:${Date.now()}:`,
      allowNonDurableRedis: true,
    });
    await one('verify a signed request (Redis store)', store);
    rows.push(...(await roundTrips({ measure, store, url: redis.url })));
    const floor = pingThenMemory(redis.url);
    await one('the memory-store path, then one bare PING (the Redis floor)', floor);
    floor.close();
    await concurrent('verify a signed request (Redis store, 32 in flight, per request)', store, 32);
    await store.close();
    const local = createRedisStore({
      url: redis.socket,
      keyPrefix: `bench-unix:${Date.now()}:`,
      allowNonDurableRedis: true,
    });
    await one('verify a signed request (Redis store over a Unix socket)', local);
    await local.close();
  } catch (e) {
    console.log(`(Redis rows skipped: ${e.message})`);
  } finally {
    redis?.stop();
  }
  return { rows, sizes: await wireSizes(passport, keyId, rawSign) };
}

/**
 * The floor of the Redis row: the store's admission alone (the same EVALSHA script through the
 * same client: one round trip, a fresh nonce and one counter), and a bare PING through a plain
 * ioredis client. The Redis row reads as the memory row plus the first of these.
 */
async function roundTrips({ measure, store, url }) {
  const rows = [];
  const created = Math.floor(Date.now() / 1000);
  const window = { created, until: created + 360 };
  const counter = [{ key: 'bench-round-trip', limit: 1_000_000_000, ttlSeconds: 3600 }];
  let n = 0;
  rows.push(
    await measure('Redis admission alone (one EVALSHA round trip)', async () => {
      const r = await store.admit(`round-trip:${n++}`, window, counter);
      if (!r.first || r.exceeded !== -1) throw new Error('bench admission refused');
    }),
  );
  const client = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    rows.push(await measure('Redis PING round trip (bare ioredis client)', () => client.ping()));
  } finally {
    client.disconnect();
  }
  return rows;
}

/**
 * The memory store admitting each request only after one bare PING has come back: what the Redis
 * row would cost if the store added nothing but its round trip (the script, the epoch check and the
 * client's work then make up the difference).
 */
function pingThenMemory(url) {
  const client = new Redis(url, { maxRetriesPerRequest: 0 });
  const memory = createMemoryStore();
  return {
    checkAndSet: memory.checkAndSet,
    increment: memory.increment,
    async admit(key, window, counters) {
      await client.ping();
      return memory.admitNow(key, window, counters);
    },
    close: () => client.disconnect(),
  };
}

/**
 * A depth-2 delegate (organisation → agent → middle agent → leaf) calling with its chain: cold is
 * first contact with a service that has seen nothing (passport and chain inline, no caches); cached
 * is a later request (both references) to a service that verified the chain before.
 */
async function benchDelegated({ measure, iterations, warm, claims, org, agent }) {
  const rows = [];
  const [middle, leaf] = [generateKey(), generateKey()];
  const origin = 'https://api.example';
  const until = new Date(Date.now() + 3_600_000);
  const root = await issuePassport({ ...claims, delegation: { allowed: true, maxDepth: 2 } });
  const common = { validUntil: until, audience: [origin], maxCalls: 1_000_000_000 };
  const l1 = await delegate({
    parent: root,
    signer: didKeySigner(agent),
    subject: middle.did,
    scopes: ['read:arxiv'],
    maxDepth: 1,
    ...common,
  });
  const l2 = await delegate({
    parent: l1,
    signer: didKeySigner(middle),
    subject: leaf.did,
    scopes: ['read:arxiv'],
    ...common,
  });
  const rootBytes = new TextEncoder().encode(JSON.stringify(root));
  const chainBytes = new TextEncoder().encode(JSON.stringify([l1, l2]));
  const leafKey = privateKeyObject(leaf);
  const sign2 = (first) =>
    signRequest(new Request(`${origin}/papers`), {
      keyId: `${leaf.did}#${leaf.publicKeyMultibase}`,
      signer: (data) => new Uint8Array(sign(null, data, leafKey)),
      extraHeaders: first
        ? {
            [PASSPORT_HEADER]: Buffer.from(rootBytes).toString('base64url'),
            [DELEGATION_HEADER]: Buffer.from(chainBytes).toString('base64url'),
          }
        : { [PASSPORT_REF_HEADER]: passportRef(rootBytes), [DELEGATION_REF_HEADER]: passportRef(chainBytes) },
    });
  const service = () => {
    const config = { trustedIssuers: [org.did], origin };
    return createRequestVerifier({
      verifier: createVerifier(config),
      delegation: createDelegationVerifier(config),
    });
  };
  const ok = (r) => {
    if (!r.verified) throw new Error(`bench delegated request refused: ${JSON.stringify(r.errors)}`);
  };
  const firsts = [];
  for (let i = 0; i < iterations + warm; i++) firsts.push(await sign2(true));
  let i = 0;
  rows.push(
    await measure('verify a depth-2 delegated request (cold)', async () =>
      ok(await service().verifyRequest(firsts[i++], { body: new Uint8Array() })),
    ),
  );
  const warmed = service();
  ok(await warmed.verifyRequest(await sign2(true), { body: new Uint8Array() }));
  const laters = [];
  for (let j = 0; j < iterations + warm; j++) laters.push(await sign2(false));
  i = 0;
  rows.push(
    await measure('verify a depth-2 delegated request again (cached)', async () =>
      ok(await warmed.verifyRequest(laters[i++], { body: new Uint8Array() })),
    ),
  );
  return rows;
}

/** Standalone: only the request rows, several rounds, the median ratio of each row. */
async function main() {
  const smoke = process.argv.includes('--smoke');
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : smoke ? 1 : 3;
  const iterations = smoke ? 5 : 2000;
  const warm = smoke ? 2 : 300;
  const { measure } = createMeasure({ iterations, warm });
  const org = generateKey();
  const agent = generateKey();
  const claims = {
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: agent.did,
    agentName: 'bench-agent',
    purpose: 'benchmark',
    scopes: ['read:arxiv', 'write:notes/*'],
    validUntil: new Date(Date.now() + 86_400_000),
    maxCalls: 1_000_000_000,
  };
  const passport = await issuePassport(claims);
  const verifier = createVerifier({ trustedIssuers: [org.did] });
  const ratios = new Map();
  let sizes;
  for (let r = 0; r < rounds; r++) {
    const out = await benchRequest({ measure, iterations, warm, verifier, passport, claims, org, agent });
    sizes = out.sizes;
    for (const row of out.rows)
      ratios.set(row.name, [...(ratios.get(row.name) ?? []), row.medianUs / row.baselineUs]);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`signed-request rows, ${rounds} round(s): median ratio to a raw Ed25519 verify [each round]`);
  for (const [name, xs] of ratios)
    console.log(`${name.padEnd(68)}${median(xs).toFixed(2)}×  [${xs.map((x) => x.toFixed(2)).join(' ')}]`);
  console.log(
    `headers added: ${sizes.requestHeadersFirstContactBytes} B on first contact, ${sizes.requestHeadersAfterBytes} B after (POST with a body), ${sizes.requestHeadersAfterBodilessBytes} B after (bodiless GET)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

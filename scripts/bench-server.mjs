// SPDX-License-Identifier: Apache-2.0
// The VC API server rows of `npm run bench`: `POST /credentials/verify` over loopback HTTP, driven by
// autocannon for a bounded time, against a server in its own process (one worker, then one per
// core through node:cluster, as `agent-passport serve --workers N` runs it). Each credential sent is
// distinct (a pool larger than anything a cache could make useful: the server has none), so every
// request is a full verification. Throughput is a ratio to the raw Ed25519 verifies per second
// measured on one core in this process right before each row.
//
// Run alone: `node scripts/bench-server.mjs [--smoke]`. The server process is this same file with
// `--server-child`.
import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { startVcApiServer } from '@agent-passport/server';
import {
  decodePrivateKeyMultibase,
  didKeySigner,
  encodePrivateKeyMultibase,
  signCredential,
} from '@agent-passport/suites';

const TOKEN = 'bench-operator-token-0123456789';

/** Raw Ed25519 verifies per second on one core (key object reused), over about `ms`. */
function rawVerifyRate(ms) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('baseline').digest();
  const signature = sign(null, message, privateKey);
  for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature);
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 50; i++) verify(null, message, publicKey, signature);
    n += 50;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

/** The server process: `workers` node:cluster workers (1: this process serves) on one port. */
async function serverChild(workers, keyMultibase) {
  if (cluster.isPrimary && workers > 1) {
    const ports = [];
    for (let i = 0; i < workers; i++) {
      const w = cluster.fork();
      w.on('message', (m) => {
        ports.push(m.port);
        if (ports.length === workers) process.send?.({ port: m.port });
      });
    }
    process.on('disconnect', () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
      process.exit(0);
    });
    return;
  }
  const key = decodePrivateKeyMultibase(keyMultibase);
  const signer = didKeySigner(key);
  const did = signer.id.split('#')[0];
  const running = await startVcApiServer(
    (origin) => ({
      issuer: { did, signer, didDocument: resolveDidKey(did) },
      publicUrl: origin,
      operatorToken: TOKEN,
    }),
    { port: 0 },
  );
  process.send?.({ port: running.port });
  process.on('disconnect', () => process.exit(0));
}

/** Start the server process; resolves with its port and a stop function. */
function startServer(workers, keyMultibase) {
  // The key is a throwaway one made for this run.
  const child = fork(import.meta.filename, ['--server-child', String(workers), keyMultibase], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((ok, fail) => {
    child.once('message', (m) => ok({ port: m.port, stop: () => child.kill('SIGTERM') }));
    child.once('exit', (code) => fail(new Error(`the bench server exited (${code})`)));
  });
}

/** `count` distinct credentials of `key`'s DID, each a request body. */
async function credentials(key, count) {
  const signer = didKeySigner(key);
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const verifiableCredential = await signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `urn:uuid:bench-${i}`,
        type: ['VerifiableCredential'],
        issuer: key.did,
        validFrom: '2025-01-01T00:00:00Z',
        credentialSubject: { id: `did:example:subject-${i}`, name: `Subject ${i}` },
      },
      { signer, cryptosuite: 'eddsa-jcs-2022' },
    );
    bodies.push(JSON.stringify({ verifiableCredential }));
  }
  return bodies;
}

/** req/s of POST /credentials/verify for `seconds`; every answer must be 200. */
async function load(port, bodies, seconds, connections) {
  // Loaded here only: the server process (this file too) does not need it.
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: bodies.map((body) => ({
      method: 'POST',
      path: '/credentials/verify',
      headers: { 'content-type': 'application/json' },
      body,
    })),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench server: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

/**
 * The server rows: one worker (req/s as a ratio to raw verifies/s on one core) and every core.
 * Returns rows `{name, perSecond, rawPerSecond, ratio, workers}`.
 */
export async function benchServer({ smoke = false } = {}) {
  const seconds = smoke ? 1 : 8;
  const key = generateKey();
  const multibase = encodePrivateKeyMultibase(key);
  const bodies = await credentials(key, smoke ? 20 : 500);
  const rows = [];
  const cores = availableParallelism();
  for (const workers of [1, cores]) {
    const server = await startServer(workers, multibase);
    try {
      await load(server.port, bodies, smoke ? 1 : 2, 4); // warm-up
      const raw = rawVerifyRate(smoke ? 100 : 1000);
      const perSecond = await load(server.port, bodies, seconds, workers * 4);
      rows.push({
        name: `VC API POST /credentials/verify, ${workers} worker${workers === 1 ? '' : 's'} (req/s)`,
        workers,
        perSecond,
        rawPerSecond: raw,
        ratio: perSecond / raw,
      });
    } finally {
      server.stop();
    }
  }
  return rows;
}

/** Print the rows (bench.mjs prints them in its own table too). */
export function printServerRows(rows) {
  for (const r of rows)
    console.log(
      `${r.name.padEnd(64)}${r.perSecond.toFixed(0).padStart(8)} req/s = ${r.ratio.toFixed(2)}× the raw Ed25519 verifies/s on one core (${r.rawPerSecond.toFixed(0)}/s just before)`,
    );
}

if (process.argv[2] === '--server-child') {
  await serverChild(Number(process.argv[3]), process.argv[4]);
} else if (import.meta.filename === process.argv[1]) {
  printServerRows(await benchServer({ smoke: process.argv.includes('--smoke') }));
}

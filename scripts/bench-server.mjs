// SPDX-License-Identifier: Apache-2.0
// The VC API server rows of `npm run bench`: `POST /credentials/verify` over loopback HTTP, driven by
// autocannon for a bounded time, against a server in its own process (one worker, then one per
// core through node:cluster, as `agent-passport serve --workers N` runs it). Each credential sent is
// distinct (a pool larger than anything a cache could make useful: the server has none), so every
// request is a full verification. Throughput is a ratio to the raw Ed25519 verifies per second
// measured on one core in this process right before each row.
//
// On a shared 2-core machine the load generator and the server share the cores: so each row gives,
// beside requests per second of wall time, the server's own CPU time per request (requests per
// server CPU second over raw verifies per CPU second: the ratio that holds under load) and the share
// of a core autocannon itself used (near 100 %, the generator would be what is measured). Two more
// rows are floors: a bare node:http server reading the same bodies and answering a fixed result (the
// part of each request no service code can remove), and the same server making one raw Ed25519
// verify per request before it answers: the best any service on node:http can do, measured at the
// verify's own request rate (node:http costs more per request there than at the bare floor's rate,
// where each wake-up serves several requests).
//
// Run alone: `node scripts/bench-server.mjs [--smoke]`. The server process is this same file with
// `--server-child` (`--floor-child [verifies]` for the floors).
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

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Raw Ed25519 verifies (key object reused) per second of wall time and per second of this
 * process's CPU time, over about `ms`: the median of 20 slices, so that a burst of load on a shared
 * machine does not decide the figure.
 */
function rawVerifyRate(ms) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('baseline').digest();
  const signature = sign(null, message, privateKey);
  for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature);
  const wall = [];
  const cpu = [];
  for (let slice = 0; slice < 20; slice++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const cpuStart = cpuUs();
    const end = start + BigInt(Math.ceil(ms / 20)) * 1_000_000n;
    let now = start;
    while (now < end) {
      for (let i = 0; i < 20; i++) verify(null, message, publicKey, signature);
      n += 20;
      now = process.hrtime.bigint();
    }
    wall.push(n / (Number(now - start) / 1e9));
    cpu.push(n / (Math.max(1, cpuUs() - cpuStart) / 1e6));
  }
  const median = (xs) => xs.sort((x, y) => x - y)[10];
  return { wall: median(wall), cpu: median(cpu) };
}

/** Answer the parent's `cpu` question with this process's CPU time (and its workers'). */
function answerCpu(workers) {
  process.on('message', async (m) => {
    if (m?.type !== 'cpu') return;
    const asks = workers.map(
      (w) =>
        new Promise((ok) => {
          w.once('message', (r) => ok(r.us));
          w.send({ type: 'cpu' });
        }),
    );
    const theirs = (await Promise.all(asks)).reduce((x, y) => x + y, 0);
    process.send?.({ type: 'cpu', us: cpuUs() + theirs });
  });
}

/** The server process: `workers` node:cluster workers (1: this process serves) on one port. */
async function serverChild(workers, keyMultibase) {
  if (cluster.isPrimary && workers > 1) {
    const forked = [];
    const ports = [];
    for (let i = 0; i < workers; i++) {
      const w = cluster.fork();
      forked.push(w);
      w.once('message', (m) => {
        ports.push(m.port);
        if (ports.length === workers) process.send?.({ type: 'listening', port: m.port });
      });
    }
    answerCpu(forked);
    process.on('disconnect', () => {
      for (const w of forked) w.kill();
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
  answerCpu([]);
  process.send?.({ type: 'listening', port: running.port });
  process.on('disconnect', () => process.exit(0));
}

/** What every verify answer costs node:http alone: the body read, a fixed answer with the service's headers. */
const FLOOR_ANSWER =
  '{"verified":true,"checks":["dataModel","proof","validity"],"warnings":[],"errors":[]}\n';

/** `count` raw Ed25519 verifies (key object reused) per call: the cryptography of one request. */
function rawVerifier(count) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('floor').digest();
  const signature = sign(null, message, privateKey);
  return () => {
    for (let i = 0; i < count; i++)
      if (!verify(null, message, publicKey, signature)) throw new Error('the floor verify failed');
  };
}

/**
 * The floor process: a bare node:http server that reads each body whole, makes `verifies` raw
 * verifies and answers the fixed result, as the service's Node adapter writes it: how much of a
 * request is node:http's own (0), and the best a verifying service on node:http can do (1).
 */
async function floorChild(verifies) {
  const { createServer } = await import('node:http');
  const cryptography = rawVerifier(verifies);
  const headers = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': String(Buffer.byteLength(FLOOR_ANSWER)),
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      cryptography();
      res.writeHead(200, headers);
      res.end(FLOOR_ANSWER);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  answerCpu([]);
  process.send?.({ type: 'listening', port: server.address().port });
  process.on('disconnect', () => process.exit(0));
}

/**
 * Start the server process (`floor`: the floor server making that many raw verifies per request);
 * resolves with its port, a CPU-time probe and a stop function.
 */
function startServer(workers, keyMultibase, floor = undefined) {
  // The key is a throwaway one made for this run.
  const args =
    floor === undefined
      ? ['--server-child', String(workers), keyMultibase]
      : ['--floor-child', String(floor)];
  const child = fork(import.meta.filename, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cpu = () =>
    new Promise((ok) => {
      const on = (m) => {
        if (m.type !== 'cpu') return;
        child.off('message', on);
        ok(m.us);
      };
      child.on('message', on);
      child.send({ type: 'cpu' });
    });
  return new Promise((ok, fail) => {
    child.once('message', (m) => ok({ port: m.port, cpu, stop: () => child.kill('SIGTERM') }));
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

/**
 * POST /credentials/verify for `seconds` on `connections` kept-alive connections (autocannon builds
 * each request's bytes once: a fixed buffer per body); every answer must be 200. Returns requests per
 * second of wall time and per second of the server's CPU time (all its processes), and the share of
 * one core the load generator (this process) used: near 1, it and not the server was measured.
 */
async function load(server, bodies, seconds, connections) {
  // Loaded here only: the server process (this file too) does not need it.
  const { default: autocannon } = await import('autocannon');
  const before = await server.cpu();
  const generatorBefore = cpuUs();
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections,
    duration: seconds,
    requests: bodies.map((body) => ({
      method: 'POST',
      path: '/credentials/verify',
      headers: { 'content-type': 'application/json' },
      body,
    })),
  });
  const generatorShare = (cpuUs() - generatorBefore) / 1e3 / (performance.now() - started);
  const cpuSeconds = ((await server.cpu()) - before) / 1e6;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench server: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const cpu = result.requests.total / cpuSeconds;
  return { wall: result.requests.average, cpu, cpuSeconds, generatorShare };
}

/**
 * The server rows, one worker and one per core: requests per second of wall time and per second
 * of server CPU time, each as a ratio to raw verifies per second (wall, CPU) on one core measured
 * right before. On a shared machine the CPU-time ratio is the one that holds: the wall-time figures
 * depend on what else the machine runs.
 */
export async function benchServer({ smoke = false } = {}) {
  const seconds = smoke ? 1 : 8;
  const key = generateKey();
  const multibase = encodePrivateKeyMultibase(key);
  const bodies = await credentials(key, smoke ? 20 : 500);
  const rows = [];
  const cores = availableParallelism();
  for (const [workers, floor] of [
    [1, undefined],
    [cores, undefined],
    [1, 0],
    [1, 1],
  ]) {
    const server = await startServer(workers, multibase, floor);
    try {
      await load(server, bodies, smoke ? 1 : 2, 4); // warm-up
      const raw = rawVerifyRate(smoke ? 100 : 2000);
      const served = await load(server, bodies, seconds, workers * 8);
      rows.push({
        name: rowName(workers, floor),
        workers,
        floor,
        perSecond: served.wall,
        perCpuSecond: served.cpu,
        serverCpuSeconds: served.cpuSeconds,
        serverCpuUsPerRequest: 1e6 / served.cpu,
        generatorShare: served.generatorShare,
        rawPerSecond: raw.wall,
        rawPerCpuSecond: raw.cpu,
        ratio: served.wall / raw.wall,
        cpuRatio: served.cpu / raw.cpu,
      });
    } finally {
      server.stop();
    }
  }
  return rows;
}

/** A row's name: the service on `workers` workers, or the floor with `floor` raw verifies per request. */
function rowName(workers, floor) {
  if (floor === 0) return 'node:http floor (body read, fixed answer), 1 worker';
  if (floor === 1) return 'node:http floor + one raw verify per request, 1 worker';
  return `VC API POST /credentials/verify, ${workers} worker${workers === 1 ? '' : 's'}`;
}

/**
 * The rows for bench.mjs's table (time per request as a multiple of one raw verify: the inverse of
 * the throughput ratio), the throughput lines printed as they are measured.
 */
export async function benchServerRows({ smoke = false } = {}) {
  const rows = await benchServer({ smoke });
  printServerRows(rows);
  // Per request, in server CPU time: the inverse of the CPU-time throughput ratio.
  return rows.map((r) => ({
    name:
      r.floor === 0
        ? 'node:http floor of a verify request, 1 worker (CPU per request)'
        : r.floor === 1
          ? 'node:http floor + one raw verify, 1 worker (CPU per request)'
          : `VC API verify over HTTP, ${r.workers} worker${r.workers === 1 ? '' : 's'} (CPU per request)`,
    iterations: Math.round(r.perSecond),
    medianUs: 1e6 / r.perCpuSecond,
    p99Us: Number.NaN,
    baselineUs: 1e6 / r.rawPerCpuSecond,
    ...r,
  }));
}

/** Print the throughput lines. */
export function printServerRows(rows) {
  for (const r of rows)
    console.log(
      `${r.name}: ${r.perSecond.toFixed(0)} req/s = ${r.ratio.toFixed(2)}× raw verifies/s (${r.rawPerSecond.toFixed(0)}/s); per CPU second ${r.perCpuSecond.toFixed(0)} req = ${r.cpuRatio.toFixed(2)}× raw (${r.rawPerCpuSecond.toFixed(0)}/s); server CPU ${r.serverCpuUsPerRequest.toFixed(0)} µs per request (${r.serverCpuSeconds.toFixed(1)} s); load generator ${(100 * r.generatorShare).toFixed(0)} % of a core`,
    );
}

if (process.argv[2] === '--server-child') {
  await serverChild(Number(process.argv[3]), process.argv[4]);
} else if (process.argv[2] === '--floor-child') {
  await floorChild(Number(process.argv[3] ?? 0));
} else if (import.meta.filename === process.argv[1]) {
  printServerRows(await benchServer({ smoke: process.argv.includes('--smoke') }));
}

// SPDX-License-Identifier: Apache-2.0
// The load test's server process: one service per adapter (Express, Fastify, Hono, a fetch
// handler) on 127.0.0.1, and a stats port answering its memory after a full GC. Prints the ports.
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { createVerifier } from '@agent-passport/verifier';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import {
  agentPassport,
  expressAgentPassport,
  fastifyAgentPassport,
  withAgentPassport,
} from '../dist/index.js';

const options = () => ({
  verifier: createVerifier({ trustedIssuers: [process.argv[2]] }),
  origin: 'https://api.example',
});
const listen = (server) =>
  new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port)));
/** A fetch handler on Node, the request body streamed (as @hono/node-server does). */
const fetchServer = (handler) =>
  createServer(async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const bodyless = req.method === 'GET' || req.method === 'HEAD';
    const response = await handler(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        ...(bodyless ? {} : { body: Readable.toWeb(req), duplex: 'half' }),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });

const ex = express();
ex.use(expressAgentPassport(options()));
ex.post('/upload', (_req, res) => res.json({ ok: true }));

const fa = Fastify({ bodyLimit: 200 * 1024 * 1024 });
await fa.register(async (scope) => {
  await scope.register(fastifyAgentPassport, options());
  scope.post('/upload', async () => ({ ok: true }));
});
await fa.listen({ port: 0, host: '127.0.0.1' });

const ho = new Hono();
ho.use('*', agentPassport(options()));
ho.post('/upload', (c) => c.json({ ok: true }));

const fe = withAgentPassport(options(), () => Response.json({ ok: true }));

const stats = createServer((_req, res) => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  res.end(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers }));
});

const ports = {
  express: await listen(createServer(ex)),
  fastify: fa.server.address().port,
  hono: await listen(fetchServer((r) => ho.fetch(r))),
  fetch: await listen(fetchServer(fe)),
  stats: await listen(stats),
};
process.stdout.write(`${JSON.stringify(ports)}\n`);

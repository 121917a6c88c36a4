// SPDX-License-Identifier: Apache-2.0
// The site's fetch handlers mounted in Hono, Express and Fastify on 127.0.0.1: the agent logs in
// and calls a session route through each, and a stolen session is refused through each.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PASSPORT_HEADER } from '@agent-passport/http-signatures';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/agent.js';
import { createLoginSite, type LoginSite, SESSION_HEADER, toNodeHandler } from '../src/site.js';
import {
  agent,
  passportFor,
  post,
  rawSigner,
  SITE_DID,
  secret,
  signedPost,
  siteDocument,
  siteKey,
  thief,
  verifier,
} from './world.js';

interface Mounted {
  readonly name: string;
  readonly url: string;
  readonly site: LoginSite;
  close(): Promise<void>;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

async function listenNode(make: (origin: string) => NodeHandler): Promise<{ url: string; server: Server }> {
  let handler: NodeHandler = (_q, s) => s.end();
  const server = createServer((q, s) => void handler(q, s));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = make(url);
  return { url, server };
}

const siteAt = (origin: string) =>
  createLoginSite({
    origin,
    did: SITE_DID,
    keyId: `${SITE_DID}#key-1`,
    signer: rawSigner(siteKey),
    verifier: verifier(),
    secret,
  });
const me = (site: LoginSite) => site.protect((_r, { agent: a }) => Response.json({ agent: a }));
const close = (server: Server) => () =>
  new Promise<void>((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });

async function hono(): Promise<Mounted> {
  let site!: LoginSite;
  const { url, server } = await listenNode((origin) => {
    site = siteAt(origin);
    const app = new Hono();
    const api = me(site);
    app.all('/workflows/*', (c) => site.fetch(c.req.raw));
    app.all('/api/*', (c) => api(c.req.raw));
    return toNodeHandler((request) => Promise.resolve(app.fetch(request)));
  });
  return { name: 'hono', url, site, close: close(server) };
}

async function expressApp(): Promise<Mounted> {
  let site!: LoginSite;
  const { url, server } = await listenNode((origin) => {
    site = siteAt(origin);
    const app = express();
    app.use('/workflows', toNodeHandler(site.fetch));
    app.use('/api', toNodeHandler(me(site)));
    return app;
  });
  return { name: 'express', url, site, close: close(server) };
}

async function fastifyApp(): Promise<Mounted> {
  const app = Fastify();
  let site!: LoginSite;
  let node!: ReturnType<typeof toNodeHandler>;
  // Before any body parsing: the handler reads the raw body itself.
  app.addHook('onRequest', async (req, reply) => {
    reply.hijack();
    await node(req.raw, reply.raw);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  site = siteAt(url);
  const api = me(site);
  node = toNodeHandler((r) => (new URL(r.url).pathname.startsWith('/api/') ? api(r) : site.fetch(r)));
  return { name: 'fastify', url, site, close: () => app.close() };
}

let all: Mounted[] = [];
beforeAll(async () => {
  all = [await hono(), await expressApp(), await fastifyApp()];
});
afterAll(async () => {
  await Promise.all(all.map((m) => m.close()));
});

describe.each(['hono', 'express', 'fastify'])('mounted in %s', (name) => {
  const m = () => all.find((x) => x.name === name) as Mounted;

  it('logs in, calls the session route; a stolen session is refused (ERR_LOGIN_SESSION_KEY)', async () => {
    const api = await login(`${m().url}/workflows/agent-login`, {
      key: agent,
      passport: await passportFor(agent),
      siteDocument,
    });
    const r = await api(`${m().url}/api/me`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ agent: agent.did });
    const own = Buffer.from(JSON.stringify(await passportFor(thief))).toString('base64url');
    const stolen = await post(
      await signedPost(
        thief,
        `${m().url}/api/me`,
        {},
        { [PASSPORT_HEADER]: own, [SESSION_HEADER]: api.session.id },
      ),
    );
    expect(stolen.json.code).toBe('ERR_LOGIN_SESSION_KEY');
  });
});
